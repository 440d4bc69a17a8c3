"""Browser tests: the demo cluster served by a live server, driven by Playwright in Debian's chromium.

The server runs in a thread on a free loopback port with its own SQLite database seeded with the
demo data, so the journeys see what a newcomer sees after `make run`. Never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import PROJECT_ROOT, reset_database, test_config

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}
# Two shared cores and a 3.5 MB plotly bundle: give the page time before an assertion fails.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app

    root = tmp_path_factory.mktemp("e2e")
    config = test_config(
        root,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{root / 'demo.db'}",
        WTF_CSRF_ENABLED=True,
    )
    reset_database(config["SQLALCHEMY_DATABASE_URI"])
    application = create_app(config)
    with application.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    result = application.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return application


@pytest.fixture(scope="session")
def live_server(demo_app):
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: apt-get install chromium (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextmanager
def browser_tab(
    browser,
    live_server: str,
    *,
    viewport: dict | None = None,
    language: str | None = None,
    javascript: bool = True,
    timeout: int = 15_000,
    locale: str = "en-IN",
) -> Iterator:
    """A tab in a browser context of its own (no cookies shared with other tests): at
    ``viewport`` (e.g. PHONE), in ``language`` (the lang cookie a choice of language sets), with
    JavaScript on or off, the browser set to ``locale``. A JavaScript error on any of its pages
    fails the test."""
    options = {"viewport": viewport} if viewport else {}
    context = browser.new_context(
        base_url=live_server, locale=locale, java_script_enabled=javascript, **options
    )
    context.set_default_timeout(timeout)
    if language:
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shoot(page, folder: str | os.PathLike[str] | None, name: str) -> None:
    """A full-page screenshot ``name`` in ``folder``, for a person to look at (none without one)."""
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.fixture
def page(browser, live_server):
    with browser_tab(browser, live_server) as tab:
        yield tab


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email or phone").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, "login failed"


def log_in_any_language(page, email: str) -> None:
    """Log in whatever the page's language: by the form's fields, not their English labels."""
    page.goto("/login")
    form = page.locator("main form:has(input[type=password])")
    form.locator("input:not([type=hidden]):not([type=password]):not([type=checkbox])").first.fill(
        email
    )
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/login" not in page.url, "login failed"
