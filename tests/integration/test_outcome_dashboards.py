"""Outcome dashboards and the worker's own history: who may see what, real figures on the page,
disclosure control for institutions, no inline scripts, and an audit event per view."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.outcomes.charts import round_ticks
from app.outcomes.views import OUTCOME_COLUMNS, OUTCOME_HEADLINE
from app.placements.models import Placement, RetentionCheck

AS_OF = "2026-06-30"


@pytest.fixture
def cluster(factories):
    return factories.outcome_cluster()


def figure(html: str, name: str) -> str:
    """The text shown in the element marked data-figure=name (tags stripped)."""
    match = re.search(rf'data-figure="{name}">(.*?)</', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def two_institutions(factories) -> dict:
    """X: 12 women certified and placed at 11,000; Y: 15 men placed at 17,000 — large enough
    for an institution's figures to be shown under disclosure control."""
    made = {}
    for name, people, gender, wage in (("X", 12, "female", 11000), ("Y", 15, "male", 17000)):
        user = factories.user(
            "institution",
            organisation=factories.institution(external_id=f"INS-{name}", name=f"Institute {name}"),
        )
        course = factories.course(
            user.organisation, external_id=f"C-{name}", title=f"Course of {name}", duration_months=3
        )
        for _ in range(people):
            person = factories.worker(gender=gender, district=f"District{name}")
            factories.enrolment(
                person,
                course,
                enrolled_on=date(2025, 7, 1),
                status="completed",
                completed_on=date(2025, 9, 30),
                certified=True,
                certified_on=date(2025, 10, 1),
            )
            factories.placement(person, placed_on=date(2025, 11, 1), monthly_wage_inr=wage)
        made[name] = user
    return made


def test_admin_dashboard_shows_exact_hand_counted_figures(client, factories, login_as, cluster):
    browser = login_as(factories.user("admin"))
    page = browser.get(f"/admin/outcomes?as_of={AS_OF}&by=institution")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert AS_OF in html
    # Hand-counted in test_outcome_reports: 7 enrolled, 4 of 5 placed, 3 of 4 retained, 13000.
    assert figure(html, "enrolled") == "7"
    assert figure(html, "placement_rate") == "80.0%"
    assert figure(html, "retention_rate_3m") == "75.0%"
    assert figure(html, "median_monthly_wage") == "₹13,000"
    # Women's median 13,000 (12,000 and 14,000), men's 12,500: a gap of -4%.
    assert figure(html, "women_men_wage_gap") == "-4.0%"
    assert figure(html, "women_share") == "57.1%"  # 4 of 7
    assert figure(html, "youth_share") == "71.4%"  # 5 of 7
    assert "Institute A (INS-A)" in html and "Institute B (INS-B)" in html
    # Batch BB1 (two men) is too small for the DDU-GKY quota alert, which starts at 10 enrolled.
    alerts = html[html.index('id="quota-alerts"') :]
    assert "BB1" not in alerts[: alerts.index("</p>")]
    assert "No batch of 10 or more trainees has fewer than 33% women." in alerts
    assert "Smaller batches are not checked" in alerts
    assert '<p class="small text-muted mb-0" id="quota-alerts">' in html  # not a green "all good"
    assert "Exact figures" in html


@pytest.mark.parametrize("by", ["gender", "youth", "district", "institution", "course"])
def test_admin_dashboard_renders_each_breakdown(client, factories, login_as, cluster, by):
    html = (
        login_as(factories.user("admin"))
        .get(f"/admin/outcomes?as_of={AS_OF}&by={by}")
        .get_data(as_text=True)
    )
    table = html[html.index('id="table-outcomes"') :]
    rows = re.findall(r'<tr[^>]* data-key="([^"]+)"', table[: table.index("</table>")])
    expected = {
        "gender": ["female", "male"],
        "youth": ["False", "True"],
        "district": ["Khed", "Pune"],
        "institution": ["INS-A", "INS-B"],
        "course": ["CA1", "CB1"],
    }[by]
    assert rows == [*expected, "total"]


