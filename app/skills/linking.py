"""The skill linker for this process: built once from the taxonomy in the database, reused by every
request and command, and rebuilt only when the taxonomy changes.

The encoder is chosen by configuration (`ENCODER`): the packaged MiniLM in production, a tiny
deterministic hashing encoder in tests. The model is loaded once per process, never per request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.caching import StampedCache
from app.extensions import db
from app.skills.models import Skill, SkillAlias
from matching.encoder import DeferredEncoder, Encoder, HashingEncoder, load_minilm, plain_minilm
from matching.linker import LinkBudget, LinkBudgetExceeded, LinkedSkill, SkillLinker, TextTooLong
from matching.taxonomy import SkillRecord

_encoder_lock = threading.Lock()
linkers: StampedCache[SkillLinker] = StampedCache("skill_linker")
_encoders: dict[object, Encoder] = {}
AnEncoder = TypeVar("AnEncoder", bound=Encoder)


def _process_wide(key: object, make: Callable[[], AnEncoder]) -> AnEncoder:
    """The process's one encoder under ``key``, made on first asking (never per request)."""
    with _encoder_lock:
        if key not in _encoders:
            _encoders[key] = make()
        return cast(AnEncoder, _encoders[key])


def encoder_named(name: str) -> Encoder:
    """The process-wide encoder of that name (loaded once per process, never per request)."""
    if name == "minilm":
        return _process_wide(
            name, lambda: load_minilm(cache_dir=current_app.config["MODEL_CACHE_DIR"])
        )
    if name == "hashing":
        return _process_wide(name, HashingEncoder)
    raise ValueError(f"unknown ENCODER {name!r}: use 'minilm' or 'hashing'")


def text_encoder() -> Encoder:
    """The encoder the skill linker embeds with (ENCODER), for whole records and search queries:
    the same instance, so searching never loads a second model."""
    return encoder_named(current_app.config["ENCODER"])


def closeness_encoder() -> Encoder | None:
    """The encoder of skill-to-skill closeness: for MiniLM, the plain model (without the ESCO
    adapter, matching/adapter.py), whose label similarities MATCH_CLOSENESS_THRESHOLD was set on
    and the gap rules were checked with; loaded only if its cached label vectors are missing.
    Another encoder (tests' hashing) serves both."""
    return plain_minilm_encoder() if current_app.config["ENCODER"] == "minilm" else None


def plain_minilm_encoder() -> DeferredEncoder:
    """The process-wide plain MiniLM of the model folder (loaded on its first encode)."""
    folder = current_app.config["MODEL_CACHE_DIR"]
    return _process_wide(("plain minilm", folder), lambda: plain_minilm(folder))


def taxonomy_stamp() -> tuple:
    """A cheap fingerprint of the taxonomy tables, to notice imports without reading every row."""
    skills = db.session.execute(
        select(func.count(Skill.id), func.max(Skill.id), func.max(Skill.updated_at))
    ).one()
    aliases = db.session.execute(select(func.count(SkillAlias.id), func.max(SkillAlias.id))).one()
    return (*skills, *aliases)


def taxonomy_records() -> list[SkillRecord]:
    """Every skill as a matching record, local aliases folded into its alternative labels."""
    aliases: dict[int, list[str]] = {}
    for skill_id, alias in db.session.execute(select(SkillAlias.skill_id, SkillAlias.alias)):
        aliases.setdefault(skill_id, []).append(alias)
    records = []
    for skill in db.session.scalars(select(Skill).order_by(Skill.id)):
        alt = tuple(dict.fromkeys([*skill.alt_labels, *sorted(aliases.get(skill.id, []))]))
        records.append(
            SkillRecord(
                uri=skill.uri,
                label=skill.label,
                alt_labels=alt,
                description=skill.description,
                kind=skill.kind.value,
            )
        )
    return records


def get_linker() -> SkillLinker:
    """The linker over the current taxonomy; raises LookupError while the taxonomy is empty."""
    return linkers.get(taxonomy_stamp, _new_linker)


def _new_linker(_old: SkillLinker | None, _stamp: tuple) -> SkillLinker:
    records = taxonomy_records()
    if not records:
        raise LookupError("The skill taxonomy is empty: run `flask taxonomy import-esco PATH`.")
    return SkillLinker(
        records,
        text_encoder(),
        cache_dir=current_app.config["VECTOR_CACHE_DIR"],
        closeness_encoder=closeness_encoder(),
    )


class TextTooCostly(LookupError):
    """A text one request may not link (too many sentences, or too long to link). A
    LookupError like a missing taxonomy, so the pages that suggest skills show its message."""


def request_budget() -> LinkBudget:
    """What one request may ask of the linker (LINK_MAX_UNITS, LINK_SECONDS): a real job ad
    or syllabus fits; a 20 kB paste does not hold a core for seconds."""
    return LinkBudget(
        max_units=current_app.config["LINK_MAX_UNITS"],
        seconds=current_app.config["LINK_SECONDS"],
    )


def suggest_skills(text: str, top_k: int = 10) -> list[LinkedSkill]:
    """Ranked taxonomy skills for a free text (a posting, a worker's words, a syllabus), within
    the request budget (TextTooCostly, with a message in the reader's language, beyond it)."""
    if not text or not text.strip():
        return []
    linker = get_linker()
    try:
        return linker.link(text, top_k=top_k, budget=request_budget())
    except TextTooLong as exc:
        raise TextTooCostly(
            _(
                "The text has %(units)s sentences or bullet points; at most %(limit)s are linked "
                "at a time. Split it into parts.",
                units=exc.units,
                limit=exc.limit,
            )
        ) from exc
    except LinkBudgetExceeded as exc:
        raise TextTooCostly(
            _("Linking this text takes too long. Split it into shorter parts.")
        ) from exc


def present_skills(text: str, top_k: int = 15) -> list[LinkedSkill]:
    """Only the skills the linker judges present in the text."""
    return [skill for skill in suggest_skills(text, top_k) if skill.present]
