"""Taxonomy use cases: import ESCO and the project's own skills, aliases, look-ups by URI or name."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from app.common import contains_text
from app.errors import ValidationFailed
from app.extensions import db
from app.skills.linking import present_skills
from app.skills.models import Skill, SkillAlias, SkillKind, SkillLabel, TaxonomyImport
from matching.languages import to_english
from matching.taxonomy import SkillRecord, taxonomy_version

LOCAL_URI_PREFIX = "urn:kaushalsetu:skill:"
# What a skill reference written as a URI starts with: ESCO's http(s) URIs and urn: ids (the
# project's own and ESCO placeholders).
URI_SCHEMES = ("http://", "https://", "urn:")


def unknown_skills(uris: Iterable[str], found: Container[str]) -> list[str]:
    """The error of each of ``uris`` that names no skill (``found``: the URIs that do), once
    each, in the order given: what every write that takes skill URIs answers."""
    return [f"Unknown skill: {uri}" for uri in dict.fromkeys(uris) if uri not in found]


def is_uri(reference: str) -> bool:
    """Whether a typed or imported skill reference is a URI: a URI that matches no skill is an
    error to report, never a name to look up or text to link."""
    return reference.startswith(URI_SCHEMES)


@dataclass
class TaxonomyImportSummary:
    source: str
    version: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def kind_for_uri(uri: str) -> SkillKind:
    """Our own skills live under our URN; everything else came from ESCO."""
    return SkillKind.local if uri.startswith(LOCAL_URI_PREFIX) else SkillKind.esco


def import_taxonomy(
    records: Iterable[SkillRecord],
    source: str,
    progress: Callable[[int], None] | None = None,
) -> TaxonomyImportSummary:
    """Upsert skills by URI. Reading the whole input first means a bad file writes nothing."""
    records = list(records)
    summary = TaxonomyImportSummary(source=source, version=taxonomy_version(records))
    existing = {skill.uri: skill for skill in db.session.scalars(select(Skill))}
    for record in records:
        skill = existing.get(record.uri)
        values = {
            "label": record.label,
            "alt_labels": list(record.alt_labels),
            "description": record.description,
            "kind": kind_for_uri(record.uri),
        }
        if skill is None:
            skill = Skill(uri=record.uri, **values)
            db.session.add(skill)
            existing[record.uri] = skill
            summary.created += 1
        elif any(getattr(skill, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(skill, key, value)
            summary.updated += 1
        else:
            summary.unchanged += 1
        if progress:
            progress(1)
    db.session.add(
        TaxonomyImport(
            source=source[:500],
            version=summary.version,
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
        )
    )
    db.session.flush()
    return summary


def add_aliases(pairs: Iterable[tuple[str, str]]) -> int:
    """Attach (uri, alias) pairs; unknown URIs are an error, known pairs are skipped."""

    pairs = [(uri.strip(), " ".join(alias.split())) for uri, alias in pairs]
    skills = skills_by_uri({uri for uri, _ in pairs})
    unknown = sorted({uri for uri, _ in pairs if uri not in skills})
    if unknown:
        raise ValidationFailed({"uri": [f"Unknown skill URI: {uri}" for uri in unknown]})
    added = 0
    for uri, alias in pairs:
        skill = skills[uri]
        if alias and alias.lower() not in {a.alias.lower() for a in skill.aliases}:
            skill.aliases.append(SkillAlias(alias=alias))
            added += 1
    db.session.flush()
    return added


def skills_by_uri(uris: Iterable[str]) -> dict[str, Skill]:
    uris = list(set(uris))
    found: dict[str, Skill] = {}
    for start in range(0, len(uris), 500):
        chunk = uris[start : start + 500]
        found.update(
            {
                skill.uri: skill
                for skill in db.session.scalars(select(Skill).where(Skill.uri.in_(chunk)))
            }
        )
    return found


def skill_by_name(name: str) -> Skill | None:
    """A skill whose preferred label or alias is `name` (case-insensitive), else None."""
    name = " ".join(name.split()).lower()
    if not name:
        return None
    skill = db.session.scalar(select(Skill).where(func.lower(Skill.label) == name).limit(1))
    if skill is not None:
        return skill
    skill = db.session.scalar(
        select(Skill).join(SkillAlias).where(func.lower(SkillAlias.alias) == name).limit(1)
    )
    if skill is not None:
        return skill
    return db.session.scalar(
        select(Skill)
        .join(SkillLabel)
        .where(func.lower(SkillLabel.label) == name)
        .order_by(SkillLabel.kind.desc(), SkillLabel.id)
        .limit(1)
    )


# A person's skill search (the live search and a picker's "Find skills"): what it needs, what
# it lists at most.
MIN_QUERY_LENGTH = 2
SEARCH_LIMIT = 20


def skills_found(query: str) -> list[Skill]:
    """The skills a person's search finds (search_skills, spaces evened out), at most
    SEARCH_LIMIT; none for a query shorter than MIN_QUERY_LENGTH."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY_LENGTH:
        return []
    return list(db.session.scalars(search_skills(query).limit(SEARCH_LIMIT)))


def search_skills(query: str | None = None, kind: str | None = None):
    """A select of skills that hold every word of `query`, in any order, each in its label or
    one of its aliases or names in any language ("cnc machine" finds "tend computer numerical
    control lathe machine", whose alias is "CNC lathe"; the whole phrase alone found nothing),
    those whose label holds the phrase itself first.

    A Marathi, Hindi or Hinglish query is also searched by its English words ("वेल्डिंग" →
    "welding"): ESCO's labels and our aliases are English; the labels per language are matched
    as typed. Every list of skills shows their aliases, so they are loaded with the page, not
    one query a row.
    """
    statement = select(Skill).options(selectinload(Skill.aliases))
    order = (Skill.label, Skill.id)
    if query:
        typed = " ".join(query.split())
        english = " ".join(to_english(typed).split())
        statement = statement.where(
            or_(every_word_named(english), every_word_named(typed, english=False))
        )
        order = (case((contains_text(Skill.label, english), 0), else_=1), *order)
    if kind:
        statement = statement.where(Skill.kind == SkillKind(kind))
    return statement.order_by(*order)


def every_word_named(text: str, english: bool = True):
    """The condition that a skill holds each word of ``text`` in one of its names: its English
    label or an alias (``english``), or a label in any language."""
    conditions = []
    for word in text.split():
        in_labels = select(SkillLabel.skill_id).where(contains_text(SkillLabel.label, word))
        if english:
            in_aliases = select(SkillAlias.skill_id).where(contains_text(SkillAlias.alias, word))
            conditions.append(
                or_(
                    contains_text(Skill.label, word),
                    Skill.id.in_(in_aliases),
                    Skill.id.in_(in_labels),
                )
            )
        else:
            conditions.append(Skill.id.in_(in_labels))
    return and_(*conditions)


def resolve_skill_ref(reference: str) -> Skill | None:
    """The skill a cell of an import or a form means: a URI, a label or alias, else free text
    linked by the skill linker (only a skill it judges present counts)."""
    reference = " ".join((reference or "").split())
    if not reference:
        return None
    by_uri = db.session.scalar(select(Skill).where(Skill.uri == reference))
    if by_uri is not None:
        return by_uri
    by_name = skill_by_name(reference)
    if by_name is not None:
        return by_name
    if is_uri(reference):
        return None  # an unknown URI is an error, never guessed
    linked = present_skills(reference, top_k=1)
    if not linked:
        return None
    return db.session.scalar(select(Skill).where(Skill.uri == linked[0].uri))
