"""Matching pages: a worker's jobs, gap and enrolment from the plan; an employer's candidates; the
institution's cluster demand with its heatmap (no inline script)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.employers.models import PostingStatus
from app.extensions import db
from app.institutions.models import Enrolment, EnrolmentStatus

SOON = date.today() + timedelta(days=20)
LATER = date.today() + timedelta(days=80)


@pytest.fixture
def world(factories):
    tig = factories.skill("perform tungsten inert gas welding")
    drawings = factories.skill("read engineering drawings")
    mig = factories.skill("perform metal inert gas welding")
    course = factories.course(
        skills=[tig, drawings], hours=300, fee_inr=3000, title="TIG Welding Course"
    )
    bridge = factories.module(course, skills=[tig], hours=40, title="TIG bridge for MIG welders")
    first = factories.batch(course, start_date=SOON, seats=1)
    second = factories.batch(course, start_date=LATER, seats=10)
    employer = factories.employer(sector="forging")
    posting = factories.posting(
        employer, title="TIG Welder", skills=[(tig, True, 2), (drawings, True, 1)]
    )
    other_posting = factories.posting(title="Someone else's welder", skills=[(tig, True, 1)])
    welder = factories.consenting_worker(
        name="Asha Welder", skills=[(mig, 3), (drawings, 2)], phone="+91 9876543210"
    )
    hidden = factories.consenting_worker(
        visible_to_employers=False, skills=[(tig, 1), (drawings, 1)]
    )
    return {
        "course": course,
        "bridge": bridge,
        "first": first,
        "second": second,
        "posting": posting,
        "other_posting": other_posting,
        "welder": welder,
        "hidden": hidden,
        "employer_user": factories.user("employer", organisation=employer),
        "welder_user": factories.user("worker", worker=welder),
    }


def enrolments_of(worker) -> list[Enrolment]:
    return list(db.session.scalars(select(Enrolment).where(Enrolment.worker_id == worker.id)))


def no_inline_scripts(page: str) -> bool:
    for tag in re.findall(r"<script\b[^>]*>", page):
        if "src=" not in tag and 'type="application/json"' not in tag:
            return False
    return True


def test_worker_sees_ranked_jobs_with_chips(client, world, login_as):
    login_as(world["welder_user"])
    page = client.get("/worker/jobs").get_data(as_text=True)
    assert "TIG Welder" in page
    assert f'href="/worker/jobs/{world["posting"].external_id}"' in page
    assert "read engineering drawings" in page
    assert 'href="/worker/jobs"' in page  # the menu links here
    assert no_inline_scripts(page)


def test_gap_page_shows_plan_and_enrol_button(client, world, login_as):
    login_as(world["welder_user"])
    response = client.get(f"/worker/jobs/{world['posting'].external_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "TIG bridge for MIG welders" in page
    assert world["bridge"].external_id in page
    assert f"{SOON.day} {SOON:%b %Y}" in page  # a readable date (en_IN: 5 Jan 2027)
    enrol = f"/worker/jobs/{world['posting'].external_id}/enrol?course="
    assert enrol in page.replace("&amp;", "&") and ">Enrol</a>" in page
    assert "close to your skill" in page or "missing" in page
    # The bridge module's fee is its share of the course's (40 of 300 hours of ₹3,000), said as
    # such: the enrolment it leads to is the whole course's (a browser walk took ₹4,125 for
    # the price and found ₹15,000 on the next page).
    share = page[page.index("TIG bridge for MIG welders") :]
    assert "₹400" in share and "share of the course’s ₹3,000" in share
    assert 'id="module-fees"' in page


def test_enrol_takes_the_next_batch_with_a_free_seat_once(client, world, login_as, factories):
    factories.enrolment(
        factories.consenting_worker(), world["course"], batch=world["first"]
    )  # fills it
    login_as(world["welder_user"])
    url = f"/worker/jobs/{world['posting'].external_id}/enrol"
    form = {
        "course": world["course"].external_id,
        "module": world["bridge"].external_id,
        "batch": world["second"].external_id,
    }
    response = client.post(url, data=form)
    assert response.status_code == 302
    (enrolment,) = enrolments_of(world["welder"])
    assert enrolment.batch_id == world["second"].id
    assert enrolment.status is EnrolmentStatus.enrolled
    assert world["bridge"].external_id in enrolment.notes
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are enrolled in TIG Welding Course" in page
    assert ">Enrolled</span>" in page
    # The note the app wrote is read in the worker's language on their own data page.
    client.set_cookie("lang", "hi")
    mine = client.get("/worker/my-data").get_data(as_text=True)
    assert "From the training plan" not in mine and world["bridge"].external_id in mine
    client.set_cookie("lang", "en")
    again = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "already enrolled" in again
    assert len(enrolments_of(world["welder"])) == 1


def test_enrol_is_refused_without_free_seats_or_off_the_plan(client, world, login_as, factories):
    for batch in (world["first"], world["second"]):
        for _ in range(batch.seats):
            factories.enrolment(factories.consenting_worker(), world["course"], batch=batch)
    login_as(world["welder_user"])
    url = f"/worker/jobs/{world['posting'].external_id}/enrol"
    form = {"course": world["course"].external_id, "module": world["bridge"].external_id}
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Every upcoming batch of TIG Welding Course is full." in page
    # The plan offers nothing to press: the row says to ask the institution instead.
    plan = client.get(f"/worker/jobs/{world['posting'].external_id}").get_data(as_text=True)
    row = plan[plan.index("TIG bridge for MIG welders") :]
    row = row[: row.index("</tr>")]
    assert ">Enrol</a>" not in row and "Nothing to join yet: ask" in row
    other = factories.course(skills=[factories.skill("operate forklift")])
    factories.batch(other, start_date=SOON)
    page = client.post(
        url, data={"course": other.external_id, "module": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert "not on your training plan" in page
    assert enrolments_of(world["welder"]) == []


def test_a_course_with_no_batch_planned_says_so_and_what_it_is(
    client, world, login_as, factories, db_session
):
    """A walk pressed Enrol on a module with no batch at all and was told none "has a free
    seat"; a residential or women-only course did not say so outside its English title."""
    for batch in (world["first"], world["second"]):
        db_session.delete(batch)
    world["course"].residential = True
    world["course"].women_only = True
    db_session.commit()
    login_as(world["welder_user"])
    client.set_cookie("lang", "hi")
    plan = client.get(f"/worker/jobs/{world['posting'].external_id}").get_data(as_text=True)
    row = plan[plan.index("TIG bridge for MIG welders") :]
    row = row[: row.index("</tr>")]
    assert "/enrol?" not in row and "no-batch" in row
    assert "Nothing to join yet" not in row  # said in Hindi
    assert "सिर्फ़ महिलाओं के लिए" in row and "संस्थान में रहकर" in row
    url = f"/worker/jobs/{world['posting'].external_id}/enrol"
    form = {"course": world["course"].external_id, "module": world["bridge"].external_id}
    client.set_cookie("lang", "en")
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "No batch of TIG Welding Course is planned yet: ask the institution" in page


