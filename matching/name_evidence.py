"""How far a text uses a skill's own names: the words a linker's score cannot tell apart.

Dense and fuzzy similarity put "TIG welding" next to "MIG welding"; only the words say which one
the text names. Each name of a skill (label and alternative labels) is a run of word stems, each
weighted by its rarity among all skill names (IDF), so a missing rare word ("TIG", "lathe") counts
for more than a missing common one ("perform", "use").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from matching.lexical import terms, wording
from matching.taxonomy import SkillSurface, is_code

_CLAUSE_BREAK = re.compile(r"[,;:()\[\]|•]|\s-\s")


class NameEvidence:
    """Per skill, each name's word stems with their rarity; built once per taxonomy.

    ``explicit[i]`` says how many of skill i's names (label first, then alternative labels) are
    names someone wrote as such (the label, ESCO's alternative labels, the project's aliases), as
    opposed to alternative labels cut by guesswork out of a run-together description.
    """

    def __init__(self, surfaces: Sequence[SkillSurface], explicit: Sequence[int]) -> None:
        per_skill: list[list[tuple[str, ...]]] = []
        for surface in surfaces:
            names = [
                tuple(dict.fromkeys(terms(name))) for name in (surface.label, *surface.alt_labels)
            ]
            per_skill.append([words for words in names if words])
        # Whether each skill's first name is its preferred label (a label of stop words has none).
        self._label_first = [bool(terms(s.label)) for s in surfaces]
        frequency: dict[str, int] = {}
        for names in per_skill:
            for word in {word for words in names for word in words}:
                frequency[word] = frequency.get(word, 0) + 1
        count = max(len(per_skill), 1)
        self._names = [
            [
                (words, np.array([np.log(count / frequency[w]) + 1e-3 for w in words]))
                for words in names
            ]
            for names in per_skill
        ]
        # Each written name's wording -> the skills that bear it (and whether that name is a
        # distinctive alternative name), to find them all in one pass.
        self._written: dict[tuple[str, ...], list[tuple[int, bool]]] = {}
        for index, (surface, written) in enumerate(zip(surfaces, explicit, strict=True)):
            for number, name in enumerate((surface.label, *surface.alt_labels)[:written]):
                words = tuple(wording(name))
                if words:
                    distinctive = number > 0 and (
                        len(words) > 1 or any(is_code(word) for word in name.split())
                    )
                    self._written.setdefault(words, []).append((index, distinctive))
        self._longest_written = max((len(words) for words in self._written), default=0)
        self._written_words = {word for words in self._written for word in words}
        # Asked per unit and again per skill shown: kept for the last few thousand units.
        self._named_in_stems = lru_cache(maxsize=4096)(self._named_in_stems_uncached)

    def skills_named(self, *texts: str) -> dict[int, bool]:
        """Every skill one of whose written names (label, ESCO alternative label, alias) one of
        the texts says word for word, not only inside another skill's longer name ("logic" in
        "programmable logic controller"), however low the linker scores it: evidence no score can
        outweigh (stems: "MIG welding" says "MIG welding" and the alias "MIG"; word order matters,
        measured held out: the same words in any order mark too much). With each, whether one of
        those is a distinctive alternative name: not the preferred label, and two words or more
        ("CNC turning") or a code ("GMAW", "5S"), not one word whose stem other words share ("box"
        says "boxing", "count" "accounting")."""
        found: dict[int, bool] = {}
        for text in texts:
            # A name is said within one clause: "mould heat, metal put" does not say "heat metal".
            for clause in _CLAUSE_BREAK.split(text):
                words = tuple(self._doer_as_deed(word) for word in wording(clause))
                for index, distinctive in self._named_in_stems(words).items():
                    found[index] = found.get(index, False) or distinctive
        return found

    def _doer_as_deed(self, word: str) -> str:
        """A worker's title says the work it names: "welder" says "weld" (and so "TIG welders"
        says "TIG welding"), "fitter" "fit"; only where the title is in no name and the work is."""
        if len(word) < 5 or not word.endswith("er") or word in self._written_words:
            return word
        base = word[:-2]
        if len(base) >= 3 and base[-1] == base[-2] and base[:-1] in self._written_words:
            return base[:-1]
        return base if base in self._written_words else word

    def _named_in_stems_uncached(self, words: tuple[str, ...]) -> dict[int, bool]:
        """Each run of the stems, up to the longest written name's length, looked up whole. A
        name said only inside another skill's longer name is that name's word, not a name of its
        own: "PLC troubleshooting" (programmable logic controller) does not say "logic"."""
        said: list[tuple[int, int, int, bool]] = []  # (start, end, skill, distinctive)
        for start in range(len(words)):
            for end in range(start + 1, min(start + self._longest_written, len(words)) + 1):
                for index, distinctive in self._written.get(words[start:end], ()):
                    said.append((start, end, index, distinctive))
        found: dict[int, bool] = {}
        for start, end, index, distinctive in said:
            inside = any(
                other != index
                and outer_start <= start
                and end <= outer_end
                and outer_end - outer_start > end - start
                for outer_start, outer_end, other, _ in said
            )
            if not inside:
                found[index] = found.get(index, False) or distinctive
        return found

    def coverage(self, text: str, candidates: np.ndarray) -> np.ndarray:
        """For each candidate skill, the largest rarity-weighted share of one of its names whose
        words the text uses (a word also counts for its longer or shorter form: welder, weld)."""
        used = _words_used_by(text)
        out = np.zeros(len(candidates), dtype=np.float32)
        for position, candidate in enumerate(candidates):
            best = 0.0
            for name_words, weights in self._names[int(candidate)]:
                share = float(weights[[used(word) for word in name_words]].sum() / weights.sum())
                best = max(best, share)
                if best >= 1.0:
                    break
            out[position] = best
        return out

    def explained_away(self, text: str, candidate: int, named: Iterable[int]) -> bool:
        """True if every word of the text that the skill's names use belongs to a name of a skill
        the text names word for word ("I operate a CNC lathe machine": "lathe machine" is the
        lathe skill's, so it does not evidence "lathe machine parts")."""
        others = [other for other in named if other != candidate]
        if not others:
            return False
        used = _words_used_by(text)
        own = {word for words, _ in self._names[int(candidate)] for word in words if used(word)}
        if not own:
            return False
        owned = {
            word
            for other in others
            for words, _ in self._names[int(other)]
            for word in words
            if used(word)
        }
        return own <= owned

    def exact(self, text: str, candidates: Sequence[int]) -> np.ndarray:
        """Per candidate: (1 if one of its names appears word for word in the text, 1 if its
        preferred label does, the rarity summed over the words of the rarest such name / 10)."""
        joined = _joined_terms(text)
        out = np.zeros((len(candidates), 3), dtype=np.float32)
        for position, candidate in enumerate(candidates):
            names = self._names[int(candidate)]
            for number, (name_words, weights) in enumerate(names):
                if " " + " ".join(name_words) + " " in joined:
                    out[position, 0] = 1.0
                    if number == 0 and self._label_first[int(candidate)]:
                        out[position, 1] = 1.0
                    out[position, 2] = max(out[position, 2], float(weights.sum()) / 10.0)
        return out


@lru_cache(maxsize=4096)
def _joined_terms(text: str) -> str:
    """The text's word stems, space-separated and space-framed, for word-for-word name lookups
    (asked for each skill shown, so kept for the texts of the last few thousand units)."""
    return " " + " ".join(terms(text)) + " "


@lru_cache(maxsize=4096)
def _words_used_by(text: str) -> Callable[[str], bool]:
    """``_word_user`` of a text's stems, kept for the last few thousand units: a unit's coverage
    asks it once, and ``explained_away`` again for each skill shown."""
    return _word_user(terms(text))


def _word_user(text_words: list[str]) -> Callable[[str], bool]:
    """Whether a name's word is used by the text (itself, or a longer or shorter form)."""
    words = set(text_words)
    prefixes = {word[:4] for word in words if len(word) >= 4}

    def used(word: str) -> bool:
        if word in words:
            return True
        return (
            len(word) >= 4
            and word[:4] in prefixes
            and any(
                len(other) >= 4 and (other.startswith(word) or word.startswith(other))
                for other in words
            )
        )

    return used


def best_fuzzy(
    phrases: list[str], candidates: np.ndarray, names_of: Callable[[int], list[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate skill, the best fuzzy ratio (0..1) between any phrase and any of its
    lower-cased names (``names_of(skill)``), and which phrase gave it (-1 for none)."""
    best = np.zeros(len(candidates), dtype=np.float32)
    which = np.full(len(candidates), -1, dtype=np.int64)
    if not phrases:
        return best, which
    names: list[str] = []
    counts = np.empty(len(candidates), dtype=np.int64)
    for position, candidate in enumerate(candidates):
        candidate_names = names_of(int(candidate))
        names.extend(candidate_names)
        counts[position] = len(candidate_names)
    matrix = process.cdist(
        [phrase.lower() for phrase in phrases], names, scorer=fuzz.ratio, workers=1
    ).astype(np.float32)  # (phrases, names)
    name_best = matrix.max(0) / 100.0
    name_phrase = matrix.argmax(0)
    # Names are grouped by candidate; per group take the best name (the first one on ties).
    owners = np.repeat(np.arange(len(candidates)), counts)
    order = np.lexsort((-name_best, owners))
    group_starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    top = order[group_starts]
    found = name_best[top] > 0
    best[found] = name_best[top][found]
    which[found] = name_phrase[top][found]
    return best, which
