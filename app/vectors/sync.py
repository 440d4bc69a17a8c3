"""Keep the posting and course namespaces of the vector index in step with the database.

When: before every search (app/vectors/search.py) and on `flask vectors sync`. Saving a posting or
a course embeds nothing, so the pages, the API and the bulk imports write as fast as before.

Why it is cheap to call on every search: the namespace stores the stamp of the data it was synced
with, and the check compares it with the source's stamp now, two small queries: the search texts
version (app/vectors/changes.py raises it in the same transaction as every committed write to
postings, their skills, courses, course skills or the taxonomy, so a reader that sees the data sees
the new version) and the table's count, largest id and latest updated_at (which a database rebuilt
or rolled back under the same version still changes). Only when the stamps differ are the texts
rebuilt (two queries) and hashed; only texts whose digest changed are embedded, and records that
are gone (or, for postings, no longer open) are removed. The digest covers the encoder's model id,
so changing ENCODER re-embeds everything once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from app.extensions import db
from app.vectors.changes import search_texts_version
from app.vectors.index_backends import WritableVectorIndex, writable_index
from matching.encoder import Encoder

# Bump when document_text changes, so every stamp differs and each text is digested again.
TEXT_VERSION = "t1"

_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def document_text(title: str, skill_labels: Iterable[str], body: str | None) -> str:
    """The text a record is embedded from: title, then its skills' labels, then the free text.

    Title and skills come first because MiniLM reads only the first 256 tokens; labels are sorted
    so the text (and its digest) does not depend on the order rows come back in."""
    parts = [title.strip()]
    labels = sorted({label.strip() for label in skill_labels if label and label.strip()})
    if labels:
        parts.append("Skills: " + ", ".join(labels) + ".")
    if body and body.strip():
        parts.append(body.strip())
    return "\n".join(parts)


@dataclass(frozen=True)
class TextSource:
    """What one namespace mirrors: `texts()` gives {item id: text} for every record it should hold,
    `model` is the table whose rows they are (its count, max id and max updated_at are stamped)."""

    namespace: str
    model: type
    texts: Callable[[], dict[str, str]]


@dataclass(frozen=True)
class SyncReport:
    namespace: str
    embedded: int  # texts new or changed since the last sync, embedded now
    removed: int  # items dropped: their record is gone or no longer qualifies
    total: int | None  # items the namespace holds now (None: not counted, nothing checked)
    checked: bool  # False when the stamp matched and nothing was read
    seconds: float


def text_digest(model_id: str, text: str) -> str:
    return hashlib.blake2b(f"{model_id}\n{text}".encode(), digest_size=16).hexdigest()


def source_stamp(source: TextSource, encoder: Encoder) -> str:
    """The source's state in one string: equal stamps mean the namespace is current."""
    version = search_texts_version(db.session)
    count, largest, latest = db.session.execute(
        select(
            func.count(source.model.id),
            func.max(source.model.id),
            func.max(source.model.updated_at),
        )
    ).one()
    latest = latest.isoformat() if latest is not None else "-"
    return f"v{version}|n{count}|i{largest}|u{latest}|{encoder.model_id}|{TEXT_VERSION}"


def _lock_for(namespace: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(namespace, threading.Lock())


def sync_source(source: TextSource, encoder: Encoder, force: bool = False) -> SyncReport:
    """Bring the namespace up to date with its source; with `force`, compare every digest even
    when the stamps agree (`flask vectors sync`, after writes the stamp cannot see)."""
    started = time.perf_counter()
    # Read before the texts: a write committed after this raises the version, so the next check
    # notices it even if the texts below already include it.
    stamp = source_stamp(source, encoder)
    with _lock_for(source.namespace):  # one sync per namespace at a time in this process
        index = writable_index(source.namespace)
        if not force and index.stamp() == stamp:
            return SyncReport(source.namespace, 0, 0, None, False, time.perf_counter() - started)
        embedded, removed, total = _apply_changes(index, source, encoder, stamp)
    return SyncReport(
        source.namespace, embedded, removed, total, True, time.perf_counter() - started
    )


def _apply_changes(
    index: WritableVectorIndex, source: TextSource, encoder: Encoder, stamp: str
) -> tuple[int, int, int]:
    texts = source.texts()
    wanted = {item_id: text_digest(encoder.model_id, text) for item_id, text in texts.items()}
    stored = index.digests()
    changed = sorted(item_id for item_id, digest in wanted.items() if stored.get(item_id) != digest)
    vectors = encoder.encode([texts[item_id] for item_id in changed]) if changed else None
    wordless: set[str] = set()
    if vectors is not None:
        # A text without a single word (the hashing encoder's case) has no direction to compare:
        # it is left out of the index rather than refused.
        keep = np.linalg.norm(vectors, axis=1) > 0
        wordless = {item_id for item_id, kept in zip(changed, keep, strict=True) if not kept}
        changed, vectors = (
            [item_id for item_id in changed if item_id not in wordless],
            vectors[keep],
        )
    gone = sorted((set(stored) - set(wanted)) | (wordless & set(stored)))
    index.apply(
        changed,
        vectors if vectors is not None else np.zeros((0, 0)),
        [wanted[item_id] for item_id in changed],
        removed=gone,
        stamp=stamp,
    )
    total = len((set(stored) - set(gone)) | set(changed))
    return len(changed), len(gone), total
