"""Finding workers by how their name sounds, whatever the script it is typed in."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from sqlalchemy import Select

from app.extensions import db
from app.workers.models import Worker
from matching.transliteration import romanise, sound_key

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def workers_sounding_like(text: str, candidates: Select, limit: int) -> list[int] | None:
    """Ids of up to `limit` workers of `candidates` (a select of Worker rows) whose name sounds
    like every Devanagari word of a search: "सुतार" finds Sutar, "दिपाली" Deepali. Names are
    stored as registered, mostly in Latin letters, and an officer reading Marathi types them in
    Devanagari (a walk found nobody so). None when the search has no Devanagari word.

    The names are compared in Python (matching.transliteration's sound keys, cached per word):
    a SQL LIKE cannot tell that "u" and "a", or "ee" and "i", are the same sound here."""
    keys = [sound_key(romanise(word)) for word in text.split() if DEVANAGARI.search(word)]
    keys = [key for key in keys if len(key) >= 2]
    if not keys:
        return None
    rows = db.session.execute(
        candidates.with_only_columns(Worker.id, Worker.name).order_by(None).order_by(Worker.name)
    )
    found = []
    for worker_id, name in rows:
        name_keys = [sound_key(word) for word in re.findall(r"[a-z]+", (name or "").lower())]
        if all(any(sounds_alike(key, n) for n in name_keys) for key in keys):
            found.append(worker_id)
            if len(found) >= limit:
                break
    return found


# How near two names' sound keys must be when one is not the start of the other: गायकवाड is
# "gakad", Gaikwad "gakvad" (90); Sunita "sanit" is not Sunil "sanil" (80).
NEAR_SOUND = 85


def sounds_alike(typed: str, name: str) -> bool:
    """Whether a typed word's sound key is a name word's: its start, or near enough."""
    if name.startswith(typed):
        return True
    return len(typed) >= 4 and fuzz.ratio(typed, name) >= NEAR_SOUND
