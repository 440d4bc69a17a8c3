"""`flask import KIND FILE`: every row through the domain schemas and services, all or nothing,
a report naming each bad row and column, idempotent re-imports, dry runs that write nothing."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.employers.models import JobPosting
from app.imports.services import import_bytes
from app.institutions.models import Course, Enrolment, EnrolmentStatus
from app.organisations.models import Organisation, OrganisationKind
from app.placements.models import EmploymentType, Placement
from app.skills.services import add_aliases
from app.workers.models import Worker
from tests.helpers import count

WORKER_HEADER = [
    "worker_id",
    "name",
    "gender",
    "date_of_birth",
    "district",
    "state",
    "skills",
    "education",
    "languages",
    "phone",
    "visible_to_employers",
    "profile_text",
]
COURSE_HEADER = [
    "course_id",
    "institution_id",
    "institution_name",
    "title",
    "hours",
    "fee_inr",
    "skills",
    "mode",
    "nsqf_level",
]
POSTING_HEADER = [
    "posting_id",
    "employer_id",
    "employer_name",
    "title",
    "district",
    "openings",
    "essential_skills",
    "optional_skills",
    "wage_min_inr",
    "wage_max_inr",
]
ENROLMENT_HEADER = [
    "enrolment_id",
    "worker_id",
    "course_id",
    "enrolled_on",
    "status",
    "completed_on",
    "certified",
    "certified_on",
]
PLACEMENT_HEADER = [
    "placement_id",
    "worker_id",
    "employer_id",
    "employer_name",
    "placed_on",
    "monthly_wage_inr",
    "employment_type",
    "ended_on",
]


def write_csv(directory: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = directory / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(app, kind: str, path: Path, *options: str):
    """The CLI's exit code and its JSON report."""
    result = app.test_cli_runner().invoke(
        args=["import", kind, str(path), "--format", "json", *options]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output)


def errors_of(report: dict) -> set[tuple[int, str]]:
    return {(error["line"], error["column"]) for error in report["errors"]}


@pytest.fixture
def skills(factories):
    """A few taxonomy skills: welding with the alias TIG, lathe, drawings and a local VMC skill."""
    welding = factories.skill("gas tungsten arc welding")
    lathe = factories.skill("operate CNC lathe")
    drawing = factories.skill("read engineering drawings")
    vmc = factories.skill("vertical machining centre operation", uri="urn:kaushalsetu:skill:vmc")
    add_aliases([(welding.uri, "TIG"), (vmc.uri, "VMC")])
    return {"welding": welding, "lathe": lathe, "drawing": drawing, "vmc": vmc}


def worker_row(worker_id: str = "W1", **cells: str) -> list[str]:
    values = {
        "worker_id": worker_id,
        "name": "Sunita Pawar",
        "gender": "female",
        "date_of_birth": "1998-04-12",
        "district": "Pune",
        "state": "Maharashtra",
        "skills": "",
        "education": "iti",
        "languages": "Marathi;Hindi",
        "phone": "+91 9876543210",
        "visible_to_employers": "yes",
        "profile_text": "3 years TIG welding",
        **cells,
    }
    return [values[column] for column in WORKER_HEADER]


# Workers ---------------------------------------------------------------------------------------


def test_workers_import_links_skills_by_uri_label_and_alias(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path,
        "workers.csv",
        WORKER_HEADER,
        [
            worker_row("W1", skills=f"{skills['lathe'].uri}|3;TIG|4;read engineering drawings"),
            worker_row("W2", name="Arjun Kale", gender="male", skills="vmc", languages=""),
        ],
    )
    code, report = run_import(app, "workers", path)
    assert code == 0, report
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    first = db_session.scalar(select(Worker).where(Worker.external_id == "W1"))
    held = {row.skill.uri: row.proficiency for row in first.skills}
    assert held == {skills["lathe"].uri: 3, skills["welding"].uri: 4, skills["drawing"].uri: 2}
    assert first.languages == ["Marathi", "Hindi"] and first.visible_to_employers is True
    assert first.phone == "+919876543210" and first.date_of_birth == date(1998, 4, 12)
    second = db_session.scalar(select(Worker).where(Worker.external_id == "W2"))
    assert [row.skill.uri for row in second.skills] == [skills["vmc"].uri]  # alias, any case


