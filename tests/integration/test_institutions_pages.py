"""Institution pages: real data on each page, forms through the same rules as the API, and
refusals (another institution's course, batch or enrolment) that change nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.institutions.models import Batch, Course, Enrolment, EnrolmentStatus, Module
from app.placements.models import Placement, RetentionCheck
from tests.helpers import count


@pytest.fixture
def institute(factories):
    user = factories.user("institution")
    welding = factories.skill("TIG welding")
    course = factories.course(
        user.organisation, skills=[welding], title="Welder", nsqf_level=4, qp_code="ASC/Q3502"
    )
    factories.module(course, skills=[welding], title="Argon purging", is_bridge=True)
    batch = factories.batch(course, seats=3, start_date=date(2026, 6, 1))
    return {"user": user, "course": course, "batch": batch, "skill": welding}


def test_courses_page_lists_own_courses_with_counts(client, factories, login_as, institute):
    factories.enrolment(
        factories.consenting_worker(), institute["course"], batch=institute["batch"]
    )
    factories.enrolment(
        factories.consenting_worker(),
        institute["course"],
        status="completed",
        completed_on=date(2026, 3, 1),
        certified=True,
        certified_on=date(2026, 3, 10),
    )
    factories.course(title="Someone else's course")
    page = login_as(institute["user"]).get("/institution/courses")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Welder" in html and "ASC/Q3502" in html
    assert "Someone else&#39;s course" not in html and "Someone else's course" not in html
    row = html[html.index("Welder") :]
    cells = [cell.split("</td>")[0].strip() for cell in row.split('<td class="text-end">')[1:6]]
    assert cells == ["120", "free", "1", "2", "1"]  # hours, fee, batches, enrolled, certified


def test_admin_sees_every_course_with_its_institution(client, factories, login_as, institute):
    other = factories.course(title="Electrician")
    html = login_as(factories.user("admin")).get("/institution/courses").get_data(as_text=True)
    assert "Welder" in html and "Electrician" in html
    assert "<th>Institution</th>" in html and other.institution.name in html


@pytest.mark.parametrize("role", ["worker", "employer"])
def test_workers_and_employers_are_refused(client, factories, login_as, institute, role):
    browser = login_as(factories.user(role))
    for url in (
        "/institution/courses",
        "/institution/courses/new",
        f"/institution/courses/{institute['course'].external_id}",
        f"/institution/batches/{institute['batch'].external_id}",
        "/institution/placements",
    ):
        assert browser.get(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/institution/courses")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_new_course_with_skills_then_edit(client, factories, login_as, db_session, institute):
    browser = login_as(institute["user"])
    drawing = factories.skill("read engineering drawings")
    form = {
        "title": "Fitter – Fabrication",
        "qp_code": "CSC/Q0305",
        "nsqf_level": "3",
        "hours": "300",
        "fee_inr": "1500",
        "mode": "blended",
        "skills": f"{institute['skill'].uri}\n",
        "add_skill": drawing.uri,
        "submit": "Save course",
    }
    response = browser.post("/institution/courses/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    course = db_session.scalar(select(Course).where(Course.title == "Fitter – Fabrication"))
    assert course.institution_id == institute["user"].organisation_id
    assert (course.nsqf_level, course.hours, course.fee_inr, course.mode.value) == (
        3,
        300,
        1500,
        "blended",
    )
    assert {s.uri for s in course.skills} == {institute["skill"].uri, drawing.uri}
    edit_url = f"/institution/courses/{course.external_id}/edit"
    html = browser.get(edit_url).get_data(as_text=True)
    assert drawing.uri in html and "read engineering drawings" in html
    response = browser.post(
        edit_url,
        data={**form, "title": "Fitter", "nsqf_level": "", "skills": drawing.uri, "add_skill": []},
    )
    assert response.status_code == 302
    db_session.expire_all()
    course = db_session.get(Course, course.id)
    assert (course.title, course.nsqf_level) == ("Fitter", None)
    assert [s.uri for s in course.skills] == [drawing.uri]


def test_course_form_shows_errors_per_field_and_saves_nothing(
    client, login_as, db_session, institute
):
    browser = login_as(institute["user"])
    before = count(db_session, Course)
    response = browser.post(
        "/institution/courses/new",
        data={
            "title": "",
            "hours": "0",
            "nsqf_level": "12",
            "skills": "urn:nope",
            "submit": "Save",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    feedback = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]*?)\s*<', html)
    assert feedback == [
        "Please fill this in.",  # title
        "Write a number from 1 to 10.",  # NSQF level
        "Write a number from 1 to 10000.",  # hours
    ]
    assert count(db_session, Course) == before


def test_unknown_skill_uri_is_named_on_the_form(client, login_as, db_session, institute):
    browser = login_as(institute["user"])
    response = browser.post(
        "/institution/courses/new",
        data={"title": "Painter", "hours": "100", "skills": "urn:no-such-skill", "submit": "Save"},
    )
    assert response.status_code == 200
    assert "Unknown skill: urn:no-such-skill" in response.get_data(as_text=True)
    assert db_session.scalar(select(Course).where(Course.title == "Painter")) is None


def test_find_skills_keeps_what_was_typed(client, factories, login_as, institute):
    factories.skill("operate forging press")
    browser = login_as(institute["user"])
    response = browser.post(
        "/institution/courses/new",
        data={"title": "Forging operator", "hours": "200", "skill_query": "forging", "find": "1"},
    )
    html = response.get_data(as_text=True)
    assert "operate forging press" in html and 'name="add_skill"' in html
    assert 'value="Forging operator"' in html


def test_course_page_shows_modules_skills_and_free_seats(client, factories, login_as, institute):
    factories.enrolment(
        factories.consenting_worker(), institute["course"], batch=institute["batch"]
    )
    factories.enrolment(
        factories.consenting_worker(),
        institute["course"],
        batch=institute["batch"],
        status="dropped",
    )
    browser = login_as(institute["user"])
    html = browser.get(f"/institution/courses/{institute['course'].external_id}").get_data(
        as_text=True
    )
    assert "Argon purging" in html and "bridge" in html and "TIG welding" in html
    row = html[html.index(institute["batch"].external_id + "</span>") :]
    cells = [cell.split("</td>")[0].strip() for cell in row.split('<td class="text-end">')[1:3]]
    assert cells == ["3", "2"]  # seats, free seats (the dropped-out worker frees a seat)


def test_another_institutions_records_are_refused_and_unchanged(
    client, factories, login_as, db_session, institute
):
    enrolment = factories.enrolment(
        factories.consenting_worker(), institute["course"], batch=institute["batch"]
    )
    browser = login_as(factories.user("institution"))
    course_id = institute["course"].external_id
    batch_id = institute["batch"].external_id
    assert browser.get(f"/institution/courses/{course_id}").status_code == 403
    assert browser.get(f"/institution/courses/{course_id}/edit").status_code == 403
    assert (
        browser.post(
            f"/institution/courses/{course_id}/edit",
            data={"title": "Hijacked", "hours": "1", "submit": "Save"},
        ).status_code
        == 403
    )
    assert browser.post(f"/institution/courses/{course_id}/delete").status_code == 403
    assert browser.get(f"/institution/batches/{batch_id}").status_code == 403
    response = browser.post(
        f"/institution/batches/{batch_id}/enrolments",
        data={"worker": factories.consenting_worker().external_id, "enrolled_on": "2026-06-01"},
    )
    assert response.status_code == 403
    response = browser.post(
        f"/institution/enrolments/{enrolment.external_id}/progress",
        data={"action": "drop"},
    )
    assert response.status_code == 403
    response = browser.post(
        "/institution/batches/new",
        data={"course": course_id, "start_date": "2026-09-01", "seats": "10"},
    )
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Course, institute["course"].id).title == "Welder"
    assert count(db_session, Enrolment) == 1 and count(db_session, Batch) == 1
    assert db_session.get(Enrolment, enrolment.id).status is EnrolmentStatus.enrolled


def test_plan_batch_then_enrol_complete_and_certify(
    client, factories, login_as, db_session, institute
):
    browser = login_as(institute["user"])
    form_html = browser.get(
        f"/institution/batches/new?course={institute['course'].external_id}"
    ).get_data(as_text=True)
    assert "Welder" in form_html

    def plan_batch(start: str, district: str, **options):
        return browser.post(
            "/institution/batches/new",
            data={
                "course": institute["course"].external_id,
                "start_date": start,
                "seats": "2",
                "district": district,
            },
            **options,
        )

    response = plan_batch("2026-09-01", "Pune")
    assert response.status_code == 302
    batch = db_session.scalar(select(Batch).where(Batch.start_date == date(2026, 9, 1)))
    assert (batch.seats, batch.district, batch.course_id) == (2, "Pune", institute["course"].id)
    # A slip of the district is kept as typed but said, in the page's language.
    browser.set_cookie("lang", "mr")
    slipped = plan_batch("2026-10-01", "Pnue", follow_redirects=True).get_data(as_text=True)
    assert "Pnue जिल्ह्यांच्या यादीत नाही: तुम्हाला पुणे म्हणायचे होते का?" in slipped
    browser.set_cookie("lang", "en")
    worker = factories.consenting_worker(name="Sunita Pawar")
    batch_url = f"/institution/batches/{batch.external_id}"
    response = browser.post(
        f"{batch_url}/enrolments", data={"worker": worker.external_id, "enrolled_on": "2026-09-01"}
    )
    assert response.status_code == 302
    html = browser.get(batch_url).get_data(as_text=True)
    assert "Sunita Pawar" in html and "<strong>1</strong> free" in html
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.worker_id == worker.id))
    progress = f"/institution/enrolments/{enrolment.external_id}/progress"
    assert (
        browser.post(progress, data={"action": "complete", "on": "2026-11-20"}).status_code == 302
    )
    assert browser.post(progress, data={"action": "certify", "on": "2026-11-28"}).status_code == 302
    db_session.expire_all()
    enrolment = db_session.get(Enrolment, enrolment.id)
    assert (enrolment.status, enrolment.completed_on, enrolment.certified_on) == (
        EnrolmentStatus.completed,
        date(2026, 11, 20),
        date(2026, 11, 28),
    )


def test_enrolment_form_errors_are_shown_and_nothing_is_written(
    client, factories, login_as, db_session, institute
):
    browser = login_as(institute["user"])
    url = f"/institution/batches/{institute['batch'].external_id}/enrolments"
    response = browser.post(url, data={"worker": "W-NOBODY", "enrolled_on": "2026-06-01"})
    assert response.status_code == 422
    assert "Unknown worker: W-NOBODY" in response.get_data(as_text=True)
    enrolment = factories.enrolment(
        factories.consenting_worker(),
        institute["course"],
        batch=institute["batch"],
        enrolled_on=date(2026, 6, 1),
    )
    response = browser.post(
        f"/institution/enrolments/{enrolment.external_id}/progress",
        data={"action": "complete", "on": "2026-05-01"},
    )
    # On the trainee's row, naming them, the date typed kept (a walk read an unnamed banner at
    # the top of the page, and every date box was emptied).
    assert response.status_code == 422
    row = response.get_data(as_text=True).split(f'id="enrolment-{enrolment.external_id}"')[1]
    row = row[: row.index("</tr>")]
    name = enrolment.worker.name
    assert f"{name}: Must not be before the day of enrolment." in row
    assert 'value="2026-05-01"' in row and "is-invalid" in row
    browser.set_cookie("lang", "mr")
    response = browser.post(
        f"/institution/enrolments/{enrolment.external_id}/progress",
        data={"action": "complete", "on": "2026-05-01"},
    )
    assert f"{name}: प्रवेशाच्या तारखेआधीची असू नये." in response.get_data(as_text=True)
    browser.set_cookie("lang", "en")
    # A certificate cannot come before the course was completed.
    completed = factories.enrolment(
        factories.consenting_worker(),
        institute["course"],
        batch=institute["batch"],
        enrolled_on=date(2026, 6, 1),
        status=EnrolmentStatus.completed,
        completed_on=date(2026, 10, 31),
    )
    early = browser.post(
        f"/institution/enrolments/{completed.external_id}/progress",
        data={"action": "certify", "on": "2026-10-01"},
    )
    assert early.status_code == 422
    assert "Must not be before the day the course was completed." in early.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Enrolment, completed.id).certified is False
    browser.post(
        f"/institution/enrolments/{enrolment.external_id}/progress", data={"action": "drop"}
    )
    response = browser.post(
        f"/institution/enrolments/{enrolment.external_id}/progress",
        data={"action": "certify", "on": "2026-08-01"},
        follow_redirects=True,
    )
    assert "cannot be certified" in response.get_data(as_text=True)
    db_session.expire_all()
    stored = db_session.get(Enrolment, enrolment.id)
    assert (stored.status, stored.completed_on, stored.certified) == (
        EnrolmentStatus.dropped,
        None,
        False,
    )
    assert count(db_session, Enrolment) == 2  # this one and the completed one above


def test_record_placement_and_retention_check(client, factories, login_as, db_session, institute):
    worker = factories.consenting_worker(name="Ravi Shinde")
    factories.enrolment(worker, institute["course"])
    employer = factories.employer(name="Chakan Forgings")
    browser = login_as(institute["user"])
    html = browser.get("/institution/placements").get_data(as_text=True)
    assert f'<option value="{worker.external_id}">Ravi Shinde</option>' in html
    response = browser.post(
        "/institution/placements",
        data={
            "worker": worker.external_id,
            "employment_type": "wage",
            "employer": employer.external_id,
            "placed_on": "2026-02-01",
            "monthly_wage_inr": "16500",
            "verification": "appointment_letter",
            "verified_on": "2026-02-03",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    placement = db_session.scalar(select(Placement).where(Placement.worker_id == worker.id))
    assert (placement.employer_id, placement.monthly_wage_inr) == (employer.id, 16500)
    response = browser.post(
        f"/institution/placements/{placement.external_id}/retention-checks",
        data={
            "months": "3",
            "employed": "y",
            "salary_slip": "y",
            "verified_on": "2026-05-04",
            "verified_by": "Placement officer",
        },
    )
    assert response.status_code == 302
    html = browser.get("/institution/placements").get_data(as_text=True)
    assert "Chakan Forgings" in html and "₹16,500/month" in html
    assert "3 months" in html and "salary slip" in html and "Placement officer" in html
    check = db_session.scalar(
        select(RetentionCheck).where(RetentionCheck.placement_id == placement.id)
    )
    assert (check.months, check.employed, check.salary_slip, check.bank_credit) == (
        3,
        True,
        True,
        False,
    )


def test_a_retention_check_must_say_whether_the_worker_is_still_employed(
    factories, login_as, db_session, institute
):
    """The question is asked with both answers and no default: an untouched box used to record
    "no longer employed", which the retention figures count."""
    worker = factories.consenting_worker()
    factories.enrolment(worker, institute["course"])
    placement = factories.placement(worker, factories.employer(), placed_on=date(2026, 1, 5))
    browser = login_as(institute["user"])
    page = browser.get("/institution/placements").get_data(as_text=True)
    answers = re.findall(r'<input[^>]*name="employed"[^>]*>', page)
    assert len(answers) == 2 and all("required" in a and "checked" not in a for a in answers)
    url = f"/institution/placements/{placement.external_id}/retention-checks"
    response = browser.post(
        url + "?find=" + worker.name.split()[0],
        data={"months": "3", "salary_slip": "y", "verified_by": "Placement officer"},
    )
    # Said on the worker's card, left open with what was typed, in the list as it was searched
    # (a walk's refusal went to a banner 2,200 px above the card, which came back closed).
    assert response.status_code == 422
    card = response.get_data(as_text=True).split(f'id="placement-{placement.external_id}"')[1]
    assert "<details open>" in card and "Not saved: see the boxes marked below." in card
    employed_box = card[card.index('name="employed"') :]
    assert "Please fill this in." in employed_box[: employed_box.index("</fieldset>")]
    assert 'value="Placement officer"' in card
    assert re.search(r'<input checked[^>]*name="salary_slip"', card)
    assert f"find={worker.name.split()[0]}" in card.split("<form")[1].split(">")[0]
    assert count(db_session, RetentionCheck) == 0
    # Too early: said in the page's language (a walk read "A 6-month check can be verified
    # from 2027-03-01 on." in English on a Marathi page).
    browser.set_cookie("lang", "mr")
    early = browser.post(
        url,
        data={"months": "6", "employed": "y", "salary_slip": "y", "verified_on": "2026-03-01"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "6 महिन्यांची तपासणी 5 जुलै, 2026 पासून पुढे नोंदता येते." in early
    browser.set_cookie("lang", "en")
    assert count(db_session, RetentionCheck) == 0
    browser.post(url, data={"months": "3", "employed": "n"})
    check = db_session.scalar(select(RetentionCheck))
    assert (check.months, check.employed) == (3, False)
    # Each job says its next check and whether it is due (placed 5 Jan: 6 months from 5 July).
    page = browser.get("/institution/placements").get_data(as_text=True)
    assert "6-month check" in page and "5 Jul 2026" in page


def test_placement_refusals_and_errors(client, factories, login_as, db_session, institute):
    stranger = factories.consenting_worker()  # not enrolled with this institution
    someone_elses = factories.placement(stranger, factories.employer())
    browser = login_as(institute["user"])
    html = browser.get("/institution/placements").get_data(as_text=True)
    assert someone_elses.external_id not in html
    before = count(db_session, Placement)
    response = browser.post(
        "/institution/placements",
        data={
            "worker": stranger.external_id,
            "employment_type": "self",
            "employer": "",
            "placed_on": "2026-02-01",
            "monthly_wage_inr": "9000",
            "verification": "none",
        },
    )
    # Refused beside the worker box with what was typed (a 403 page lost it all), and audited
    # as any refusal is.
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    worker_box = page[page.index('name="worker"') :][:800]
    assert f"{stranger.external_id} is not your trainee" in worker_box
    assert 'value="9000"' in page
    denied = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "access_denied")
    ).all()
    assert [(e.object_type, e.object_id) for e in denied] == [("worker", stranger.external_id)]
    response = browser.post(
        f"/institution/placements/{someone_elses.external_id}/retention-checks",
        data={"months": "3", "employed": "y"},
    )
    assert response.status_code == 403
    enrolled = factories.consenting_worker()
    factories.enrolment(enrolled, institute["course"])
    response = browser.post(
        "/institution/placements",
        data={
            "worker": enrolled.external_id,
            "employment_type": "wage",
            "employer": "",
            "placed_on": "2026-02-01",
            "monthly_wage_inr": "-5",
            "verification": "none",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write a number from 0 to" in html
    assert count(db_session, Placement) == before
    # An id typed in small letters, as it is read off a paper list, is the trainee's.
    lower = browser.post(
        "/institution/placements",
        data={
            "worker": enrolled.external_id.lower(),
            "employment_type": "self",
            "employer": "",
            "placed_on": "2026-02-01",
            "monthly_wage_inr": "9000",
            "verification": "none",
        },
    )
    assert lower.status_code == 302
    assert count(db_session, Placement) == before + 1
    assert count(db_session, RetentionCheck) == 0


def test_syllabus_suggests_the_skills_a_course_teaches(client, factories, login_as):
    tig = factories.skill("TIG welding")
    drawings = factories.skill("read engineering drawings")
    login_as(factories.user("institution"))
    response = client.post(
        "/institution/courses/new",
        data={
            "title": "Welding technician",
            "hours": "300",
            "fee_inr": "0",
            "mode": "classroom",
            "syllabus": "Unit 1: TIG welding of stainless steel. Unit 2: read engineering drawings.",
            "suggest": "1",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    for skill in (tig, drawings):  # offered as rows to tick, not saved yet
        assert f'name="add_skill" value="{skill.uri}"' in text


def test_staff_find_the_worker_to_enrol_by_name_or_login_phone(
    client, login_as, factories, db_session
):
    """Only workers who let institutions offer them courses are found; "Choose" fills the form."""
    institution = factories.user("institution")
    course = factories.course(institution.organisation)
    batch = factories.batch(course)
    sunita = factories.consenting_worker(name="Sunita Gaikwad")
    factories.user("worker", worker=sunita).phone = "+919811122233"
    db_session.commit()
    factories.consenting_worker(name="Sunil Gaikwad", purposes=["matching"])  # not findable
    browser = login_as(institution)
    page = browser.get(f"/institution/batches/{batch.external_id}?find=gaikwad").get_data(
        as_text=True
    )
    assert "Sunita Gaikwad" in page and "Sunil Gaikwad" not in page
    # Typed in Devanagari, as an officer reading Marathi writes it (a walk found nobody so).
    for typed in ("गायकवाड", "सुनीता", "सुनिता गायकवाड"):
        in_marathi = browser.get(
            f"/institution/batches/{batch.external_id}", query_string={"find": typed}
        ).get_data(as_text=True)
        assert "Sunita Gaikwad" in in_marathi and "Sunil Gaikwad" not in in_marathi, typed
    nobody = browser.get(
        f"/institution/batches/{batch.external_id}", query_string={"find": "पाटील"}
    ).get_data(as_text=True)
    assert "Sunita Gaikwad" not in nobody
    by_phone = browser.get(f"/institution/batches/{batch.external_id}?find=98111 22233").get_data(
        as_text=True
    )
    assert "Sunita Gaikwad" in by_phone
    chosen = browser.get(
        f"/institution/batches/{batch.external_id}?find=gaikwad&worker={sunita.external_id}"
    ).get_data(as_text=True)
    assert f'value="{sunita.external_id}"' in chosen


def test_an_enrolment_the_walk_could_make_wrongly_is_refused_and_nothing_is_written(
    client, factories, login_as, db_session, institute
):
    """A walk enrolled a trainee twice in one batch (a double tap: seats went 23 → 19), marked a
    completion before the batch had started, and enrolled by id a worker who had not agreed to
    training institutions reaching her, which opened her whole record to the ITI."""
    browser = login_as(institute["user"])
    browser.set_cookie("lang", "mr")
    url = f"/institution/batches/{institute['batch'].external_id}/enrolments"
    worker = factories.consenting_worker(name="Sunita Pawar")
    enrol = {"worker": worker.external_id, "enrolled_on": "2026-05-20"}
    assert browser.post(url, data=enrol).status_code == 302
    twice = browser.post(url, data=enrol)
    assert twice.status_code == 422
    assert "Sunita Pawar यांचा Welder मध्ये आधीच प्रवेश झाला आहे" in twice.get_data(as_text=True)
    assert count(db_session, Enrolment) == 1
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.worker_id == worker.id))
    early = browser.post(
        f"/institution/enrolments/{enrolment.external_id}/progress",
        data={"action": "complete", "on": "2026-05-25"},  # the batch starts on 1 June
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "बॅच सुरू होण्याच्या (1 जून, 2026) आधीची नसावी" in early
    db_session.expire_all()
    assert db_session.get(Enrolment, enrolment.id).status is EnrolmentStatus.enrolled
    matching_only = factories.consenting_worker(name="Priya Shinde", purposes=["matching"])
    refused = browser.post(
        url, data={"worker": matching_only.external_id, "enrolled_on": "2026-05-20"}
    )
    assert refused.status_code == 422
    assert "प्रशिक्षण संस्थांनी कोर्स सुचवायला संमती दिलेली नाही" in refused.get_data(as_text=True)
    assert count(db_session, Enrolment) == 1


def test_module_added_and_edited_from_the_course_page(
    client, factories, login_as, db_session, institute
):
    course = institute["course"]
    drawing = factories.skill("read engineering drawings")
    course.skills.append(drawing)
    browser = login_as(institute["user"])
    course_html = browser.get(f"/institution/courses/{course.external_id}").get_data(as_text=True)
    new_url = f"/institution/courses/{course.external_id}/modules/new"
    assert new_url in course_html
    form_html = browser.get(new_url).get_data(as_text=True)
    # The course's own skills are offered as ticks.
    assert (
        f'value="{drawing.uri}"' in form_html and f'value="{institute["skill"].uri}"' in form_html
    )
    response = browser.post(
        new_url,
        data={
            "title": "Reading drawings",
            "hours": "24",
            "skills": [drawing.uri],
            "submit": "Save",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/institution/courses/{course.external_id}")
    module = course.modules[-1]
    assert (module.title, module.hours, module.is_bridge, module.position) == (
        "Reading drawings",
        24,
        False,
        1,  # after the course's first module
    )
    assert [s.uri for s in module.skills] == [drawing.uri]

    edit_url = f"/institution/modules/{module.external_id}/edit"
    assert edit_url in browser.get(f"/institution/courses/{course.external_id}").get_data(
        as_text=True
    )
    edit_html = browser.get(edit_url).get_data(as_text=True)
    assert 'value="Reading drawings"' in edit_html
    assert re.search(
        rf'value="{re.escape(drawing.uri)}"[^>]*checked|checked[^>]*value="{re.escape(drawing.uri)}"',
        edit_html,
    )
    response = browser.post(
        edit_url,
        data={
            "title": "Drawings and GD&T",
            "hours": "30",
            "is_bridge": "y",
            "skills": [drawing.uri, institute["skill"].uri],
            "submit": "Save",
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    module = db_session.get(Module, module.id)
    assert (module.title, module.hours, module.is_bridge) == ("Drawings and GD&T", 30, True)
    assert {s.uri for s in module.skills} == {drawing.uri, institute["skill"].uri}


def test_module_form_refuses_bad_input_and_keeps_it(client, login_as, db_session, institute):
    course = institute["course"]
    browser = login_as(institute["user"])
    before = len(course.modules)
    response = browser.post(
        f"/institution/courses/{course.external_id}/modules/new",
        data={"title": "Long module", "hours": "0", "submit": "Save"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Write a number from 1 to 10000." in html and 'value="Long module"' in html
    db_session.expire_all()
    assert len(db_session.get(Course, course.id).modules) == before


def test_modules_may_not_come_to_more_than_the_course(client, login_as, db_session, institute):
    """The course lasts 120 hours and its one module 40: a module of 90 hours is a slip of one
    figure, said beside the hours in the reader's language, with what was typed kept."""
    course = institute["course"]
    browser = login_as(institute["user"])
    url = f"/institution/courses/{course.external_id}/modules/new"
    english = browser.post(url, data={"title": "Long module", "hours": "90", "submit": "Save"})
    assert english.status_code == 200
    html = english.get_data(as_text=True)
    assert "The course&#39;s modules would come to 130 hours, more than its 120 hours." in html
    assert 'value="Long module"' in html and 'value="90"' in html
    browser.set_cookie("lang", "mr")
    marathi = browser.post(url, data={"title": "Long module", "hours": "90", "submit": "Save"})
    assert "130" in marathi.get_data(as_text=True)
    assert "would come to" not in marathi.get_data(as_text=True)
    browser.set_cookie("lang", "en")
    assert (
        browser.post(url, data={"title": "Fits", "hours": "80", "submit": "Save"}).status_code
        == 302
    )
    db_session.expire_all()
    assert [m.hours for m in db_session.get(Course, course.id).modules] == [40, 80]

    # Nor may the course be shortened below its modules.
    edit = browser.post(
        f"/institution/courses/{course.external_id}/edit",
        data={"title": "Welder", "hours": "100", "fee_inr": "0", "submit": "Save"},
    )
    assert edit.status_code == 200
    assert "modules come to 120 hours: shorten or remove modules first." in edit.get_data(
        as_text=True
    )
    db_session.expire_all()
    assert db_session.get(Course, course.id).hours == 120


