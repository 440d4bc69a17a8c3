"""The text of each kind of notice, written when it is read or sent, in the reader's language.

A notice stores what happened (its kind) and the facts (job, employer, dates as ISO, wages as
whole rupees); the words come from here, so an inbox read in Marathi reads in Marathi even when
the change was made by someone reading English.
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext

from app.i18n import BABEL_LOCALES, DEFAULT_LANGUAGE, N_, format_day, format_inr, supported_language

TEXTS = {
    "application.applied": N_("%(worker)s applied for %(job)s."),
    "application.accepted": N_("%(worker)s accepted your invitation for %(job)s."),
    "application.declined": N_("%(worker)s declined your invitation for %(job)s."),
    "application.withdrawn": N_("%(worker)s withdrew their application for %(job)s."),
    "application.invited": N_("%(employer)s invites you to apply for %(job)s."),
    "application.shortlisted": N_("You are shortlisted for %(job)s at %(employer)s."),
    "application.interview": N_("Interview for %(job)s at %(employer)s: %(when)s, %(place)s."),
    "application.offered": N_("%(employer)s offers you the job of %(job)s at %(wage)s a month."),
    "application.hired": N_("You are hired as %(job)s at %(employer)s, starting %(start)s."),
    "application.rejected": N_("%(employer)s did not select you for %(job)s this time."),
    "application.closed": N_("Your application for %(job)s at %(employer)s is closed: %(reason)s"),
    "password.code": N_(
        "KaushalSetu: your code to set a new password is %(code)s. It works once, for 10 "
        "minutes. Nobody from KaushalSetu will ask you for it."
    ),
}
REASONS = {
    "posting_closed": N_("the job is no longer open."),
    "consent_withdrawn": N_("you stopped sharing your profile with employers."),
}
NOTE = N_("Note: %(note)s")


def _day(value: str | None) -> str:
    return format_day(date.fromisoformat(value)) if value else "—"


def notice_text(kind: str, params: dict) -> str:
    """The notice in the current locale."""
    values = {key: value for key, value in params.items() if isinstance(value, str)}
    values.setdefault("worker", "")
    values.setdefault("job", "")
    values.setdefault("employer", "")
    values["when"] = _day(params.get("interview_on"))
    values["place"] = params.get("interview_place") or "—"
    values["start"] = _day(params.get("start_date"))
    values["wage"] = format_inr(params.get("wage")) if params.get("wage") is not None else "—"
    reason = params.get("reason")
    values["reason"] = gettext(REASONS[reason]) if reason in REASONS else ""
    text = gettext(TEXTS.get(kind, kind), **values)
    if params.get("note"):
        text = f"{text} {gettext(NOTE, note=params['note'])}"
    return text


def notice_text_in(language: str | None, kind: str, params: dict) -> str:
    """The notice in `language` (the recipient's, for an SMS sent outside any request)."""
    with force_locale(BABEL_LOCALES[supported_language(language) or DEFAULT_LANGUAGE]):
        return notice_text(kind, params)