def test_bad_row_in_the_middle_writes_nothing_and_is_named(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path,
        "workers.csv",
        WORKER_HEADER,
        [worker_row("W1"), worker_row("W2", gender="woman"), worker_row("W3")],
    )
    code, report = run_import(app, "workers", path)
    assert code == 1
    assert report["ok"] is False and report["written"] is False
    assert errors_of(report) == {(3, "gender")}
    assert "female, male, transgender" in report["errors"][0]["message"]
    assert count(db_session, Worker) == 0


def test_every_bad_row_is_reported_with_its_field(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path,
        "workers.csv",
        WORKER_HEADER,
        [
            worker_row("W1", date_of_birth="12/04/1998"),
            worker_row("W2", skills="TIG|7"),
            worker_row("W3", skills="http://data.europa.eu/esco/skill/no-such-skill"),
            worker_row("W4", name="", visible_to_employers="maybe"),
            worker_row("W5", phone="12345"),
            worker_row("W6"),
        ],
    )
    code, report = run_import(app, "workers", path)
    assert code == 1
    assert errors_of(report) == {
        (2, "date_of_birth"),
        (3, "skills"),
        (4, "skills"),
        (5, "name"),
        (5, "visible_to_employers"),
        (6, "phone"),
    }
    assert report["rows"] == 6 and count(db_session, Worker) == 0


def test_reimport_changes_nothing_and_counts_unchanged(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path,
        "workers.csv",
        WORKER_HEADER,
        [worker_row("W1", skills="TIG|3"), worker_row("W2", skills="VMC")],
    )
    assert run_import(app, "workers", path)[0] == 0
    stamp = db_session.scalar(select(Worker.updated_at).where(Worker.external_id == "W1"))
    code, again = run_import(app, "workers", path)
    assert code == 0
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert count(db_session, Worker) == 2
    assert db_session.scalar(select(Worker.updated_at).where(Worker.external_id == "W1")) == stamp


