"""Trade shorthand spelled out (``data/shorthand.tsv``): "MIG", "VMC", "read drawings".

A skill taxonomy names skills in full ("perform metal inert gas welding", "read engineering
drawings"); workers and employers write the shorthand. The linker reads an English line with each
shorthand's spelled-out words put beside it, as a Translation whose pieces tie every English word
back to the characters of the line, so the evidence quoted is still the writer's own words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from matching.languages import DATA_DIR, Piece, Translation

_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def shorthand_table() -> tuple[tuple[str, str], ...]:
    """(shorthand, spelled out) pairs from ``data/shorthand.tsv``, longest shorthand first."""
    pairs = []
    for line in (DATA_DIR / "shorthand.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        shorthand, spelled = (part.strip() for part in line.split("\t", 1))
        pairs.append((shorthand, spelled))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = shorthand_table()
    spelled = {}
    alternatives = []
    for shorthand, words in table:
        escaped = re.escape(shorthand).replace(r"\ ", r"\s+")
        if shorthand.isupper() or any(ch.isdigit() for ch in shorthand):
            alternatives.append(escaped)
            spelled[shorthand] = words
        else:
            alternatives.append(f"(?i:{escaped})")
            spelled[" ".join(shorthand.lower().split())] = words
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(alternatives) + r")(?![\w&])")
    return pattern, spelled


def spelled_out(text: str) -> Translation | None:
    """The line with each shorthand followed by its spelled-out words ("MIG (metal inert gas)
    welding"); None when the line has no shorthand."""
    pattern, spelled = _pattern()
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    english: list[str] = []
    pieces: list[Piece] = []
    length = 0

    def add(words: str, source_start: int, source_end: int) -> None:
        nonlocal length
        if english:
            english.append(" ")
            length += 1
        english.append(words)
        pieces.append(Piece(words, length, length + len(words), source_start, source_end))
        length += len(words)

    position = 0
    for match in matches:
        for word in _WORD.finditer(text, position, match.start()):
            add(word.group(), word.start(), word.end())
        found = match.group()
        key = found if found in spelled else " ".join(found.lower().split())
        add(found, match.start(), match.end())
        add(f"({spelled[key]})", match.start(), match.end())
        position = match.end()
    for word in _WORD.finditer(text, position, len(text)):
        add(word.group(), word.start(), word.end())
    return Translation(source=text, language="en", english="".join(english), pieces=pieces)
