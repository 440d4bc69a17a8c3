"""axe-core's WCAG 2 A and AA rules over the pages each role uses, in English and Marathi.

Every page a worker, an employer, an institution and an administrator opens on the demo is
checked in the browser; a violation fails with the rule, the element and axe's own help text.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import browser_tab, log_in, log_in_any_language

pytestmark = pytest.mark.e2e

WCAG_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PUBLIC = ["/", "/login", "/worker/register", "/privacy/notice"]
ROLES = {
    "worker1@demo.kaushalsetu.in": [
        "/worker/profile",
        "/worker/skills",
        "/worker/jobs",
        "FIRST:.list-group-item a.fw-semibold",  # a job's gap and training plan
        "/worker/applications",
        "/inbox",
        "/worker/history",
        "/worker/my-data",
    ],
    "forge@demo.kaushalsetu.in": [
        "/employer/postings",
        "FIRST:table a",  # a posting
        "FIRST:a[href*='/candidates']",
        "/employer/postings/P001/applications",
        "/employer/postings/new",
    ],
    "iti@demo.kaushalsetu.in": [
        "/institution/courses",
        "FIRST:table a",  # a course with its batches
        "FIRST:a[href*='/institution/batches/']",
        "/institution/demand",
        "/institution/outcomes",
        "/institution/guardian-consents",
        "/institution/courses/new",  # the skill picker, required marks
        "/institution/courses/C01/edit",  # the picker with chips
    ],
    "admin@demo.kaushalsetu.in": [
        "/admin",
        "/admin/outcomes",
        "/admin/hiring",
        "/admin/grievances",
        "/admin/jobs",
    ],
}


def violations_on(page, axe: Axe, where: str) -> list[str]:
    results = axe.run(page, options=WCAG_A_AA).response
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in results["violations"]
    ]


def visit(page, step: str) -> str:
    if step.startswith("FIRST:"):
        page.locator(step.removeprefix("FIRST:")).first.click()
    else:
        page.goto(step)
    page.wait_for_load_state()
    return page.url


@pytest.mark.parametrize("lang", ["en", "mr"])
def test_no_wcag_violation_on_any_page_of_any_role(browser, live_server, lang):
    axe = Axe()
    found: list[str] = []
    for login, steps in {None: PUBLIC, **ROLES}.items():
        with browser_tab(browser, live_server, language=lang) as page:
            if login:
                log_in(page, login) if lang == "en" else log_in_any_language(page, login)
            for step in steps:
                where = visit(page, step)
                found += violations_on(page, axe, where)
    assert not found, "\n".join(found)
