"""Job posting use cases. Services flush; the request or command commits once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import Select, select

from app.auth.models import Role, User
from app.common import new_external_id
from app.employers.models import JobPosting, PostingSkill, PostingStatus
from app.errors import ValidationFailed
from app.extensions import db
from app.organisations.models import Organisation
from app.skills.services import skills_by_uri

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


def postings_visible_to(user: User) -> Select:
    """Employers see their own postings; workers see open ones; institutions and admins all."""
    statement = select(JobPosting).order_by(JobPosting.posted_on.desc(), JobPosting.id.desc())
    if user.role is Role.employer:
        return statement.where(JobPosting.employer_id == user.organisation_id)
    if user.role is Role.worker:
        return statement.where(JobPosting.status == PostingStatus.open)
    return statement


def create_posting(employer: Organisation, data: Mapping) -> JobPosting:
    external_id = data.get("external_id") or new_external_id("P")
    if db.session.scalar(select(JobPosting.id).where(JobPosting.external_id == external_id)):
        raise ValidationFailed({"external_id": [f"A posting with id {external_id} exists."]})
    posting = JobPosting(external_id=external_id, employer=employer)
    db.session.add(posting)
    update_posting(posting, data)
    if posting.posted_on is None:
        posting.posted_on = date.today()
    return posting


def upsert_posting(employer: Organisation, data: Mapping) -> tuple[JobPosting, bool]:
    """Create or update the posting with `data["external_id"]`; says whether it was created."""
    posting = db.session.scalar(
        select(JobPosting).where(JobPosting.external_id == data["external_id"])
    )
    if posting is None:
        return create_posting(employer, data), True
    posting.employer = employer
    return update_posting(posting, data), False


def update_posting(posting: JobPosting, data: Mapping) -> JobPosting:
    for field in POSTING_FIELDS:
        if field in data:
            setattr(posting, field, data[field])
    low, high = posting.wage_min_inr, posting.wage_max_inr
    if low is not None and high is not None and low > high:
        raise ValidationFailed({"wage_max_inr": ["Must not be below wage_min_inr."]})
    if "skills" in data:
        set_posting_skills(posting, data["skills"])
    db.session.flush()
    return posting


def set_posting_skills(posting: JobPosting, items: Iterable[Mapping]) -> None:
    """Replace the required skills; an unknown URI rejects the whole list."""
    items = list(items)
    found = skills_by_uri(item["uri"] for item in items)
    unknown = sorted({item["uri"] for item in items} - set(found))
    if unknown:
        raise ValidationFailed({"skills": [f"Unknown skill: {uri}" for uri in unknown]})
    wanted: dict[str, Mapping] = {}
    for item in items:  # a skill listed twice keeps the stricter requirement
        seen = wanted.get(item["uri"])
        if seen is None or (item.get("essential", True), item.get("min_proficiency", 1)) > (
            seen.get("essential", True),
            seen.get("min_proficiency", 1),
        ):
            wanted[item["uri"]] = item
    current = {row.skill.uri: row for row in posting.skills}
    for uri, row in current.items():
        if uri not in wanted:
            posting.skills.remove(row)
    for uri, item in wanted.items():
        row = current.get(uri)
        if row is None:
            row = PostingSkill(skill=found[uri])
            posting.skills.append(row)
        row.essential = bool(item.get("essential", True))
        row.min_proficiency = int(item.get("min_proficiency", 1))
    db.session.flush()


def delete_posting(posting: JobPosting) -> None:
    db.session.delete(posting)
    db.session.flush()
