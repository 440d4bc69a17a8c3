"""Places people name: India's states and union territories, Maharashtra's districts and the
industrial towns said instead of them.

Profiles, postings and batches store a state or district by its English name (as the import
formats have it). This module knows each one's names in Marathi and Hindi, its older or other
spellings (Aurangabad, Osmanabad, Poona, Orissa, Pondicherry), and the district a cluster town lies
in (Chakan is in Pune district), from ``matching/data/places.tsv``, which ships in the package.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.tsv"
# The state whose districts the list holds; another state's districts are not listed.
LISTED_STATE = "Maharashtra"
# How close (rapidfuzz ratio, 0-100) an unknown name must be to a listed one to be called a slip.
NEAREST_CUTOFF = 85
# A name this long with one letter swapped, missed or added is still a slip of a listed one.
SLIP_MIN_LENGTH = 4
LANGUAGE_COLUMNS = ("mr", "hi")


@dataclass(frozen=True)
class Place:
    kind: str  # "state", "district" or "town"
    name: str  # as stored: the English name
    district: str  # the district it lies in (a district's own name; empty for the state)
    names: dict[str, str]  # language code → name in that language

    def name_in(self, lang: str) -> str:
        return self.names.get(lang) or self.name


@dataclass(frozen=True)
class Gazetteer:
    places: tuple[Place, ...]
    by_key: dict[str, Place]

    def find(self, written: str | None) -> Place | None:
        """The place a stored or typed name means: any language, other spellings, any case."""
        return self.by_key.get(place_key(written or ""))

    def find_in_word(self, word: str) -> Place | None:
        """The place a word of running text names, with a Marathi case ending or postposition
        written onto it: "चाकणमध्ये" (in Chakan), "पुण्यात" (in Pune), "साताऱ्याला" (to
        Satara). Marathi writes these together with the name; Hindi writes "चाकण में" apart."""
        place = self.find(word)
        if place is not None or not word:
            return place
        for ending in MARATHI_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                stem = word[: -len(ending)]
                for candidate in (stem, *_nominative(stem)):
                    if (place := self.find(candidate)) is not None:
                        return place
        return None

    def label(self, written: str | None, lang: str) -> str:
        """A stored name as a reader of ``lang`` says it; names this list lacks stay as written."""
        place = self.find(written)
        return place.name_in(lang) if place else (written or "")

    def district_of(self, written: str | None) -> str | None:
        """The district a district or town name lies in (Chakan → Pune), else None."""
        place = self.find(written)
        return place.district or None if place else None

    def nearest(self, written: str | None, cutoff: float = NEAREST_CUTOFF) -> Place | None:
        """The district or town whose name (in any language or spelling) is nearest a name the
        list does not know, if near enough to be a slip ("Mumbaii" → Mumbai), else None."""
        key = place_key(written or "")
        if not key or key in self.by_key:
            return None
        names = list(self.by_key)
        found = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=cutoff)
        if found is None and len(key) >= SLIP_MIN_LENGTH:
            # One letter swapped, missed or added: "Pnue" is Pune (a ratio of 75 on four letters).
            found = process.extractOne(
                key, names, scorer=DamerauLevenshtein.distance, score_cutoff=1
            )
        if found is None:
            return None
        place = self.by_key[found[0]]
        return place if place.kind in ("district", "town") else None

    def districts(self) -> list[Place]:
        return sorted((p for p in self.places if p.kind == "district"), key=lambda p: p.name)

    def states(self) -> list[Place]:
        return sorted((p for p in self.places if p.kind == "state"), key=lambda p: p.name)

    def state(self, written: str | None) -> Place | None:
        """The state or union territory a name means (any language, old spelling, code)."""
        place = self.find(written)
        return place if place is not None and place.kind == "state" else None


# Marathi case endings and postpositions written onto a place name, longest first.
MARATHI_ENDINGS = tuple(
    sorted(
        [
            "मधील",
            "मध्ये",
            "मधे",
            "मधून",
            "तील",
            "तून",
            "त",
            "ला",
            "ना",
            "हून",
            "पासून",
            "जवळ",
            "जवळील",
            "येथे",
            "येथील",
            "च्या",
            "चा",
            "ची",
            "चे",
            "ात",
            "ातील",
            "ाला",
            "ाच्या",
        ],
        key=len,
        reverse=True,
    )
)


def _nominative(stem: str) -> list[str]:
    """The name as it stands alone, from the stem a Marathi ending bends: पुण्या- → पुणे,
    साताऱ्या- → सातारा, अकोल्या- → अकोला."""
    if stem.endswith("ऱ्या"):
        return [stem[:-4] + "रा"]
    if stem.endswith("्या"):
        return [stem[:-3] + "े", stem[:-3] + "ा"]
    return []


def place_key(text: str) -> str:
    return " ".join(text.replace("-", " ").casefold().split())


def read_places(path: Path = PLACES_FILE) -> Gazetteer:
    places: list[Place] = []
    by_key: dict[str, Place] = {}
    with path.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            kind, name, district, *rest = [*row, "", "", ""][:6]
            local = dict(zip(LANGUAGE_COLUMNS, rest[:2], strict=True))
            place = Place(kind, name, district, {k: v for k, v in local.items() if v})
            places.append(place)
            others = [other for other in rest[2].split(",") if other.strip()]
            for written in (name, *place.names.values(), *others):
                by_key.setdefault(place_key(written), place)
    return Gazetteer(tuple(places), by_key)


@cache
def gazetteer() -> Gazetteer:
    return read_places()
