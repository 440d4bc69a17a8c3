"""The match data: the engine's inputs built from the tables, kept per process and brought up to
date when the data they come from changes (`match_stamp`: a version raised by every write).

A process built at version v that finds the version at v' reads the change log between them
(app/matchmaking/changes.py) and applies only those records: the changed workers' and postings' rows
in the index and the candidate matrix (copies sharing everything unchanged, so a request still
holding the old data sees no half-done change), the courses part when a course changed; on a new
day, the workers who came of age. It builds everything again only at start (unless a snapshot is
on disk), on a taxonomy change, a statement whose rows the log could not tell, or when more than
MATCH_CHANGES_MAX records changed.

Interpretations of the data model are listed in app/matchmaking/services.py."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.auth import policy
from app.caching import StampedCache
from app.common import find_by_external_id
from app.employers.models import JobPosting
from app.extensions import db
from app.matchmaking import changes, snapshots
from app.matchmaking.changes import has_uncommitted_changes, matching_version
from app.matchmaking.profiles import (
    ID_CHUNK,
    CourseBatch,
    OfferingTemplate,
    batch_seats,
    closeness_skill_uris,
    closeness_threshold,
    monthly_wage,
    offering_templates,
    posting_profiles,
    skill_closeness,
    skill_rows,
    worker_profiles,
)
from app.workers.models import Worker
from matching.candidate_matrix import CandidateMatrix
from matching.gaps import (
    RequiredSkill,
    SkillCloseness,
)
from matching.plans import Offering, OfferingCatalogue
from matching.ranking import (
    MatchIndex,
    PostingProfile,
    WorkerProfile,
)
from matching.worker_table import RowIds

_CATALOGUES_KEPT = 8  # catalogues per distinct `today`; a server only ever asks for a few days
# While one request brings the match data up to date, the others wait for it up to a second
# (applying a few writes' changes takes milliseconds, a full build seconds), then are served the
# data it replaces.
kept_match_data: StampedCache[MatchData] = StampedCache("match_data", wait_seconds=1.0)
log = logging.getLogger(__name__)
_saving: threading.Thread | None = None  # the last snapshot being written (tests wait for it)
_snapshot_version = 0  # the version this process last wrote or loaded a snapshot at
full_builds = 0  # how many times this process built its match data in full (for the benchmarks)
SNAPSHOT_EVERY = 1000  # versions applied from the log before this process writes a new one


class UnknownRecord(LookupError):
    """An external id that names no record (the CLI turns it into exit code 1)."""


class MatchingNotAllowed(LookupError):
    """The worker may not be matched: no standing consent to matching, or their data was erased."""


# --- What the engine needs, built from the tables ----------------------------------------------


@dataclass
class MatchData:
    """Everything the engine needs, built from the database once per change of `stamp`."""

    stamp: tuple
    index: MatchIndex
    closeness: SkillCloseness
    labels: dict[str, str]
    templates: tuple[OfferingTemplate, ...]
    batches: dict[str, tuple[CourseBatch, ...]]  # course external id → batches by start date
    posting_wages: dict[str, tuple[int | None, int | None]]
    skills: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # id → (uri, label)
    # Row id → external id of the workers in the index, as arrays (a snapshot maps them).
    worker_ids: RowIds = field(default_factory=lambda: RowIds.from_pairs(()))
    posting_ids: dict[int, str] = field(default_factory=dict)  # row id → external id, in index
    catalogues: dict[date, OfferingCatalogue] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _matrix: CandidateMatrix | None = field(default=None, init=False, repr=False)
    _matrix_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def candidate_matrix(self) -> CandidateMatrix:
        """The visible workers as arrays, for ranking a posting's candidates with vector operations.

        Built on first use, not with the rest: it takes seconds at state scale (100k workers),
        and the match data is rebuilt after every change to the tables, most often for queries
        that never rank candidates (a worker's jobs, gaps, plans, `flask recommend`). Its own lock,
        so catalogue look-ups do not wait behind the build."""
        with self._matrix_lock:
            if self._matrix is None:
                self._matrix = CandidateMatrix(self.index.workers, self.closeness)
            return self._matrix

    def catalogue(self, today: date) -> OfferingCatalogue:
        """The offerings with their next batch as of `today` (kept for a few recent days)."""
        with self.lock:
            found = self.catalogues.get(today)
            if found is None:
                found = OfferingCatalogue(self.offerings(today))
                if len(self.catalogues) >= _CATALOGUES_KEPT:
                    self.catalogues.pop(next(iter(self.catalogues)))
                self.catalogues[today] = found
            return found

    def offerings(self, today: date) -> list[Offering]:
        out = []
        for template in self.templates:
            batch = next_batch(self.batches.get(template.course_id, ()), today)
            out.append(
                Offering(
                    course_id=template.course_id,
                    module_id=template.module_id,
                    title=template.title,
                    skills=template.skills,
                    hours=template.hours,
                    fee_inr=template.fee_inr,
                    next_batch_start=batch.start if batch else None,
                    free_seats=batch.free_seats if batch else None,
                    district=(batch.district if batch else None) or template.district,
                    women_only=template.women_only,
                    residential=template.residential,
                    sector=None,
                    max_batch_size=template.max_batch_size,
                )
            )
        return out

    def label(self, uri: str) -> str:
        return self.labels.get(uri, uri)


def next_batch(batches: Iterable[CourseBatch], today: date) -> CourseBatch | None:
    """The earliest batch from `today` on with a free seat, else the earliest upcoming full one."""
    upcoming = [batch for batch in batches if batch.start >= today]
    with_seats = [batch for batch in upcoming if batch.free_seats > 0]
    if with_seats:
        return with_seats[0]
    return upcoming[0] if upcoming else None


def match_stamp() -> tuple:
    """What the match data is built from: the matching data version, raised by every committed
    write matching depends on (app/versions.py: one primary-key read, where fingerprinting
    the tables took 200 ms at 100,000 workers), today's date (who counts as an adult, and so may
    be shown to employers, moves daily), the encoder and the closeness threshold."""
    return (
        matching_version(db.session),
        date.today(),
        current_app.config["ENCODER"],
        closeness_threshold(),
    )


def match_data() -> MatchData:
    """The process's match data, brought up to date first if the data changed since.

    While one request updates it, the others wait for it up to a second (applying the changes
    of a few writes takes milliseconds), then are served the data it replaces: a full build takes
    seconds at state scale. A session that has written matching data but not committed it gets
    data built from what it sees, neither taken from nor kept in the cache.
    """
    if has_uncommitted_changes(db.session):
        return build_match_data(match_stamp())
    return kept_match_data.get(match_stamp, brought_up_to_date)


def brought_up_to_date(state: MatchData | None, stamp: tuple) -> MatchData:
    """`state` (or, in a new process, the newest snapshot on disk) with the changes logged since
    its version applied (on a new day, also the workers who came of age since), or a full build
    when it is missing, of another encoder or threshold, or the changes call for one."""
    if state is None:
        state = from_snapshot(stamp)
        if state is not None and state.stamp == stamp:
            return state
    if (
        state is not None
        and state.stamp[2:] == stamp[2:]
        and state.stamp[0] <= stamp[0]
        and state.stamp[1] <= stamp[1]
    ):
        limit = int(current_app.config.get("MATCH_CHANGES_MAX", 10_000))
        changed = changes.changes_between(db.session, state.stamp[0], stamp[0], limit)
        if changed is not None and stamp[1] != state.stamp[1]:
            # A new day: who is an adult moved, so did whether they may be shown to employers.
            changed += [
                (changes.WORKER, worker_id)
                for worker_id in db.session.scalars(
                    select(Worker.id).where(policy.came_of_age_clause(state.stamp[1], stamp[1]))
                )
            ]
            if len(changed) > limit:
                changed = None
        if changed is not None:
            updated = apply_changes(state, changed, stamp)
            if updated is not None:
                if updated.stamp[0] - _snapshot_version >= SNAPSHOT_EVERY:
                    _save_in_background(updated)  # so a new process has little to catch up
                return updated
    global full_builds
    full_builds += 1
    built = build_match_data(stamp)
    _save_in_background(built)
    return built


def _save_in_background(data: MatchData) -> None:
    """Write `data` as a snapshot in a thread of its own (when snapshots are on)."""
    global _saving, _snapshot_version
    directory = _snapshot_dir()
    if directory is None:
        return
    _snapshot_version = data.stamp[0]
    _saving = threading.Thread(
        target=save_snapshot, args=(data, directory, _database()), daemon=True
    )
    _saving.start()


def _snapshot_dir() -> Path | None:
    found = current_app.config.get("MATCH_SNAPSHOT_DIR")
    return Path(found) if found else None


def _database() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def from_snapshot(stamp: tuple) -> MatchData | None:
    """The match data of the newest snapshot for `stamp` (at its own, older or equal version)."""
    directory = _snapshot_dir()
    if directory is None or not directory.is_dir():
        return None
    found = snapshots.load(directory, stamp, _database())
    if found is None:
        return None
    global _snapshot_version
    version, day, fields = found
    _snapshot_version = version
    matrix = fields.pop("matrix", None)
    data = MatchData(
        stamp=(version, day, *stamp[2:]), **{name: fields[name] for name in snapshots.FIELDS}
    )
    data._matrix = matrix
    return data


def save_snapshot(data: MatchData, directory: Path, database: str) -> None:
    """Write `data` as a snapshot, with its candidate matrix (built here if it was not yet).
    Runs in a thread of its own after a full build; a failure only costs the next process a
    build, so it is logged, not raised."""
    try:
        fields = {name: getattr(data, name) for name in snapshots.FIELDS}
        fields["matrix"] = data.candidate_matrix()
        snapshots.save(directory, data.stamp, database, fields)
    except Exception:
        log.exception("Could not write a snapshot of the match data to %s.", directory)


def apply_changes(
    state: MatchData, changed: Iterable[changes.Change], stamp: tuple
) -> MatchData | None:
    """A new MatchData at `stamp`: `state` with the changed workers, postings and courses read
    again; None when a change needs a full build (the taxonomy, or rows the log could not tell)."""
    worker_ids: set[int] = set()
    posting_ids: set[int] = set()
    organisation_ids: set[int] = set()
    batch_ids: set[int] = set()
    courses = False
    for kind, record in changed:
        if kind == changes.WORKER:
            worker_ids.add(record)
        elif kind == changes.POSTING:
            posting_ids.add(record)
        elif kind == changes.ORGANISATION:
            organisation_ids.add(record)
        elif kind == changes.BATCH:
            batch_ids.add(record)
        elif kind == changes.COURSES:
            courses = True
        else:  # taxonomy, all, or a kind this version does not know
            return None
    if organisation_ids:  # an employer's name or sector is in its postings; an institution's
        courses = True  # name and district in its courses' offerings
        for chunk in _chunks(sorted(organisation_ids)):
            posting_ids.update(
                db.session.scalars(select(JobPosting.id).where(JobPosting.employer_id.in_(chunk)))
            )
    skills = state.skills

    ids_changed: dict[int, str | None] = {}
    fresh_workers: list[WorkerProfile] = []
    removed_workers: set[str] = set()
    found_workers = dict(worker_profiles(skills, ids=worker_ids)) if worker_ids else {}
    for worker_id in worker_ids:
        old = state.worker_ids.get(worker_id)
        profile = found_workers.get(worker_id)
        if old is not None and (profile is None or profile.worker_id != old):
            removed_workers.add(old)
        if profile is not None:
            ids_changed[worker_id] = str(profile.worker_id)
            fresh_workers.append(profile)
        elif old is not None:
            ids_changed[worker_id] = None
    new_worker_ids = state.worker_ids.updated(ids_changed) if ids_changed else state.worker_ids

    new_posting_ids = dict(state.posting_ids)
    wages = dict(state.posting_wages) if posting_ids else state.posting_wages
    fresh_postings: list[PostingProfile] = []
    removed_postings: set[str] = set()
    found_postings: dict[int, PostingProfile] = {}
    for chunk in _chunks(sorted(posting_ids)):
        rows, chunk_wages = posting_profiles(skills, JobPosting.id.in_(chunk))
        found_postings.update(rows)
        wages.update(chunk_wages)
    for posting_id in posting_ids:
        old = new_posting_ids.pop(posting_id, None)
        profile = found_postings.get(posting_id)
        if old is not None and (profile is None or profile.posting_id != old):
            removed_postings.add(old)
            wages.pop(old, None)
        if profile is not None:
            new_posting_ids[posting_id] = str(profile.posting_id)
            fresh_postings.append(profile)

    index = state.index.updated(
        fresh_workers,
        fresh_postings,
        removed_workers=removed_workers,
        removed_postings=removed_postings,
    )
    if batch_ids and not courses:  # enrolments: only their batches' free seats moved
        batches = _with_batches(state.batches, batch_seats(batch_ids))
        courses = batches is None  # a batch not where it was: read the courses part again
    if courses:
        templates, batches = offering_templates(lambda skill_id: skills[skill_id][0])
        shared = {}
    elif batch_ids:
        templates, shared = state.templates, {}  # the same courses, other free seats
    else:
        templates, batches = state.templates, state.batches
        shared = {"catalogues": state.catalogues, "lock": state.lock}  # the same offerings
    updated = MatchData(
        stamp=stamp,
        index=index,
        closeness=state.closeness,
        labels=state.labels,
        templates=templates,
        batches=batches,
        posting_wages=wages,
        skills=skills,
        worker_ids=new_worker_ids,
        posting_ids=new_posting_ids,
        **shared,
    )
    matrix = state._matrix
    if matrix is not None:
        updated._matrix = matrix.updated(fresh_workers, removed=removed_workers)
    return updated


def _with_batches(
    batches: dict[str, tuple[CourseBatch, ...]], found: list[tuple[str, CourseBatch]]
) -> dict[str, tuple[CourseBatch, ...]] | None:
    """`batches` with the `found` batches in place of the ones of the same id (a new dict; the
    tuples of other courses are shared); None when one of them is not there."""
    updated = dict(batches)
    for course, batch in found:
        own = updated.get(course, ())
        at = [n for n, known in enumerate(own) if known.external_id == batch.external_id]
        if not at or own[at[0]].start != batch.start:
            return None
        updated[course] = (*own[: at[0]], batch, *own[at[0] + 1 :])
    return updated


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def build_match_data(stamp: tuple) -> MatchData:
    """Read workers, postings, courses, modules and batches and prepare the engine's inputs."""
    skills = skill_rows()
    workers = worker_profiles(skills)
    postings, wages = posting_profiles(skills)
    templates, batches = offering_templates(lambda skill_id: skills[skill_id][0])
    closeness = skill_closeness(closeness_skill_uris(skills), threshold=float(stamp[-1]))
    return MatchData(
        stamp=stamp,
        index=MatchIndex(
            (profile for _, profile in workers), (profile for _, profile in postings), closeness
        ),
        closeness=closeness,
        labels=dict(skills.values()),
        templates=templates,
        batches=batches,
        posting_wages=wages,
        skills=skills,
        worker_ids=RowIds.from_pairs((row, str(profile.worker_id)) for row, profile in workers),
        posting_ids={row: str(profile.posting_id) for row, profile in postings},
    )


