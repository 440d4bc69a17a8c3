"""The cluster at a glance, for administrators: counts only, no individual."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, and_, case, cast, func, or_, select

from app.audit.models import AuditEvent
from app.auth import policy
from app.auth.models import User
from app.common import contains_text, same_text
from app.employers.models import JobPosting, PostingStatus
from app.extensions import db
from app.institutions.models import Batch, Course, Enrolment
from app.organisations.models import Cluster, Organisation, OrganisationKind
from app.placements.models import Placement
from app.skills.models import Skill, SkillKind
from app.workers.models import Gender, Worker


@dataclass(frozen=True)
class ClusterOverview:
    clusters: list[Cluster]
    workers: int
    women: int
    visible: int
    employers: int
    institutions: int
    open_postings: int
    open_openings: int
    courses: int
    upcoming_batches: int
    upcoming_seats: int
    enrolments: int
    certified: int
    placements: int
    employed_now: int
    skills_esco: int
    skills_local: int

    @property
    def women_share(self) -> float | None:
        return self.women / self.workers if self.workers else None


def cluster_overview(today: date | None = None) -> ClusterOverview:
    today = today or date.today()
    workers, women = db.session.execute(
        select(func.count(Worker.id), func.count(case((Worker.gender == Gender.female, 1))))
    ).one()
    visible = db.session.scalar(
        select(func.count(Worker.id)).where(policy.visible_to_employers_clause(today))
    )
    organisations = dict(
        db.session.execute(
            select(Organisation.kind, func.count(Organisation.id)).group_by(Organisation.kind)
        ).all()
    )
    open_postings, openings = db.session.execute(
        select(func.count(JobPosting.id), func.coalesce(func.sum(JobPosting.openings), 0)).where(
            JobPosting.status == PostingStatus.open
        )
    ).one()
    upcoming_batches, upcoming_seats = db.session.execute(
        select(func.count(Batch.id), func.coalesce(func.sum(Batch.seats), 0)).where(
            Batch.start_date >= today
        )
    ).one()
    enrolments, certified = db.session.execute(
        select(func.count(Enrolment.id), func.count(case((Enrolment.certified.is_(True), 1))))
    ).one()
    placements, employed_now = db.session.execute(
        select(
            func.count(Placement.id),
            func.count(case((Placement.ended_on.is_(None) | (Placement.ended_on >= today), 1))),
        ).where(Placement.placed_on <= today)
    ).one()
    skills = dict(
        db.session.execute(select(Skill.kind, func.count(Skill.id)).group_by(Skill.kind)).all()
    )
    return ClusterOverview(
        clusters=list(db.session.scalars(select(Cluster).order_by(Cluster.name))),
        workers=workers,
        women=women,
        visible=visible,
        employers=organisations.get(OrganisationKind.employer, 0),
        institutions=organisations.get(OrganisationKind.institution, 0),
        open_postings=open_postings,
        open_openings=openings,
        courses=db.session.scalar(select(func.count(Course.id))),
        upcoming_batches=upcoming_batches,
        upcoming_seats=upcoming_seats,
        enrolments=enrolments,
        certified=certified,
        placements=placements,
        employed_now=employed_now,
        skills_esco=skills.get(SkillKind.esco, 0),
        skills_local=skills.get(SkillKind.local, 0),
    )


def recent_audit_events(limit: int = 20) -> list[AuditEvent]:
    return list(db.session.scalars(audit_events_found().limit(limit)))


def audit_events_found(
    actions: Sequence[str] = (), outcome: str = "", who: str = "", record: str = ""
) -> Select:
    """The audit trail, newest first, narrowed by what an administrator asks of it: some kinds
    of action (one name may stand for two codes), one outcome, what the accounts whose login
    name contains `who` did, and what was done to one record (`record`: its id, any case, or an
    account's exact login name), e.g. who looked at worker W0012's data this month."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if actions:
        statement = statement.where(AuditEvent.action.in_(actions))
    if outcome:
        statement = statement.where(AuditEvent.outcome == outcome)
    if who:
        statement = statement.where(
            AuditEvent.actor_id.in_(
                select(User.id).where(
                    or_(contains_text(User.email, who), contains_text(User.phone, who))
                )
            )
        )
    if record:
        accounts = select(cast(User.id, String)).where(
            or_(same_text(User.email, record), User.phone == record)
        )
        # Privacy events before 2026-12-05 named a worker by the internal number.
        workers = select(cast(Worker.id, String)).where(same_text(Worker.external_id, record))
        statement = statement.where(
            or_(
                same_text(AuditEvent.object_id, record),
                and_(AuditEvent.object_type == "user", AuditEvent.object_id.in_(accounts)),
                and_(AuditEvent.object_type == "worker", AuditEvent.object_id.in_(workers)),
            )
        )
    return statement


def accounts_of(events: list[AuditEvent]) -> dict[int, User]:
    """The accounts the events name, as who did them or what they were done to, for the
    administrator's activity list: the trail had the action and the record but never the
    person, and named an account by its internal number ("account 19")."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    ids |= {
        int(event.object_id)
        for event in events
        if event.object_type == "user" and str(event.object_id or "").isdigit()
    }
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def organisations_with_counts() -> list[tuple[Organisation, int, int]]:
    """Each organisation with its open postings (employers) or courses (institutions)."""
    postings = dict(
        db.session.execute(
            select(JobPosting.employer_id, func.count(JobPosting.id))
            .where(JobPosting.status == PostingStatus.open)
            .group_by(JobPosting.employer_id)
        ).all()
    )
    courses = dict(
        db.session.execute(
            select(Course.institution_id, func.count(Course.id)).group_by(Course.institution_id)
        ).all()
    )
    rows = db.session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name))
    return [(org, postings.get(org.id, 0), courses.get(org.id, 0)) for org in rows]
