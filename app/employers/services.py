"""Job posting use cases. Services flush; the request or command commits once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.applications import services as applications
from app.auth import policy
from app.auth.models import User
from app.common import (
    contains_text,
    find_by_external_id,
    free_record_id,
    insert_returning_ids,
    insert_rows,
    new_external_id,
    require_fields,
    same_text,
)
from app.employers.models import JobPosting, PostingSkill, PostingStatus
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.organisations.models import Organisation
from app.placements import services as placements
from app.skills.models import Skill
from app.skills.services import skills_by_uri, unknown_skills
from app.vectors.index_backends import POSTING_NAMESPACE
from app.vectors.search import SearchHit, search_text
from app.vectors.sync import TextSource, document_text

POSTING_FIELDS = (
    "title",
    "description",
    "openings",
    "wage_min_inr",
    "wage_max_inr",
    "district",
    "shift",
    "status",
    "posted_on",
)


def create_posting(employer: Organisation, data: Mapping) -> JobPosting:
    external_id = free_record_id(JobPosting, data, "P", "posting")
    return _add_posting(employer, external_id, data)


def _add_posting(employer: Organisation, external_id: str, data: Mapping) -> JobPosting:
    """The posting of `create_posting`, under an id already found free (by it, or by
    `upsert_posting`'s own look-up)."""
    posting = JobPosting(external_id=external_id, employer=employer)
    db.session.add(posting)
    update_posting(posting, data)
    if posting.posted_on is None:
        posting.posted_on = date.today()
    return posting


def upsert_posting(employer: Organisation, data: Mapping) -> tuple[JobPosting, bool]:
    """Create or update the posting with `data["external_id"]`; says whether it was created."""
    require_fields(data, ["external_id"])
    posting = find_by_external_id(JobPosting, data["external_id"])
    if posting is None:
        return _add_posting(employer, data["external_id"], data), True
    posting.employer = employer
    return update_posting(posting, data), False


def update_posting(posting: JobPosting, data: Mapping) -> JobPosting:
    for field in POSTING_FIELDS:
        if field in data:
            setattr(posting, field, data[field])
    problems = wage_problems(posting.wage_min_inr, posting.wage_max_inr)
    if problems:
        raise ValidationFailed(problems)
    if "skills" in data:
        set_posting_skills(posting, data["skills"])
    db.session.flush()
    applications.close_for_posting(posting)  # filled or closed: tell who is still waiting
    return posting


def set_posting_skills(posting: JobPosting, items: Iterable[Mapping]) -> None:
    """Replace the required skills; an unknown URI rejects the whole list."""
    items = list(items)
    found = skills_by_uri(item["uri"] for item in items)
    unknown = unknown_skills(sorted({item["uri"] for item in items}), found)
    if unknown:
        raise ValidationFailed({"skills": unknown})
    wanted = wanted_skills(items)
    current = {row.skill.uri: row for row in posting.skills}
    for uri, row in current.items():
        if uri not in wanted:
            posting.skills.remove(row)
    for uri, item in wanted.items():
        row = current.get(uri)
        if row is None:
            row = PostingSkill(skill=found[uri])
            posting.skills.append(row)
        row.essential, row.min_proficiency = item
    db.session.flush()


def wage_problems(low: int | None, high: int | None) -> dict[str, list[str]]:
    """The wage range rule, shared by one posting's update and a bulk import's new postings: a
    monthly wage no lower than a wage job's floor (₹5 a month was saved), the range in order."""
    problems = {
        **placements.monthly_wage_problems(low, "wage_min_inr"),
        **placements.monthly_wage_problems(high, "wage_max_inr"),
    }
    if not problems and low is not None and high is not None and low > high:
        return {"wage_max_inr": [N_("Must not be below wage_min_inr.")]}
    return problems


def wanted_skills(items: Iterable[Mapping]) -> dict[str, tuple[bool, int]]:
    """{uri: (essential, min_proficiency)}; a skill listed twice keeps the stricter requirement."""
    wanted: dict[str, tuple[bool, int]] = {}
    for item in items:
        requirement = (bool(item.get("essential", True)), int(item.get("min_proficiency", 1)))
        seen = wanted.get(item["uri"])
        if seen is None or requirement > seen:
            wanted[item["uri"]] = requirement
    return wanted


def add_new_postings(
    items: Sequence[tuple[Organisation, Mapping]],
) -> tuple[list[int | None], dict[int, dict]]:
    """Add many postings whose ids are new, in one multi-row INSERT per table: the bulk
    importer's path (see app.workers.services.add_new_workers for why).

    Each (employer, data) item gets `create_posting`'s checks (wage range, known skills; a skill
    listed twice keeps the stricter requirement, posted today unless dated); an item that fails
    is left out. Returns the new ids and the failures' errors, by position.
    """
    errors: dict[int, dict[str, list[str]]] = {}
    found = skills_by_uri(item["uri"] for _, data in items for item in data.get("skills") or ())
    rows = []
    for position, (employer, data) in enumerate(items):
        problems = wage_problems(data.get("wage_min_inr"), data.get("wage_max_inr"))
        wanted = wanted_skills(data.get("skills") or ())
        unknown = unknown_skills(sorted(wanted), found)
        if unknown:
            problems["skills"] = unknown
        if problems:
            errors[position] = problems
            continue
        values = {field: data[field] for field in POSTING_FIELDS if field in data}
        if values.get("posted_on") is None:
            values["posted_on"] = date.today()
        external_id = data.get("external_id") or new_external_id("P")
        rows.append(
            (position, {"external_id": external_id, "employer_id": employer.id, **values}, wanted)
        )
    ids: list[int | None] = [None] * len(items)
    if not rows:
        return ids, errors
    new_ids = insert_returning_ids(JobPosting, [values for _, values, _ in rows])
    for (position, _, _), posting_id in zip(rows, new_ids, strict=True):
        ids[position] = posting_id
    insert_rows(
        PostingSkill,
        [
            {"posting_id": posting_id, "skill_id": found[uri].id, "essential": essential,
             "min_proficiency": level}
            for (_, _, wanted), posting_id in zip(rows, new_ids, strict=True)
            for uri, (essential, level) in wanted.items()
        ],
    )  # fmt: skip
    return ids, errors


def most_wanted_skills(limit: int = 12) -> list[Skill]:
    """The skills most open postings ask for, most asked first: the choices a worker can tap on
    the skill picker before typing anything."""
    postings = func.count(PostingSkill.posting_id)
    ranked = (
        select(PostingSkill.skill_id, postings.label("postings"))
        .join(JobPosting, JobPosting.id == PostingSkill.posting_id)
        .where(JobPosting.status == PostingStatus.open)
        .group_by(PostingSkill.skill_id)
        .order_by(postings.desc(), PostingSkill.skill_id)
        .limit(limit)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Skill)
            .join(ranked, ranked.c.skill_id == Skill.id)
            .order_by(ranked.c.postings.desc(), Skill.id)
        )
    )


