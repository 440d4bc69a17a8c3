"""The Marathi and Hindi catalogues are complete: every message `pybabel extract -F babel.cfg`
finds in the app (a message with a context, pgettext, apart from the same words without one) has
a translation that is not fuzzy, keeps the message's placeholders and says "id" in the language's
own script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
# The English word "id" left in a translation (not the %(id)s placeholder).
ENGLISH_ID = re.compile(r"(?<![(\w])id(?![)\w])", re.I)


def extracted_messages() -> dict[tuple[str, str | None], tuple[str, ...]]:
    """(msgid or the singular of a plural, its context) -> all its forms, as pybabel extract finds
    them."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        forms = message if isinstance(message, tuple) else (message,)
        found[forms[0], context] = forms
    return found


def catalogue(code: str):
    path = ROOT / "app" / "translations" / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def placeholders(text: str) -> set[str]:
    return {match.group(1) or match.group(0) for match in PLACEHOLDER.finditer(text)}


def test_the_app_has_messages_to_translate():
    messages = extracted_messages()
    assert ("Log in", None) in messages and ("Jobs for me", None) in messages
    assert ("Applied", "column: how many applied") in messages and ("Applied", None) in messages


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    po = catalogue(code)
    missing, untranslated, fuzzy, broken, english = [], [], [], [], []
    for (msgid, context), forms in extracted_messages().items():
        entry = po.get(msgid, context=context)
        if entry is None:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            untranslated.append(msgid)
        if entry.fuzzy:
            fuzzy.append(msgid)
        for translated in strings:
            # A plural's translation may leave out the count where the sentence does not need it.
            expected = placeholders(forms[-1]) - ({"num"} if len(forms) > 1 else set())
            if translated and not expected <= placeholders(translated):
                broken.append(msgid)
            if ENGLISH_ID.search(translated):
                english.append(msgid)
    assert not missing, f"{code}: {len(missing)} messages missing, e.g. {missing[:5]}"
    assert not untranslated, f"{code}: untranslated: {untranslated[:5]}"
    assert not fuzzy, f"{code}: fuzzy: {fuzzy[:5]}"
    assert not broken, f"{code}: placeholders lost: {broken[:5]}"
    assert not english, f"{code}: the English word id: {english[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_are_in_the_language_script(code):
    """A catalogue filled with English copies would pass the checks above: most entries must be
    written in Devanagari."""
    po = catalogue(code)
    entries = [m for m in po if m.id]
    devanagari = [
        m
        for m in entries
        if re.search(r"[\u0900-\u097F]", m.string if isinstance(m.string, str) else m.string[0])
    ]
    assert len(devanagari) >= 0.8 * len(entries)
