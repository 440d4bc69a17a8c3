"""Employers' pages: own postings only, skills suggested from the description, refusals."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.employers.models import JobPosting


def test_postings_page_lists_own_postings_only(client, factories, login_as):
    user = factories.user("employer")
    mine = factories.posting(user.organisation, title="CNC Operator VMC")
    theirs = factories.posting(title="Paint Shop Helper")
    page = login_as(user).get("/employer/postings").get_data(as_text=True)
    assert mine.title in page and theirs.title not in page


def test_another_employers_posting_is_refused(client, factories, login_as, db_session):
    user = factories.user("employer")
    theirs = factories.posting(title="Paint Shop Helper")
    login_as(user)
    assert client.get(f"/employer/postings/{theirs.external_id}").status_code == 403
    assert client.get(f"/employer/postings/{theirs.external_id}/edit").status_code == 403
    response = client.post(
        f"/employer/postings/{theirs.external_id}/edit",
        data={"title": "Hijacked", "district": "Pune", "openings": "1", "submit": "1"},
    )
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(JobPosting, theirs.id).title == "Paint Shop Helper"


def test_workers_cannot_open_employer_pages(client, factories, login_as):
    login_as(factories.user("worker"))
    assert client.get("/employer/postings").status_code == 403


def test_description_suggests_skills_and_saving_keeps_the_chosen_ones(
    client, factories, login_as, db_session
):
    tig = factories.skill("TIG welding", alt_labels=["gas tungsten arc welding"])
    drawings = factories.skill("read engineering drawings")
    factories.skill("manage musical staff")
    user = factories.user("employer")
    login_as(user)
    form = {
        "title": "TIG Welder",
        "description": "Need TIG welding on stainless parts. Must read engineering drawings.",
        "district": "Pune",
        "openings": "3",
        "shift": "general",
        "status": "open",
    }
    page = client.post("/employer/postings/new", data={**form, "suggest": "1"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "TIG welding" in text and "read engineering drawings" in text
    response = client.post(
        "/employer/postings/new",
        data={
            **form,
            "submit": "1",
            "add_skill": [tig.uri, drawings.uri],
            f"essential:{drawings.uri}": "no",
            f"level:{tig.uri}": "3",
        },
    )
    assert response.status_code == 302
    posting = db_session.scalar(select(JobPosting).where(JobPosting.title == "TIG Welder"))
    assert posting.employer_id == user.organisation_id
    required = {(s.skill.uri, s.essential, s.min_proficiency) for s in posting.skills}
    assert required == {(tig.uri, True, 3), (drawings.uri, False, 1)}


def test_invalid_posting_form_shows_field_errors_and_writes_nothing(
    client, factories, login_as, db_session
):
    login_as(factories.user("employer"))
    before = db_session.scalar(select(JobPosting.id).order_by(JobPosting.id.desc()).limit(1))
    response = client.post(
        "/employer/postings/new",
        data={"title": "", "district": "Pune", "openings": "0", "submit": "1"},
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "invalid-feedback" in text
    after = db_session.scalar(select(JobPosting.id).order_by(JobPosting.id.desc()).limit(1))
    assert before == after


def test_a_wage_below_a_months_floor_is_refused_on_its_field(
    client, factories, login_as, db_session
):
    """A walk saved "₹5–₹20,000 a month": the posting's range has the floor of every wage job."""
    login_as(factories.user("employer"))
    form = {
        "title": "Welder",
        "district": "Pune",
        "openings": "1",
        "shift": "general",
        "status": "open",
        "wage_min_inr": "5",
        "wage_max_inr": "20000",
        "submit": "1",
    }
    response = client.post("/employer/postings/new", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "₹3,000" in text
    feedback = text[text.index('name="wage_min_inr"') :][:1500]
    assert "₹3,000" in feedback
    assert db_session.scalar(select(JobPosting).where(JobPosting.title == "Welder")) is None
    assert (
        client.post("/employer/postings/new", data={**form, "wage_min_inr": "15000"}).status_code
        == 302
    )


def test_a_low_wage_is_said_with_an_empty_title_not_after_it(client, factories, login_as):
    """A walk was told of the ₹5 wage only once it had filled in the title: every field's
    mistake, the service's wage rule among them, comes back at once."""
    login_as(factories.user("employer"))
    form = {"title": "", "district": "Pune", "openings": "1", "shift": "general"}
    form.update({"status": "open", "wage_min_inr": "5", "wage_max_inr": "20000", "submit": "1"})
    text = client.post("/employer/postings/new", data=form).get_data(as_text=True)
    assert "₹3,000" in text[text.index('name="wage_min_inr"') :][:1500]
    assert "invalid-feedback" in text[text.index('name="title"') :][:1500]
    swapped = {**form, "wage_min_inr": "20000", "wage_max_inr": "15000"}
    text = client.post("/employer/postings/new", data=swapped).get_data(as_text=True)
    assert "at least the lowest wage" in text[text.index('name="wage_max_inr"') :][:1500]


def test_admin_sees_every_employers_postings(client, factories, login_as):
    first, second = factories.posting(title="Forge Operator"), factories.posting(title="Die Caster")
    page = login_as(factories.user("admin")).get("/employer/postings").get_data(as_text=True)
    assert first.title in page and second.title in page


def test_suggest_reads_openings_district_wage_shift_and_needs_from_the_ad(
    client, factories, login_as
):
    """The ad the employer already has fills the fields it states (left empty by them) and marks
    a skill the ad calls preferred as optional; fields the employer set are kept."""
    lathe = factories.skill("tend CNC lathe machine", alt_labels=["CNC turning"])
    fanuc = factories.skill("use Fanuc controls", alt_labels=["Fanuc control"])
    login_as(factories.user("employer"))
    form = {
        "title": "CNC Turning Operator",
        "description": "Need 2 CNC turning operators at Chakan. Salary 16-22k. Rotational shifts. "
        "Must know CNC turning; Fanuc control preferred.",
        "district": "",
        "openings": "1",
        "shift": "general",
        "status": "open",
    }
    page = client.post("/employer/postings/new", data={**form, "suggest": "1"})
    text = page.get_data(as_text=True)
    inputs = dict(re.findall(r'<input[^>]*?name="(\w+)"[^>]*?value="([^"]*)"', text))
    assert (inputs["openings"], inputs["district"]) == ("2", "Pune")
    assert (inputs["wage_min_inr"], inputs["wage_max_inr"]) == ("16000", "22000")
    assert re.search(r'<option selected value="rotating">|<option value="rotating" selected', text)
    assert "Filled from the description" in text
    # Said again where the page comes back (the suggestions), with the way up to the fields.
    beside = text[text.index('id="suggest-skills"') :]
    assert 'id="filled-fields"' in beside and 'href="#posting-fields"' in beside
    assert 'id="posting-fields"' in text and 'action="/employer/postings/new"' in text
    # The suggest button brings the page back at the suggestions, not at its top.
    assert (
        'formaction="/employer/postings/new#suggest-skills"' in text
        and 'id="suggest-skills"' in text
    )
    # The ticked suggestions are not on the posting yet; the page says when they will be.
    assert 'id="skills-on-save"' in text and "No skills chosen yet" not in text
    client.set_cookie("lang", "mr")  # the district read from the ad is filled in Marathi
    marathi = client.post("/employer/postings/new", data={**form, "suggest": "1"})
    filled = dict(re.findall(r'<input[^>]*?name="(\w+)"[^>]*?value="([^"]*)"', marathi.text))
    assert filled["district"] == "पुणे"
    client.set_cookie("lang", "en")
    needs = {
        uri: text.split(f'name="essential:{uri}"')[1].split("</select>")[0]
        for uri in (lathe.uri, fanuc.uri)
        if f'name="essential:{uri}"' in text
    }
    assert fanuc.uri in needs and 'value="no" selected' in needs[fanuc.uri]
    assert lathe.uri in needs and 'value="yes" selected' in needs[lathe.uri]

    kept = client.post(
        "/employer/postings/new", data={**form, "district": "Satara", "suggest": "1"}
    ).get_data(as_text=True)
    assert re.search(r'name="district"[^>]*value="Satara"', kept)
    assert re.search(r'name="title"[^>]*value="CNC Turning Operator"', kept)

    # A title left empty is proposed from the ad, in its writer's words.
    untitled = client.post(
        "/employer/postings/new", data={**form, "title": "", "suggest": "1"}
    ).get_data(as_text=True)
    assert re.search(r'name="title"[^>]*value="CNC turning operator"', untitled)
    assert "job title" in untitled.split("Filled from the description")[1][:200]


def test_closing_a_posting_with_open_applications_asks_first(
    client, factories, login_as, db_session
):
    """One slip of the status box ended every application for good: the page now says how
    many it ends and saves only once the employer ticks to go ahead."""
    from app.applications.models import Application, ApplicationEvent
    from app.applications.states import Actor, ApplicationStatus

    user = factories.user("employer")
    posting = factories.posting(user.organisation, title="CNC operator")
    for number in range(2):
        worker = factories.consenting_worker(name=f"Applicant {number}")
        db_session.add(
            Application(
                external_id=f"AP-C{number}",
                posting=posting,
                worker=worker,
                status=ApplicationStatus.applied,
                events=[ApplicationEvent(to_status=ApplicationStatus.applied, actor=Actor.worker)],
            )
        )
    db_session.commit()
    login_as(user)
    url = f"/employer/postings/{posting.external_id}/edit"
    form = {
        "title": "CNC operator",
        "district": "Pune",
        "openings": "1",
        "shift": "general",
        "status": "closed",
        "submit": "1",
    }
    asked = client.post(url, data=form)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-close"' in html
    assert "ends its 2 open applications" in html
    db_session.expire_all()
    assert db_session.get(JobPosting, posting.id).status.value == "open"
    statuses = db_session.scalars(select(Application.status)).all()
    assert statuses == [ApplicationStatus.applied, ApplicationStatus.applied]
    # A change that keeps the posting open is saved without asking.
    kept = client.post(url, data={**form, "status": "open", "openings": "2"})
    assert kept.status_code == 302
    question = html[html.index('id="confirm-close"') :][:2000]
    assert "autofocus" in question and 'id="save-and-close"' in question  # its own button
    done = client.post(url, data={**form, "confirm_close": "y"}, follow_redirects=True)
    assert "2 open applications ended; each worker was told." in done.get_data(as_text=True)
    assert "Posting “CNC operator” closed." in done.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(JobPosting, posting.id).status.value == "closed"
    statuses = db_session.scalars(select(Application.status)).all()
    assert statuses == [ApplicationStatus.closed, ApplicationStatus.closed]
    from app.audit.models import AuditEvent

    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "applications_closed"))
    assert (event.actor_id, event.object_id, event.detail) == (
        user.id,
        posting.external_id,
        {"applications": 2},
    )


