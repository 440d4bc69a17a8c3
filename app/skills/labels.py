"""Skill names in the reader's language.

Pages show a skill by its label in the page's language, with ESCO's English label as the
secondary line; where no label exists in that language the English label stands alone. Labels are
read once per process and language, and read again only when their version counter moves (one
primary-key read per page notices that), so a page listing fifty skills makes no query per skill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import select

from app.extensions import db
from app.i18n import current_language
from app.imports.rows import CsvTable, clean
from app.skills.models import LabelKind, Skill, SkillLabel
from app.skills.services import skills_by_uri, skills_found
from app.versions import watch

# A primary language subtag (ISO 639-1/2/3): labels are per language, not per region.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")

# Raised in the same transaction as every committed label write (app/versions.py).
SKILL_LABELS = watch("skill_labels", (SkillLabel,))


def _read_preferred_labels(lang: str) -> dict[str, str]:
    rows = db.session.execute(
        select(Skill.uri, SkillLabel.label)
        .join(SkillLabel, SkillLabel.skill_id == Skill.id)
        .where(SkillLabel.lang == lang, SkillLabel.kind == LabelKind.preferred)
        .order_by(SkillLabel.id)
    ).all()
    labels: dict[str, str] = {}
    for uri, label in rows:
        labels.setdefault(uri, label)
    return labels


def preferred_labels(lang: str) -> dict[str, str]:
    """URI -> preferred label in ``lang`` (empty for English: ESCO's label is the English one).

    Kept per process and language until the labels' version moves; a session holding label
    writes of its own that are not committed yet reads them fresh.
    """
    if lang == "en":
        return {}
    session = db.session
    if SKILL_LABELS.has_uncommitted_changes(session):
        return _read_preferred_labels(lang)
    version = SKILL_LABELS.version(session)
    cache: dict[str, tuple[int, dict[str, str]]] = current_app.extensions.setdefault(
        "skill_labels", {}
    )
    cached = cache.get(lang)
    if cached is not None and cached[0] == version:
        return cached[1]
    labels = _read_preferred_labels(lang)
    cache[lang] = (version, labels)
    return labels


def label_in(uri: str, english: str, lang: str) -> str:
    """The skill's name in ``lang``, or its English label where it has none."""
    return preferred_labels(lang).get(uri, english)


def skill_label(uri: str, english: str) -> str:
    """A skill's name as plain text in the page's language (option labels, titles)."""
    return label_in(uri, english, current_language())


def skill_matches(query: str) -> list[dict]:
    """Skills whose label or alias contains the query, each named in the page's language, for
    the live search of every page that picks skills: [{uri, label, name, aliases}]
    (skills_found)."""
    return [
        {
            "uri": skill.uri,
            "label": skill.label,
            "name": skill_label(skill.uri, skill.label),
            "aliases": [a.alias for a in skill.aliases],
        }
        for skill in skills_found(query)
    ]


def skill_name(uri: str, english: str) -> Markup:
    """A skill's name for a page: the page's language, with the English ESCO label beneath."""
    return skill_name_html(uri, english, current_language())


def skill_name_html(uri: str, english: str, lang: str) -> Markup:
    """The name for a page: the language's label, ESCO's English label beneath it when different."""
    local = label_in(uri, english, lang)
    if local == english:
        return Markup('<span class="skill-name">{}</span>').format(escape(english))
    return Markup(
        '<span class="skill-name" lang="{lang}">{local}</span>'
        ' <small class="skill-name-en text-muted" lang="en">{english}</small>'
    ).format(lang=lang, local=local, english=english)


LABEL_COLUMNS = ("uri", "lang", "label", "kind")
MAX_LABEL_LENGTH = 255


@dataclass
class LabelRow:
    """One line of a labels file: where it stands, and its cells."""

    line: int
    uri: str
    lang: str
    label: str
    kind: str


@dataclass
class LabelImportSummary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


class LabelImportError(ValueError):
    """Rows that break a rule, each message starting with its line number; nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _row_problems(row: LabelRow, known: set[str]) -> list[str]:
    problems = []
    if not row.uri:
        problems.append("uri is empty")
    elif row.uri not in known:
        problems.append(f"unknown skill URI {row.uri!r}")
    if not LANGUAGE_CODE.fullmatch(row.lang):
        problems.append(f"lang must be a language code such as mr or hi, not {row.lang!r}")
    if not row.label:
        problems.append("label is empty")
    elif len(row.label) > MAX_LABEL_LENGTH:
        problems.append(f"label is longer than {MAX_LABEL_LENGTH} characters")
    if row.kind not in {kind.value for kind in LabelKind}:
        problems.append(f"kind must be preferred or alternative, not {row.kind!r}")
    return [f"line {row.line}: {problem}" for problem in problems]


def import_labels(rows: list[LabelRow]) -> LabelImportSummary:
    """Add skill labels per language; a known (skill, language, label) is updated in place, so
    importing the same file twice changes nothing. Every row is checked before any is written.

    A skill has one preferred label per language: a new preferred label demotes the old one to an
    alternative rather than losing it.
    """
    skills = skills_by_uri(row.uri for row in rows if row.uri)
    problems = [message for row in rows for message in _row_problems(row, set(skills))]
    seen: dict[tuple[str, str, str], int] = {}
    preferred: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.uri, row.lang, row.label.casefold())
        if key in seen:
            problems.append(f"line {row.line}: repeats line {seen[key]}")
        seen.setdefault(key, row.line)
        if row.kind == LabelKind.preferred.value:
            if (row.uri, row.lang) in preferred:
                problems.append(
                    f"line {row.line}: a second preferred {row.lang} label for {row.uri} "
                    f"(line {preferred[(row.uri, row.lang)]})"
                )
            preferred.setdefault((row.uri, row.lang), row.line)
    if problems:
        raise LabelImportError(problems)
    summary = LabelImportSummary()
    existing: dict[tuple[int, str], list[SkillLabel]] = {}
    for label in db.session.scalars(
        select(SkillLabel).where(SkillLabel.skill_id.in_([s.id for s in skills.values()]))
    ):
        existing.setdefault((label.skill_id, label.lang), []).append(label)
    for row in rows:
        skill = skills[row.uri]
        kind = LabelKind(row.kind)
        current = existing.setdefault((skill.id, row.lang), [])
        same = next((lbl for lbl in current if lbl.label.casefold() == row.label.casefold()), None)
        if kind is LabelKind.preferred:
            for other in current:
                if other is not same and other.kind is LabelKind.preferred:
                    other.kind = LabelKind.alternative
                    summary.changed += 1
        if same is None:
            label = SkillLabel(skill_id=skill.id, lang=row.lang, label=row.label, kind=kind)
            db.session.add(label)
            current.append(label)
            summary.added += 1
        elif same.kind is not kind or same.label != row.label:
            same.kind, same.label = kind, row.label
            summary.changed += 1
        else:
            summary.unchanged += 1
    db.session.flush()
    return summary


def label_rows(table: CsvTable) -> list[LabelRow]:
    """The rows of a labels CSV (uri, lang, label, kind; kind may be left empty for preferred)."""
    missing = [name for name in LABEL_COLUMNS[:3] if name not in table.columns]
    if missing:
        raise LabelImportError([f"line 1: missing column(s) {', '.join(missing)}"])
    return [
        LabelRow(
            line=row.line,
            uri=clean(row.cells["uri"]),
            lang=clean(row.cells["lang"]).lower(),
            label=" ".join(clean(row.cells["label"]).split()),
            kind=clean(row.cells.get("kind")).lower() or LabelKind.preferred.value,
        )
        for row in table.rows
    ]