def test_outcome_table_marks_the_figures_a_phone_folds(client, factories, login_as, cluster):
    """Each group's headline figures stay in its card on a phone; the other ten wait behind its
    "All figures" button, whose words come translated with the table (phone.js makes it)."""
    html = (
        login_as(factories.user("admin"))
        .get(f"/admin/outcomes?as_of={AS_OF}&by=course", headers={"Accept-Language": "mr"})
        .get_data(as_text=True)
    )
    table = html[html.index('id="table-outcomes"') :]
    table = table[: table.index("</table>")]
    assert 'data-more-label="सर्व आकडे"' in table[: table.index(">")]
    row = table[table.index('data-key="CA1"') :]
    row = row[: row.index("</tr>")]
    folded = set(re.findall(r'class="text-end figure-more" data-field="(\w+)"', row))
    shown = set(re.findall(r'class="text-end" data-field="(\w+)"', row))
    assert shown == set(OUTCOME_HEADLINE)
    assert folded == {field for field, _, _ in OUTCOME_COLUMNS} - set(OUTCOME_HEADLINE)
    # Their headers fold with them on a wider screen (one button for the table's columns).
    header = table[: table.index("</thead>")]
    assert len(re.findall(r'<th class="text-end figure-more">', header)) == len(folded)
    # The other tables of the page are short and fold nothing.
    assert html.count("figure-more") == len(folded) * 4  # the header, two courses, the total


def test_dashboard_charts_use_local_plotly_and_no_inline_script(
    client, factories, login_as, cluster
):
    page = login_as(factories.user("admin")).get(f"/admin/outcomes?as_of={AS_OF}")
    html = page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    plotly_url = re.search(
        r'src="(/static/vendor/plotly-cartesian\.min\.js\?v=[0-9a-f]{12})"', html
    )
    assert plotly_url, "one versioned URL for the partial plotly bundle"
    assert re.search(r'src="/static/js/outcomes_dashboard\.js\?v=[0-9a-f]{12}"', html)
    assert "cdn" not in html.lower()
    data = re.search(
        r'<script type="application/json" id="outcomes-chart-data">(.*?)</script>', html, re.S
    )
    chart = json.loads(data.group(1))
    assert chart["funnel"]["values"] == [7, 6, 4, 3]
    months = chart["series"]["months"]
    assert len(months) == 18 and months[-1] == "Jun 2026"  # AS_OF's month
    asset = client.get(plotly_url.group(1))
    assert asset.status_code == 200 and "javascript" in asset.content_type
    body = asset.get_data()
    asset.close()  # send_file streams the package's file; close it
    assert "immutable" in asset.headers["Cache-Control"] and b"plotly" in body[:2000].lower()
    static = client.get("/static/js/outcomes_dashboard.js")
    static.close()
    assert static.status_code == 200


def chart_of(html: str) -> dict:
    data = re.search(
        r'<script type="application/json" id="outcomes-chart-data">(.*?)</script>', html, re.S
    )
    return json.loads(data.group(1))


@pytest.mark.parametrize(("language", "june"), [("mr", "जून 2026"), ("hi", "जून 2026")])
def test_chart_months_wages_and_counts_come_written_in_the_page_language(
    client, factories, login_as, cluster, language, june
):
    """Plotly would write English months and "₹15k": the page passes what the tables write."""
    client.set_cookie("lang", language)
    html = (
        login_as(factories.user("admin"))
        .get(f"/admin/outcomes?as_of={AS_OF}")
        .get_data(as_text=True)
    )
    chart = chart_of(html)
    series = chart["series"]
    assert series["months"][-1] == june
    assert len(set(series["months"])) == len(series["months"]) == 18
    assert series["wage_texts"][-1] == figure(html, "median_monthly_wage") == "₹13,000"
    assert series["median_monthly_wage"][0] is series["wage_texts"][0] is None  # nobody placed
    ticks = series["wage_ticks"]
    assert ticks["values"] == [0, 5000, 10000, 15000]
    assert ticks["texts"] == ["₹0", "₹5,000", "₹10,000", "₹15,000"]
    assert chart["funnel"]["texts"] == ["7", "6", "4", "3"]


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (13000, [0, 5000, 10000, 15000]),
        (15000, [0, 5000, 10000, 15000]),
        (150000, [0, 50000, 100000, 150000]),
        (9000, [0, 2500, 5000, 7500, 10000]),
        (0, [0]),
    ],
)
def test_wage_axis_ticks_are_round_and_reach_the_highest_wage(top, ticks):
    assert round_ticks(top) == ticks


