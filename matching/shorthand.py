"""Trade shorthand spelled out (``data/shorthand.tsv``): "MIG", "VMC", "read drawings".

A skill taxonomy names skills in full ("perform metal inert gas welding", "read engineering
drawings"); workers and employers write the shorthand. The linker reads an English line with each
shorthand spelled out after it, as a Translation whose pieces tie every English word back to the
characters of the line, so the evidence quoted is still the writer's own words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from matching.languages import DATA_DIR, Piece, Translation
from matching.text import STOP_WORDS

# Words of the line (without the punctuation around them), each its own piece.
_WORD = re.compile(r"\w[\w+#./&'’-]*[\w+#]|\w")
# The word after a shorthand ("MIG welding"), spelled out with it.
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z-]*)")


@lru_cache(maxsize=1)
def shorthand_table() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(shorthand, spelled out, words it is not spelled out after) from ``data/shorthand.tsv``,
    longest shorthand first. The third column, when there is one, names the words that make the
    shorthand part of a longer name: "metal inert gas welding" is no gas welding."""
    rows = []
    for line in (DATA_DIR / "shorthand.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        shorthand, spelled, *rest = (part.strip() for part in line.split("\t"))
        rows.append((shorthand, spelled, tuple(rest[0].split()) if rest else ()))
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = shorthand_table()
    spelled = {}
    alternatives = []
    for shorthand, words, not_after in table:
        escaped = re.escape(shorthand).replace(r"\ ", r"\s+")
        escaped = "".join(f"(?<!\\b{re.escape(word)}\\s)" for word in not_after) + escaped
        if shorthand.isupper() or any(ch.isdigit() for ch in shorthand):
            alternatives.append(escaped)
            spelled[shorthand] = words
        else:
            alternatives.append(f"(?i:{escaped})")
            spelled[" ".join(shorthand.lower().split())] = words
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(alternatives) + r")(?![\w&])")
    return pattern, spelled


def spelled_out(text: str) -> Translation | None:
    """The line followed by each shorthand spelled out with the word after it ("3 years of MIG
    welding, metal inert gas welding"), so the line's own phrases ("MIG welding") stay whole;
    None when the line has no shorthand."""
    pattern, spelled = _pattern()
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    pieces = [
        Piece(word.group(), word.start(), word.end(), word.start(), word.end())
        for word in _WORD.finditer(text)
    ]
    english = text
    for match in matches:
        found = match.group()
        words = spelled[found if found in spelled else " ".join(found.lower().split())]
        source_end = match.end()
        following = _NEXT_WORD.match(text, match.end())
        if following and following.group(1).lower() not in STOP_WORDS:
            words += " " + following.group(1)
            source_end = following.end(1)
        english += ", "
        pieces.append(
            Piece(words, len(english), len(english) + len(words), match.start(), source_end)
        )
        english += words
    return Translation(source=text, language="en", english=english, pieces=pieces)


def spelled_out_translation(translation: Translation) -> Translation:
    """A translation's English with its shorthand spelled out too ("टिग वेल्डिंग" → "TIG welding,
    tungsten inert gas welding"), each English word still tied to the source characters."""
    spelled = spelled_out(translation.english)
    if spelled is None:
        return translation
    pieces = []
    for piece in spelled.pieces:
        covered = [
            p
            for p in translation.pieces
            if p.start < piece.source_end and p.end > piece.source_start
        ]
        if not covered:
            continue
        pieces.append(
            Piece(
                piece.english,
                piece.start,
                piece.end,
                min(p.source_start for p in covered),
                max(p.source_end for p in covered),
            )
        )
    return Translation(translation.source, translation.language, spelled.english, pieces)
