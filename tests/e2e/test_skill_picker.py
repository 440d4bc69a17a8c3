"""The course form's skill picker in the browser, at phone width (390 px) and in Marathi: skills
found by their Marathi name as the person types, ticked into chips, removed by a chip's button,
saved; no sideways scrolling, no axe violation. And the same journey with JavaScript off, where
every step is a round trip to the server. With $PAGES_SHOTS set, screenshots land there for a
person to look at."""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, browser_tab, log_in_any_language, shoot
from tests.e2e.test_accessibility import WCAG_A_AA
from tests.e2e.test_languages import catalogue
from tests.e2e.test_phone_width import MEASURE

pytestmark = pytest.mark.e2e

INSTITUTION = "iti@demo.kaushalsetu.in"
SHOTS = os.environ.get("PAGES_SHOTS")


@pytest.fixture
def marathi_phone(browser, live_server, request):
    javascript = getattr(request, "param", True)
    with browser_tab(
        browser,
        live_server,
        viewport=PHONE,
        language="mr",
        javascript=javascript,
        locale="mr-IN",
    ) as tab:
        yield tab


def fits_and_is_clean(page, where: str) -> None:
    found = page.evaluate(MEASURE)
    assert found["scroll"] <= found["width"] and not found["wide"], (where, found)
    assert not found["small"], (where, found["small"])
    violations = Axe().run(page, options=WCAG_A_AA).response["violations"]
    assert not violations, [
        (v["id"], [" ".join(node["target"]) for node in v["nodes"][:3]]) for v in violations
    ]


def chip_names(page) -> list[str]:
    return page.locator("#chosen-skills [data-skill-chip] .skill-name").all_inner_texts()


def test_a_course_gets_its_skills_by_marathi_name_on_a_phone(marathi_phone):
    t = catalogue("mr").gettext
    page = marathi_phone
    log_in_any_language(page, INSTITUTION)
    page.goto("/institution/courses/new")
    page.wait_for_load_state()
    fits_and_is_clean(page, "empty course form")
    page.locator("input[name=title]").fill("वेल्डिंग सहाय्यक")
    page.locator("input[name=hours]").fill("120")
    # Suggestions as the person types, by the skill's Marathi name.
    page.locator("input[name=skill_query]").fill("वेल्ड")
    matches = page.locator("[data-skill-results] [data-skill-result]")
    expect(matches.first).to_be_visible()
    first_name = matches.first.locator(".skill-name").inner_text()
    matches.first.locator("input[type=checkbox]").click()  # the match becomes a chip
    expect(page.locator("#chosen-skills [data-skill-chip]")).to_have_count(1)
    assert chip_names(page) == [first_name]
    expect(page.locator("[data-skill-status]")).to_contain_text(first_name)
    # A second one, then remove the first by its chip's button.
    page.locator("input[name=skill_query]").fill("ड्रॉइंग")
    # Wait for this query's matches, not the last one's still on the page.
    expect(matches.first.locator(".skill-name")).to_contain_text("ड्रॉइंग")
    second_name = matches.first.locator(".skill-name").inner_text()
    matches.first.locator("input[type=checkbox]").click()  # the match becomes a chip
    expect(page.locator("#chosen-skills [data-skill-chip]")).to_have_count(2)
    fits_and_is_clean(page, "course form with two chips")
    shoot(page, SHOTS, "mr-course-form-picker.png")
    page.get_by_role("button", name=t("Remove %(skill)s") % {"skill": first_name}).click()
    assert chip_names(page) == [second_name]
    page.get_by_role("button", name=t("Save course")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()
    taught = page.locator("dd .skill-chip .skill-name").all_inner_texts()
    assert taught == [second_name]
    # The batch of a course is named by its course and start date, its code beside it.
    page.goto("/institution/courses/C01")
    batch = page.locator("main table a[href*='/institution/batches/']").first
    batch.click()
    page.wait_for_load_state()
    heading = page.locator("h1")
    expect(heading.locator(".code-secondary")).to_have_text(page.url.rsplit("/", 1)[-1])
    fits_and_is_clean(page, "batch page")
    shoot(page, SHOTS, "mr-batch-page.png")


@pytest.mark.parametrize("marathi_phone", [False], indirect=True)
def test_without_javascript_the_picker_finds_ticks_removes_and_saves(marathi_phone):
    t = catalogue("mr").gettext
    page = marathi_phone
    log_in_any_language(page, INSTITUTION)
    page.goto("/institution/courses/new")
    page.locator("input[name=title]").fill("फिटर सहाय्यक")
    page.locator("input[name=hours]").fill("90")
    page.locator("input[name=skill_query]").fill("वेल्ड")
    page.get_by_role("button", name=t("Find skills")).click()
    page.wait_for_load_state()
    boxes = page.locator("[data-skill-results] input[name=add_skill]")
    expect(boxes.first).to_be_visible()
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("input[name=skill_query]").fill("ड्रॉइंग")
    page.get_by_role("button", name=t("Find skills")).click()
    page.wait_for_load_state()
    names = chip_names(page)
    assert len(names) == 2, names  # the ticked ones are chips now
    assert page.locator("input[name=title]").input_value() == "फिटर सहाय्यक"
    # (No layout or axe check here: Playwright cannot evaluate in a page without JavaScript.)
    page.get_by_role("button", name=t("Remove %(skill)s") % {"skill": names[0]}).click()
    page.wait_for_load_state()
    assert chip_names(page) == names[1:]
    page.get_by_role("button", name=t("Save course")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()
    assert page.locator("dd .skill-chip .skill-name").all_inner_texts() == names[1:]
