"""Issue 17 on the outcome pages, exports and API: retention reported and verified side by side
with the difference explained, and institutions, courses and batches named, not only coded.

The cluster is tests.factories.outcome_cluster (hand-counted in test_outcome_reports): as of
2026-06-30 four placed workers are in the 3-month retention cohort and three are reported
retained (their placements did not end before 90 days).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.placements.models import Placement, RetentionCheck
from app.placements.services import RETENTION_MONTHS
from tests.helpers import bearer
from tests.integration.test_outcome_dashboards import figure

AS_OF = "2026-06-30"


@pytest.fixture
def checked(factories, db_session):
    """The cluster with two 3-month checks: w1's with a salary slip (verified), w7's without
    evidence (not verified)."""
    cluster = factories.outcome_cluster()

    def placement_of(name: str) -> Placement:
        worker_id = cluster["workers"][name].id
        return db_session.scalars(select(Placement).where(Placement.worker_id == worker_id)).one()

    first, seventh = placement_of("w1"), placement_of("w7")
    db_session.add_all(
        [
            RetentionCheck(
                placement_id=first.id,
                months=3,
                employed=True,
                salary_slip=True,
                verified_on=date(2026, 2, 5),
            ),
            RetentionCheck(
                placement_id=seventh.id, months=3, employed=True, verified_on=date(2026, 1, 25)
            ),
        ]
    )
    db_session.commit()
    return cluster


def test_admin_page_shows_reported_and_verified_retention_and_explains_them(
    client, factories, login_as, checked
):
    html = (
        login_as(factories.user("admin"))
        .get(f"/admin/outcomes?as_of={AS_OF}&by=institution")
        .get_data(as_text=True)
    )
    assert figure(html, "retention_rate_3m") == "75.0%"  # reported: 3 of 4, as before
    assert figure(html, "verified_retention_rate_3m") == "25.0%"  # verified: w1 only
    assert "verified 25.0% (1 of 4 checked with evidence)" in re.sub(r"<[^>]+>", "", html)
    note = html[html.index('id="retention-note"') :]
    assert "Two retention figures." in note and "nobody has to have checked" in note
    table = html[html.index('id="table-outcomes"') : html.index("</table>")]
    assert "Verified retention 3m" in table
    # w1 was first certified at INS-A: its verified retention is INS-A's.
    row_a = table[table.index('data-key="INS-A"') :]
    cell = re.search(r'data-field="verified_retained_3m">(.*?)</td>', row_a, re.S)
    assert cell and cell.group(1).strip() == "1"


def test_institution_page_explains_the_two_figures_in_its_language(
    client, factories, login_as, checked
):
    user = factories.user("institution", organisation=checked["institutions"][0])
    browser = login_as(user)
    html = browser.get(f"/institution/outcomes?as_of={AS_OF}").get_data(as_text=True)
    assert 'id="retention-note"' in html and "Verified:" in html
    note = html[html.index('id="retention-note"') :]
    assert 'href="/institution/placements"' in note[: note.index("</div>")]
    # Its own trainees: exact, the verified figure included (hidden only in what it exports).
    assert figure(html, "verified_retention_rate_3m") not in {"—", ""}
    client.set_cookie("lang", "hi")
    hindi = browser.get(f"/institution/outcomes?as_of={AS_OF}").get_data(as_text=True)
    assert "नौकरी टिकने के दो आँकड़े।" in hindi


def test_exports_add_verified_columns_after_the_existing_ones(client, factories, login_as, checked):
    browser = login_as(factories.user("admin"))
    response = browser.get(f"/admin/outcomes/export?format=csv&as_of={AS_OF}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, total = rows[0], dict(zip(rows[0], rows[-1], strict=True))
    verified = [name for name in header if name.startswith("verified_")]
    assert verified == [
        "verified_retained_3m",
        "verified_retention_rate_3m",
        "verified_retained_6m",
        "verified_retention_rate_6m",
        "verified_retained_12m",
        "verified_retention_rate_12m",
    ]
    # Every earlier column keeps its place; the new ones come last, before "suppressed".
    assert header[-1] == "suppressed" and header[-7:-1] == verified
    assert header.index("women_men_wage_gap") == len(header) - 8
    assert (total["key"], total["retained_3m"], total["retention_rate_3m"]) == (
        "total",
        "3",
        "0.75",
    )
    assert (total["verified_retained_3m"], total["verified_retention_rate_3m"]) == ("1", "0.25")
    workbook = browser.get(f"/admin/outcomes/export?format=xlsx&as_of={AS_OF}")
    about = load_workbook(io.BytesIO(workbook.data))["About"]
    notes = {line[0].value: line[1].value for line in about.iter_rows() if len(line) > 1}
    assert "verified_retained" in notes["retention"] and "evidence" in notes["retention"]


def test_the_api_says_which_retention_checks_count_as_verified(client, factories, db_session):
    institution = factories.user("institution")
    worker = factories.consenting_worker()
    factories.enrolment(worker, factories.course(institution.organisation))
    placement = factories.placement(worker, factories.employer(), placed_on=date(2025, 1, 10))
    headers = bearer(institution)
    url = f"/api/v1/placements/{placement.external_id}/retention-checks"
    answers = {}
    for months, body in zip(
        RETENTION_MONTHS,
        (
            {"employed": True, "bank_credit": True, "verified_on": "2025-04-15"},
            {"employed": True, "bank_credit": True},  # no date: not on the time line
            {"employed": True, "verified_on": "2026-01-20"},  # no evidence
        ),
        strict=True,
    ):
        response = client.post(url, json={"months": months, **body}, headers=headers)
        assert response.status_code == 201, response.json
        answers[months] = response.json["verified"]
    assert answers == {3: True, 6: False, 12: False}
    shown = client.get(f"/api/v1/placements/{placement.external_id}", headers=headers).json
    assert [(c["months"], c["verified"]) for c in shown["retention_checks"]] == [
        (3, True),
        (6, False),
        (12, False),
    ]
    spec = client.get("/api/v1/openapi.json").json
    check_out = json.dumps(spec["components"]["schemas"])
    assert "Counts in verified retention" in check_out


def test_quota_alerts_and_charts_name_institutions_courses_and_batches(client, factories, login_as):
    school = factories.institution(external_id="INS-Q", name="Quality Institute")
    course = factories.course(school, external_id="C-Q", title="Spray painter", duration_months=3)
    batch = factories.batch(course, external_id="BQ1", start_date=date(2025, 7, 1))
    for number in range(11):
        person = factories.worker(gender="female" if number == 0 else "male")
        factories.enrolment(person, course, enrolled_on=date(2025, 7, 1), batch=batch)
    html = (
        login_as(factories.user("admin"))
        .get(f"/admin/outcomes?as_of={AS_OF}&by=institution")
        .get_data(as_text=True)
    )
    alerts = html[html.index('id="quota-alerts"') :]
    alerts = alerts[: alerts.index("</table>")]
    assert "Quality Institute (INS-Q)" in alerts and "Spray painter (C-Q)" in alerts
    assert "from 1 Jul 2025" in alerts and "BQ1" in alerts
    chart = json.loads(re.search(r'id="outcomes-chart-data">(.*?)</script>', html, re.S).group(1))
    assert chart["breakdown"]["keys"] == ["Quality Institute (INS-Q)"]
