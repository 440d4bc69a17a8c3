"""A new worker's journey in Marathi, and a shorter one in Hindi, on a phone-sized screen.

The expected words come from the compiled catalogues (app/translations), so the test checks that
each page really shows the catalogue's Marathi or Hindi, not English, and not a hard-coded copy.
Screenshots of each step are kept in the test's temporary folder (Devanagari needs a font such as
fonts-noto-core, which `make test` installs).
"""

from __future__ import annotations

import re

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from tests.conftest import PROJECT_ROOT
from tests.e2e.conftest import PHONE, browser_tab, shoot

pytestmark = pytest.mark.e2e

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
MARATHI_WORK = (
    "मी ५ वर्षं सीएनसी टर्निंग मशीन चालवतो, व्हर्नियर आणि मायक्रोमीटरने मोजमाप करतो. ड्रॉइंग वाचता येते."
)
HINDI_WORK = "मैं 3 साल से आर्क वेल्डिंग करता हूं और ग्राइंडर चलाता हूं।"


def catalogue(language: str) -> Translations:
    translations = Translations.load(str(PROJECT_ROOT / "app" / "translations"), [language])
    assert translations.gettext("Jobs for me") != "Jobs for me", "catalogues not compiled"
    return translations


@pytest.fixture
def phone(browser, live_server, tmp_path):
    with browser_tab(browser, live_server, viewport=PHONE, timeout=20_000) as tab:
        tab.shots = tmp_path
        yield tab


def in_language(page, language: str, step: str) -> None:
    """The page is in ``language``: its <html lang>, and Devanagari in the main content."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert DEVANAGARI.search(page.locator("main").inner_text()), step
    shoot(page, page.shots, f"{language}-{step}.png")


def register(page, t, name: str, phone_number: str) -> None:
    page.get_by_role("link", name=t("Register as a worker")).first.click()
    page.wait_for_load_state()
    in_language(page, page.locator("html").get_attribute("lang"), "register")
    # The label ends with the required mark, in the page's language.
    page.get_by_label(f"{t('Name')} ({t('required')})", exact=True).fill(name)
    page.locator("select[name=gender]").select_option("female")
    page.locator("input[name=date_of_birth]").fill("2002-06-15")
    page.locator("input[name=district]").fill("Pune")
    page.locator("input[name=state]").fill("Maharashtra")
    page.locator("input[name=phone]").fill(phone_number)
    page.locator("input[name=password]").fill("a-long-password-2026")
    page.locator("input[name=purposes][value=matching]").check()
    page.locator("input[name=purposes][value=share_with_employers]").check()
    page.get_by_role("button", name=t("Create my profile")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text(
        t("Your profile is created and your consent recorded. Welcome!")
    )


def describe_work_and_add_suggestions(page, t, language: str, text: str) -> None:
    page.goto("/worker/skills")
    in_language(page, language, "skills")
    page.locator("textarea[name=profile_text]").fill(text)
    page.get_by_role("button", name=t("Save and suggest skills")).click()
    page.wait_for_load_state()
    suggested = page.locator("#suggestions .form-check-label")
    expect(suggested.first).to_be_visible()
    # Suggested skills carry their names in the page's language (ESCO's English beneath).
    expect(page.locator(f'#suggestions .skill-name[lang="{language}"]').first).to_be_visible()
    in_language(page, language, "suggestions")
    boxes = page.locator("#suggestions input[name=uris]")
    for index in range(min(boxes.count(), 3)):
        boxes.nth(index).check()
    page.get_by_role("button", name=t("Add ticked skills")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_new_worker_in_marathi_registers_describes_work_and_enrols(phone):
    t = catalogue("mr").gettext
    page = phone
    page.goto("/")
    page.get_by_role("link", name="मराठी").click()
    page.wait_for_load_state()
    in_language(page, "mr", "home")
    register(page, t, "सुनीता पाटील", "9822033445")
    in_language(page, "mr", "profile")
    describe_work_and_add_suggestions(page, t, "mr", MARATHI_WORK)
    page.get_by_role("link", name=t("Jobs for me")).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t("Jobs for me"))).to_be_visible()
    in_language(page, "mr", "jobs")
    jobs = page.locator(".list-group-item a.fw-semibold")
    expect(jobs.first).to_be_visible()
    for index in range(jobs.count()):
        jobs.nth(index).click()
        page.wait_for_load_state()
        if page.get_by_role("link", name=t("Enrol"), exact=True).count():
            break
        page.go_back()
    else:
        pytest.fail("no job on the new worker's list had a training plan to enrol in")
    expect(page.get_by_role("heading", name=t("Training plan"))).to_be_visible()
    in_language(page, "mr", "plan")
    page.get_by_role("link", name=t("Enrol"), exact=True).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t("Confirm your enrolment"))).to_be_visible()
    page.get_by_role("button", name=t("Confirm enrolment")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_be_visible()
    assert DEVANAGARI.search(page.locator(".alert-success").inner_text())
    in_language(page, "mr", "enrolled")


def test_a_worker_in_hindi_registers_and_gets_skill_suggestions(phone):
    t = catalogue("hi").gettext
    page = phone
    page.goto("/login")
    page.get_by_role("link", name="हिन्दी").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=t("Log in"))).to_be_visible()
    in_language(page, "hi", "login")
    page.goto("/")
    register(page, t, "रेखा यादव", "9822066778")
    describe_work_and_add_suggestions(page, t, "hi", HINDI_WORK)
    # The choice follows the worker: saved to the profile, it beats the browser's language.
    page.get_by_role("button", name="हिन्दी").click()
    page.wait_for_load_state()
    page.context.clear_cookies(name="lang")
    page.goto("/worker/profile")
    in_language(page, "hi", "profile-saved-choice")
