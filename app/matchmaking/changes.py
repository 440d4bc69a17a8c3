"""The matching data version and its change log: what each committed write changed.

Every process keeps its match data (app/matchmaking/match_inputs.py) until this version changes; how the
counter follows writes is app/versions.py. In the same transaction as the write, the records it
touched are logged in `match_change` under the new version: a worker (their profile, skills,
consents), a posting (its row, skills), an organisation (its postings and courses), the courses
(courses, modules, batches, enrolments: rebuilt as one small part), the taxonomy, or "all" for a
statement whose rows cannot be told (a process then builds everything again). A process that is
behind reads the log since its version and updates only those records.

Until it commits, a session's own writes are not in the version: `has_uncommitted_changes` tells
match_data to build from what this session sees instead of using (or replacing) the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from app.employers.models import JobPosting, PostingSkill
from app.institutions.models import Batch, Course, Enrolment, Module, course_skill, module_skill
from app.matchmaking.models import MatchChange
from app.organisations.models import Organisation
from app.privacy.models import Consent, GuardianConsent
from app.skills.models import Skill, SkillAlias
from app.versions import watch
from app.workers.models import Worker, WorkerSkill

WORKER = "worker"
POSTING = "posting"
ORGANISATION = "organisation"
COURSES = "courses"
BATCH = "batch"  # an enrolment: the free seats of its batch (none without a batch)
TAXONOMY = "taxonomy"
ALL = "all"
WHOLE = (COURSES, TAXONOMY, ALL)  # kinds that name no single record (entity id 0)

# Versions of log kept: a process further behind than this builds everything again anyway.
KEEP_VERSIONS = 10_000
_PRUNE_EVERY = 500
# Records logged one by one per transaction; more are logged as "all" (MATCH_CHANGES_MAX, the most
# a process applies, is 10,000 by default too).
_LOGGED_AT_MOST = 10_000
_NOTED = "match_changes"  # session.info key: (kind, id) changed in this transaction

Change = tuple[str, int]


class Recorded(NamedTuple):
    """What a model's rows change: the kind of record and the attribute holding its id (None: the
    whole kind); whether a row may hold no id and then change nothing (`optional`); and what an
    UPDATE or DELETE statement, whose rows are not known, changes (`unknown_rows`)."""

    kind: str
    attribute: str | None
    optional: bool = False
    unknown_rows: str = ALL


_RECORD_OF: dict[type, Recorded] = {
    Worker: Recorded(WORKER, "id"),
    WorkerSkill: Recorded(WORKER, "worker_id"),
    Consent: Recorded(WORKER, "worker_id"),
    GuardianConsent: Recorded(WORKER, "worker_id"),
    JobPosting: Recorded(POSTING, "id"),
    PostingSkill: Recorded(POSTING, "posting_id"),
    Organisation: Recorded(ORGANISATION, "id"),
    Course: Recorded(COURSES, None),
    Module: Recorded(COURSES, None),
    Batch: Recorded(COURSES, None),
    # An enrolment without a batch holds no seat; enrolments only ever change the courses part.
    Enrolment: Recorded(BATCH, "batch_id", optional=True, unknown_rows=COURSES),
    Skill: Recorded(TAXONOMY, None),
    SkillAlias: Recorded(TAXONOMY, None),
}
# The same by table, for INSERT, UPDATE and DELETE statements.
_RECORD_OF_TABLE: dict[str, Recorded] = {
    model.__table__.name: found for model, found in _RECORD_OF.items()
}
_RECORD_OF_TABLE[course_skill.name] = Recorded(COURSES, None)
_RECORD_OF_TABLE[module_skill.name] = Recorded(COURSES, None)


def _log_changes(session: Session, version: int) -> None:
    """Write this transaction's changed records under `version` (called as the version rises)."""
    # Nothing noted: the rows flushed were only touched (set to the values they had).
    noted: set[Change] = session.info.pop(_NOTED, None) or set()
    if len(noted) > _LOGGED_AT_MOST:  # a bulk import: every process builds it all anyway
        noted = {(ALL, 0)}
    for whole in (ALL, TAXONOMY):
        if (whole, 0) in noted:
            noted = {(whole, 0)}
            break
    if not noted:
        return
    session.execute(
        insert(MatchChange),
        [{"version": version, "kind": kind, "entity_id": entity} for kind, entity in sorted(noted)],
    )
    if version % _PRUNE_EVERY == 0:
        session.execute(delete(MatchChange).where(MatchChange.version <= version - KEEP_VERSIONS))


