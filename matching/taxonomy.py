"""Skill taxonomy records: reading ESCO's CSV and describing each skill for matching.

A skill is matched through several surface forms (preferred label, alternative labels, definition).
The ESCO v1.1.0 file the project benchmarks on has no separate alternative labels: they are run
together with the definition in ``description``. ``skill_surface`` recovers both parts so the linker
can use them as separate signals.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

REQUIRED_COLUMNS = ("conceptUri", "preferredLabel", "altLabels", "description")


class TaxonomyFormatError(ValueError):
    """A taxonomy file that cannot be read; carries the 1-based line number of the problem."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


@dataclass(frozen=True)
class SkillRecord:
    """One skill of the taxonomy (ESCO or a project-local skill)."""

    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    kind: str = "esco"


@dataclass(frozen=True)
class SkillSurface:
    """The texts a skill can be recognised by: label, alternative labels, definition."""

    label: str
    alt_labels: tuple[str, ...]
    definition: str


def read_esco_csv(source: str | os.PathLike[str] | IO[str]) -> Iterator[SkillRecord]:
    """Yield the skills of an ESCO skills CSV (path or open text file).

    Only the columns conceptUri, preferredLabel, altLabels, description are used; altLabels may hold
    several labels separated by newlines inside the quoted cell. Errors name the file line.
    """
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            yield from _read_esco_rows(handle)
    else:
        yield from _read_esco_rows(source)


def _read_esco_rows(handle: IO[str]) -> Iterator[SkillRecord]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise TaxonomyFormatError("empty file: expected a header row", 1) from None
    except csv.Error as exc:
        raise TaxonomyFormatError(f"unreadable CSV ({exc})", 1) from None
    header = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise TaxonomyFormatError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(header)}", 1
        )
    index = {name: header.index(name) for name in REQUIRED_COLUMNS}
    while True:
        line = reader.line_num + 1  # first physical line of the next record
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TaxonomyFormatError(f"unreadable CSV ({exc})", line) from None
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise TaxonomyFormatError(f"expected {len(header)} columns, found {len(row)}", line)
        uri = row[index["conceptUri"]].strip()
        label = " ".join(row[index["preferredLabel"]].split())
        if not uri:
            raise TaxonomyFormatError("empty conceptUri", line)
        if not label:
            raise TaxonomyFormatError(f"empty preferredLabel for {uri}", line)
        alt_labels = tuple(
            dict.fromkeys(
                " ".join(alt.split()) for alt in row[index["altLabels"]].splitlines() if alt.strip()
            )
        )
        description = " ".join(row[index["description"]].split())
        yield SkillRecord(uri=uri, label=label, alt_labels=alt_labels, description=description)


def read_esco_text(text: str) -> list[SkillRecord]:
    """Parse ESCO CSV content held in memory (handy for tests and uploads)."""
    return list(read_esco_csv(io.StringIO(text)))


def taxonomy_version(records: Iterable[SkillRecord]) -> str:
    """A stable content hash of the records, independent of their order.

    One hash over the sorted serialised records: hashing each record separately cost a noticeable
    part of a warm start for ESCO's 13,896 skills.
    """
    rows = sorted(
        "\x1f".join(
            (
                record.uri,
                record.label,
                "\x1e".join(record.alt_labels),
                record.description,
                record.kind,
            )
        )
        for record in records
    )
    return hashlib.sha256("\x1d".join(rows).encode("utf-8")).hexdigest()[:16]


# --- Recovering alternative labels run together with the definition -------------------------

_TOKEN = re.compile(r"\S+")
_ARTICLES = {"The", "A", "An"}


