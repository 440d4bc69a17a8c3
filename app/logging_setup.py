"""Logging without personal data: every log record is masked as it is created.

Masking happens in the log-record factory rather than in a handler, so every handler sees the
masked text: ours, gunicorn's and werkzeug's access logs, and pytest's caplog alike. Emails,
Indian phone numbers, Aadhaar-like 12-digit numbers, bearer tokens, passwords in form dumps and
the bound parameters SQLAlchemy prints in its error messages are replaced by placeholders.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from flask import Flask

_PATTERNS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # SQLAlchemy error messages carry the statement's parameters: names, phones, hashes.
    (re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL), "[parameters: hidden]"),
    # PostgreSQL's DETAIL lines quote the offending row or key values.
    (re.compile(r"Failing row contains \(.*\)"), "Failing row contains (hidden)"),
    (re.compile(r"(Key \([^)]*\)=)\(.*?\)(?=\s|$)"), r"\1(hidden)"),
    # Secrets next to their field name: password=..., 'password': '...', ('password', '...').
    (
        re.compile(
            r"""(?ix)
            (?P<key>['"]?[\w-]*(?:password|passwd|secret|token|api[_-]?key)[\w-]*['"]?)
            (?P<sep>\s*(?:=|:|,)\s*)
            (?P<value>'[^']*'|"[^"]*"|[^\s&,;)}\]]+)
            """
        ),
        lambda m: f"{m['key']}{m['sep']}[redacted]",
    ),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [token]"),
    (re.compile(r"\bks_[A-Za-z0-9_-]{16,}"), "[token]"),
    # user@host.tld, also URL-encoded (%40) as in query strings of access logs.
    (
        re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        "[email]",
    ),
    # +91 98765 43210, 091-9876543210, 09876543210, 9876543210, %2B919876543210 (URL-encoded).
    (
        re.compile(r"(?<![\w])(?:(?:\+|%2[bB]|00)?91[\s-]?|0)?[6-9]\d{4}[\s-]?\d{5}(?!\d)"),
        "[phone]",
    ),
    (re.compile(r"(?<!\d)\d{4}[\s-]?\d{4}[\s-]?\d{4}(?!\d)"), "[id-number]"),
]


def mask_personal_data(text: str) -> str:
    """`text` with contact data, identity numbers and secrets replaced by placeholders."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Render the message (and any traceback) now, masked, so no handler sees the raw values."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep what logging would have shown, masked
        message = f"{record.msg!r} {record.args!r}"
    record.msg = mask_personal_data(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_personal_data(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = mask_personal_data(record.stack_info)
    return record


class PersonalDataFilter(logging.Filter):
    """For handlers configured elsewhere (e.g. gunicorn's): masks records that reach them."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _masking_factory(base: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args, **kwargs) -> logging.LogRecord:
        return _mask_record(base(*args, **kwargs))

    factory.masks_personal_data = True  # type: ignore[attr-defined]
    return factory


def install_record_masking() -> None:
    """Wrap the process's log-record factory once (idempotent: apps may be created many times)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "masks_personal_data", False):
        logging.setLogRecordFactory(_masking_factory(current))


def configure_logging(app: Flask) -> None:
    """Mask personal data in every log record; keep request logs free of query strings."""
    install_record_masking()
    for name in ("gunicorn.access", "gunicorn.error", "werkzeug"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())
    app.logger.debug("Personal-data masking installed for log records.")
