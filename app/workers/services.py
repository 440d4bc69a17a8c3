"""Worker use cases: profiles, held skills, consent, and who may see which workers.

Services take plain values, check the rules of a worker record, flush, and never commit: the request
or command commits once, so a refused or invalid change leaves nothing half-written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from app.applications import services as applications
from app.common import (
    find_by_external_id,
    insert_returning_ids,
    insert_rows,
    missing_fields,
    new_external_id,
    new_record_id,
    require_fields,
)
from app.database import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.privacy.models import Consent
from app.privacy.notice import NOTICE_VERSION, PURPOSES
from app.skills.services import skills_by_uri, unknown_skills
from app.vocabulary import canonical_spoken_language
from app.workers.models import Education, Gender, SkillSource, Worker, WorkerSkill
from indicators.records import age_on
from matching.text import ascii_digits

# Fields of a worker record that create/update/upsert accept; nothing else can be set through them.
WORKER_FIELDS = (
    "name",
    "gender",
    "date_of_birth",
    "district",
    "state",
    "education",
    "languages",
    "phone",
    "email",
    "visible_to_employers",
    "social_category",
    "disability",
    "profile_text",
)
REQUIRED_ON_CREATE = ("name", "gender", "date_of_birth", "district", "state")
SOCIAL_CATEGORIES = ("sc", "st", "obc", "general")
MIN_AGE = 14  # the platform serves ages 15+; 14 tolerates a birthday recorded a little late
MAX_AGE = 100
MIN_PROFICIENCY, MAX_PROFICIENCY, DEFAULT_PROFICIENCY = 1, 4, 2
# When one skill is listed twice with the same level, the better-evidenced source wins.
SOURCE_STRENGTH = {SkillSource.self_declared: 0, SkillSource.assessed: 1, SkillSource.certified: 2}

# The itemised notice and its purposes live in app/privacy/notice.py (English and Hindi).
CONSENT_NOTICE_VERSION = NOTICE_VERSION
CONSENT_PURPOSES = PURPOSES["en"]
ERASED_MESSAGE = "This worker's personal data was erased at their request; it cannot be changed."

_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


# --- Field rules (shared with the input schema, so the API, pages and importers agree) -----------


def normalise_phone(value: str | None) -> str | None:
    """`+91XXXXXXXXXX`, `91XXXXXXXXXX`, `0XXXXXXXXXX` or 10 digits (spaces/dashes allowed) → `+91…`.

    Raises ValueError with a readable message for anything else; blank means no phone.
    """
    if value is None:
        return None
    digits = _PHONE_SEPARATORS.sub("", ascii_digits(str(value)))
    if not digits:
        return None
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not (len(digits) == 10 and digits.isdigit() and digits[0] in "6789"):
        raise ValueError(
            N_("Give a 10-digit Indian mobile number, e.g. 9876543210 or +919876543210.")
        )
    return "+91" + digits


def normalise_email(value: str | None) -> str | None:
    """Lower-cased, trimmed email; blank means none. Raises ValueError when it is not an email."""
    value = (value or "").strip().lower()
    if not value:
        return None
    if len(value) > 254 or not _EMAIL_PATTERN.match(value):
        raise ValueError("Not a valid email address.")
    return value


BORN_IN_FUTURE = N_("The date of birth is in the future.")
# Worded for whoever types the date: the worker signing up or the staff registering them (a
# walk read "The worker would be 11" on her own sign-up page, in English).
TOO_YOUNG = N_(
    "Someone born on this day is %(age)s: KaushalSetu is for people aged %(min)s and over."
)
TOO_OLD = N_("Someone born on this day would be %(age)s: check the year of birth.")


def date_of_birth_problem(date_of_birth: date, today: date | None = None) -> str | None:
    """Why a date of birth cannot be right (future, under 14, over 100), or None if it can."""
    today = today or date.today()
    if date_of_birth > today:
        return BORN_IN_FUTURE
    age = age_on(date_of_birth, today)
    if age < MIN_AGE:
        return TOO_YOUNG % {"age": age, "min": MIN_AGE}
    if age > MAX_AGE:
        return TOO_OLD % {"age": age}
    return None


def age_band(date_of_birth: date, today: date | None = None) -> str:
    """The coarse age group employers see instead of a date of birth."""
    age = age_on(date_of_birth, today or date.today())
    if age < 18:
        return "under 18"
    if age < 25:
        return "18–24"
    if age < 30:
        return "25–29"
    if age < 40:
        return "30–39"
    return "40+"


def _clean_fields(data: Mapping, required: Iterable[str] = ()) -> tuple[dict, dict[str, list[str]]]:
    """Coerce the allowed fields of `data` to column values; collect one message list per field."""
    values: dict[str, Any] = {}
    errors = missing_fields(data, required)

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in WORKER_FIELDS:
        if field not in data or field in errors:
            continue
        value = data[field]
        try:
            if field in ("name", "district", "state"):
                value = " ".join(str(value or "").split())
                if not value:
                    raise ValueError("Must not be blank.")
                if len(value) > (200 if field == "name" else 100):
                    raise ValueError("Too long.")
            elif field == "gender":
                value = Gender(value)
            elif field == "education":
                value = Education(value) if value not in (None, "") else None
            elif field == "date_of_birth":
                if isinstance(value, str):
                    value = date.fromisoformat(value)
                if not isinstance(value, date):
                    raise ValueError("Not a valid date.")
                problem = date_of_birth_problem(value)
                if problem:
                    raise ValueError(problem)
            elif field == "languages":
                if isinstance(value, str):
                    value = value.split(";")
                value = list(
                    dict.fromkeys(
                        canonical_spoken_language(" ".join(str(v).split())) for v in value or []
                    )
                )
                value = [language for language in value if language]
            elif field == "phone":
                value = normalise_phone(value)
            elif field == "email":
                value = normalise_email(value)
            elif field == "social_category":
                value = (value or "").strip().lower() or None
                if value is not None and value not in SOCIAL_CATEGORIES:
                    raise ValueError(f"Must be one of: {', '.join(SOCIAL_CATEGORIES)}.")
            elif field in ("visible_to_employers", "disability"):
                if value is None and field == "disability":
                    pass
                elif not isinstance(value, bool):
                    raise ValueError("Must be true or false.")
            elif field == "profile_text":
                value = str(value or "").strip()
                if len(value) > 5000:
                    raise ValueError("At most 5000 characters.")
        except ValueError as exc:
            message = str(exc)
            if field in ("gender", "education"):
                kind = Gender if field == "gender" else Education
                message = f"Must be one of: {', '.join(member.value for member in kind)}."
            fail(field, message)
            continue
        values[field] = value
    return values, errors


# --- Worker records ---------------------------------------------------------------------------


def create_worker(data: Mapping) -> Worker:
    """Add a worker from already-parsed values (and optional `skills` items); rejects a taken id."""
    return _add_worker(*new_record_id(Worker, data, "W", "worker"), data)


def _add_worker(external_id: str, id_errors: Mapping[str, list[str]], data: Mapping) -> Worker:
    """The worker of `create_worker`, whose id has been looked up once already (by it, or by
    `upsert_worker`); `id_errors` are that look-up's, reported with the fields' own."""
    values, errors = _clean_fields(data, required=REQUIRED_ON_CREATE)
    for field, messages in id_errors.items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationFailed(errors)
    worker = Worker(external_id=external_id, **{"languages": [], "profile_text": "", **values})
    db.session.add(worker)
    if "skills" in data:
        set_worker_skills(worker, data["skills"])
    db.session.flush()
    return worker


def add_new_workers(items: Sequence[Mapping]) -> tuple[list[int | None], dict[int, dict]]:
    """Add many workers whose ids are new, in one multi-row INSERT per table: the bulk importer's
    path, where `create_worker`'s per-row look-ups and flushes cost ~15 ms a row (a state's
    100,000 workers would take half an hour).

    Each item gets `create_worker`'s checks (the same field rules and skill items); an item that
    fails is left out. Returns the new ids by position (None where the item failed) and the
    failures' errors by position. The rows go straight to the database: the session holds no
    objects for them. The caller has checked that the ids are new (a taken one fails the INSERT).
    """
    errors: dict[int, dict[str, list[str]]] = {}
    prepared: list[tuple[int, dict[str, Any], dict[str, tuple[int, SkillSource]]]] = []
    for position, data in enumerate(items):
        values, item_errors = _clean_fields(data, required=REQUIRED_ON_CREATE)
        wanted, messages = wanted_skills(data.get("skills") or ())
        if messages:
            item_errors.setdefault("skills", []).extend(messages)
        if item_errors:
            errors[position] = item_errors
            continue
        external_id = data.get("external_id") or new_external_id("W")
        prepared.append((position, {"external_id": external_id, **values}, wanted))
    found = skills_by_uri({uri for _, _, wanted in prepared for uri in wanted})
    rows = []
    for position, values, wanted in prepared:
        unknown = unknown_skills(sorted(wanted), found)
        if unknown:
            errors[position] = {"skills": unknown}
        else:
            rows.append((position, values, wanted))
    ids: list[int | None] = [None] * len(items)
    if not rows:
        return ids, errors
    new_ids = insert_returning_ids(Worker, [values for _, values, _ in rows])
    for (position, _, _), worker_id in zip(rows, new_ids, strict=True):
        ids[position] = worker_id
    insert_rows(
        WorkerSkill,
        [
            {
                "worker_id": worker_id,
                "skill_id": found[uri].id,
                "proficiency": level,
                "source": source,
            }
            for (_, _, wanted), worker_id in zip(rows, new_ids, strict=True)
            for uri, (level, source) in wanted.items()
        ],
    )
    return ids, errors


def update_worker(worker: Worker, data: Mapping) -> Worker:
    """Change only the fields present in `data`; values equal to the stored ones are left alone,
    so a repeated import does not touch the row (updated_at keeps its value). An erased worker
    is refused, so a re-import cannot bring their personal data back."""
    refuse_if_erased(worker)
    values, errors = _clean_fields(data)
    if errors:
        raise ValidationFailed(errors)
    for field, value in values.items():
        if getattr(worker, field) != value:
            setattr(worker, field, value)
    if "skills" in data:
        set_worker_skills(worker, data["skills"])
    db.session.flush()
    return worker


def refuse_if_erased(worker: Worker) -> None:
    if worker.erased_at is not None:
        raise ValidationFailed({"external_id": [ERASED_MESSAGE]})


def upsert_worker(data: Mapping) -> tuple[Worker, bool]:
    """Create or update the worker with `data["external_id"]`; says whether it was created."""
    require_fields(data, ["external_id"])
    external_id = data["external_id"]
    worker = find_by_external_id(Worker, external_id)
    if worker is None:
        return _add_worker(external_id, {}, data), True
    return update_worker(worker, data), False


# --- Held skills ------------------------------------------------------------------------------


def _skill_item(item: Mapping, position: int) -> tuple[str, int, SkillSource, list[str]]:
    """(uri, proficiency, source, messages) of one skill item; messages name the item."""
    messages: list[str] = []
    uri = str(item.get("uri") or "").strip()
    if not uri:
        messages.append(f"Item {position}: a skill URI is required.")
    proficiency = item.get("proficiency", DEFAULT_PROFICIENCY)
    if (
        isinstance(proficiency, bool)
        or not isinstance(proficiency, int)
        or not MIN_PROFICIENCY <= proficiency <= MAX_PROFICIENCY
    ):
        messages.append(f"{uri or f'Item {position}'}: proficiency must be a whole number 1–4.")
        proficiency = DEFAULT_PROFICIENCY
    try:
        source = SkillSource(item.get("source") or SkillSource.self_declared)
    except ValueError:
        choices = ", ".join(member.value for member in SkillSource)
        messages.append(f"{uri or f'Item {position}'}: source must be one of: {choices}.")
        source = SkillSource.self_declared
    return uri, int(proficiency), source, messages


def wanted_skills(
    items: Iterable[Mapping],
) -> tuple[dict[str, tuple[int, SkillSource]], list[str]]:
    """The skill list as {uri: (proficiency, source)} and the problems of its items; a skill
    listed twice keeps its highest proficiency (then its best-evidenced source)."""
    wanted: dict[str, tuple[int, SkillSource]] = {}
    messages: list[str] = []
    for position, item in enumerate(items, start=1):
        uri, proficiency, source, item_messages = _skill_item(item, position)
        messages.extend(item_messages)
        if item_messages:
            continue
        seen = wanted.get(uri)
        if seen is None or (proficiency, SOURCE_STRENGTH[source]) > (
            seen[0],
            SOURCE_STRENGTH[seen[1]],
        ):
            wanted[uri] = (proficiency, source)
    return wanted, messages


def set_worker_skills(worker: Worker, items: Iterable[Mapping]) -> None:
    """Replace the worker's skills. Any unknown URI or bad item rejects the whole list unchanged;
    a skill listed twice keeps its highest proficiency (then its best-evidenced source)."""
    refuse_if_erased(worker)
    wanted, messages = wanted_skills(items)
    found = skills_by_uri(wanted)
    messages.extend(unknown_skills(sorted(wanted), found))
    if messages:
        raise ValidationFailed({"skills": messages})
    current = {row.skill.uri: row for row in worker.skills}
    for uri, row in current.items():
        if uri not in wanted:
            worker.skills.remove(row)
    for uri, (proficiency, source) in wanted.items():
        row = current.get(uri)
        if row is None:
            worker.skills.append(
                WorkerSkill(skill=found[uri], proficiency=proficiency, source=source)
            )
            continue
        if row.proficiency != proficiency:
            row.proficiency = proficiency
        if row.source != source:
            row.source = source
    db.session.flush()


def add_worker_skill(
    worker: Worker,
    uri: str,
    proficiency: int = DEFAULT_PROFICIENCY,
    source: SkillSource | str = SkillSource.self_declared,
) -> WorkerSkill:
    """Add one skill, or set the level and source of one already held."""
    refuse_if_erased(worker)
    uri, proficiency, source, messages = _skill_item(
        {"uri": uri, "proficiency": proficiency, "source": source}, 1
    )
    if messages:
        raise ValidationFailed({"skills": messages})
    skill = skills_by_uri([uri]).get(uri)
    if skill is None:
        raise ValidationFailed({"skills": unknown_skills([uri], ())})
    row = held_skill(worker, uri)
    if row is None:
        row = WorkerSkill(skill=skill)
        worker.skills.append(row)
    row.proficiency = proficiency
    row.source = source
    db.session.flush()
    return row


def remove_worker_skill(worker: Worker, uri: str) -> bool:
    """Drop one held skill; says whether the worker held it."""
    row = held_skill(worker, uri)
    if row is None:
        return False
    worker.skills.remove(row)
    db.session.flush()
    return True


def held_skill(worker: Worker, uri: str) -> WorkerSkill | None:
    return next((row for row in worker.skills if row.skill.uri == uri), None)


# --- Consent ----------------------------------------------------------------------------------


def current_consent(worker: Worker) -> Consent | None:
    """The most recent consent if it still stands; a withdrawal ends consent until a new one."""
    latest = db.session.scalar(
        select(Consent)
        .where(Consent.worker_id == worker.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )
    if latest is None or latest.withdrawn_at is not None:
        return None
    return latest


def consent_values(notice_version: str, purposes: Iterable[str], given_by: str) -> dict[str, Any]:
    """A consent record's checked values, given now; ValidationFailed names each bad one."""
    errors: dict[str, list[str]] = {}
    notice_version = (notice_version or "").strip()
    if not notice_version or len(notice_version) > 20:
        errors["notice_version"] = ["Give the notice version (at most 20 characters)."]
    purposes = list(dict.fromkeys(purposes or []))
    unknown = [purpose for purpose in purposes if purpose not in CONSENT_PURPOSES]
    if not purposes:
        errors["purposes"] = ["Choose at least one purpose."]
    elif unknown:
        errors["purposes"] = [
            f"Unknown purpose {purpose!r}; known: {', '.join(CONSENT_PURPOSES)}."
            for purpose in unknown
        ]
    given_by = (given_by or "").strip()
    if not given_by or len(given_by) > 40:
        errors["given_by"] = ["Say who gave the consent (at most 40 characters)."]
    if errors:
        raise ValidationFailed(errors)
    return {
        "notice_version": notice_version,
        "purposes": purposes,
        "given_by": given_by,
        "given_at": utcnow(),
    }