def test_dashboard_view_is_audited_with_counts_only(
    client, factories, login_as, db_session, cluster
):
    admin = factories.user("admin")
    login_as(admin).get(f"/admin/outcomes?as_of={AS_OF}&by=district")
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "outcomes_viewed")
    ).one()
    assert event.actor_id == admin.id and event.object_id is None
    assert event.detail == {
        "as_of": AS_OF,
        "by": "district",
        "suppressed": False,
        "groups": 2,
        "workers": 8,
    }


@pytest.mark.parametrize("role", ["worker", "employer"])
def test_workers_and_employers_are_refused_dashboards_and_exports(
    client, factories, login_as, db_session, cluster, role
):
    browser = login_as(factories.user(role))
    for url in (
        "/admin/outcomes",
        "/admin/outcomes/export?format=csv",
        "/admin/outcomes/export?format=xlsx",
        "/institution/outcomes",
        "/institution/outcomes/export?format=csv",
    ):
        assert browser.get(url).status_code == 403, url
    actions = db_session.scalars(select(AuditEvent.action)).all()
    assert "outcomes_viewed" not in actions and "outcomes_exported" not in actions
    assert actions.count("access_denied") == 5


def test_institution_is_refused_the_admin_dashboard(client, factories, login_as, cluster):
    browser = login_as(factories.user("institution", organisation=cluster["institutions"][0]))
    assert browser.get("/admin/outcomes").status_code == 403
    assert browser.get("/admin/outcomes/export?format=csv").status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    for url in ("/admin/outcomes", "/institution/outcomes", "/worker/history"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_institution_sees_only_its_own_figures_exact(client, factories, login_as):
    made = two_institutions(factories)
    browser = login_as(made["X"])
    # Asking for the other institution changes nothing: an institution sees its own.
    page = browser.get(f"/institution/outcomes?as_of={AS_OF}&by=course&institution=INS-Y")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Institute X" in html and AS_OF in html
    assert figure(html, "enrolled") == "12"
    assert figure(html, "placement_rate") == "100.0%"
    assert figure(html, "median_monthly_wage") == "₹11,000"
    assert "Institute Y" not in html and "INS-Y" not in html and "C-Y" not in html
    assert "17,000" not in html and "DistrictY" not in html
    assert "Disclosure control" not in html and "own trainees" in html
    # No admin-only public/unsuppressed export links on an institution page.
    assert "/admin/outcomes" not in html


def test_institution_small_cells_are_exact_on_its_page_and_hidden_in_its_export(
    client, factories, login_as, cluster
):
    browser = login_as(factories.user("institution", organisation=cluster["institutions"][0]))
    html = browser.get(f"/institution/outcomes?as_of={AS_OF}&by=gender").get_data(as_text=True)
    # INS-A has 4 enrolled: its own trainees, shown exactly to it; nothing of INS-B leaks.
    assert figure(html, "enrolled") == "4"
    assert figure(html, "placement_rate") != "—"
    assert "fewer than 10" not in html
    assert "INS-B" not in html and "Institute B" not in html and "BB1" not in html
    # What it passes on is suppressed: the export hides the same small counts.
    export = browser.get(f"/institution/outcomes/export?format=csv&by=gender&as_of={AS_OF}")
    assert export.status_code == 200
    total = [line for line in export.get_data(as_text=True).splitlines() if "total" in line.lower()]
    assert total and ",4," not in total[0]


def test_admin_sees_an_institution_page_on_request(client, factories, login_as):
    made = two_institutions(factories)
    browser = login_as(factories.user("admin"))
    html = browser.get(f"/institution/outcomes?as_of={AS_OF}&institution=INS-Y").get_data(
        as_text=True
    )
    assert "Institute Y" in html and figure(html, "median_monthly_wage") == "₹17,000"
    assert "Institute X" not in html
    chooser = browser.get("/institution/outcomes?as_of=2026-01-31")
    assert chooser.status_code == 302
    assert chooser.headers["Location"] == "/admin/outcomes?by=institution&as_of=2026-01-31"
    assert "Choose an institution" in browser.get(chooser.headers["Location"]).get_data(
        as_text=True
    )
    assert browser.get("/institution/outcomes/export?format=csv").status_code == 422
    assert browser.get("/institution/outcomes?institution=NOPE").status_code == 404
    assert made["X"].organisation.external_id == "INS-X"


def test_bad_parameters_are_clear_errors(client, factories, login_as):
    """A bad value is said above the dashboard, which comes back without it (a 422 page left
    nothing to correct it with); an export still refuses with 422."""
    browser = login_as(factories.user("admin"))

    def said(url: str) -> tuple[str, str]:
        response = browser.get(url)
        assert response.status_code == 302
        return response.headers["Location"], browser.get(response.headers["Location"]).get_data(
            as_text=True
        )

    back, page = said("/admin/outcomes?as_of=30-06-2026&by=district")
    assert back.endswith("/admin/outcomes?by=district")
    assert "As of: Not a valid date" in page and 'id="table-outcomes"' in page
    back, page = said("/admin/outcomes?by=caste")
    assert "Break down by: Must be one of: Gender, Youth (15–29), District" in page
    # Figures for a day to come would be projections read as measured results.
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    back, page = said(f"/admin/outcomes?as_of={tomorrow}")
    assert "As of: Figures are measured up to today" in page
    page = browser.get("/admin/outcomes").get_data(as_text=True)
    assert f'max="{date.today().isoformat()}"' in page
    assert browser.get(f"/admin/outcomes/export?as_of={tomorrow}").status_code == 422
    assert browser.get("/admin/outcomes/export?format=pdf").status_code == 422


def test_worker_sees_only_their_own_history(client, factories, login_as, db_session, cluster):
    people = cluster["workers"]
    placement = db_session.scalars(
        select(Placement).where(Placement.worker_id == people["w7"].id)
    ).one()
    placement.retention_checks.append(
        RetentionCheck(months=3, employed=True, verified_on=date(2026, 1, 25))
    )
    db_session.commit()
    user = factories.user("worker", worker=people["w7"])
    page = login_as(user).get("/worker/history")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # w7: CNC operator at Institute A (certified 2025-10-01) and Welder at Institute B.
    assert "CNC operator" in html and "Welder" in html
    assert "certified on 1 Oct 2025" in html and "certified on 1 Mar 2026" in html
    assert "Employer X" in html and "₹14,000" in html and "from 20 Oct 2025" in html
    assert "3 months" in html and "25 Jan 2026" in html
    # Other workers' jobs (12,000, 15,000, 10,000, 9,000) are not on the page.
    for wage in ("12,000", "15,000", "10,000", "9,000"):
        assert wage not in html
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "worker_history_viewed")
    ).one()
    assert event.object_id == "OW7"
    assert event.detail == {"enrolments": 2, "placements": 1}


