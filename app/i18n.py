"""The languages pages are shown in, how one is chosen, and locale-aware formatting.

Most workers read Marathi or Hindi first, so every page exists in English, मराठी and हिन्दी
(catalogues in app/translations, compiled by the install step). The language is, in order: the
signed-in user's saved preference, the `lang` cookie the picker sets, the browser's
Accept-Language, then English.

Numbers, money and dates go through Babel for the current locale. Rupees are grouped the Indian
way (₹1,20,000) in every language: CLDR's Marathi currency pattern would group by thousands.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from babel.numbers import format_currency
from flask import Blueprint, Flask, has_request_context, redirect, request, url_for
from flask_babel import format_date, format_decimal, format_time, get_locale
from flask_login import current_user

from app.extensions import babel

# Code -> the language's own name, in the order the picker shows them.
LANGUAGES: dict[str, str] = {"en": "English", "mr": "मराठी", "hi": "हिन्दी"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Babel locales per language: Indian English for lakh grouping and Indian date order.
BABEL_LOCALES = {"en": "en_IN", "mr": "mr_IN", "hi": "hi_IN"}
RUPEE_PATTERN = "¤#,##,##0"

bp = Blueprint("i18n", __name__)


def N_(message: str) -> str:
    """Marks a message for the catalogues without translating it here (pybabel extracts ``N_``):
    for texts shared with the API, which answers in English, and translated where a page shows
    them (``gettext(message)``)."""
    return message


def supported_language(code: str | None) -> str | None:
    """``code`` if pages exist in that language (case and region ignored), else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def select_language() -> str:
    """The language of this request (see the module docstring for the order)."""
    if current_user and current_user.is_authenticated:
        saved = supported_language(getattr(current_user, "preferred_language", None))
        if saved:
            return saved
    from_cookie = supported_language(request.cookies.get(LANGUAGE_COOKIE))
    if from_cookie:
        return from_cookie
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def api_language() -> str:
    """The language an API request asks labels in: ``?lang=``, else Accept-Language, else English.

    Never the cookie or a saved preference: an integration gets the same answer for the same
    request whoever's token it carries.
    """
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return (
        supported_language(request.args.get("lang"))
        or request.accept_languages.best_match(list(LANGUAGES))
        or DEFAULT_LANGUAGE
    )


def select_locale() -> str:
    return BABEL_LOCALES[select_language()]


def current_language() -> str:
    """The two-letter code of the page's language (``<html lang>``, skill labels)."""
    locale = get_locale()
    return supported_language(locale.language if locale else None) or DEFAULT_LANGUAGE


def format_inr(amount: float | int | None) -> str:
    """Whole rupees with Indian grouping in the page's locale: ₹1,20,000."""
    if amount is None:
        return ""
    return format_currency(
        round(amount), "INR", format=RUPEE_PATTERN, locale=get_locale(), currency_digits=False
    )


def format_number(value: float | int | None) -> str:
    return "" if value is None else format_decimal(value)


def format_day(value: date | datetime | None, style: str = "medium") -> str:
    """A date people read (4 Dec 2026, 4 डिसें, 2026), not ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, style)


def format_moment(value: datetime | None) -> str:
    """A moment people read: the day as `format_day` writes it, then the time on the 24-hour
    clock ("5 डिसें, 2026, 07:52"): the locales' own time patterns print "AM" in Marathi."""
    if value is None:
        return ""
    return f"{format_date(value, 'medium')}, {format_time(value, 'HH:mm')}"


def safe_next(target: str | None) -> str:
    """Where to go back to after choosing a language, logging in or a form's step: only a page
    of this site (a path, or the referring page's address on this host), else the home page; a
    link naming another site never sends anyone there. Never the picker itself: going "back" to
    it would answer a GET it does not serve."""
    if target and "\\" not in target:
        parts = urlsplit(target)
        same_site = not parts.netloc or (
            parts.scheme in {"http", "https"} and parts.netloc == request.host
        )
        picker = parts.path.rstrip("/") == "/language" or parts.path.startswith("/language/")
        if (
            same_site
            and parts.path.startswith("/")
            and not parts.path.startswith("//")
            and not picker
        ):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("main.index")


def _with_language_cookie(response, language: str):
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


@bp.get("/language/<code>")
def language_link(code: str):
    """The picker for visitors who are not signed in: a plain link that only sets the cookie, so
    reading a page never needs a session (no CSRF token) and nothing is written."""
    language = supported_language(code) or DEFAULT_LANGUAGE
    return _with_language_cookie(redirect(safe_next(request.args.get("next"))), language)


@bp.post("/language")
def choose_language():
    """The picker for signed-in users (a form with the CSRF token): the cookie, and the choice
    saved to their profile so it follows them to another phone. Back to the page it was chosen
    on (`next`, else the Referer, which the same-origin referrer policy sends)."""
    language = supported_language(request.form.get("lang")) or DEFAULT_LANGUAGE
    back = safe_next(request.form.get("next") or request.referrer)
    response = _with_language_cookie(redirect(back), language)
    if current_user.is_authenticated and current_user.preferred_language != language:
        current_user.preferred_language = language
    return response


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        inr=format_inr, number=format_number, day=format_day, moment=format_moment
    )

    @app.after_request
    def api_content_language(response):
        """API answers name the language their labels are in, and caches keep them apart."""
        if request.path.startswith("/api/"):
            response.headers["Content-Language"] = api_language()
            response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def language_context() -> dict:
        return {
            "languages": LANGUAGES,
            "current_language": current_language,
        }