def test_the_list_of_postings_is_found_by_words_and_status_a_page_at_a_time(
    client, factories, login_as
):
    """An administrator's list of every posting ran to 42,000 px on a phone, with no search."""
    forge = factories.employer(name="Chakan Forge")
    press = factories.employer(name="Bhosari Press")
    factories.posting(forge, title="Forging press operator")
    factories.posting(press, title="Power press operator", status="closed")
    for n in range(26):
        factories.posting(press, title=f"Helper {n}")
    browser = login_as(factories.user("admin"))

    def titles(query: str) -> str:
        return browser.get(f"/employer/postings?{query}").get_data(as_text=True)

    page = titles("")
    assert "28 postings" in page and 'href="/employer/postings?page=2"' in page
    assert "Forging press operator" in titles("find=forge")  # by the employer's name
    assert "Power press operator" not in titles("find=forge")
    found = titles("find=press&status=closed")
    assert "Power press operator" in found and "Forging press operator" not in found
    assert "No posting matches what you searched for." in titles("find=nothing-like-it")


def test_years_the_ad_asks_for_set_the_suggested_minimum_level(client, factories, login_as):
    """An ad asking for "3 years of CNC turning" suggested the lathe at level 1."""
    lathe = factories.skill("tend CNC lathe machine", alt_labels=["CNC turning"])
    login_as(factories.user("employer"))
    page = client.post(
        "/employer/postings/new",
        data={
            "title": "CNC Turning Operator",
            "description": "Need CNC turning operators with 3 years of CNC turning.",
            "district": "Pune",
            "openings": "1",
            "shift": "general",
            "status": "open",
            "suggest": "1",
        },
    ).get_data(as_text=True)
    level = page.split(f'name="level:{lathe.uri}"')[1].split("</select>")[0]
    assert re.search(r'<option value="3" selected>', level)
