"""Worker pages: own profile, editing, skills editor, consent, and the worker page others see."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.privacy.models import Consent
from app.workers.models import SkillSource, Worker
from tests.helpers import statements_of_get


def reload(db_session, worker: Worker) -> Worker:
    db_session.expire_all()
    return db_session.get(Worker, worker.id)


def consent_to_all(worker: Worker) -> None:
    """The worker's standing consent to every purpose, as a registration or import records it."""
    from app.extensions import db
    from app.workers import services

    services.record_consent(
        worker, services.CONSENT_NOTICE_VERSION, list(services.CONSENT_PURPOSES)
    )
    db.session.commit()


def profile_form(worker: Worker, **overrides) -> dict:
    form = {
        "name": worker.name,
        "gender": worker.gender.value,
        "date_of_birth": worker.date_of_birth.isoformat(),
        "district": worker.district,
        "state": worker.state,
        "education": "",
        "languages": "Marathi, Hindi",
        "phone": "",
        "email": "",
        "social_category": "",
        "disability": "",
        "profile_text": "",
    }
    form.update(overrides)
    return form


def test_worker_sees_own_profile_with_skills_and_consent_status(client, factories, login_as):
    welding = factories.skill("TIG welding")
    worker = factories.worker(
        name="Asha Jadhav", phone="+919811112222", social_category="obc", skills=[(welding, 3)]
    )
    user = factories.user("worker", worker=worker)
    login_as(user)
    response = client.get("/worker/profile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Asha Jadhav" in page and "+919811112222" in page and "OBC" in page
    assert "TIG welding" in page and "self-declared" in page
    assert "You have not given consent" in page
    assert 'href="/worker/profile/edit"' in page and 'href="/worker/skills"' in page


def test_a_new_workers_profile_offers_the_skills_in_her_own_description(
    client, factories, login_as
):
    """A walk registered with a description of her work and found "No skills added yet" with no
    way on; the profile now leads to the suggestions from what she wrote."""
    worker = factories.consenting_worker(profile_text="I run a CNC lathe and read drawings")
    login_as(factories.user("worker", worker=worker))
    page = client.get("/worker/profile").get_data(as_text=True)
    assert 'id="suggest-from-description" href="/worker/skills?suggest=1#suggestions"' in page


def test_anonymous_is_sent_to_login(client, factories):
    worker = factories.worker()
    for url in ("/worker/profile", "/worker/skills", f"/worker/{worker.external_id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    response = client.post("/worker/profile/edit", data={"name": "X"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_worker_cannot_open_another_workers_page(client, factories, login_as, db_session):
    other = factories.worker(name="Other Person", phone="+919822223333")
    login_as(factories.user("worker"))
    response = client.get(f"/worker/{other.external_id}")
    assert response.status_code == 403
    assert "+919822223333" not in response.get_data(as_text=True)
    assert reload(db_session, other).name == "Other Person"


def test_only_workers_have_the_own_profile_pages(client, factories, login_as):
    login_as(factories.user("employer"))
    for url in ("/worker/profile", "/worker/profile/edit", "/worker/skills"):
        assert client.get(url).status_code == 403, url


def test_edit_profile_saves_and_normalises(client, factories, login_as, db_session):
    user = factories.user("worker", worker=factories.consenting_worker())
    login_as(user)
    page = client.get("/worker/profile/edit").get_data(as_text=True)
    assert user.worker.name in page
    response = client.post(
        "/worker/profile/edit",
        data=profile_form(
            user.worker,
            district="Khed",
            phone="98765 43210",
            email="Me@Example.org",
            education="iti",
            disability="no",
            visible_to_employers="y",
            profile_text="VMC operator, Fanuc control, 3 years.",
        ),
    )
    assert response.status_code == 302
    saved = reload(db_session, user.worker)
    assert (saved.district, saved.phone, saved.email) == ("Khed", "+919876543210", "me@example.org")
    assert saved.education.value == "iti" and saved.disability is False
    assert saved.languages == ["Marathi", "Hindi"] and saved.visible_to_employers is True
    assert saved.profile_text == "VMC operator, Fanuc control, 3 years."


def test_edit_profile_shows_a_message_per_field_and_saves_nothing(
    client, factories, login_as, db_session
):
    user = factories.user("worker")
    before = (user.worker.name, user.worker.district, user.worker.phone)
    login_as(user)
    too_young = date(date.today().year - 9, 1, 1).isoformat()
    response = client.post(
        "/worker/profile/edit",
        data=profile_form(
            user.worker, name="", district="Khed", phone="123", date_of_birth=too_young
        ),
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("is-invalid") >= 3
    assert "10-digit" in page and "aged 14 and over" in page
    saved = reload(db_session, user.worker)
    assert (saved.name, saved.district, saved.phone) == before
    client.set_cookie("lang", "mr")
    response = client.post("/worker/profile/edit", data=profile_form(user.worker, phone="123"))
    assert "10 अंकी भारतीय मोबाइल नंबर द्या" in response.get_data(as_text=True)


def test_skills_editor_search_add_level_remove(client, factories, login_as, db_session):
    from app.skills.models import SkillAlias

    vmc = factories.skill("operate vertical machining centre")
    vmc.aliases.append(SkillAlias(alias="VMC"))
    db_session.commit()
    user = factories.user("worker")
    login_as(user)

    found = client.get("/skills/search?q=vmc").json
    assert [(item["uri"], item["aliases"]) for item in found] == [(vmc.uri, ["VMC"])]
    assert client.get("/skills/search?q=v").json == []  # too short to search
    # The address the search had first still answers, the same, for pages already open.
    assert client.get("/worker/skills/search?q=vmc").json == found
    page = client.get("/worker/skills?q=machining").get_data(as_text=True)
    assert "operate vertical machining centre" in page and "js/workers_skills.js" in page
    assert 'data-search-url="/skills/search"' in page

    assert client.post("/worker/skills/add", data={"uri": vmc.uri, "proficiency": "3"}).status_code
    held = reload(db_session, user.worker).skills
    assert [(r.skill.uri, r.proficiency, r.source) for r in held] == [
        (vmc.uri, 3, SkillSource.self_declared)
    ]
    client.post("/worker/skills/add", data={"uri": vmc.uri, "proficiency": "4"})
    assert reload(db_session, user.worker).skills[0].proficiency == 4
    # Found again by a search, a held skill shows its own level and "Save", not "Add" at level 2
    # (a walk's "Add" quietly lowered a level 3 skill to 2); the live search gets the levels too.
    page = client.get("/worker/skills?q=machining").get_data(as_text=True)
    result = page[page.index('id="skill-results"') :]
    assert '<option value="4" selected>' in result and '<option value="2" selected>' not in result
    assert "on your profile" in result and "Save" in result
    assert f"&#34;{vmc.uri}&#34;: 4" in page  # data-held on the search form
    # A level box names the level; what it means is said once (a whole meaning in every box
    # was cut off at 390 px).
    assert '<option value="4" selected>4 · expert</option>' in result
    meanings = page[page.index('id="level-meanings"') : page.index("</details>")]
    assert "<li>4 · expert: can teach others</li>" in meanings
    assert "can teach others" not in result

    response = client.post(
        "/worker/skills/add", data={"uri": "urn:nope", "proficiency": "2"}, follow_redirects=True
    )
    assert "Unknown skill: urn:nope" in response.get_data(as_text=True)
    response = client.post(
        "/worker/skills/add", data={"uri": vmc.uri, "proficiency": "7"}, follow_redirects=True
    )
    assert "Write a number from 1 to 4." in response.get_data(as_text=True)
    assert reload(db_session, user.worker).skills[0].proficiency == 4

    client.post("/worker/skills/remove", data={"uri": vmc.uri})
    assert reload(db_session, user.worker).skills == []


def test_worker_cannot_change_the_level_of_a_certified_skill(
    client, factories, login_as, db_session
):
    from app.extensions import db
    from app.workers.services import add_worker_skill

    skill = factories.skill("surface grinding")
    user = factories.user("worker")
    add_worker_skill(user.worker, skill.uri, 3, "certified")
    db.session.commit()
    login_as(user)
    response = client.post(
        "/worker/skills/add", data={"uri": skill.uri, "proficiency": "4"}, follow_redirects=True
    )
    assert "only your institution can change its level" in response.get_data(as_text=True)
    row = reload(db_session, user.worker).skills[0]
    assert (row.proficiency, row.source) == (3, SkillSource.certified)


def test_consent_given_and_withdrawn_on_the_profile_page(client, factories, login_as, db_session):
    user = factories.user("worker", worker=factories.worker(visible_to_employers=True))
    login_as(user)
    refused = client.post("/worker/consent", data={}, follow_redirects=True)
    assert "Choose at least one purpose" in refused.get_data(as_text=True)
    client.post("/worker/consent", data={"purposes": ["matching", "share_with_employers"]})
    consents = db_session.scalars(select(Consent).where(Consent.worker_id == user.worker.id)).all()
    assert [(c.purposes, c.given_by) for c in consents] == [
        (["matching", "share_with_employers"], "self")
    ]
    page = client.get("/worker/profile").get_data(as_text=True)
    assert "You agreed to notice version" in page and "Withdraw my consent" in page
    assert "See jobs that fit" in page

    client.post("/worker/consent/withdraw")
    db_session.expire_all()
    assert consents[0].withdrawn_at is not None
    assert reload(db_session, user.worker).visible_to_employers is False
    page = client.get("/worker/profile").get_data(as_text=True)
    assert "earlier consent was withdrawn" in page
    # The card no longer offers the jobs it may not show; it says what they need instead.
    assert "See jobs that fit" not in page and "needs your consent" in page


def test_employer_sees_public_fields_only(client, factories, login_as):
    skill = factories.skill("CNC turning")
    worker = factories.worker(
        name="Visible Worker",
        date_of_birth=date(1990, 3, 4),
        phone="+919833334444",
        email="hidden@example.org",
        social_category="sc",
        disability=True,
        visible_to_employers=True,
        skills=[(skill, 2)],
    )
    consent_to_all(worker)
    hidden = factories.worker(visible_to_employers=False)
    login_as(factories.user("employer"))
    response = client.get(f"/worker/{worker.external_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Visible Worker" in page and "CNC turning" in page and "30–39" in page
    for secret in ("1990-03-04", "9833334444", "hidden@example.org", "Social category", "Disab"):
        assert secret not in page, secret
    assert client.get(f"/worker/{hidden.external_id}").status_code == 403


def test_institution_sees_its_trainee_in_full_but_not_others(client, factories, login_as):
    institution_user = factories.user("institution")
    trainee = factories.worker(phone="+919844445555", visible_to_employers=False)
    factories.enrolment(trainee, factories.course(institution_user.organisation))
    stranger = factories.worker(visible_to_employers=True)
    login_as(institution_user)
    page = client.get(f"/worker/{trainee.external_id}").get_data(as_text=True)
    assert "+919844445555" in page and "No standing consent" in page
    assert client.get(f"/worker/{stranger.external_id}").status_code == 403


def test_profile_links_to_the_worker_pages_in_the_menu(client, factories, login_as):
    login_as(factories.user("worker"))
    page = client.get("/").headers["Location"]
    assert page.endswith("/worker/profile")
    assert 'href="/worker/profile"' in client.get("/worker/profile").get_data(as_text=True)


def test_form_posts_need_the_csrf_token(app, client, factories, login_as, db_session, monkeypatch):
    skill = factories.skill("deburring")
    user = factories.user("worker")
    login_as(user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    forged = [
        ("/worker/skills/add", {"uri": skill.uri, "proficiency": "2"}),
        ("/worker/profile/edit", profile_form(user.worker, name="Forged Name")),
        ("/worker/consent", {"purposes": ["matching"]}),
    ]
    for url, data in forged:
        assert client.post(url, data=data).status_code in (200, 400), url
    saved = reload(db_session, user.worker)
    assert saved.skills == [] and saved.name != "Forged Name" and saved.consents == []


def test_edit_profile_rejects_values_outside_the_choices(client, factories, login_as, db_session):
    user = factories.user("worker")
    login_as(user)
    response = client.post(
        "/worker/profile/edit", data=profile_form(user.worker, gender="robot", education="phd")
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Must be one of: female, male, transgender." in page
    assert reload(db_session, user.worker).gender.value == user.worker.gender.value


def test_description_suggests_skills_to_tick_and_add(client, factories, login_as, db_session):
    welding = factories.skill("TIG welding", description="Join metals with a tungsten arc.")
    factories.skill("bake bread", description="Make bread in an oven.")
    user = factories.user("worker")
    consent_to_all(user.worker)
    login_as(user)
    response = client.post(
        "/worker/skills/describe",
        data={"profile_text": "Five years of TIG welding on stainless steel frames."},
    )
    assert response.status_code == 302 and "suggest=1" in response.headers["Location"]
    assert reload(db_session, user.worker).profile_text.startswith("Five years of TIG welding")
    # Sent empty (a tap too soon), it says so and the description stays.
    empty = client.post(
        "/worker/skills/describe", data={"profile_text": "  "}, follow_redirects=True
    )
    assert "Write a few words about your work first." in empty.get_data(as_text=True)
    assert reload(db_session, user.worker).profile_text.startswith("Five years of TIG welding")
    # Too long, it is refused beside the box with every word kept (a walk lost 5,000 characters
    # to a message at the top of the page and her old text back in the box).
    long_text = "I weld frames. " * 400
    too_long = client.post("/worker/skills/describe", data={"profile_text": long_text})
    assert too_long.status_code == 422
    box = too_long.get_data(as_text=True).split('name="profile_text"')[1]
    assert 'maxlength="5000"' in too_long.get_data(as_text=True)
    assert (
        long_text.strip() in box and "Write at most 5000 characters." in box[: len(long_text) + 800]
    )
    assert reload(db_session, user.worker).profile_text.startswith("Five years of TIG welding")

    page = client.get("/worker/skills?suggest=1").get_data(as_text=True)
    assert f'name="uris" value="{welding.uri}"' in page
    # Five years of work suggest level 3, chosen beside the skill for the worker to check.
    level_select = page[page.index(f'name="level:{welding.uri}"') :]
    level_select = level_select[: level_select.index("</select>")]
    assert re.search(r'<option value="3"[^>]*selected', level_select)

    too_high = client.post(
        "/worker/skills/suggested",
        data={"uris": [welding.uri], f"level:{welding.uri}": "9"},
        follow_redirects=True,
    )
    assert too_high.status_code == 200 and not reload(db_session, user.worker).skills
    assert 'class="alert alert-danger"' in too_high.get_data(as_text=True)
    client.post(
        "/worker/skills/suggested", data={"uris": [welding.uri], f"level:{welding.uri}": "3"}
    )
    held = reload(db_session, user.worker).skills
    assert [(r.skill.uri, r.proficiency, r.source) for r in held] == [
        (welding.uri, 3, SkillSource.self_declared)
    ]
    page = client.get("/worker/skills?suggest=1").get_data(as_text=True)
    assert f'name="uris" value="{welding.uri}"' not in page  # already held: not suggested again

    refused = client.post(
        "/worker/skills/suggested", data={"uris": ["urn:nope"]}, follow_redirects=True
    )
    assert "Unknown skill: urn:nope" in refused.get_data(as_text=True)


def test_suggestions_say_why_when_the_taxonomy_is_empty(client, factories, login_as, db_session):
    from app.skills.models import Skill

    assert db_session.query(Skill).count() == 0
    user = factories.user("worker", worker=factories.worker(profile_text="CNC operator"))
    consent_to_all(user.worker)
    login_as(user)
    page = client.get("/worker/skills?suggest=1").get_data(as_text=True)
    assert "Skill suggestions are not available right now" in page


def test_the_skill_picker_offers_the_skills_open_postings_ask_for_most(client, factories, login_as):
    """Before any typing, a worker who reads little can tap a common skill of the cluster."""
    from app.employers.models import PostingStatus

    welding, lathe, painting = (
        factories.skill("apply arc welding techniques"),
        factories.skill("tend lathe"),
        factories.skill("paint with a paint gun"),
    )
    employer = factories.employer()
    factories.posting(employer, skills=[welding, lathe])
    factories.posting(employer, skills=[welding])
    factories.posting(employer, skills=[painting], status=PostingStatus.closed)
    worker = factories.worker()
    login_as(factories.user("worker", worker=worker))
    html = client.get("/worker/skills").get_data(as_text=True)
    picker = html[html.index('id="common-skills"') : html.index('id="skill-add-template"')]
    assert picker.index("apply arc welding techniques") < picker.index("tend lathe")
    assert "paint with a paint gun" not in picker  # only open postings count
    response = client.post("/worker/skills/add", data={"uri": welding.uri, "proficiency": "2"})
    assert response.status_code == 302
    html = client.get("/worker/skills").get_data(as_text=True)
    picker = html[html.index('id="common-skills"') : html.index('id="skill-add-template"')]
    assert 'aria-disabled="true"' in picker  # held now: shown, not offered again
    searched = client.get("/worker/skills?q=lathe").get_data(as_text=True)
    assert 'id="common-skills"' not in searched


def test_showing_the_profile_to_employers_is_one_choice(client, factories, login_as, db_session):
    """The profile's "employers may see my profile" and the consent's "show my profile to
    employers" are one decision: changing either changes both."""
    from app.workers.services import current_consent

    worker = factories.consenting_worker(purposes=["matching"], visible_to_employers=False)
    login_as(factories.user("worker", worker=worker))
    client.post("/worker/profile/edit", data=profile_form(worker, visible_to_employers="y"))
    db_session.refresh(worker)
    assert worker.visible_to_employers
    assert "share_with_employers" in current_consent(worker).purposes
    client.post("/worker/profile/edit", data=profile_form(worker))  # unticked
    db_session.refresh(worker)
    assert not worker.visible_to_employers
    assert current_consent(worker).purposes == ["matching"]
    client.post("/worker/consent", data={"purposes": ["matching", "share_with_employers"]})
    db_session.refresh(worker)
    assert worker.visible_to_employers


def test_saving_consent_closes_what_may_no_longer_be_shared_once(
    client, factories, login_as, db_session, monkeypatch
):
    """The consent form and the profile's sharing choice each ask close_for_worker once; the
    profile still asks when nothing new was consented (a date of birth that makes a minor)."""
    from app.applications import services as applications

    asked = []
    close_for_worker = applications.close_for_worker
    monkeypatch.setattr(
        applications,
        "close_for_worker",
        lambda worker: asked.append(worker.id) or close_for_worker(worker),
    )
    worker = factories.consenting_worker()
    login_as(factories.user("worker", worker=worker))
    employer = factories.user("employer").organisation

    def open_application():
        application = applications.apply(worker, factories.posting(employer), None)
        db_session.commit()
        asked.clear()
        return application

    def closed(application) -> bool:
        db_session.refresh(application)
        return application.status.value == "closed"

    first = open_application()
    client.post("/worker/consent", data={"purposes": ["matching"]})
    assert len(asked) == 1 and closed(first)
    db_session.refresh(worker)
    assert not worker.visible_to_employers

    client.post("/worker/consent", data={"purposes": ["matching", "share_with_employers"]})
    second = open_application()
    client.post("/worker/profile/edit", data=profile_form(worker))  # unticked
    assert len(asked) == 1 and closed(second)

    client.post("/worker/profile/edit", data=profile_form(worker, visible_to_employers="y"))
    third = open_application()
    minor = date.today().replace(year=date.today().year - 16, day=1)
    edited = profile_form(worker, visible_to_employers="y", date_of_birth=minor.isoformat())
    client.post("/worker/profile/edit", data=edited)
    assert len(asked) == 1 and closed(third)


def test_a_skill_search_costs_the_same_for_two_matches_and_for_eight(
    client, factories, login_as, db_session
):
    """Each match shows its aliases: they are loaded with the list, not one query a match."""
    from app.skills.models import SkillAlias

    login_as(factories.user("worker"))

    def queries_for_matches(count: int) -> int:
        for n in range(count):
            skill = factories.skill(f"operate hydraulic press line {count}-{n}")
            skill.aliases.append(SkillAlias(alias=f"press {count}-{n}"))
        db_session.commit()
        response, statements = statements_of_get(client, f"/skills/search?q=press line {count}-")
        found = response.json
        assert len(found) == count and all(item["aliases"] for item in found)
        return statements

    assert queries_for_matches(8) == queries_for_matches(2)


def test_the_skill_search_finds_every_word_in_any_order(client, factories, login_as, db_session):
    from app.skills.models import SkillAlias

    """A walk searched "सीएनसी मशीन" and "cnc machine" and was told no skill matched, while
    "सीएनसी" alone listed CNC lathe and drilling machines."""
    lathe = factories.skill("tend CNC lathe machine")
    factories.skill("tend CNC drilling machine")
    # ESCO's own label has no "CNC": its alias has, and "machine" is in the label.
    numeric = factories.skill("tend computer numerical control grinder machine")
    numeric.aliases.append(SkillAlias(alias="CNC grinder"))
    db_session.commit()
    factories.skill("machine learning")
    phrase = factories.skill("operate CNC machine")
    login_as(factories.user("worker"))

    def found(query: str) -> list[str]:
        return [item["label"] for item in client.get(f"/skills/search?q={query}").json]

    assert found("cnc machine") == [
        "operate CNC machine",  # the phrase itself first
        "tend CNC drilling machine",
        "tend CNC lathe machine",
        "tend computer numerical control grinder machine",  # "cnc" in its alias
    ]
    assert found("machine cnc") == found("cnc machine")
    assert found("सीएनसी मशीन") == found("cnc machine")
    assert found("lathe cnc") == [lathe.label] and phrase.label not in found("lathe")


def test_a_worker_stops_one_use_of_her_data_and_keeps_the_others(
    client, factories, login_as, db_session
):
    """A walk found only "withdraw my consent", which stops everything and closes applications."""
    from app.workers import services

    user = factories.user("worker")
    consent_to_all(user.worker)
    user.worker.visible_to_employers = True
    db_session.commit()
    login_as(user)
    page = client.get("/worker/profile").get_data(as_text=True)
    change = page[page.index('id="change-consent"') :]
    change = change[: change.index("</details>")]
    assert change.count("checked") == 4  # what she agrees to now, each ticked
    response = client.post("/worker/consent", data={"purposes": ["matching", "training_referrals"]})
    assert response.status_code == 302
    worker = reload(db_session, user.worker)
    assert services.current_consent(worker).purposes == ["matching", "training_referrals"]
    assert worker.visible_to_employers is False  # no longer shared with employers
    assert 'id="change-consent"' in client.get("/worker/profile").get_data(as_text=True)
