"""The CSV upload pages: who may import what, ownership of every row, file checks, and a refusal
or a bad file that leaves the database as it was."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.employers.models import JobPosting
from app.institutions.models import Course, Enrolment
from app.placements.models import Placement
from app.workers.models import Worker
from tests.helpers import count

ENROLMENTS = (
    "enrolment_id,worker_id,course_id,enrolled_on,status,completed_on,certified,certified_on\n"
    "{rows}"
)


def upload(browser, url: str, kind: str, text: str | bytes, name: str = "data.csv", dry=False):
    data = text.encode() if isinstance(text, str) else text
    form = {"kind": kind, "file": (io.BytesIO(data), name)}
    if dry:
        form["dry_run"] = "y"
    return browser.post(url, data=form, content_type="multipart/form-data")


def enrolment_lines(*rows: tuple[str, str, str]) -> str:
    lines = [f"{e},{w},{c},2026-01-05,enrolled,,no,\n" for e, w, c in rows]
    return ENROLMENTS.format(rows="".join(lines))


@pytest.fixture
def two_institutions(factories):
    ours = factories.user("institution")
    theirs = factories.institution(external_id="INS-THEIRS")
    welding = factories.skill("gas tungsten arc welding")
    own_course = factories.course(ours.organisation, skills=[welding], external_id="C-OURS")
    other_course = factories.course(theirs, skills=[welding], external_id="C-THEIRS")
    factories.consenting_worker(external_id="W1")
    return {"user": ours, "own": own_course, "other": other_course, "skill": welding}


def test_admin_page_lists_every_kind_and_its_columns(client, factories, login_as):
    page = login_as(factories.user("admin")).get("/admin/imports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for kind in ("workers", "courses", "postings", "enrolments", "placements"):
        assert f'value="{kind}"' in html
    assert "<strong>date_of_birth</strong>" in html and 'type="file"' in html


def test_admin_imports_workers_then_dry_run_reports(client, factories, login_as, db_session):
    browser = login_as(factories.user("admin"))
    text = (
        "worker_id,name,gender,date_of_birth,district,state\n"
        "W10,Meena Jadhav,female,1999-03-02,Pune,Maharashtra\n"
        "W11,Rahul More,male,1995-07-19,Pune,Maharashtra\n"
    )
    checked = upload(browser, "/admin/imports", "workers", text, dry=True)
    assert checked.status_code == 200 and "Nothing was written (dry run)" in checked.text
    assert count(db_session, Worker) == 0
    done = upload(browser, "/admin/imports", "workers", text)
    assert done.status_code == 200 and "Imported." in done.text
    assert count(db_session, Worker) == 2
    # The page comes back at its report (below the form on a phone).
    assert 'action="/admin/imports#report-title"' in done.text
    # The rows created and updated, not the "Created" (a time) of other tables.
    browser.get("/language/mr")
    again = upload(browser, "/admin/imports", "workers", text.replace("Rahul More", "Rahul Patil"))
    report = again.text[again.text.index('id="report-title"') :]
    assert "तयार केल्याची वेळ" not in report and "शेवटचा बदल" not in report
    assert "बदलले" in report
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
    assert event.detail["created"] == 2


def test_bad_row_is_shown_and_nothing_written(client, factories, login_as, db_session):
    browser = login_as(factories.user("admin"))
    text = (
        "worker_id,name,gender,date_of_birth,district,state\n"
        "W10,Meena Jadhav,female,1999-03-02,Pune,Maharashtra\n"
        "W11,Rahul More,male,19-07-1995,Pune,Maharashtra\n"
    )
    response = upload(browser, "/admin/imports", "workers", text)
    assert response.status_code == 422
    assert '<tr class="import-error"><td>3</td><td><code>date_of_birth</code></td>' in response.text
    assert count(db_session, Worker) == 0


def test_institution_imports_its_own_enrolments(
    client, factories, login_as, db_session, two_institutions
):
    browser = login_as(two_institutions["user"])
    response = upload(
        browser, "/institution/imports", "enrolments", enrolment_lines(("E1", "W1", "C-OURS"))
    )
    assert response.status_code == 200, response.text
    assert count(db_session, Enrolment) == 1


def test_institution_importing_another_institutions_enrolments_is_refused(
    client, factories, login_as, db_session, two_institutions
):
    browser = login_as(two_institutions["user"])
    text = enrolment_lines(("E1", "W1", "C-OURS"), ("E2", "W1", "C-THEIRS"))
    response = upload(browser, "/institution/imports", "enrolments", text)
    assert response.status_code == 403
    assert (
        "<td>3</td><td><code>course_id</code></td><td>Course C-THEIRS is another" in response.text
    )
    assert count(db_session, Enrolment) == 0
    refusal = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "access_denied", AuditEvent.object_type == "import"
        )
    )
    assert refusal.detail == {"reason": "ownership", "lines": [3]}


def test_institution_cannot_take_over_another_institutions_enrolment(
    client, factories, login_as, db_session, two_institutions
):
    worker = db_session.scalar(select(Worker).where(Worker.external_id == "W1"))
    factories.enrolment(worker, two_institutions["other"], external_id="E-THEIRS")
    browser = login_as(two_institutions["user"])
    text = enrolment_lines(("E-THEIRS", "W1", "C-OURS"))
    assert upload(browser, "/institution/imports", "enrolments", text).status_code == 403
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.external_id == "E-THEIRS"))
    db_session.refresh(enrolment)
    assert enrolment.course_id == two_institutions["other"].id


def test_institution_courses_must_name_its_own_institution(
    client, factories, login_as, db_session, two_institutions
):
    browser = login_as(two_institutions["user"])
    own_id = two_institutions["user"].organisation.external_id
    text = (
        "course_id,institution_id,institution_name,title,hours,fee_inr,skills\n"
        f"C-NEW,{own_id},Ours,Welder,240,0,gas tungsten arc welding\n"
        "C-NEW2,INS-THEIRS,Theirs,Welder,240,0,gas tungsten arc welding\n"
    )
    response = upload(browser, "/institution/imports", "courses", text)
    assert response.status_code == 403 and "<code>institution_id</code>" in response.text
    assert count(db_session, Course) == 2  # the two from the fixture only


def test_institution_may_not_import_workers_or_postings(
    client, factories, login_as, db_session, two_institutions
):
    browser = login_as(two_institutions["user"])
    text = "worker_id,name,gender,date_of_birth,district,state\nW9,A B,male,1990-01-01,Pune,MH\n"
    assert upload(browser, "/institution/imports", "workers", text).status_code == 403
    assert upload(browser, "/institution/imports", "postings", "posting_id\n").status_code == 403
    assert count(db_session, Worker) == 1


def test_employer_imports_own_postings_only(client, factories, login_as, db_session):
    employer = factories.user("employer")
    factories.skill("gas tungsten arc welding")
    own = employer.organisation.external_id
    header = "posting_id,employer_id,employer_name,title,district,openings,essential_skills,optional_skills\n"
    browser = login_as(employer)
    ok = upload(
        browser,
        "/employer/imports",
        "postings",
        header + f"P1,{own},Us,TIG Welder,Pune,2,gas tungsten arc welding,\n",
    )
    assert ok.status_code == 200 and count(db_session, JobPosting) == 1
    refused = upload(
        browser,
        "/employer/imports",
        "postings",
        header + "P2,EMP-OTHER,Them,Fitter,Pune,2,gas tungsten arc welding,\n",
    )
    assert refused.status_code == 403 and count(db_session, JobPosting) == 1


def test_workers_and_anonymous_users_cannot_import(client, factories, login_as, app):
    anonymous = app.test_client().get("/admin/imports")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    browser = login_as(factories.user("worker"))
    for url in ("/admin/imports", "/institution/imports", "/employer/imports"):
        assert browser.get(url).status_code == 403, url


def test_institution_cannot_use_the_admin_page(client, factories, login_as, two_institutions):
    assert login_as(two_institutions["user"]).get("/admin/imports").status_code == 403


def test_non_csv_file_is_rejected(client, factories, login_as, db_session):
    browser = login_as(factories.user("admin"))
    text = "worker_id,name,gender,date_of_birth,district,state\nW1,A B,male,1990-01-01,Pune,MH\n"
    response = upload(browser, "/admin/imports", "workers", text, name="workers.xlsx")
    assert response.status_code == 400 and "Only .csv files" in response.text
    assert count(db_session, Worker) == 0


def test_csv_name_with_binary_content_is_rejected(client, factories, login_as, db_session):
    browser = login_as(factories.user("admin"))
    response = upload(browser, "/admin/imports", "workers", b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    assert response.status_code == 422 and "not UTF-8" in response.text


def test_csv_without_the_right_header_is_rejected(client, factories, login_as, db_session):
    browser = login_as(factories.user("admin"))
    response = upload(browser, "/admin/imports", "workers", "id,full_name\n1,A B\n")
    assert response.status_code == 422 and "Missing required column." in response.text
    # Said as what it is, not as "1 bad row" of a file with no rows read.
    assert "The first line, the column names, is not right" in response.text
    assert "1 bad row" not in response.text


def test_oversize_upload_is_413(client, factories, login_as, app, monkeypatch, db_session):
    browser = login_as(factories.user("admin"))
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    text = "worker_id,name,gender,date_of_birth,district,state\n" + "x" * 4096
    response = upload(browser, "/admin/imports", "workers", text)
    assert response.status_code == 413
    assert count(db_session, Worker) == 0


def test_institution_records_placements_of_its_own_trainees_only(
    client, factories, login_as, db_session, two_institutions
):
    worker = db_session.scalar(select(Worker).where(Worker.external_id == "W1"))
    factories.enrolment(worker, two_institutions["own"], external_id="E-OURS")
    factories.consenting_worker(external_id="W-STRANGER")
    header = (
        "placement_id,worker_id,employer_id,employer_name,placed_on,monthly_wage_inr,"
        "employment_type,ended_on\n"
    )
    browser = login_as(two_institutions["user"])
    refused = upload(
        browser,
        "/institution/imports",
        "placements",
        header
        + "PL1,W1,EMP9,Chakan Forgings,2026-05-01,15000,wage,\n"
        + "PL2,W-STRANGER,EMP9,Chakan Forgings,2026-05-01,15000,wage,\n",
    )
    assert refused.status_code == 403
    assert "<td>3</td><td><code>worker_id</code></td>" in refused.text
    assert count(db_session, Placement) == 0
    done = upload(
        browser,
        "/institution/imports",
        "placements",
        header + "PL1,W1,EMP9,Chakan Forgings,2026-05-01,15000,wage,\n",
    )
    assert done.status_code == 200 and count(db_session, Placement) == 1


def test_each_import_kind_has_an_empty_template_to_download(client, factories, login_as):
    """Beside the upload form: a CSV with the kind's columns in order, readable by Excel."""
    login_as(factories.user("institution"))
    page = client.get("/institution/imports").get_data(as_text=True)
    assert "/imports/placements/template.csv" in page
    response = client.get("/imports/placements/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    header = response.get_data(as_text=True).lstrip("\ufeff").strip()
    assert header.startswith("placement_id,worker_id,employer_id")
    assert client.get("/imports/postings/template.csv").status_code == 403  # not this role's
    assert client.get("/imports/shoes/template.csv").status_code == 404


def test_a_rows_problems_come_out_together_and_in_the_pages_language(
    client, factories, login_as, db_session
):
    """A walk fixed a file's bad dates, uploaded it again, and only then learnt of its unknown
    course and worker, which the Marathi page showed in English."""
    browser = login_as(factories.user("admin"))
    factories.consenting_worker(external_id="W1")
    browser.get("/language/mr")
    text = ENROLMENTS.format(
        rows="E1,W1,C99,2026-01-05,enrolled,,no,\n"
        "E2,W9999,C99,2026-01-05,completed,2025-01-01,maybe,\n"
    )
    page = upload(browser, "/admin/imports", "enrolments", text).get_data(as_text=True)
    found = re.findall(
        r'<tr class="import-error"><td>(\d+)</td><td><code>(\w+)</code></td><td>(.*?)</td>', page
    )
    assert ("2", "course_id", "अनोळखी कोर्स: C99") in found
    third = {column: message for line, column, message in found if line == "3"}
    assert set(third) == {"certified", "completed_on", "worker_id", "course_id"}
    assert third["course_id"] == "अनोळखी कोर्स: C99" and "W9999" in third["worker_id"]
    assert not any("Unknown" in message for _, _, message in found)
    assert count(db_session, Enrolment) == 0


def test_a_district_off_the_list_is_imported_as_written_with_a_warning(
    client, factories, login_as, db_session
):
    """A walk imported "Mumbaii": it became a district of its own in the figures, unannounced."""
    browser = login_as(factories.user("admin"))
    text = (
        "worker_id,name,gender,date_of_birth,district,state\n"
        "W20,Meena Jadhav,female,1999-03-02,Mumbaii,Maharashtra\n"
        "W21,Rahul More,male,1995-07-19,Mumbaii,Maharashtra\n"
        "W22,Sita Devi,female,1997-01-09,Patna,Bihar\n"
        "W23,Asha Kale,female,1998-05-11,Chakan,Maharashtra\n"
        "W24,Uma Rane,female,1996-02-03,Xyzpur,Maharashtra\n"
    )
    page = upload(browser, "/admin/imports", "workers", text).get_data(as_text=True)
    assert "Imported." in page
    warnings = page[page.index("Mumbaii is not") - 300 :]
    assert warnings.count("Mumbaii is not on the list") == 1  # once per file
    assert "did you mean Mumbai City?" in warnings
    assert "Patna is not" not in page  # another state's district: not listed, not a slip
    assert "Chakan is not" not in page  # a cluster town: stored as Pune, no warning
    assert "Xyzpur is not on the list of districts: kept as written." in page
    districts = dict(db_session.execute(select(Worker.external_id, Worker.district)).all())
    assert (districts["W20"], districts["W22"], districts["W23"]) == ("Mumbaii", "Patna", "Pune")

    # A Marathi page names the listed district in Marathi, not "Mumbai City".
    browser.set_cookie("lang", "mr")
    marathi = upload(browser, "/admin/imports", "workers", text.replace("W2", "W3"))
    marathi_page = marathi.get_data(as_text=True)
    assert "मुंबई शहर" in marathi_page and "Mumbai City" not in marathi_page


def test_a_bad_date_in_a_file_is_not_told_to_use_the_calendar(client, factories, login_as):
    """A file has no calendar: the page's form wording ("DD-MM-YYYY, or pick it from the
    calendar") sent a walk to write the date the wrong way round."""
    browser = login_as(factories.user("admin"))
    factories.consenting_worker(external_id="W1")
    text = "worker_id,name,gender,date_of_birth,district,state\nW30,Uma,female,1998-02-31,Pune,\n"
    page = upload(browser, "/admin/imports", "workers", text).get_data(as_text=True)
    assert "Write the date as YYYY-MM-DD, e.g. 2026-12-01." in page and "calendar" not in page


def test_the_upload_page_lists_the_values_a_column_takes_and_reads_yes_in_marathi(
    client, factories, login_as, db_session
):
    """A walk learnt the enrolment statuses only from an error, and "हो" was refused."""
    browser = login_as(factories.user("admin"))
    page = browser.get("/admin/imports").get_data(as_text=True)
    assert "(enrolled | completed | dropped | cancelled)" in page
    skill = factories.skill("TIG welding")
    text = (
        "course_id,institution_id,institution_name,title,hours,fee_inr,skills,women_only\n"
        f"C90,INS90,Test ITI,Welder,100,0,{skill.uri},हो\n"
    )
    factories.institution(external_id="INS90", name="Test ITI")
    report = upload(browser, "/admin/imports", "courses", text).get_data(as_text=True)
    assert "Imported." in report, report[report.find('<h3 class="h6">Errors') :][:1500]
    course = db_session.scalar(select(Course).where(Course.external_id == "C90"))
    assert course.women_only is True
