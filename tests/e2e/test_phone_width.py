"""Every page of the four roles at phone width (390 px): no horizontal scrolling, the page's main
controls inside the screen, touch targets of at least 44 px. Walked in English and in Marathi.

The walk starts at the role's menu and follows the links it finds inside the role's own area
(two levels deep), so new pages are covered without listing them here. Screenshots land in
$PHONE_SHOTS (if set) for a person to look at.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, browser_tab, log_in, log_in_any_language, shoot

pytestmark = pytest.mark.e2e

ROLES = {
    "worker": ("worker1@demo.kaushalsetu.in", ("/worker",)),
    "employer": ("machining@demo.kaushalsetu.in", ("/employer",)),
    "institution": ("iti@demo.kaushalsetu.in", ("/institution",)),
    "admin": ("admin@demo.kaushalsetu.in", ("/admin",)),
}
PAGES_PER_ROLE = 18
# Links that change something or download a file are not pages to look at.
SKIP = re.compile(r"(\.csv|\.json|\.xlsx|/export|/download|logout|template)", re.I)

MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 && !el.closest('.js-plotly-plot')) {
      // Report the outermost offender only.
      const parent = el.parentElement && el.parentElement.getBoundingClientRect();
      if (!parent || parent.right <= width + 1) {
        wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' → ' + Math.round(box.right) + 'px');
      }
    }
  }
  const small = [];
  for (const el of document.querySelectorAll(
      'main button, main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main .btn, ' +
      'main .action-link, main .tick-target')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.closest('.js-plotly-plot')) continue;
    if (box.height < 43.5) small.push((el.name || el.textContent || el.tagName).trim().slice(0, 30) + ' ' + Math.round(box.height) + 'px');
    if (box.left < -1 || box.right > width + 1) wide.push('control ' + (el.name || el.textContent).trim().slice(0, 30));
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8), small: small.slice(0, 8)};
}"""


def walk(page, prefixes: tuple[str, ...]) -> list[str]:
    """Paths of the role's pages: the menu's, then links found on them, breadth first."""
    seen: list[str] = []
    queue = [urlparse(page.url).path]
    queue += [
        urlparse(href).path
        for href in page.locator("nav a.nav-link").evaluate_all("els => els.map(a => a.href)")
    ]
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen or SKIP.search(path) or not path.startswith(prefixes):
            continue
        seen.append(path)
        if len(seen) > 8:
            continue  # deep enough: look at it, do not add more
        page.goto(path)
        hrefs = page.locator("main a[href]").evaluate_all("els => els.map(a => a.href)")
        for href in hrefs:
            parsed = urlparse(href)
            if parsed.path not in seen and parsed.path not in queue:
                queue.append(parsed.path)
    return seen


@pytest.fixture
def phone_page(browser, live_server, request):
    language = getattr(request, "param", "en")
    chosen = None if language == "en" else language
    with browser_tab(browser, live_server, viewport=PHONE, language=chosen) as tab:
        yield tab, language


@pytest.mark.parametrize("phone_page", ["en", "mr"], indirect=True)
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_phone(phone_page, role):
    page, language = phone_page
    email, prefixes = ROLES[role]
    if language == "en":
        log_in(page, email)
    else:
        log_in_any_language(page, email)
    shots = os.environ.get("PHONE_SHOTS")
    problems = []
    paths = walk(page, prefixes)
    assert len(paths) >= 2, paths
    for path in paths:
        page.goto(path)
        page.wait_for_load_state()
        found = page.evaluate(MEASURE)
        shoot(page, shots, f"{language}-{role}-{path.strip('/').replace('/', '_') or 'home'}.png")
        if found["scroll"] > found["width"] or found["wide"]:
            problems.append(f"{path}: {found['scroll']} px wide; {found['wide']}")
        if found["small"]:
            problems.append(f"{path}: touch targets under 44 px: {found['small']}")
    assert not problems, "\n".join(problems)


def test_a_workers_main_action_is_on_the_first_screen(phone_page):
    """On a job's gap page the way to the training plan (and its Enrol button) is in view."""
    page, _language = phone_page
    log_in(page, ROLES["worker"][0])
    page.goto("/worker/jobs")
    links = page.locator("main a[href^='/worker/jobs/']")
    for index in range(links.count()):
        page.goto(links.nth(index).get_attribute("href"))
        jump = page.locator("a[href='#training-plan']")
        if jump.count():
            break
        page.goto("/worker/jobs")
    else:
        pytest.fail("no job with a training plan")
    box = jump.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"], box
    jump.click()
    expect(page.locator("#training-plan")).to_be_in_viewport()
    # An earlier journey may have enrolled this worker already ("Enrolled" instead of a button).
    for enrol in page.get_by_role("link", name="Enrol", exact=True).all():
        box = enrol.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_actions_of_rows_and_cards_are_a_fingertip_tall(phone_page):
    """The applicant count that opens a posting's applicants, and on an applicant's card the phone
    number to call and the tick box, are 44 px tall at phone width."""
    page, _language = phone_page
    log_in(page, ROLES["employer"][0])
    page.goto("/employer/postings")
    count = page.locator("main a[href$='/applications']").first
    expect(count).to_have_text(re.compile(r"^\d+ applicants?$"))
    targets = {"count": count.bounding_box()}
    count.click()
    page.wait_for_load_state()
    targets["phone"] = page.locator("main a[href^='tel:']").first.bounding_box()
    tick = page.locator("main label.tick-target").first
    expect(tick.locator("input[type=checkbox]")).to_have_accessible_name(re.compile("^Tick "))
    targets["tick"] = tick.bounding_box()
    targets["breadcrumb"] = page.locator("main .breadcrumb-item a").first.bounding_box()
    page.goto(page.url.replace("/applications", "/candidates"))
    targets["candidate"] = page.locator("main article.card a.fw-semibold").first.bounding_box()
    short = {name: box for name, box in targets.items() if not box or box["height"] < 44}
    assert not short, short
    page.go_back()
    tick = page.locator("main label.tick-target").first
    tick.click()
    expect(tick.locator("input[type=checkbox]")).to_be_checked()


def test_an_empty_tables_message_is_not_labelled_as_its_first_column(phone_page):
    """At phone width each cell is labelled by its column, but "No jobs yet." across the whole
    row is a message: it does not read "#" above it."""
    page, _language = phone_page
    log_in(page, ROLES["admin"][0])
    page.goto("/admin/jobs")
    message = page.locator("main td[colspan]")
    expect(message).to_have_count(1)  # the browser tests' demo has run no background job
    expect(message).to_be_visible()
    assert message.get_attribute("data-label") is None