def record_consents(
    worker_ids: Sequence[int], notice_version: str, purposes: Iterable[str], given_by: str
) -> None:
    """`record_consent` for many workers in one INSERT (bulk imports); the caller has checked
    that none of them was erased."""
    values = consent_values(notice_version, purposes, given_by)
    if worker_ids:
        insert_rows(Consent, [{"worker_id": worker_id, **values} for worker_id in worker_ids])


def record_consent(
    worker: Worker, notice_version: str, purposes: list[str], given_by: str = "self"
) -> Consent:
    """Record consent to a notice version for the listed purposes; earlier records are kept."""
    refuse_if_erased(worker)
    consent = Consent(worker=worker, **consent_values(notice_version, purposes, given_by))
    db.session.add(consent)
    db.session.flush()
    applications.close_for_worker(worker)  # consent narrowed: no more sharing with employers
    return consent


SHARE_PURPOSE = "share_with_employers"


def follow_sharing_choice(worker: Worker, share: bool, given_by: str = "self") -> None:
    """One control for the worker: being shown to employers *is* the consent purpose
    "share_with_employers". The visible flag follows it; turning it on or off from the profile
    records a new consent with that purpose added or removed (the other purposes kept)."""
    consent = current_consent(worker)
    if consent is None:
        if share:
            raise ValidationFailed(
                {"visible_to_employers": [N_("Give your consent first: see My data.")]}
            )
        worker.visible_to_employers = False
        db.session.flush()
        return
    purposes = list(consent.purposes or [])
    recorded = share != (SHARE_PURPOSE in purposes)
    if recorded:  # record_consent closes what may no longer be shared
        purposes = (
            [*purposes, SHARE_PURPOSE] if share else [p for p in purposes if p != SHARE_PURPOSE]
        )
        record_consent(worker, CONSENT_NOTICE_VERSION, purposes, given_by=given_by)
    worker.visible_to_employers = share
    db.session.flush()
    if not recorded:  # sharing may still have ended (a new date of birth that makes a minor)
        applications.close_for_worker(worker)


def give_consent(worker: Worker, purposes: list[str], given_by: str = "self") -> Consent:
    """The worker's consent form (My data): the consent, and being shown to employers following
    its "share_with_employers" purpose at once (one decision, as in follow_sharing_choice);
    record_consent has closed what may no longer be shared, so it is not asked again."""
    consent = record_consent(worker, CONSENT_NOTICE_VERSION, purposes, given_by=given_by)
    worker.visible_to_employers = SHARE_PURPOSE in consent.purposes
    db.session.flush()
    return consent


def withdraw_consent(worker: Worker) -> int:
    """End every standing consent, and hide the worker from employers; says how many ended."""
    now = utcnow()
    open_consents = db.session.scalars(
        select(Consent).where(Consent.worker_id == worker.id, Consent.withdrawn_at.is_(None))
    ).all()
    for consent in open_consents:
        consent.withdrawn_at = now
    if worker.visible_to_employers:
        worker.visible_to_employers = False
    db.session.flush()
    applications.close_for_worker(worker)
    return len(open_consents)


# --- Visibility -------------------------------------------------------------------------------
