"""Raise the matching data version whenever a write that matching depends on commits.

Every process keeps its match data (app/matches/services.py) until the version changes. The
session events below see every write the app makes: objects flushed through the unit of work
(`before_flush`) and statements run through `Session.execute` (`do_orm_execute`: bulk imports'
multi-row INSERTs, UPDATE and DELETE statements). The counter is raised once per transaction,
just before COMMIT, so the row lock on PostgreSQL is held only for the commit, and a reader that
sees the new version also sees the data (they commit together). A rolled-back transaction raises
nothing. Until it commits, a session's own writes are not in the version: `has_uncommitted_changes`
tells match_data to build from what this session sees instead of using (or replacing) the cache.

Writes made outside the app (SQL by hand) are not seen: raise the version with
`UPDATE data_version SET version = version + 1 WHERE name = 'matching'`.
"""

from __future__ import annotations

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session

from app.employers.models import JobPosting, PostingSkill
from app.institutions.models import Batch, Course, Enrolment, Module, course_skill, module_skill
from app.matches.models import MATCHING, DataVersion
from app.organisations.models import Organisation
from app.privacy.models import GuardianConsent
from app.skills.models import Skill, SkillAlias
from app.workers.models import Consent, Worker, WorkerSkill

# What build_match_data reads: a write to any of these changes someone's matches.
MATCHING_MODELS = (
    Worker,
    WorkerSkill,
    Consent,
    GuardianConsent,
    JobPosting,
    PostingSkill,
    Organisation,
    Course,
    Module,
    Batch,
    Enrolment,
    Skill,
    SkillAlias,
)
MATCHING_TABLES = frozenset(
    {model.__table__.name for model in MATCHING_MODELS} | {course_skill.name, module_skill.name}
)
_CHANGED = "matching_data_changed"


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session: Session, _context, _instances) -> None:
    if session.info.get(_CHANGED):
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, MATCHING_MODELS):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name in MATCHING_TABLES:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _raise_version_before_commit(session: Session) -> None:
    session.flush()  # the flush the commit would do next: its changes are noted first
    if session.info.pop(_CHANGED, False):
        session.execute(
            update(DataVersion)
            .where(DataVersion.name == MATCHING)
            .values(version=DataVersion.version + 1)
        )


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction ended: committed or undone
        session.info.pop(_CHANGED, None)


def has_uncommitted_changes(session: Session) -> bool:
    """Whether this session holds writes matching depends on that are not committed yet."""
    if session.info.get(_CHANGED):
        return True
    return any(
        isinstance(instance, MATCHING_MODELS)
        for instance in (*session.new, *session.dirty, *session.deleted)
    )


def matching_version(session: Session) -> int:
    """The committed matching data version (0 before anything was written)."""
    found = session.scalar(
        DataVersion.__table__.select()
        .with_only_columns(DataVersion.version)
        .where(DataVersion.name == MATCHING)
    )
    return int(found or 0)
