"""Lists of applications cost a fixed number of queries however many rows they show: each row's
worker, posting (with its employer), placement and history are loaded for the whole list, not
asked for one row at a time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.applications import services
from app.applications.states import Actor, ApplicationStatus
from app.extensions import db
from tests.helpers import bearer, statements_of_get

S = ApplicationStatus


@pytest.fixture
def lists(factories):
    """An employer's posting and a worker with a login; applicants and applications are added by
    `add_rows`, so the same pages can be counted at two lengths."""
    employer = factories.user("employer")
    worker = factories.consenting_worker(name="Asha Kale", phone="+919800022233")
    return {
        "employer": employer,
        "posting": factories.posting(employer.organisation, title="Fitter"),
        "worker": worker,
        "worker_user": factories.user("worker", worker=worker),
        "admin": factories.user("admin"),
        "added": 0,
    }


def add_rows(factories, lists, count: int) -> None:
    """`count` more applicants to the employer's posting and `count` more applications of the
    worker to other employers' postings, at several steps (a hire, so a placement, among them)."""
    boss = lists["employer"]
    for _ in range(count):
        n = lists["added"] = lists["added"] + 1
        applicant = factories.consenting_worker(phone="+919800033344")
        ours = services.apply(applicant, lists["posting"], None, note=f"Note {n}")
        posting = factories.posting(factories.employer(), title=f"Job {n}")
        theirs = services.apply(lists["worker"], posting, None)
        for application in (ours, theirs):
            services.move(application, services.Move(S.shortlisted), Actor.employer, boss)
            if n % 2 == 0:
                hire = services.Move(
                    S.hired, start_date=date.today() + timedelta(days=3), monthly_wage_inr=15000
                )
                services.move(application, hire, Actor.employer, boss)
    db.session.commit()
    db.session.expire_all()


def queries_for(client, path: str, headers: dict | None = None) -> int:
    """The statements of one GET of a list, which must answer 200 (statements_of_get)."""
    response, statements = statements_of_get(client, path, headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return statements


def test_application_lists_cost_the_same_for_two_rows_and_for_eight(
    client, factories, lists, login_as
):
    posting, worker = lists["posting"].external_id, lists["worker"].external_id
    employer_token = bearer(lists["employer"])
    worker_token = bearer(lists["worker_user"])

    def count_all() -> dict[str, int]:
        counts = {}
        login_as(lists["employer"])
        counts["pipeline"] = queries_for(client, f"/employer/postings/{posting}/applications")
        login_as(lists["worker_user"])
        counts["mine"] = queries_for(client, "/worker/applications")
        login_as(lists["admin"])
        counts["worker page"] = queries_for(client, f"/worker/{worker}")
        counts["api posting"] = queries_for(
            client, f"/api/v1/postings/{posting}/applications", employer_token
        )
        counts["api worker"] = queries_for(
            client, f"/api/v1/workers/{worker}/applications", worker_token
        )
        return counts

    add_rows(factories, lists, 2)
    short = count_all()
    add_rows(factories, lists, 6)
    long = count_all()
    assert long == short
