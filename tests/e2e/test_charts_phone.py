"""The Plotly charts on a phone (390 px) in Marathi: months and rupees written as the rest of the
page writes them, no mode bar over the bars, and long names (sectors, courses, institutions)
written out where they can be read, neither cut nor drawn over each other or the legend.
Screenshots land in $PHONE_SHOTS (if set) for a person to look at."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, browser_tab, log_in_any_language, shoot

pytestmark = pytest.mark.e2e

ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
# The boxes of a chart's tick labels ("xtick"/"ytick") and of its legend, in page pixels.
BOXES = """([chart, axis]) => {
  const node = document.getElementById(chart);
  const box = (el) => { const b = el.getBoundingClientRect();
    return {text: el.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {
    ticks: Array.from(node.querySelectorAll('g.' + axis + ' text')).map(box),
    legend: Array.from(node.querySelectorAll('g.legend')).map(box),
  };
}"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of boxes drawn over each other (by more than a pixel each way)."""
    pairs = []
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            if (
                min(one["right"], other["right"]) - max(one["left"], other["left"]) > 1
                and min(one["bottom"], other["bottom"]) - max(one["top"], other["top"]) > 1
            ):
                pairs.append((one["text"], other["text"]))
    return pairs


@pytest.fixture
def marathi_phone(browser, live_server):
    with browser_tab(browser, live_server, viewport=PHONE, language="mr") as tab:
        yield tab


def test_outcome_charts_write_months_and_wages_in_marathi_without_a_mode_bar(marathi_phone):
    page = marathi_phone
    log_in_any_language(page, "iti@demo.kaushalsetu.in")
    page.goto("/institution/outcomes")
    wage_chart = page.locator("#chart-series-wage")
    expect(wage_chart.locator("g.xtick text").first).to_be_visible()
    shoot(page, os.environ.get("PHONE_SHOTS"), "mr-institution-outcomes-charts.png")
    assert page.locator(".modebar").count() == 0
    months = page.locator("#chart-series-rate g.xtick text").all_text_contents()
    assert months and not any(ENGLISH_MONTH.search(month) for month in months), months
    wages = wage_chart.locator("g.ytick text").all_text_contents()
    assert "₹5,000" in wages and not any(w.endswith("k") for w in wages), wages
    for chart in ("chart-series-rate", "chart-series-wage"):
        assert not overlapping(page.evaluate(BOXES, [chart, "xtick"])["ticks"]), chart


@pytest.mark.parametrize("by", ["course", "institution"])
def test_breakdown_names_are_written_out_beside_their_bars_clear_of_the_legend(
    browser, live_server, by
):
    with browser_tab(browser, live_server, viewport=PHONE, language="mr") as page:
        log_in_any_language(page, "admin@demo.kaushalsetu.in")
        page.goto(f"/admin/outcomes?by={by}")
        expect(page.locator("#chart-breakdown g.ytick text").first).to_be_visible()
        shoot(page, os.environ.get("PHONE_SHOTS"), f"mr-admin-outcomes-{by}-chart.png")
        found = page.evaluate(BOXES, ["chart-breakdown", "ytick"])
        names = " ".join(tick["text"] for tick in found["ticks"])
        # Whole names, broken into lines: the first institution's and course's words all there.
        assert {"course": "Turning", "institution": "Chakan"}[by] in names, names
        assert not overlapping(found["ticks"])
        assert not overlapping(found["ticks"] + found["legend"])
        # The table under it: each group a card with its figures side by side, not one per line.
        first_row = page.locator("main table.table-inline-figures tbody tr").first
        tops = [cell.bounding_box()["y"] for cell in first_row.locator("td:visible").all()[1:4]]
        assert len(set(tops)) < len(tops), tops


def test_a_groups_other_figures_open_from_its_own_button(browser, live_server):
    """By course on a phone, each card shows its six headline figures; its "All figures" opens
    the other ten, and only its own."""
    with browser_tab(browser, live_server, viewport=PHONE, language="mr") as page:
        log_in_any_language(page, "admin@demo.kaushalsetu.in")
        page.goto("/admin/outcomes?by=course")
        rows = page.locator("#table-outcomes tbody tr")
        first, second = rows.nth(0), rows.nth(1)
        expect(first.locator("td.figure-more").first).to_be_hidden()
        figures = first.locator("td[data-field]:visible")
        assert figures.count() == 6  # the headline
        short_page = page.evaluate("document.documentElement.scrollHeight")
        button = first.locator("button.figures-toggle")
        expect(button).to_have_text("सर्व आकडे")
        button.click()
        expect(first.locator("td.figure-more").first).to_be_visible()
        assert figures.count() == 16
        assert button.get_attribute("aria-expanded") == "true"
        expect(second.locator("td.figure-more").first).to_be_hidden()
        shoot(page, os.environ.get("PHONE_SHOTS"), "mr-admin-outcomes-course-figures.png")
        assert page.evaluate("document.documentElement.scrollHeight") > short_page
        expect(button).to_have_text("कमी आकडे")
        button.click()
        expect(first.locator("td.figure-more").first).to_be_hidden()


def test_a_wide_screen_shows_the_headline_columns_and_all_of_them_from_one_button(
    browser, live_server
):
    """At 1280 px the sixteen columns ran to 2,270 px, the wage and gap columns out of sight:
    the table shows the headline columns, and one button opens the rest for every group."""
    with browser_tab(browser, live_server, viewport={"width": 1280, "height": 900}) as page:
        log_in_any_language(page, "admin@demo.kaushalsetu.in")
        page.goto("/admin/outcomes?by=course")
        table = page.locator("#table-outcomes")
        expect(table.locator("thead th.figure-more").first).to_be_hidden()
        assert table.locator("thead th:visible").count() == 7  # the group and six figures
        # They fit the page: no sideways scrolling to reach the wage gap (54 px over before).
        widths = page.evaluate(
            "[document.querySelector('#table-outcomes').getBoundingClientRect().width,"
            " document.querySelector('#table-outcomes').closest('.table-responsive')"
            ".getBoundingClientRect().width]"
        )
        assert widths[0] <= widths[1] + 1, widths
        assert table.locator("button.figures-toggle:visible").count() == 0  # the phone's
        button = page.locator("button.figures-columns-toggle")
        expect(button).to_have_text("All figures")
        button.click()
        assert table.locator("thead th:visible").count() == 17
        expect(table.locator("tbody tr").nth(1).locator("td.figure-more").first).to_be_visible()
        assert button.get_attribute("aria-expanded") == "true"


def test_demand_heatmap_sectors_stand_apart_and_the_skill_list_is_short(marathi_phone):
    page = marathi_phone
    log_in_any_language(page, "iti@demo.kaushalsetu.in")
    page.goto("/institution/demand")
    expect(page.locator("#demand-heatmap g.xtick text").first).to_be_visible()
    shoot(page, os.environ.get("PHONE_SHOTS"), "mr-institution-demand.png")
    found = page.evaluate(BOXES, ["demand-heatmap", "xtick"])
    assert len(found["ticks"]) > 3 and not overlapping(found["ticks"]), found["ticks"]
    assert page.locator("#demand-table tbody tr").count() == 20
    expect(page.locator("#demand-table-folded")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollHeight") < 12_000
    page.locator("#demand-table-more summary").click()
    expect(page.locator("#demand-table-folded")).to_be_visible()
