"""Security headers on every response; only static assets may be cached.

The hook never touches the database (no `current_user` lookup), so it keeps working, and keeps
adding the headers, while the database is down.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Plotly and Bootstrap set inline styles from script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
# Asset types a view may serve with its own cache lifetime (vendored JavaScript, CSS, fonts).
CACHEABLE_ASSET_TYPES = ("text/javascript", "application/javascript", "text/css", "font/", "image/")


def is_static_asset(response: Response) -> bool:
    """Files under /static/ (the app's and Bootstrap-Flask's), or an asset a view gave a max-age.

    Everything else may carry personal data or a CSRF token bound to a session: never cached.
    """
    if request.path.startswith("/static/") or (request.endpoint or "").endswith("static"):
        return True
    return response.cache_control.max_age is not None and response.mimetype.startswith(
        CACHEABLE_ASSET_TYPES
    )


def add_security_headers(response: Response, *, secure: bool) -> Response:
    """Set the headers of OWASP ASVS V14.4 on `response`; `secure` adds HSTS."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if not is_static_asset(response):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
        headers.pop("ETag", None)
    return response


def trusted_proxy_count(app: Flask) -> int:
    """How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none)."""
    raw = app.config.get("TRUSTED_PROXY_COUNT", "0")
    try:
        count = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"TRUSTED_PROXY_COUNT must be a whole number, not {raw!r}") from None
    if count < 0:
        raise ValueError(f"TRUSTED_PROXY_COUNT must be 0 or more, not {count}")
    return count


def register(app: Flask) -> None:
    # Behind nginx (or any proxy), the client's address is in X-Forwarded-For; login throttling
    # keys on it. Trust exactly as many hops as there are proxies, else anyone could spoof it.
    proxies = trusted_proxy_count(app)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.after_request
    def _security_headers(response: Response) -> Response:
        return add_security_headers(response, secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