def test_changed_row_is_an_update(app, db_session, tmp_path, skills):
    first = write_csv(tmp_path, "a.csv", WORKER_HEADER, [worker_row("W1"), worker_row("W2")])
    run_import(app, "workers", first)
    changed = write_csv(
        tmp_path, "b.csv", WORKER_HEADER, [worker_row("W1", district="Nashik"), worker_row("W2")]
    )
    code, report = run_import(app, "workers", changed)
    assert code == 0 and (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    assert db_session.scalar(select(Worker.district).where(Worker.external_id == "W1")) == "Nashik"


def test_missing_optional_column_keeps_the_stored_value(app, db_session, tmp_path, skills):
    run_import(app, "workers", write_csv(tmp_path, "a.csv", WORKER_HEADER, [worker_row("W1")]))
    header = [column for column in WORKER_HEADER if column != "education"]
    row = [v for c, v in zip(WORKER_HEADER, worker_row("W1"), strict=True) if c != "education"]
    code, report = run_import(app, "workers", write_csv(tmp_path, "b.csv", header, [row]))
    assert code == 0 and report["unchanged"] == 1
    worker = db_session.scalar(select(Worker).where(Worker.external_id == "W1"))
    assert worker.education.value == "iti"


def test_dry_run_reports_but_writes_nothing(app, db_session, tmp_path, skills):
    path = write_csv(tmp_path, "workers.csv", WORKER_HEADER, [worker_row("W1"), worker_row("W2")])
    code, report = run_import(app, "workers", path, "--dry-run")
    assert code == 0 and report["dry_run"] is True and report["written"] is False
    assert report["created"] == 2
    assert count(db_session, Worker) == 0


def test_dry_run_with_errors_exits_non_zero(app, db_session, tmp_path, skills):
    path = write_csv(tmp_path, "workers.csv", WORKER_HEADER, [worker_row("W1", gender="")])
    code, report = run_import(app, "workers", path, "--dry-run")
    assert code == 1 and errors_of(report) == {(2, "gender")}


def test_text_report_names_line_and_column(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path, "workers.csv", WORKER_HEADER, [worker_row("W1"), worker_row("W2", state="")]
    )
    result = app.test_cli_runner().invoke(args=["import", "workers", str(path)])
    assert result.exit_code == 1
    assert "line 3, state: Missing data for required field." in result.output
    assert "nothing was written" in result.output


def test_duplicate_id_in_one_file_is_an_error(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path, "workers.csv", WORKER_HEADER, [worker_row("W1"), worker_row("W1", name="Other")]
    )
    code, report = run_import(app, "workers", path)
    assert code == 1 and errors_of(report) == {(3, "worker_id")}
    assert "also on line 2" in report["errors"][0]["message"]


def test_header_problems(app, db_session, tmp_path, skills):
    header = [column for column in WORKER_HEADER if column != "state"] + ["shoe_size"]
    row = [v for c, v in zip(WORKER_HEADER, worker_row("W1"), strict=True) if c != "state"]
    code, report = run_import(app, "workers", write_csv(tmp_path, "w.csv", header, [[*row, "9"]]))
    assert code == 1 and errors_of(report) == {(1, "state")}
    assert report["warnings"][0]["column"] == "shoe_size"
    assert count(db_session, Worker) == 0


def test_unknown_column_is_only_a_warning(app, db_session, tmp_path, skills):
    path = write_csv(tmp_path, "w.csv", [*WORKER_HEADER, "notes"], [[*worker_row("W1"), "x"]])
    code, report = run_import(app, "workers", path)
    assert code == 0 and report["created"] == 1
    assert [(w["line"], w["column"]) for w in report["warnings"]] == [(1, "notes")]


def test_bom_is_accepted_and_other_encodings_are_refused(app, db_session, skills):
    rows = [WORKER_HEADER, worker_row("W1", name="Śrīdevī Kāmble")]
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    report = import_bytes("workers", b"\xef\xbb\xbf" + text.encode(), source="bom.csv")
    assert report.ok and report.created == 1
    report = import_bytes("workers", text.encode("utf-16"), source="utf16.csv")
    assert not report.ok and report.errors[0].column == "file"
    assert "UTF-8" in report.errors[0].message


def test_formula_like_cells_are_stored_as_text(app, db_session, tmp_path, skills):
    path = write_csv(
        tmp_path, "w.csv", WORKER_HEADER, [worker_row("W1", profile_text="=HYPERLINK(1)")]
    )
    assert run_import(app, "workers", path)[0] == 0
    worker = db_session.scalar(select(Worker).where(Worker.external_id == "W1"))
    assert worker.profile_text == "=HYPERLINK(1)"


# Courses ---------------------------------------------------------------------------------------


def course_row(course_id: str = "C1", **cells: str) -> list[str]:
    values = {
        "course_id": course_id,
        "institution_id": "INS1",
        "institution_name": "Chakan ITI",
        "title": "Welder (TIG)",
        "hours": "240",
        "fee_inr": "0",
        "skills": "TIG;read engineering drawings",
        "mode": "classroom",
        "nsqf_level": "4",
        **cells,
    }
    return [values[column] for column in COURSE_HEADER]


def test_courses_import_creates_the_institution_from_its_name(app, db_session, tmp_path, skills):
    path = write_csv(tmp_path, "c.csv", COURSE_HEADER, [course_row("C1"), course_row("C2")])
    code, report = run_import(app, "courses", path)
    assert code == 0 and report["created"] == 2
    assert report["organisations_created"] == ["INS1"]
    institution = db_session.scalar(select(Organisation).where(Organisation.external_id == "INS1"))
    assert institution.kind is OrganisationKind.institution and institution.name == "Chakan ITI"
    course = db_session.scalar(select(Course).where(Course.external_id == "C1"))
    assert {skill.uri for skill in course.skills} == {skills["welding"].uri, skills["drawing"].uri}
    again = run_import(app, "courses", path)[1]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_known_institution_is_not_renamed(app, db_session, tmp_path, skills, factories):
    factories.institution(external_id="INS1", name="Government ITI Chakan")
    path = write_csv(tmp_path, "c.csv", COURSE_HEADER, [course_row("C1"), course_row("C2")])
    code, report = run_import(app, "courses", path)
    assert code == 0 and report["organisations_created"] == []
    assert [(w["line"], w["column"]) for w in report["warnings"]] == [(2, "institution_name")]
    name = db_session.scalar(select(Organisation.name).where(Organisation.external_id == "INS1"))
    assert name == "Government ITI Chakan"


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"hours": "12.5"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"fee_inr": "free"}, "fee_inr"),
        ({"mode": "correspondence"}, "mode"),
        ({"nsqf_level": "11"}, "nsqf_level"),
        ({"skills": ""}, "skills"),
        ({"title": ""}, "title"),
    ],
)
def test_course_cell_errors(app, db_session, tmp_path, skills, cells, column):
    path = write_csv(
        tmp_path, "c.csv", COURSE_HEADER, [course_row("C1"), course_row("C2", **cells)]
    )
    code, report = run_import(app, "courses", path)
    assert code == 1 and errors_of(report) == {(3, column)}
    assert count(db_session, Course) == 0 and count(db_session, Organisation) == 0


