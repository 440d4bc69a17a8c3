"""The three journeys on the demo data, in a real browser (Debian's chromium via Playwright).

A worker finds a job that fits, sees the gap and enrols in the course that closes it; an employer
sees who fits a posting now and who fits after a short course; an institution sees what the
cluster needs that nobody teaches, as a table and a heatmap, and downloads it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, browser_tab, log_in

pytestmark = pytest.mark.e2e


def test_worker_finds_a_job_sees_the_gap_and_enrols(page):
    log_in(page, "worker1@demo.kaushalsetu.in")
    page.get_by_role("link", name="Jobs for me").click()
    expect(page.get_by_role("heading", name="Jobs for me")).to_be_visible()
    jobs = page.locator(".list-group-item a.fw-semibold")
    expect(jobs.first).to_be_visible()
    # Open the best-fitting job that is not a perfect fit, so there is a gap to close.
    count = jobs.count()
    for index in range(count):
        jobs.nth(index).click()
        page.wait_for_load_state()
        if page.get_by_role("link", name="Enrol", exact=True).count():
            break
        page.go_back()
    else:
        pytest.fail("no job on the worker's list had a training plan to enrol in")
    expect(page.get_by_role("heading", name="The skills this job asks for")).to_be_visible()
    expect(page.get_by_role("heading", name="Training plan")).to_be_visible()
    page.get_by_role("link", name="Enrol", exact=True).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Confirm your enrolment")).to_be_visible()
    expect(page.locator("#whole-course")).to_contain_text("The whole course")
    page.get_by_role("button", name="Confirm enrolment").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("You are enrolled in")
    expect(page.get_by_text("Enrolled", exact=True).first).to_be_visible()


def test_employer_sees_candidates_now_and_after_training(page):
    log_in(page, "machining@demo.kaushalsetu.in")
    expect(page.get_by_role("heading", name="Our postings")).to_be_visible()
    page.locator("table a").first.click()
    page.get_by_role("link", name="Candidates").click()
    expect(page.get_by_role("link", name="Best matches")).to_be_visible()
    rows = page.locator("article.card")
    expect(rows.first).to_be_visible()
    # Visible workers by name (not a bare id), each with an invitation to apply or a status.
    expect(rows.first.locator("a.fw-semibold")).not_to_have_text(re.compile(r"^W\d{4}$"))
    page.get_by_role("link", name="Trainable").click()
    expect(page).to_have_url(re.compile(r"tab=trainable"))
    expect(page.get_by_role("link", name="Trainable")).to_have_class(re.compile("active"))


def test_institution_sees_cluster_demand_heatmap_and_downloads_it(page):
    log_in(page, "iti@demo.kaushalsetu.in")
    page.get_by_role("link", name="Cluster demand").click()
    expect(page.get_by_role("heading", name="Cluster demand for skills")).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="Needed, but no course teaches it")).to_be_visible()
    page.get_by_label("Heatmap by").select_option("district")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"by=district"))
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = download_info.value.path()
    with open(path, encoding="utf-8") as handle:
        header = handle.readline()
    assert "demand" in header and "supply" in header


def test_a_worker_applies_and_the_employer_hires_at_phone_width(browser, live_server):
    """The path from a match to a hire, on a phone: the worker applies, the forge shortlists and
    hires, the worker reads "Hired", and the administrator's funnel counts one more hire."""
    with browser_tab(browser, live_server, viewport=PHONE) as page:
        log_in(page, "admin@demo.kaushalsetu.in")
        page.goto("/admin/hiring")
        everyone = page.locator("table").first.locator("tr.fw-semibold td")
        hired_before = int(everyone.nth(3).inner_text().replace(",", ""))
        log_out(page)

        log_in(page, "worker1@demo.kaushalsetu.in")
        page.goto("/worker/jobs/P003")
        page.get_by_text("Add a note to the employer (optional)").click()
        page.get_by_label("A short note to the employer (optional)").fill("I can join next week.")
        page.get_by_role("button", name="Apply").click()
        expect(page.locator(".alert-success")).to_contain_text("You applied for")
        expect(page.locator(".card", has_text="Your application")).to_contain_text("Applied")
        log_out(page)

        log_in(page, "forge@demo.kaushalsetu.in")
        page.goto("/employer/postings/P003/applications")
        card = page.locator("article.card", has_text="I can join next week.")
        name = card.locator("a.fw-semibold").inner_text()
        card.get_by_role("button", name="Shortlist").click()
        expect(page.locator(".alert-success")).to_contain_text(name)
        card = page.locator("article.card", has_text="I can join next week.")
        hire = card.locator("details", has_text="Hire")
        hire.locator("summary").click()
        hire.get_by_label("Start date").fill(_start_day())
        hire.get_by_label("Monthly wage (₹)").fill("16500")
        hire.get_by_role("button", name="Save").click()
        expect(page.locator(".alert-success")).to_contain_text("Hired")
        log_out(page)

        log_in(page, "worker1@demo.kaushalsetu.in")
        page.goto("/worker/applications")
        hired = page.locator("section.card", has_text="Quality Inspector")
        expect(hired).to_contain_text("Hired")
        expect(hired).to_contain_text("16,500")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        log_out(page)

        log_in(page, "admin@demo.kaushalsetu.in")
        page.goto("/admin/hiring")
        everyone = page.locator("table").first.locator("tr.fw-semibold td")
        expect(everyone.nth(3)).to_have_text(str(hired_before + 1))


def _start_day() -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=14)).isoformat()


def log_out(page) -> None:
    page.context.clear_cookies()


def test_a_password_can_be_shown_as_typed_and_hidden_again(page):
    """A slip on a phone keyboard is unseen in a password box: each box can show what was typed."""
    page.goto("/login")
    box = page.get_by_label("Password")
    box.fill("Kaushal-2026 setu")
    page.get_by_role("button", name="Show password").click()
    expect(box).to_have_attribute("type", "text")
    expect(box).to_have_value("Kaushal-2026 setu")
    expect(page.get_by_role("button", name="Hide password")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="Hide password").click()
    expect(box).to_have_attribute("type", "password")