@pytest.mark.parametrize("role", ["employer", "institution", "admin"])
def test_only_workers_have_a_history_page(client, factories, login_as, role):
    assert login_as(factories.user(role)).get("/worker/history").status_code == 403


def test_the_administrator_sees_the_dashboard_as_it_would_be_published(client, factories, login_as):
    """A screenshot of the exact dashboard for the collector would show a row of 2 people."""
    browser = login_as(factories.user("admin"))
    exact = browser.get("/admin/outcomes?by=gender").get_data(as_text=True)
    assert "Show as published (small counts hidden)" in exact
    public = browser.get("/admin/outcomes?by=gender&public=1").get_data(as_text=True)
    assert "Disclosure control." in public and "Exact figures" in public
    assert 'name="public" value="1"' in public  # kept when the date or breakdown changes


def test_the_month_end_series_starts_with_the_first_month_anyone_enrolled(
    client, factories, login_as
):
    """A walk scrolled past five month ends of "0 / n/a" before the first enrolment."""
    course = factories.course()
    factories.enrolment(factories.consenting_worker(), course, enrolled_on=date(2026, 4, 20))
    html = (
        login_as(factories.user("admin"))
        .get("/admin/outcomes?as_of=2026-06-30")
        .get_data(as_text=True)
    )
    assert chart_of(html)["series"]["months"] == ["Apr 2026", "May 2026", "Jun 2026"]