def test_another_institution_cannot_add_or_edit_modules(
    client, factories, login_as, db_session, institute
):
    course = institute["course"]
    module = course.modules[0]
    browser = login_as(factories.user("institution"))
    new_url = f"/institution/courses/{course.external_id}/modules/new"
    assert browser.get(new_url).status_code == 403
    data = {"title": "Hijacked", "hours": "5", "submit": "Save"}
    assert browser.post(new_url, data=data).status_code == 403
    edit_url = f"/institution/modules/{module.external_id}/edit"
    assert browser.post(edit_url, data=data).status_code == 403
    db_session.expire_all()
    assert db_session.get(Module, module.id).title == "Argon purging"
    assert len(db_session.get(Course, course.id).modules) == 1
    assert login_as(factories.user("worker")).get(new_url).status_code == 403


def test_placements_page_finds_a_trainee_or_an_employer(client, factories, login_as, institute):
    forge = factories.organisation("employer", name="Chakan Forge")
    press = factories.organisation("employer", name="Bhosari Press Works")
    names = ["Sunita Pawar", "Rekha Jadhav", "Sunil Kale"]
    placed = {}
    for name, employer in zip(names, [forge, press, press], strict=True):
        worker = factories.consenting_worker(name=name)
        factories.enrolment(worker, institute["course"], batch=institute["batch"])
        placed[name] = factories.placement(worker, employer)
    outsider = factories.consenting_worker(name="Sunanda Other")
    factories.placement(outsider, forge)  # never enrolled here: not this institution's to see
    browser = login_as(institute["user"])

    def found(text: str) -> list[str]:
        html = browser.get("/institution/placements", query_string={"find": text}).get_data(
            as_text=True
        )
        return [name for name in [*names, "Sunanda Other"] if f"<strong>{name}</strong>" in html]

    assert found("") == names
    assert found("suni") == ["Sunita Pawar", "Sunil Kale"]  # part of a name, any case
    assert found("Forge") == ["Sunita Pawar"]  # the employer's name
    assert found(placed["Rekha Jadhav"].external_id) == ["Rekha Jadhav"]
    assert found(placed["Rekha Jadhav"].external_id.lower()) == ["Rekha Jadhav"]
    assert found(placed["Sunil Kale"].worker.external_id) == ["Sunil Kale"]
    assert found("%") == []  # a wildcard typed is a character, not "everything"
    assert found("जाधव") == ["Rekha Jadhav"]  # typed in Devanagari
    assert found("सुनील") == ["Sunil Kale"]
    assert found("सुनंदा") == []  # not this institution's
    html = browser.get("/institution/placements?find=Nobody").get_data(as_text=True)
    assert "No placement matches “Nobody”." in html


def test_a_job_that_has_not_started_reads_starts_not_placed(client, factories, login_as, institute):
    """A walk read "placed 1 Feb 2027" in the past tense on 5 Dec 2026."""
    worker = factories.consenting_worker(name="Asha Future")
    factories.enrolment(worker, institute["course"])
    factories.placement(worker, factories.employer(), placed_on=date.today() + timedelta(days=30))
    page = login_as(institute["user"]).get("/institution/placements").get_data(as_text=True)
    card = page[page.index("<strong>Asha Future</strong>") :][:800]
    assert "starts " in card and "placed " not in card


def test_a_batch_with_trainees_leads_down_to_its_enrol_form(client, factories, login_as, institute):
    """On a phone the enrol form sat below every trainee's card: a link at the top goes to it."""
    browser = login_as(institute["user"])
    url = f"/institution/batches/{institute['batch'].external_id}"
    assert 'href="#enrol-a-worker"' not in browser.get(url).get_data(as_text=True)
    factories.enrolment(
        factories.consenting_worker(), institute["course"], batch=institute["batch"]
    )
    html = browser.get(url).get_data(as_text=True)
    assert html.index('href="#enrol-a-worker"') < html.index("Enrolments")
    assert 'id="enrol-a-worker"' in html