def test_institution_id_of_an_employer_is_an_error(app, db_session, tmp_path, skills, factories):
    factories.employer(external_id="EMP1")
    path = write_csv(tmp_path, "c.csv", COURSE_HEADER, [course_row("C1", institution_id="EMP1")])
    code, report = run_import(app, "courses", path)
    assert code == 1 and errors_of(report) == {(2, "institution_id")}


# Postings --------------------------------------------------------------------------------------


def posting_row(posting_id: str = "P1", **cells: str) -> list[str]:
    values = {
        "posting_id": posting_id,
        "employer_id": "EMP1",
        "employer_name": "Chakan Forgings",
        "title": "TIG Welder",
        "district": "Pune",
        "openings": "3",
        "essential_skills": "TIG|3;read engineering drawings",
        "optional_skills": "VMC",
        "wage_min_inr": "16000",
        "wage_max_inr": "22000",
        **cells,
    }
    return [values[column] for column in POSTING_HEADER]


def test_postings_import_with_levels_and_optional_skills(app, db_session, tmp_path, skills):
    path = write_csv(tmp_path, "p.csv", POSTING_HEADER, [posting_row("P1"), posting_row("P2")])
    code, report = run_import(app, "postings", path)
    assert code == 0 and report["created"] == 2 and report["organisations_created"] == ["EMP1"]
    posting = db_session.scalar(select(JobPosting).where(JobPosting.external_id == "P1"))
    assert {(s.skill.uri, s.essential, s.min_proficiency) for s in posting.skills} == {
        (skills["welding"].uri, True, 3),
        (skills["drawing"].uri, True, 1),
        (skills["vmc"].uri, False, 1),
    }
    assert posting.employer.kind is OrganisationKind.employer
    again = run_import(app, "postings", path)[1]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"openings": "0"}, "openings"),
        ({"openings": "three"}, "openings"),
        ({"wage_min_inr": "30000"}, "wage_max_inr"),
        ({"essential_skills": ""}, "essential_skills"),
        ({"essential_skills": "TIG|0"}, "essential_skills"),
        ({"optional_skills": "urn:kaushalsetu:skill:nope"}, "optional_skills"),
    ],
)
def test_posting_cell_errors(app, db_session, tmp_path, skills, cells, column):
    path = write_csv(
        tmp_path, "p.csv", POSTING_HEADER, [posting_row("P1", **cells), posting_row("P2")]
    )
    code, report = run_import(app, "postings", path)
    assert code == 1 and errors_of(report) == {(2, column)}
    assert count(db_session, JobPosting) == 0


# Enrolments ------------------------------------------------------------------------------------


@pytest.fixture
def training(factories, skills):
    course = factories.course(external_id="C1", skills=[skills["welding"]])
    worker = factories.consenting_worker(external_id="W1")
    return {"course": course, "worker": worker}


def enrolment_row(enrolment_id: str = "E1", **cells: str) -> list[str]:
    values = {
        "enrolment_id": enrolment_id,
        "worker_id": "W1",
        "course_id": "C1",
        "enrolled_on": "2026-01-05",
        "status": "completed",
        "completed_on": "2026-03-31",
        "certified": "yes",
        "certified_on": "2026-04-10",
        **cells,
    }
    return [values[column] for column in ENROLMENT_HEADER]