def test_enrol_needs_the_csrf_token(app, client, world, login_as, monkeypatch):
    login_as(world["welder_user"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/worker/jobs/{world['posting'].external_id}/enrol"
    client.post(url, data={"course": world["course"].external_id, "module": ""})
    assert enrolments_of(world["welder"]) == []


def test_closed_postings_and_other_roles_are_refused(client, world, login_as, factories):
    world["posting"].status = PostingStatus.closed
    db.session.commit()
    login_as(world["welder_user"])
    assert client.get(f"/worker/jobs/{world['posting'].external_id}").status_code == 404
    assert client.get("/employer/postings/P-X/candidates").status_code == 403
    assert client.get("/institution/demand").status_code == 403


def test_employer_sees_visible_candidates_of_own_posting_only(client, world, login_as):
    login_as(world["employer_user"])
    posting_id = world["posting"].external_id
    page = client.get(f"/employer/postings/{posting_id}/candidates").get_data(as_text=True)
    assert world["welder"].external_id in page
    assert world["hidden"].external_id not in page
    # Visible workers by name, with no phone number until they apply.
    assert "Asha Welder" in page and "9876543210" not in page
    trainable = client.get(
        f"/employer/postings/{posting_id}/candidates?tab=trainable&hours=60"
    ).get_data(as_text=True)
    assert world["welder"].external_id in trainable
    # The plan that gets them there, by the module's and the institution's names, not codes.
    assert "TIG bridge for MIG welders" in trainable
    assert world["course"].institution.name in trainable
    assert world["bridge"].external_id not in trainable
    too_short = client.get(
        f"/employer/postings/{posting_id}/candidates?tab=trainable&hours=10"
    ).get_data(as_text=True)
    assert world["welder"].external_id not in too_short
    other = world["other_posting"].external_id
    assert client.get(f"/employer/postings/{other}/candidates").status_code == 403


def test_a_posting_without_skills_ranks_nobody(client, world, login_as, factories):
    """With no skill asked for, every worker came out "100 of 100": the page says what is
    missing and leads to adding the skills instead."""
    empty = factories.posting(world["posting"].employer, title="Helper", skills=[])
    login_as(world["employer_user"])
    for tab in ("fit", "trainable"):
        page = client.get(f"/employer/postings/{empty.external_id}/candidates?tab={tab}").get_data(
            as_text=True
        )
        assert 'id="no-skills"' in page and world["welder"].external_id not in page
        assert f"/employer/postings/{empty.external_id}/edit" in page
    page = client.get(f"/employer/postings/{world['posting'].external_id}/candidates").get_data(
        as_text=True
    )
    assert 'id="no-skills"' not in page and "a red chip is a skill they lack" in page


def test_a_candidate_the_employer_employs_already_is_said_so(client, world, login_as, factories):
    """A walk hired a worker and found her offered again on the employer's next posting with
    nothing to say she works there; a job with another employer is not the employer's to know."""
    employer = world["posting"].employer
    factories.placement(world["welder"], employer, placed_on=date.today() - timedelta(days=3))
    login_as(world["employer_user"])
    url = f"/employer/postings/{world['posting'].external_id}/candidates"
    page = client.get(url).get_data(as_text=True)
    card = page[page.index("Asha Welder") :]
    assert "Works with you since" in card[: card.index("</article>")]
    other = factories.consenting_worker(name="Elsewhere Employed", skills=[])
    factories.placement(other, factories.employer(), placed_on=date.today())
    assert "Works with you since" not in page[page.index("</article>") :]


def test_institution_demand_page_with_heatmap_and_csv(client, world, login_as, factories):
    login_as(factories.user("institution"))
    response = client.get("/institution/demand?by=sector")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert no_inline_scripts(page)
    plotly_url = re.search(r'src="(/static/vendor/plotly-cartesian\.min\.js\?v=\w+)"', page)
    assert plotly_url and "js/matches_demand.js" in page
    data = re.search(
        r'<script type="application/json" id="demand-heatmap-data">(.*?)</script>', page, re.S
    )
    heatmap = json.loads(data.group(1))
    assert heatmap["skills"][0] == "perform tungsten inert gas welding"
    assert set(heatmap["columns"]) == {"forging", "(no sector)"}
    assert "/institution/demand.csv" in page
    assert 'id="demand-table"' in page and 'id="demand-table-more"' not in page  # none folded
    csv_page = client.get("/institution/demand.csv?sector=forging")
    assert csv_page.mimetype == "text/csv"
    assert "perform tungsten inert gas welding" in csv_page.get_data(as_text=True)
    # The file's name says its filter (every download was "cluster-demand.csv").
    assert 'filename="cluster-demand-forging.csv"' in csv_page.headers["Content-Disposition"]
    whole = client.get("/institution/demand.csv").headers["Content-Disposition"]
    assert 'filename="cluster-demand.csv"' in whole
    script = client.get(plotly_url.group(1))
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    script.close()


def test_heatmap_labels_cannot_break_out_of_the_json_block(client, login_as, factories):
    nasty = factories.skill("</script><script>alert(1)</script>")
    factories.posting(skills=[(nasty, True, 1)])
    login_as(factories.user("admin"))
    page = client.get("/institution/demand").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert no_inline_scripts(page)


def test_demand_table_shows_the_largest_gaps_and_folds_the_rest(client, login_as, factories):
    """On a phone every skill is a card: the 20 largest gaps first, the others behind a
    <details> that opens without JavaScript."""
    skills = [factories.skill(f"demand skill {n:02}") for n in range(25)]
    for n, skill in enumerate(skills):
        factories.posting(skills=[(skill, True, 1)], openings=n + 1)
    login_as(factories.user("institution"))
    page = client.get("/institution/demand").get_data(as_text=True)

    def skills_in(table_id: str) -> list[str]:
        table = page[page.index(f'id="{table_id}"') :]
        return re.findall(r"demand skill (\d\d)", table[: table.index("</table>")])

    assert skills_in("demand-table") == [f"{n:02}" for n in range(24, 4, -1)]
    folded = page[page.index('<details class="mb-3" id="demand-table-more">') :]
    assert "Show the other 5 skills" in folded[: folded.index("</summary>")]
    assert skills_in("demand-table-folded") == ["04", "03", "02", "01", "00"]


def test_worker_without_consent_is_asked_for_it(client, factories, login_as):
    user = factories.user("worker", worker=factories.worker())
    login_as(user)
    response = client.get("/worker/jobs")
    assert response.status_code == 403
    assert "consent" in response.get_data(as_text=True)


def test_demand_page_names_sectors_and_districts_in_marathi(client, world, login_as, factories):
    login_as(factories.user("institution"))
    client.set_cookie("lang", "mr")
    page = client.get("/institution/demand?by=sector").get_data(as_text=True)
    assert '<option value="forging">फोर्जिंग</option>' in page
    text = re.search(
        r'<script type="application/json" id="demand-heatmap-text">(.*?)</script>', page, re.S
    )
    assert "फोर्जिंग" in json.loads(text.group(1))["columns"]


def test_a_new_worker_without_skills_browses_all_open_jobs_and_is_asked_to_describe_work(
    client, world, login_as, factories
):
    newcomer = factories.consenting_worker(name="New Worker", district="Satara", skills=[])
    far = factories.posting(title="Press Operator Satara", district="Satara")
    login_as(factories.user("worker", worker=newcomer))
    page = client.get("/worker/jobs").get_data(as_text=True)
    assert 'href="/worker/skills#suggestions"' in page
    for posting in (world["posting"], world["other_posting"], far):
        assert f'href="/worker/jobs/{posting.external_id}"' in page
    assert page.index("Press Operator Satara") < page.index("TIG Welder")  # their district first
    login_as(world["welder_user"])
    assert 'href="/worker/skills#suggestions"' not in client.get("/worker/jobs").get_data(
        as_text=True
    )


def test_enrolling_shows_what_will_happen_before_anything_is_written(
    client, world, login_as, factories
):
    world["course"].duration_months = 3
    world["first"].district = "Pune"
    db.session.commit()
    login_as(world["welder_user"])
    url = f"/worker/jobs/{world['posting'].external_id}/enrol"
    args = {"course": world["course"].external_id, "module": world["bridge"].external_id}
    response = client.get(url, query_string=args)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Confirm your enrolment" in page and "TIG Welding Course" in page
    assert world["course"].institution.name in page
    assert "₹3,000 for the whole course" in page
    assert "Pune" in page
    assert f"starts {SOON.day} {SOON:%b %Y}" in page and "ends about" in page
    assert "The whole course (300 hours): your plan needs only the module" in page
    assert "TIG bridge for MIG welders" in page
    assert f'value="{world["first"].external_id}"' in page
    assert enrolments_of(world["welder"]) == []  # seeing it wrote nothing
    # A form without the batch the worker saw (an old page) leads to the confirmation again.
    response = client.post(url, data=args)
    assert response.status_code == 200 and "Confirm your enrolment" in response.get_data(
        as_text=True
    )
    assert enrolments_of(world["welder"]) == []
    whole = client.get(url, query_string={"course": world["course"].external_id, "module": ""})
    if whole.status_code == 200:  # the whole course is on the plan too
        assert "The whole course (300 hours)." in whole.get_data(as_text=True)


def test_a_batch_that_filled_up_since_the_confirmation_is_not_enrolled(
    client, world, login_as, factories
):
    login_as(world["welder_user"])
    url = f"/worker/jobs/{world['posting'].external_id}/enrol"
    form = {
        "course": world["course"].external_id,
        "module": world["bridge"].external_id,
        "batch": world["first"].external_id,
    }
    factories.enrolment(factories.consenting_worker(), world["course"], batch=world["first"])
    response = client.post(url, data=form)
    assert response.status_code == 302 and "/enrol?" in response.headers["Location"]
    assert enrolments_of(world["welder"]) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The batch has changed since you looked" in page
    assert f'value="{world["second"].external_id}"' in page


def test_a_candidates_page_leads_back_from_a_profile_and_invites_from_it(client, world, login_as):
    """A walk opened a candidate's profile from the list and found a dead end: no way back to
    the posting's candidates and no way to invite."""
    login_as(world["employer_user"])
    posting_id = world["posting"].external_id
    welder = world["welder"].external_id
    listing = client.get(f"/employer/postings/{posting_id}/candidates").get_data(as_text=True)
    profile_url = f"/worker/{welder}?posting={posting_id}"
    assert profile_url in listing
    page = client.get(profile_url).get_data(as_text=True)
    # Back to the list at this candidate's card, not at its top.
    assert f'href="/employer/postings/{posting_id}/candidates#candidate-{welder}"' in page
    assert f'action="/employer/postings/{posting_id}/invite"' in page
    assert "shared only once the worker applies to you" in page
    invited = client.post(
        f"/employer/postings/{posting_id}/invite",
        data={"worker_id": welder},
        headers={"Referer": f"http://localhost{profile_url}"},
    )
    assert invited.status_code == 302
    assert invited.headers["Location"].endswith(f"/candidates#candidate-{welder}")
    again = client.get(profile_url).get_data(as_text=True)
    assert 'id="seen-for"' in again and f"/employer/postings/{posting_id}/invite" not in again
    # Another employer's posting named in the address offers nothing.
    other = client.get(f"/worker/{welder}?posting={world['other_posting'].external_id}").get_data(
        as_text=True
    )
    assert 'id="seen-for"' not in other