# What build_match_data reads: a write to any of these changes someone's matches.
MATCHING = watch(
    "matching",
    tuple(_RECORD_OF),
    tables=(course_skill.name, module_skill.name),
    after_raise=_log_changes,
)


def matching_version(session: Session) -> int:
    return MATCHING.version(session)


def has_uncommitted_changes(session: Session) -> bool:
    return MATCHING.has_uncommitted_changes(session)


def changes_between(session: Session, after: int, upto: int, limit: int) -> list[Change] | None:
    """The records changed by versions after `after` up to `upto`, each once; None when there are
    more than `limit` or the log no longer reaches back to `after` (build everything again)."""
    if upto - after > KEEP_VERSIONS:
        return None
    rows = session.execute(
        select(MatchChange.kind, MatchChange.entity_id)
        .where(MatchChange.version > after, MatchChange.version <= upto)
        .order_by(MatchChange.id)
        .limit(limit + 1)
    ).all()
    if len(rows) > limit:
        return None
    return list(dict.fromkeys((kind, int(entity)) for kind, entity in rows))


# --- Noting what a transaction changes ----------------------------------------------------------


def _note(session: Session, changes: Iterable[Change]) -> None:
    session.info.setdefault(_NOTED, set()).update(changes)


def _changes_of(instance: object, *, with_old: bool) -> list[Change]:
    found = _RECORD_OF.get(type(instance))
    if found is None:
        return []
    kind, attribute = found.kind, found.attribute
    if attribute is None:
        return [(kind, 0)]
    ids = {getattr(instance, attribute)}
    if with_old:  # a row moved to another record changes the record it left too
        ids.update(inspect(instance).attrs[attribute].history.deleted)
    if found.optional:  # a row without the id changes no record
        ids.discard(None)
    if None in ids:
        return [(ALL, 0)]
    return [(kind, int(record_id)) for record_id in ids]


@event.listens_for(Session, "before_flush")
def _note_changed_and_deleted(session: Session, _context, _instances) -> None:
    # Before the flush: a deleted row's attributes can still be read (loaded if expired).
    with session.no_autoflush:
        for instance in session.dirty:
            if session.is_modified(instance):  # not only touched, e.g. set to the same value
                _note(session, _changes_of(instance, with_old=True))
        for instance in session.deleted:
            _note(session, _changes_of(instance, with_old=True))


@event.listens_for(Session, "after_flush")
def _note_new(session: Session, _context) -> None:
    # After the flush: new rows have their ids (session.new still lists them here).
    for instance in session.new:
        _note(session, _changes_of(instance, with_old=False))


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    found = _RECORD_OF_TABLE.get(getattr(table, "name", ""))
    if found is None:
        return None
    kind, attribute = found.kind, found.attribute
    if attribute is None:
        _note(state.session, [(kind, 0)])
        return None
    if not state.is_insert:  # which rows an UPDATE or DELETE meets is not known
        _note(state.session, [(found.unknown_rows, 0)])
        return None
    if attribute != "id":  # rows of a record: its id is in each row's values
        ids = _values_of(state.parameters, attribute, optional=found.optional)
        _note(state.session, [(ALL, 0)] if ids is None else [(kind, i) for i in ids])
        return None
    # New records: their ids come back from the database (RETURNING), kept for the caller.
    returned = getattr(state.statement, "returning_column_descriptions", None) or ()
    if "id" not in [column["name"] for column in returned]:
        _note(state.session, [(ALL, 0)])  # new records whose ids are not known
        return None
    result = state.invoke_statement()
    frozen = result.freeze()
    at = list(frozen().keys()).index("id")
    _note(state.session, [(kind, int(row[at])) for row in frozen().all()])
    return frozen()


def _values_of(parameters, attribute: str, optional: bool = False) -> set[int] | None:
    """The ids in each row's `attribute`; None when a row has none, unless it is `optional` (a
    row without it changes no record, as an enrolment without a batch)."""
    rows = parameters if isinstance(parameters, list | tuple) else [parameters]
    ids = set()
    for row in rows:
        if not isinstance(row, Mapping):
            return None
        if row.get(attribute) is None:
            if optional:
                continue
            return None
        ids.add(int(row[attribute]))
    return ids


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction ended: committed or undone
        session.info.pop(_NOTED, None)
