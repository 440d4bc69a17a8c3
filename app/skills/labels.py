"""Skill names in the reader's language.

Pages show a skill by its label in the page's language, with ESCO's English label as the
secondary line; where no label exists in that language the English label stands alone. Labels are
read once per process and language, and read again only when the label table changes (one cheap
query per request notices that), so a page listing fifty skills makes no query per skill.
"""

from __future__ import annotations

import threading

from markupsafe import Markup, escape
from sqlalchemy import func, select

from app.extensions import db
from app.skills.models import LabelKind, Skill, SkillLabel

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, dict[str, str]]] = {}


def labels_stamp() -> tuple:
    """Changes whenever a label is added, changed or removed (ids only grow)."""
    return tuple(
        db.session.execute(select(func.count(SkillLabel.id), func.max(SkillLabel.id))).one()
    )


def preferred_labels(lang: str) -> dict[str, str]:
    """URI -> preferred label in ``lang`` (empty for English: ESCO's label is the English one)."""
    if lang == "en":
        return {}
    stamp = labels_stamp()
    cached = _cache.get(lang)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        rows = db.session.execute(
            select(Skill.uri, SkillLabel.label)
            .join(SkillLabel, SkillLabel.skill_id == Skill.id)
            .where(SkillLabel.lang == lang, SkillLabel.kind == LabelKind.preferred)
            .order_by(SkillLabel.id)
        ).all()
        labels: dict[str, str] = {}
        for uri, label in rows:
            labels.setdefault(uri, label)
        _cache[lang] = (stamp, labels)
        return labels


def label_in(uri: str, english: str, lang: str) -> str:
    """The skill's name in ``lang``, or its English label where it has none."""
    return preferred_labels(lang).get(uri, english)


def skill_name_html(uri: str, english: str, lang: str) -> Markup:
    """The name for a page: the language's label, ESCO's English label beneath it when different."""
    local = label_in(uri, english, lang)
    if local == english:
        return Markup('<span class="skill-name">{}</span>').format(escape(english))
    return Markup(
        '<span class="skill-name" lang="{lang}">{local}</span>'
        ' <small class="skill-name-en text-muted" lang="en">{english}</small>'
    ).format(lang=lang, local=local, english=english)