def test_enrolments_import(app, db_session, tmp_path, training):
    path = write_csv(
        tmp_path,
        "e.csv",
        ENROLMENT_HEADER,
        [
            enrolment_row("E1"),
            enrolment_row(
                "E2", status="enrolled", completed_on="", certified="no", certified_on=""
            ),
        ],
    )
    code, report = run_import(app, "enrolments", path)
    assert code == 0 and report["created"] == 2
    first = db_session.scalar(select(Enrolment).where(Enrolment.external_id == "E1"))
    assert first.status is EnrolmentStatus.completed and first.certified_on == date(2026, 4, 10)
    assert first.worker_id == training["worker"].id and first.course_id == training["course"].id
    again = run_import(app, "enrolments", path)[1]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"worker_id": "W404"}, "worker_id"),
        ({"course_id": "C404"}, "course_id"),
        ({"status": "finished"}, "status"),
        ({"enrolled_on": "2026-02-30"}, "enrolled_on"),
        ({"completed_on": "2025-12-31"}, "completed_on"),
        ({"certified": "true"}, "certified"),
        ({"status": "dropped", "completed_on": "", "certified_on": ""}, "certified"),
        ({"certified_on": "2099-01-01"}, "certified_on"),  # an event cannot be in the future
        ({"certified_on": ""}, "certified_on"),  # an undated certificate counts nowhere
    ],
)
def test_enrolment_errors(app, db_session, tmp_path, training, cells, column):
    path = write_csv(
        tmp_path, "e.csv", ENROLMENT_HEADER, [enrolment_row("E1"), enrolment_row("E2", **cells)]
    )
    code, report = run_import(app, "enrolments", path)
    assert code == 1 and errors_of(report) == {(3, column)}, report["errors"]
    assert count(db_session, Enrolment) == 0


# Placements ------------------------------------------------------------------------------------


def placement_row(placement_id: str = "PL1", **cells: str) -> list[str]:
    values = {
        "placement_id": placement_id,
        "worker_id": "W1",
        "employer_id": "EMP1",
        "employer_name": "Chakan Forgings",
        "placed_on": "2026-05-01",
        "monthly_wage_inr": "15500",
        "employment_type": "wage",
        "ended_on": "",
        **cells,
    }
    return [values[column] for column in PLACEMENT_HEADER]


def test_placements_import_wage_and_self_employment(app, db_session, tmp_path, factories):
    factories.consenting_worker(external_id="W1")
    factories.consenting_worker(external_id="W2")
    path = write_csv(
        tmp_path,
        "pl.csv",
        PLACEMENT_HEADER,
        [
            placement_row("PL1"),
            placement_row(
                "PL2",
                worker_id="W2",
                employer_id="",
                employer_name="Self-employed (welding job work)",
                employment_type="self",
                ended_on="2026-09-30",
            ),
        ],
    )
    code, report = run_import(app, "placements", path)
    assert code == 0 and report["created"] == 2 and report["organisations_created"] == ["EMP1"]
    wage = db_session.scalar(select(Placement).where(Placement.external_id == "PL1"))
    assert wage.employer.external_id == "EMP1" and wage.ended_on is None
    own = db_session.scalar(select(Placement).where(Placement.external_id == "PL2"))
    assert own.employment_type is EmploymentType.self_employment and own.employer is None
    again = run_import(app, "placements", path)[1]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"worker_id": "W404"}, "worker_id"),
        ({"employer_id": ""}, "employer_id"),  # a wage job needs the employer
        ({"employment_type": "contract"}, "employment_type"),
        ({"monthly_wage_inr": "-5"}, "monthly_wage_inr"),
        ({"monthly_wage_inr": "15k"}, "monthly_wage_inr"),
        ({"ended_on": "2026-04-01"}, "ended_on"),
        ({"placed_on": ""}, "placed_on"),
    ],
)
def test_placement_errors(app, db_session, tmp_path, factories, cells, column):
    factories.consenting_worker(external_id="W1")
    path = write_csv(
        tmp_path, "pl.csv", PLACEMENT_HEADER, [placement_row("PL1"), placement_row("PL2", **cells)]
    )
    code, report = run_import(app, "placements", path)
    assert code == 1 and errors_of(report) == {(3, column)}, report["errors"]
    assert count(db_session, Placement) == 0
    assert count(db_session, Organisation) == 0  # EMP1 of the good row is rolled back too


def test_unknown_posting_is_an_error(app, db_session, tmp_path, factories):
    factories.consenting_worker(external_id="W1")
    path = write_csv(
        tmp_path,
        "pl.csv",
        [*PLACEMENT_HEADER, "posting_id"],
        [[*placement_row("PL1"), "P404"]],
    )
    code, report = run_import(app, "placements", path)
    assert code == 1 and errors_of(report) == {(2, "posting_id")}
    assert "P404" in report["errors"][0]["message"]
