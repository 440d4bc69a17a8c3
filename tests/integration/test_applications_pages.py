"""The pages of applications as their users walk them: a worker applies from the jobs list and
follows the answer; the employer shortlists, hires and rejects several at once; the
administrator's funnel counts the hire; the inbox tells each side."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.applications.models import Application
from app.audit.models import AuditEvent
from app.extensions import db
from app.placements.models import Placement


@pytest.fixture
def people(factories):
    skill = factories.skill("operate CNC lathe")
    employer = factories.user("employer")
    posting = factories.posting(employer.organisation, skills=[skill], title="CNC turner")
    applicants = []
    for name, gender, born in (
        ("Meena Patil", "female", date(2003, 5, 1)),
        ("Ravi Shinde", "male", date(1990, 2, 1)),
        ("Kavita More", "female", date(2001, 8, 9)),
    ):
        worker = factories.consenting_worker(
            name=name, gender=gender, date_of_birth=born, skills=[(skill, 3)], phone="+919811100011"
        )
        applicants.append((worker, factories.user("worker", worker=worker)))
    return {
        "employer": employer,
        "posting": posting,
        "applicants": applicants,
        "admin": factories.user("admin"),
    }


def application_of(worker) -> Application:
    return db.session.scalar(select(Application).where(Application.worker_id == worker.id))


def test_a_worker_applies_the_employer_hires_and_the_funnel_counts_it(client, people, login_as):
    posting = people["posting"].external_id
    meena, meena_user = people["applicants"][0]
    login_as(meena_user)
    jobs = client.get("/worker/jobs").get_data(as_text=True)
    assert f"/worker/jobs/{posting}/apply" in jobs
    # From the list, applying asks first and says the phone number goes with it (a walk applied
    # with one tap from the list, which shares the number).
    (ask,) = re.findall(r'<details class="apply-ask">.*?</details>', jobs, re.S)
    assert "your phone number once you apply" in ask and "Yes, apply" in ask
    response = client.post(f"/worker/jobs/{posting}/apply", data={"note": "Available from Monday"})
    assert response.status_code == 302
    assert "Applied" in client.get("/worker/jobs").get_data(as_text=True)
    assert client.post(f"/worker/jobs/{posting}/apply", data={}).status_code == 302
    assert "already have an application" in client.get("/worker/applications").get_data(
        as_text=True
    )

    login_as(people["employer"])
    pipeline = client.get(f"/employer/postings/{posting}/applications").get_data(as_text=True)
    assert "Meena Patil" in pipeline and "Available from Monday" in pipeline
    assert "+919811100011" in pipeline  # she applied: her number is shared
    assert "Fit 100 of 100" in pipeline  # each applicant weighed as the candidate list does
    # "Not selected" tells her at once: the button only opens the question with the real one.
    (question,) = re.findall(
        r"<details[^>]*>\s*<summary[^>]*>Not selected…</summary>.*?</details>", pipeline, re.S
    )
    assert 'value="rejected"' in question and "Yes, not selected" in question
    # On a phone the menu is folded: the new message shows beside it, and leads to the inbox.
    assert re.search(r'id="unread-phone" href="/inbox">1 new message<', pipeline)
    assert 'href="/account/password"' in pipeline
    assert "Meena Patil applied for CNC turner." in client.get("/inbox").get_data(as_text=True)
    assert 'id="unread-phone"' not in client.get("/inbox").get_data(as_text=True)
    application = application_of(meena).external_id
    client.post(f"/employer/applications/{application}", data={"status": "shortlisted"})
    refused = client.post(f"/employer/applications/{application}", data={"status": "hired"})
    assert refused.status_code == 302
    assert application_of(meena).status.value == "shortlisted"  # hired needs date and wage
    pipeline = client.get(f"/employer/postings/{posting}/applications").get_data(as_text=True)
    (interview_day,) = re.findall(r'<input[^>]*id="iv-[^"]*"[^>]*>', pipeline)
    assert "required" in interview_day  # the page asks the day the worker will be told
    client.post(f"/employer/applications/{application}", data={"status": "interview"})
    assert application_of(meena).status.value == "shortlisted"  # and refuses a move without it
    assert 'placeholder="e.g. the time, whom to ask for, what to bring"' in pipeline
    day = (date.today() + timedelta(days=2)).isoformat()
    client.post(
        f"/employer/applications/{application}",
        data={"status": "interview", "interview_on": day, "note": "10 am, ask for Mr Patil"},
    )
    assert application_of(meena).status.value == "interview"
    # The employer sees again what it told her, on her card, and her page leads back to it.
    card = client.get(f"/employer/postings/{posting}/applications").get_data(as_text=True)
    assert "Your note: 10 am, ask for Mr Patil" in card
    profile_link = f"/worker/{meena.external_id}?posting={posting}"
    assert profile_link in card
    back = client.get(profile_link).get_data(as_text=True)
    assert f'href="/employer/postings/{posting}/applications#application-{application}"' in back
    # Her page says the interview's day, not the day it was set (a walk read "interview 5 Dec"
    # for one on the 10th).
    profile = client.get(f"/worker/{meena.external_id}").get_data(as_text=True)
    interview = date.today() + timedelta(days=2)
    assert f"on {interview.day} {interview:%b %Y}" in profile
    start = date.today() + timedelta(days=5)
    client.post(
        f"/employer/applications/{application}",
        data={"status": "hired", "start_date": start.isoformat(), "monthly_wage_inr": "17000"},
    )
    hired = application_of(meena)
    assert hired.status.value == "hired"
    placement = db.session.get(Placement, hired.placement_id)
    assert (placement.placed_on, placement.monthly_wage_inr) == (start, 17000)

    login_as(meena_user)
    mine = client.get("/worker/applications").get_data(as_text=True)
    assert "Hired" in mine and "17,000" in mine
    assert f"applied on {date.today().day} " in mine  # the day of the application, said so
    history = client.get("/worker/history").get_data(as_text=True)
    assert "CNC turner · " in history  # the job, not only the employer
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "You are hired as CNC turner" in inbox
    assert "10 am, ask for Mr Patil" in inbox  # the interview's note reached her

    login_as(people["admin"])
    funnel = client.get("/admin/hiring").get_data(as_text=True)
    assert "Hiring funnel" in funnel
    published = client.get("/admin/hiring?public=1").get_data(as_text=True)
    assert "—" in published  # one hire is a small count: hidden when published


def test_employer_rejects_several_with_one_note(client, people, login_as):
    posting = people["posting"]
    for _worker, user in people["applicants"]:
        login_as(user)
        client.post(f"/worker/jobs/{posting.external_id}/apply", data={})
    login_as(people["employer"])
    url = f"/employer/postings/{posting.external_id}/applications/reject"
    note = "We took someone with VMC experience."
    # Nobody ticked: refused, and the note waits in its box for the next try.
    none = client.post(url, data={"note": note}, follow_redirects=True).get_data(as_text=True)
    assert "Tick the applicants first." in none and note in none
    chosen = [application_of(w).external_id for w, _u in people["applicants"][1:]]
    client.post(url, data={"application": chosen, "note": note})
    statuses = [application_of(w).status.value for w, _u in people["applicants"]]
    assert statuses == ["applied", "rejected", "rejected"]
    login_as(people["applicants"][1][1])
    mine = client.get("/worker/applications").get_data(as_text=True)
    assert "Not selected" in mine and "VMC experience" in mine

    # One applicant, from her own card, with a note of its own (only the bulk form had one).
    login_as(people["employer"])
    first = application_of(people["applicants"][0][0]).external_id
    pipeline = client.get(f"/employer/postings/{posting.external_id}/applications")
    card = pipeline.get_data(as_text=True).split(f'id="application-{first}"')[1]
    assert 'name="note"' in card.split("Yes, not selected")[0]
    client.post(
        f"/employer/applications/{first}",
        data={"status": "rejected", "note": "The job needs night shifts."},
    )
    login_as(people["applicants"][0][1])
    assert "The job needs night shifts." in client.get("/inbox").get_data(as_text=True)


def test_employer_invites_and_the_worker_accepts_in_marathi(client, people, login_as, factories):
    posting = people["posting"].external_id
    kavita, kavita_user = people["applicants"][2]
    login_as(people["employer"])
    candidates = client.get(f"/employer/postings/{posting}/candidates").get_data(as_text=True)
    assert "Kavita More" in candidates and "Invite to apply" in candidates
    client.post(f"/employer/postings/{posting}/invite", data={"worker_id": kavita.external_id})
    assert application_of(kavita).status.value == "invited"
    kavita_user.preferred_language = "mr"
    db.session.commit()
    login_as(kavita_user)
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "CNC turner" in inbox and "invites you" not in inbox  # the Marathi text
    client.post(
        f"/worker/applications/{application_of(kavita).external_id}", data={"status": "applied"}
    )
    assert application_of(kavita).status.value == "applied"
    # Withdrawing is asked twice: the button only opens the question with the real one.
    mine = client.get("/worker/applications").get_data(as_text=True)
    (question,) = re.findall(
        r"<details[^>]*>\s*<summary[^>]*>मागे घ्या…</summary>.*?</details>", mine, re.S
    )
    assert "मागे घ्या…" in question.split("</summary>")[0]
    assert 'value="withdrawn"' in question and "हो, मागे घ्या" in question
    assert mine.count('value="withdrawn"') == 1
    client.post(
        f"/worker/applications/{application_of(kavita).external_id}", data={"status": "withdrawn"}
    )
    assert application_of(kavita).status.value == "withdrawn"


def test_an_invitation_carries_the_employers_note_to_the_worker(
    client, people, login_as, factories
):
    """An invitation was one tap with nothing said: no day, no name to ask for at the gate."""
    posting = people["posting"].external_id
    kavita, kavita_user = people["applicants"][2]
    login_as(people["employer"])
    candidates = client.get(f"/employer/postings/{posting}/candidates").get_data(as_text=True)
    assert f'id="invite-note-{kavita.external_id}"' in candidates
    note = "Come on Monday at 10, ask for Mr Patil at gate 2."
    client.post(
        f"/employer/postings/{posting}/invite",
        data={"worker_id": kavita.external_id, "note": f"  {note} "},
    )
    application = application_of(kavita)
    assert application.status.value == "invited" and application.events[-1].note == note
    login_as(kavita_user)
    assert note in client.get("/inbox").get_data(as_text=True)
    mine = client.get("/worker/applications").get_data(as_text=True)
    assert f"<strong>Note from the employer:</strong> {note}" in mine
    assert "invited on " in mine and "applied on " not in mine  # not applied yet
    accepted = client.post(
        f"/worker/applications/{application.external_id}",
        data={"status": "applied"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Your application for CNC turner: Applied." in accepted  # not her own name

    # Too long a note invites nobody and says why.
    ravi = people["applicants"][1][0]
    login_as(people["employer"])
    response = client.post(
        f"/employer/postings/{posting}/invite",
        data={"worker_id": ravi.external_id, "note": "x" * 1001},
        follow_redirects=True,
    )
    assert "1000" in response.get_data(as_text=True)
    assert application_of(ravi) is None


def test_the_postings_list_links_its_applicants_by_a_count_that_says_so(client, people, login_as):
    posting = people["posting"].external_id
    for _worker, user in people["applicants"][:2]:
        login_as(user)
        assert client.post(f"/worker/jobs/{posting}/apply", data={}).status_code == 302
    login_as(people["employer"])
    link = re.compile(rf'href="/employer/postings/{posting}/applications">\s*([^<]+?)\s*</a>')
    assert link.findall(client.get("/employer/postings").get_data(as_text=True)) == ["2 applicants"]
    client.set_cookie("lang", "mr")
    page = client.get("/employer/postings").get_data(as_text=True)
    assert link.findall(page) == ["2 अर्जदार"]
    pipeline = client.get(f"/employer/postings/{posting}/applications").get_data(as_text=True)
    ticks = re.findall(
        r'<label class="tick-target[^"]*"[^>]*><input [^>]*type="checkbox"[^>]*>'
        r'<span class="visually-hidden">([^<]+)</span></label>',
        pipeline,
    )
    assert len(ticks) == 2 and all(name.strip() for name in ticks), ticks


def test_the_applied_column_is_a_count_of_applications_and_the_status_a_step(
    client, people, login_as
):
    """In Marathi the column counting applications reads "अर्ज" (applications), while the
    pipeline's step keeps "अर्ज केला" (applied)."""
    posting = people["posting"].external_id
    login_as(people["applicants"][0][1])
    client.post(f"/worker/jobs/{posting}/apply", data={})
    client.set_cookie("lang", "mr")
    login_as(people["employer"])
    assert '<th class="text-end">अर्ज</th>' in client.get("/employer/postings").get_data(
        as_text=True
    )
    pipeline = client.get(f"/employer/postings/{posting}/applications").get_data(as_text=True)
    assert "अर्ज केला" in pipeline
    login_as(people["admin"])
    assert '<th class="text-end">अर्ज</th>' in client.get("/admin/hiring").get_data(as_text=True)