def open_postings_near(district: str | None, limit: int = 30) -> list[JobPosting]:
    """Every open posting, those in `district` first, then the newest: what a worker who has not
    told us their skills yet can browse."""
    in_district = JobPosting.district == (district or "")
    return list(
        db.session.scalars(
            select(JobPosting)
            .options(joinedload(JobPosting.employer))
            .where(JobPosting.status == PostingStatus.open)
            .order_by(
                in_district.desc(),
                JobPosting.posted_on.desc().nulls_last(),
                JobPosting.id.desc(),
            )
            .limit(limit)
        )
    )


def delete_posting(posting: JobPosting) -> None:
    db.session.delete(posting)
    db.session.flush()


# Free-text search ------------------------------------------------------------------------------


def open_posting_texts() -> dict[str, str]:
    """What the posting vectors are made of: per open posting, its title, the labels of the
    skills it requires and its description (closed or filled postings are not searched)."""
    is_open = JobPosting.status == PostingStatus.open
    labels: dict[int, list[str]] = defaultdict(list)
    for posting_id, label in db.session.execute(
        select(PostingSkill.posting_id, Skill.label)
        .join(PostingSkill.skill)
        .join(PostingSkill.posting)
        .where(is_open)
    ):
        labels[posting_id].append(label)
    rows = db.session.execute(
        select(JobPosting.id, JobPosting.title, JobPosting.description).where(is_open)
    )
    return {str(row.id): document_text(row.title, labels[row.id], row.description) for row in rows}


POSTING_VECTORS = TextSource(POSTING_NAMESPACE, JobPosting, open_posting_texts)


def search_postings(user: User, text: str, limit: int = 10) -> list[SearchHit[JobPosting]]:
    """Open postings closest in meaning to `text`, best first, among those `user` may see."""

    def visible(ids: Sequence[str]) -> set[str]:
        statement = (
            policy.postings_visible_to(user)
            .with_only_columns(JobPosting.id)
            .where(JobPosting.status == PostingStatus.open, JobPosting.id.in_(map(int, ids)))
        )
        return {str(posting_id) for posting_id in db.session.scalars(statement)}

    def load(ids: Sequence[str]) -> dict[str, JobPosting]:
        statement = (
            select(JobPosting)
            .where(JobPosting.id.in_(map(int, ids)))
            # What PostingOut shows, in two queries instead of two per posting.
            .options(
                joinedload(JobPosting.employer),
                selectinload(JobPosting.skills).joinedload(PostingSkill.skill),
            )
        )
        return {str(posting.id): posting for posting in db.session.scalars(statement)}

    return search_text(POSTING_VECTORS, text, limit, visible, load)


def postings_found(statement: Select, text: str, status: PostingStatus | None) -> Select:
    """The postings of ``statement`` of one status (all when None) whose title, employer or id
    contains ``text`` (all when it is blank)."""
    if status is not None:
        statement = statement.where(JobPosting.status == status)
    if text:
        employers = select(Organisation.id).where(contains_text(Organisation.name, text))
        statement = statement.where(
            or_(
                contains_text(JobPosting.title, text),
                same_text(JobPosting.external_id, text),
                JobPosting.employer_id.in_(employers),
            )
        )
    return statement
