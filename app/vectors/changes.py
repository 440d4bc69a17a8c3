"""Raise the search texts version whenever a write that the posting or course texts depend on
commits, so a search knows in one primary-key read whether its namespace may be stale.

The same pattern as app/matches/changes.py (whose matching version moves on far more writes:
every worker, consent and enrolment too, and each move would cost a search a full digest pass),
with its own row of data_version, made on first use by an INSERT ... ON CONFLICT. Writes made
outside the app (SQL by hand) are not seen: run `flask vectors sync`, which compares every digest.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from app.employers.models import JobPosting, PostingSkill
from app.institutions.models import Course, course_skill
from app.matches.models import DataVersion
from app.skills.models import Skill

SEARCH_TEXTS = "search_texts"
# What open_posting_texts and course_texts read: titles, descriptions, syllabi, skill labels.
TEXT_MODELS = (JobPosting, PostingSkill, Course, Skill)
TEXT_TABLES = frozenset({model.__table__.name for model in TEXT_MODELS} | {course_skill.name})
_CHANGED = "search_texts_changed"


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session: Session, _context, _instances) -> None:
    if session.info.get(_CHANGED):
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        # A course's skills live in course_skill, which has no class: a course whose collection
        # changed is in session.dirty, so it is caught here too.
        if isinstance(instance, TEXT_MODELS):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name in TEXT_TABLES:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _raise_version_before_commit(session: Session) -> None:
    session.flush()  # the flush the commit would do next: its changes are noted first
    if not session.info.pop(_CHANGED, False):
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(DataVersion.__table__).values(name=SEARCH_TEXTS, version=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["name"], set_={"version": DataVersion.__table__.c.version + 1}
        )
    )


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction ended: committed or undone
        session.info.pop(_CHANGED, None)


def search_texts_version(session: Session) -> int:
    """The committed search texts version (0 before any such write)."""
    found = session.scalar(
        select(DataVersion.__table__.c.version).where(DataVersion.__table__.c.name == SEARCH_TEXTS)
    )
    return int(found or 0)