def test_a_slipped_wage_or_a_past_interview_day_is_refused_in_the_pages_language(
    client, people, login_as
):
    """A walk offered ₹1,900 for a ₹17,000–24,000 job and set an interview a month back; both
    were saved. A wage like ₹19,550 could not be typed at all (the box stepped by 100)."""
    meena, meena_user = people["applicants"][0]
    login_as(meena_user)
    client.post(f"/worker/jobs/{people['posting'].external_id}/apply", data={})
    login_as(people["employer"])
    client.set_cookie("lang", "mr")
    url = f"/employer/applications/{application_of(meena).external_id}"
    client.post(url, data={"status": "shortlisted"})
    past = (date.today() - timedelta(days=30)).isoformat()
    page = client.post(
        url, data={"status": "interview", "interview_on": past}, follow_redirects=True
    ).get_data(as_text=True)
    assert application_of(meena).status.value == "shortlisted"
    assert "तो दिवस गेला" in page
    page = client.post(
        url, data={"status": "offered", "monthly_wage_inr": "1900"}, follow_redirects=True
    ).get_data(as_text=True)
    assert application_of(meena).status.value == "shortlisted"
    assert "₹3,000" in page and "पूर्ण मासिक पगार" in page
    start = (date.today() + timedelta(days=5)).isoformat()
    client.post(url, data={"status": "hired", "start_date": start, "monthly_wage_inr": "1900"})
    assert application_of(meena).status.value == "shortlisted"
    # A start seven years back (a slip of the year) would count a job that never ran.
    people["posting"].posted_on = date.today() - timedelta(days=60)
    db.session.commit()
    page = client.post(
        url,
        data={"status": "hired", "start_date": "2019-01-01", "monthly_wage_inr": "19550"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "जाहिरात देण्याआधी" in page
    assert application_of(meena).status.value == "shortlisted"
    assert 'step="1"' in client.get(
        f"/employer/postings/{people['posting'].external_id}/applications"
    ).get_data(as_text=True)
    client.post(url, data={"status": "hired", "start_date": start, "monthly_wage_inr": "19550"})
    hired = application_of(meena)
    assert hired.status.value == "hired"
    assert db.session.get(Placement, hired.placement_id).monthly_wage_inr == 19550


def test_an_applicants_page_leads_back_to_the_employers_own_applications(
    client, people, login_as, factories
):
    """The employer reaches a worker's page from its applicants; the page lists the worker's
    applications to this employer's postings (each back to its applicants), not to others'."""
    meena, meena_user = people["applicants"][0]
    elsewhere = factories.posting(title="Press operator elsewhere")
    login_as(meena_user)
    for posting in (people["posting"], elsewhere):
        client.post(f"/worker/jobs/{posting.external_id}/apply", data={})
    login_as(people["employer"])
    page = client.get(f"/worker/{meena.external_id}").get_data(as_text=True)
    pipeline = f'href="/employer/postings/{people["posting"].external_id}/applications"'
    assert pipeline in page and "CNC turner" in page
    assert "Press operator elsewhere" not in page


def test_a_refused_step_names_the_applicant_and_keeps_what_was_typed(client, people, login_as):
    """A walk set an interview with a note and a past day: the note and the day were gone, the
    message named no applicant, and the page came back at its top."""
    meena, meena_user = people["applicants"][0]
    login_as(meena_user)
    client.post(f"/worker/jobs/{people['posting'].external_id}/apply", data={})
    login_as(people["employer"])
    application = application_of(meena).external_id
    url = f"/employer/applications/{application}"
    client.post(url, data={"status": "shortlisted"})
    past = (date.today() - timedelta(days=3)).isoformat()
    note = "Come at 10 with your Aadhaar card"
    moved = client.post(url, data={"status": "interview", "interview_on": past, "note": note})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(
        f"#application-{application}"
    )
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    card = page[page.index(f'id="application-{application}"') :]
    card = card[: card.index("</article>")]
    # Said in the card, where the page comes back, not at the top out of sight.
    assert f"{meena.name}: That day has passed" in card and "move-refused" in card
    assert '<details class="mt-1" open>' in card
    assert f'value="{past}"' in card and note in card
    # Shown once: the next visit has the empty form again.
    again = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert note not in again


def test_the_applicants_page_keeps_in_the_trail_whose_phone_it_showed(
    client, people, login_as, db_session
):
    """An administrator could not answer "which company saw my number": the applicants page
    showed phones and left no trace."""
    posting = people["posting"].external_id
    applicant, applicant_user = people["applicants"][0]
    invited = people["applicants"][1][0]
    login_as(applicant_user)
    client.post(f"/worker/jobs/{posting}/apply", data={})
    login_as(people["employer"])
    client.post(f"/employer/postings/{posting}/invite", data={"worker_id": invited.external_id})
    client.get(f"/employer/postings/{posting}/applications")
    views = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "personal_data_view")
    ).all()
    # The applicant's phone is shown; the invited worker's is not until she accepts.
    assert [(e.object_id, e.actor_id) for e in views] == [
        (applicant.external_id, people["employer"].id)
    ]
