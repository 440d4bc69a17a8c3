"""/api/v1: jobs for a worker, a worker's gap against a posting, a posting's candidates, and
cluster demand. Thin handlers: check role and ownership, call a service, serialise.

Who may ask: a worker about themselves (admins, and an institution about workers enrolled with
it, too); an employer about its own postings' candidates (only workers visible to employers are
ever listed, with no personal fields); institutions and admins about cluster demand.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Response, abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.auth import policy
from app.auth.access import require, role_required
from app.auth.models import ANY_ROLE, Role
from app.common import get_by_external_id
from app.employers.models import JobPosting
from app.matchmaking import demand as demand_service
from app.matchmaking import match_inputs, services
from app.matchmaking.schemas import (
    CandidateOut,
    DemandOut,
    DemandQuery,
    GapOut,
    JobMatchOut,
    TodayQuery,
    TopKQuery,
    TrainableCandidateOut,
    TrainableQuery,
)
from app.workers.models import Worker

blp = Blueprint(
    "matchmaking_api",
    __name__,
    url_prefix="/api/v1",
    description="Matching: jobs for a worker, gaps with training plans, candidates, demand",
)
POSTING_OWNERS = (Role.employer, Role.admin)
DEMAND_READERS = (Role.institution, Role.admin)


@contextmanager
def consent_needed() -> Iterator[None]:
    """A worker the privacy rules keep out of matching: 403 saying why."""
    try:
        yield
    except match_inputs.MatchingNotAllowed as exc:
        abort(403, description=str(exc))


def owned_posting(external_id: str) -> JobPosting:
    posting = get_by_external_id(JobPosting, external_id)
    require(policy.can_manage_org_record(current_user, posting.employer_id), "posting", external_id)
    return posting


@blp.route("/workers/<external_id>/jobs")
class WorkerJobs(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(TopKQuery, location="query")
    @blp.response(200, JobMatchOut(many=True))
    def get(self, query, external_id):
        """Open postings that fit the worker, best first, each with its skill gap."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_see_matches_of(current_user, worker), "worker", external_id)
        with consent_needed():
            return services.jobs_for_worker(worker, top_k=query["top_k"])


@blp.route("/workers/<external_id>/gap/<posting_id>")
class WorkerGap(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(TodayQuery, location="query")
    @blp.response(200, GapOut)
    def get(self, query, external_id, posting_id):
        """The worker's gap against the posting, and the training plan that closes it."""
        worker = get_by_external_id(Worker, external_id)
        require(policy.can_see_matches_of(current_user, worker), "worker", external_id)
        posting = get_by_external_id(JobPosting, posting_id)
        require(policy.can_see_gap_against(current_user, posting), "posting", posting_id)
        with consent_needed():
            return services.gap_and_plan(worker, posting, today=query["today"])


@blp.route("/postings/<external_id>/candidates")
class PostingCandidates(MethodView):
    decorators = [role_required(*POSTING_OWNERS)]

    @blp.arguments(TopKQuery, location="query")
    @blp.response(200, CandidateOut(many=True))
    def get(self, query, external_id):
        """Workers visible to employers who fit the posting, best first (the posting's employer
        and admins only)."""
        posting = owned_posting(external_id)
        return services.candidates_for_posting(posting, top_k=query["top_k"])


@blp.route("/postings/<external_id>/trainable")
class PostingTrainable(MethodView):
    decorators = [role_required(*POSTING_OWNERS)]

    @blp.arguments(TrainableQuery, location="query")
    @blp.response(200, TrainableCandidateOut(many=True))
    def get(self, query, external_id):
        """Visible workers who would fit after at most `max_hours` of training, fewest first."""
        posting = owned_posting(external_id)
        return services.trainable_candidates_for_posting(
            posting, max_hours=query["max_hours"], top_k=query["top_k"], today=query["today"]
        )


@blp.route("/demand")
class ClusterDemand(MethodView):
    decorators = [role_required(*DEMAND_READERS)]

    @blp.arguments(DemandQuery, location="query")
    @blp.response(200, DemandOut)
    def get(self, query):
        """Per skill: demand, supply, training capacity and gap; untaught skills; batches to add.

        With `format=csv`, the per-skill table as a CSV file instead."""
        report = demand_service.cluster_demand_report(
            sector=query["sector"], district=query["district"], today=query["today"]
        )
        if query["format"] == "csv":
            return csv_response(report.to_csv_rows(), "cluster-demand.csv")
        return report


def csv_response(rows: list[list], filename: str) -> Response:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