# --- Profiles of one record ---------------------------------------------------------------------


def worker_profile(data: MatchData, worker: Worker) -> WorkerProfile:
    """The worker as the engine sees them; refused when the privacy rules exclude them."""
    found = data.index.workers.get(worker.external_id)
    if found is None:
        raise MatchingNotAllowed(
            f"Worker {worker.external_id} cannot be matched: matching needs their standing "
            'consent to the purpose "matching" (and data that was not erased).'
        )
    return found


def posting_profile(data: MatchData, posting: JobPosting) -> PostingProfile:
    """The posting from the index when open; a closed or filled posting is read directly."""
    found = data.index.postings.get(posting.external_id)
    if found is not None:
        return found
    return PostingProfile(
        posting_id=posting.external_id,
        required=tuple(
            RequiredSkill(row.skill.uri, row.skill.label, row.essential, row.min_proficiency)
            for row in posting.skills
        ),
        title=posting.title,
        employer=posting.employer.name,
        district=posting.district,
        sector=posting.employer.sector,
        wage_inr=monthly_wage(posting.wage_min_inr, posting.wage_max_inr),
        openings=posting.openings,
    )


def worker_by_external_id(external_id: str) -> Worker:
    worker = find_by_external_id(Worker, external_id)
    if worker is None:
        raise UnknownRecord(f"No worker with id {external_id!r}.")
    return worker


def posting_by_external_id(external_id: str) -> JobPosting:
    posting = find_by_external_id(JobPosting, external_id)
    if posting is None:
        raise UnknownRecord(f"No posting with id {external_id!r}.")
    return posting