def split_run_together_description(label: str, description: str) -> tuple[str, str]:
    """Split "alt labels ... Definition sentence." into (alt label run, definition).

    Alternative labels are lower case apart from names; a definition starts with a capitalised word
    (not an acronym or code: "tend CNC lathe machine" is an alternative label) followed by a
    lower-case word, punctuation, or a code and then a lower-case word ("Install PSUs in").
    Capitalised words that the label itself capitalises (names such as "Angular") are alt-label
    material, not a definition start.
    """
    names = {word.lower() for word in re.findall(r"[\w+#.-]+", label) if not word.islower()}
    tokens = list(_TOKEN.finditer(description))
    for position, token in enumerate(tokens[:-1]):
        word = token.group()
        if not word[0].isupper() or is_code(word):
            continue
        following = tokens[position + 1].group()
        if not (following[0].islower() or following[0] in ",(;:"):
            # "The PLC is...", "Install PSUs in...": a code may follow a definition's first word,
            # but "Informix 4GL/SQL SEQUEL" is a run of product names.
            after = tokens[position + 2].group() if position + 2 < len(tokens) else ""
            if not is_code(following) or not (word in _ARTICLES or after[:1].islower()):
                continue
        if word not in _ARTICLES and re.sub(r"\W+$", "", word).lower() in names:
            continue
        return description[: token.start()].strip(), description[token.start() :].strip()
    if description.endswith(".") and tokens and tokens[0].group()[0].isupper():
        return "", description.strip()
    return description.strip(), ""


def is_code(word: str) -> bool:
    """An acronym or code ("CNC", "PSUs", "KPI's", "DC/AC", "M41"): alt-label material that
    starts no definition, though it is capitalised and a lower-case word may follow it."""
    parts = re.split(r"[-/]", word)
    return any(sum(ch.isupper() for ch in part) >= 2 for part in parts) or any(
        ch.isdigit() for ch in word
    )


class AltLabelSegmenter:
    """Cuts a run of alternative labels into separate labels.

    A cut goes before a word that typically starts a skill label (a verb such as "manage" or
    "operate"), learned from the preferred labels themselves, and before a repeat of the skill's
    head word sequence. Nothing here is keyed to particular skills.
    """

    _GLUE = frozenset(
        "a an and or of to for the in on with at by from into as & - / their its your".split()  # noqa: SIM905
    )

    def __init__(self, labels: Iterable[str], min_count: int = 5, min_ratio: float = 0.5) -> None:
        first: Counter[str] = Counter()
        anywhere: Counter[str] = Counter()
        for label in labels:
            words = label.lower().split()
            if not words:
                continue
            first[words[0]] += 1
            anywhere.update(set(words))
        self.starters = frozenset(
            word
            for word, count in first.items()
            if count >= min_count and count / anywhere[word] >= min_ratio
        )

    def segment(self, label: str, run: str) -> tuple[str, ...]:
        """The alternative labels found in ``run`` (may be one long piece if no cut is found)."""
        words = run.split()
        if not words:
            return ()
        label_first = label.lower().split()[0] if label.split() else ""
        pieces: list[list[str]] = [[]]
        for word in words:
            lower = word.lower()
            previous = pieces[-1][-1].lower() if pieces[-1] else ""
            is_start = lower in self.starters or (lower == label_first and len(label.split()) > 1)
            if pieces[-1] and is_start and previous not in self._GLUE and len(pieces[-1]) >= 1:
                pieces.append([])
            pieces[-1].append(word)
        out = [" ".join(piece) for piece in pieces if piece]
        return tuple(dict.fromkeys(out))


def skill_surface(record: SkillRecord, segmenter: AltLabelSegmenter | None = None) -> SkillSurface:
    """The label, alternative labels and definition of a record.

    Records with explicit alt labels are taken as they are; ESCO v1.1.0 records whose description
    runs alt labels and definition together are split (alt labels cut by ``segmenter`` if given,
    else kept as one run).
    """
    if record.alt_labels or not record.description:
        return SkillSurface(record.label, record.alt_labels, record.description)
    run, definition = split_run_together_description(record.label, record.description)
    if not run:
        return SkillSurface(record.label, (), definition)
    alts = segmenter.segment(record.label, run) if segmenter else (run,)
    alts = tuple(alt for alt in alts if alt.lower() != record.label.lower())
    return SkillSurface(record.label, alts, definition)


def records_by_uri(records: Iterable[SkillRecord]) -> dict[str, SkillRecord]:
    """Index records by URI, refusing duplicates (two skills with one URI is a data error)."""
    out: dict[str, SkillRecord] = {}
    for record in records:
        if record.uri in out:
            raise ValueError(f"duplicate skill uri {record.uri!r}")
        out[record.uri] = record
    return out
