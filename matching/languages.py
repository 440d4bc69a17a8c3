"""Bringing Marathi, Hindi and Hinglish work descriptions into English words.

The skill linker and the taxonomy speak English; the English encoder makes nothing of Devanagari. A
worker's own words are therefore turned into English words first, word by word, keeping for each
English word the characters of the original it came from (so evidence can point at the worker's text):

* a shop-floor glossary per language (``matching/data/glossary_*.tsv``), looked up after a light
  suffix strip (Marathi and Hindi inflect heavily: कापतो, कापणं, मोजमापाने), so the lists stay small;
* Devanagari loanwords (वेल्डिंग, मायक्रोमीटर) romanised and matched by sound against an English
  vocabulary (the taxonomy's own words when a linker asks, else ``matching/data/loanwords.txt``);
* letter-by-letter acronyms (सीएनसी, सी एन सी, पीएलसी) and Devanagari digits.

English text is never changed: ``needs_translation`` is false for it and callers keep their old path.
Nothing is downloaded; the data files ship inside this package.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from matching.text import ascii_digits
from matching.transliteration import (
    LETTER_NAMES,
    english_sound_keys,
    letter_names,
    romanise,
    sound_key,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
GLOSSARY_LANGUAGES = ("mr", "hi", "hinglish")
LOANWORD_CUTOFF = 80
VOCABULARY_CUTOFF = 90
LONG_KEY = 6
SHORT_KEY = 4
SHORT_KEY_CUTOFF = 88
LONE_SIGN_CUT = 6
MEMO_SIZE = 100_000

_DEVANAGARI = re.compile(r"[\u0900-\u097F\uA8E0-\uA8FF]")
_LATIN = re.compile(r"[A-Za-z]")
# A token: a run of Devanagari letters and signs (dandas excluded), or of Latin letters and digits.
_TOKEN = re.compile(
    r"[\u0900-\u0963\u0971-\u097F\u200c\u200d]+|[\u0966-\u096F]+|[A-Za-z0-9][A-Za-z0-9+#&'’./-]*[A-Za-z0-9+#]|[A-Za-z0-9]"
)
# Clause and sentence punctuation kept in the English text, so phrases never cross it.
_PUNCTUATION = re.compile(r"[,;:()।॥.!?|/]")
_UNIT_BREAK = re.compile(r"\r?\n|\r|[।॥]|(?<=[.!?])\s+")

# Function words that mark Latin-script Hindi; none is an English word a job text would use.
HINGLISH_CUES = frozenset(
    """hu hoon hun hai hain hota hoti karta karti karte karna kiya kiye aur mein mujhe maine mera
    meri mere humne hamara ka ki ke ko se pe bhi nahi nahin sakta sakti sakte wala wali wale liye
    saath tha thi raha rahi rahe hamesha sab apna apni khud hua hui hue dono kaam karke karne""".split()  # noqa: SIM905
)
# Words that say a text is about languages (reading, writing or speaking one, translating).
_LANGUAGE_TOPIC = re.compile(
    r"\b(?:languages?|translat\w*|interpret(?:er|ing|ation)\b|english|hindi|marathi|gujarati|"
    r"kannada|tamil|telugu|bengali|urdu|punjabi|odia|malayalam|konkani|sanskrit)\b",
    re.IGNORECASE,
)

# Marathi and Hindi inflections (case markers, postpositions written together, verb endings). A word
# is looked up as glossary stem + any chain of these.
_SUFFIXES = frozenset(
    """ने ला ना चा ची चे च्या चं चीं त ात मध्ये मधे मधून वर वरून ून हून साठी कडे कडून पर्यंत पासून शी ही च
    ंना ांना ांचा ांची ांचे ांच्या ांनी नी ानी ाने ाला ाचा ाची ाचे ाच्या ाचं ाशी ावर ां ा े ी ं ाव ावं ू
    तो ते ती तात तं णे णं णार णारा णारी णारे ले ली लं लो लेले लेली लेला लेल्या ायचं ायचे ायला ायची ायचा
    वतो वते वणे वणं वला वली वले ता तोय तेय तोस ाय वा वी वे ऊन ण्या ण्यासाठी ण्याचे ण्याचा ण्याची ण्यात
    ायचं ावे तील ात्मक ो ों ें ओं ाओ ियों ियां ाई ाता ाती ाते ाना ानी ाया ायी ाये या ये यी ई ए कर करके
    वाना वाता वाती वाते ेगा ेगी ेंगे ूं ूँ ँ""".split()  # noqa: SIM905
)
_MAX_SUFFIX = max(len(suffix) for suffix in _SUFFIXES)
# How an inflection of a noun in -ा begins (its oblique form): Hindi -े -ों, Marathi -्या.
_OBLIQUE = ("े", "ों", "ो", "या", "्या")
# The same endings as typed in Latin letters (ghisna, ghisne, ghista, ghiskar, jodke). A lone vowel
# is no ending here: too many stems plus a vowel are other words (bhar-i "heavy", chalak-e).
_LATIN_SUFFIXES = frozenset(
    """na ne ni ta ti te tey kar ke ka ki ko ya ye yi wa we wi ega egi enge unga ungi iye ao nay
    """.split()  # noqa: SIM905
)
_MAX_LATIN_SUFFIX = max(len(suffix) for suffix in _LATIN_SUFFIXES)
MIN_LATIN_STEM = 3

# Acronyms a shop floor spells out; a spelt-out word counts as an acronym only if it is one of
# these or an upper-case word of the taxonomy (so ordinary words are never read as letters).
COMMON_ACRONYMS = frozenset(
    """CNC VMC HMC PLC MIG TIG MAG MMA SMAW GTAW GMAW FCAW SAW QC QA PPE LOTO SOP ERP SAP PVC HDPE
    LPG CNG PCB AC DC MCB MCCB ELCB RCCB DG UPS HVAC CCTV ITI NDT UT MPI DPT CMM EDM SPM FIFO FEFO
    ISO KPI PPAP FMEA SPC MSA TPM OEE BOM GST EV BMS RO ETP STP HACCP GMP CAD CAM PPC RM FG WIP
    MS SS GI CI HT LT VFD SCADA HMI DCS PH IT TDS""".split()  # noqa: SIM905
)

# --- Data -----------------------------------------------------------------------------------


@cache
def glossary(language: str) -> dict[str, str]:
    """Native word (or stem) → English words, from ``data/glossary_<language>.tsv``.

    An empty English side marks a word that carries no skill (pronouns, auxiliaries, "work").
    """
    if language not in GLOSSARY_LANGUAGES:
        raise ValueError(f"no glossary for {language!r}; known: {', '.join(GLOSSARY_LANGUAGES)}")
    entries: dict[str, str] = {}
    path = DATA_DIR / f"glossary_{language}.tsv"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        native, _, english = line.partition("\t")
        native = unicodedata.normalize("NFC", native.strip())
        if not native:
            raise ValueError(f"{path.name}:{number}: empty native word")
        key = native if _DEVANAGARI.search(native) else native.lower()
        entries[key] = " ".join(english.split())
    return entries


@cache
def loanwords() -> tuple[str, ...]:
    """English words Indian shop floors borrow (``data/loanwords.txt``), for reading them back."""
    path = DATA_DIR / "loanwords.txt"
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        words.extend(line.split())
    return tuple(dict.fromkeys(words))


# --- Detection ------------------------------------------------------------------------------


def detect_script(text: str) -> str:
    """ "devanagari", "latin" or "other" (no letters of either): whichever has more letters."""
    devanagari = len(_DEVANAGARI.findall(text))
    latin = len(_LATIN.findall(text))
    if devanagari == 0 and latin == 0:
        return "other"
    return "devanagari" if devanagari >= latin else "latin"


_MARATHI_CUES = frozenset(
    """आणि मला मी आहे आहेत नाही करतो करते करतात होतो होते येते येतो मध्ये आम्ही माझा माझी माझे
    आमच्या वर्षं वर्षे सगळे पण""".split()  # noqa: SIM905
)
_HINDI_CUES = frozenset(
    """और में है हैं हूं हूँ मैं मुझे मेरा मेरी मेरे का की के को से पर भी नहीं करता करती करते
    था थी हम हमारे साल""".split()  # noqa: SIM905
)


def detect_language(text: str) -> str:
    """ "mr" (Marathi), "hi" (Hindi), "hinglish" (Hindi in Latin letters) or "en" (anything else).

    Devanagari text is Marathi or Hindi by their commonest function words (ळ and the Marathi verb
    endings decide a tie); Latin text is Hinglish only with two distinct Hindi function words.
    """
    if detect_script(text) == "devanagari":
        words = _TOKEN.findall(text)
        marathi = sum(word in _MARATHI_CUES for word in words) + text.count("ळ")
        marathi += sum(word.endswith(("तो", "ते", "णे", "णं", "च्या", "ला")) for word in words) / 2
        hindi = sum(word in _HINDI_CUES for word in words)
        return "hi" if hindi > marathi else "mr"
    words = {word.lower() for word in _TOKEN.findall(text)}
    return "hinglish" if len(words & HINGLISH_CUES) >= 2 else "en"


def needs_translation(text: str) -> bool:
    """True if ``text`` has Devanagari letters or reads as Hinglish (English text: False)."""
    if _DEVANAGARI.search(text):
        return True
    return detect_language(text) == "hinglish"


def has_devanagari(text: str) -> bool:
    """True if ``text`` has at least one Devanagari character."""
    return _DEVANAGARI.search(text) is not None


_LANGUAGE_SKILL = re.compile(
    r"^(?:understand (?:written|spoken)|interact verbally in|write|speak) ([A-Z][\w -]*)$"
)


def language_skill_names(labels: list[str]) -> np.ndarray:
    """A mask of the labels that are language skills, found from the labels themselves.

    The languages are those named by "understand written X"-style labels; a skill is a language
    skill if its label is one of those forms or the bare name of such a language ("Hindi").
    """
    languages = set()
    for label in labels:
        match = _LANGUAGE_SKILL.match(label)
        if match and label.startswith("understand"):
            languages.add(match.group(1))
    mask = np.zeros(len(labels), dtype=bool)
    for position, label in enumerate(labels):
        match = _LANGUAGE_SKILL.match(label)
        mask[position] = label in languages or (match is not None and match.group(1) in languages)
    return mask


def is_about_languages(english: str) -> bool:
    """True if an (English) text names a language or speaks of languages or translating."""
    return _LANGUAGE_TOPIC.search(english) is not None


# --- Translation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One English word or phrase of a translation and the source characters it renders."""

    english: str
    start: int  # in the English text
    end: int
    source_start: int  # in the source text
    source_end: int


@dataclass
class Translation:
    """English words for a source text, each tied to the source characters it came from."""

    source: str
    language: str
    english: str
    pieces: list[Piece] = field(default_factory=list)

    def source_span(self, start: int, end: int) -> str:
        """The source words behind English characters ``start:end`` (the whole source if none)."""
        covered = [p for p in self.pieces if p.start < end and p.end > start]
        if not covered:
            return self.source.strip()
        return self.source[
            min(p.source_start for p in covered) : max(p.source_end for p in covered)
        ]

    def source_of(self, phrase: str) -> str:
        """``source_span`` of the first occurrence of ``phrase`` in the English text."""
        start = self.english.find(phrase)
        if start < 0:
            return self.source.strip()
        return self.source_span(start, start + len(phrase))


class Translator:
    """Word-by-word Marathi / Hindi / Hinglish → English, with an English vocabulary to read
    loanwords back into (the words of a taxonomy, plus the shipped loanword list)."""

    def __init__(self, vocabulary: Iterable[str] = (), acronyms: Iterable[str] = ()) -> None:
        counts: Counter[str] = Counter()
        for word in vocabulary:
            word = word.lower()
            if len(word) >= 3 and word.isalpha() and word.isascii():
                counts[word] += 1
        self._counts = counts
        preferred = frozenset(word.lower() for word in loanwords())
        self._preferred = preferred
        # Two pools: the shop-floor loanwords, matched leniently, and the rest of the vocabulary,
        # matched only for long words and closely (a short native word sounds like some English
        # word of a 15,000-word vocabulary far too often).
        self._pools: list[dict[str, list[str]]] = [{}, {}]
        # (key, word) pairs where the key is only how the word is said, not how it is written: a
        # tie between "tapping" (टॅपिंग, as written) and "typing" (said "taip-") goes to the former.
        self._spoken_only: set[tuple[str, str]] = set()
        for word in [*sorted(preferred), *sorted(counts, key=lambda w: (-counts[w], w))]:
            pool = self._pools[0 if word in preferred else 1]
            keys = english_sound_keys(word)
            for key in keys:
                if len(key) >= 2 and word not in pool.get(key, ()):
                    pool.setdefault(key, []).append(word)
                    if key != keys[0]:
                        self._spoken_only.add((key, word))
        self._pool_keys = [list(pool) for pool in self._pools]
        self.acronyms = frozenset(a.upper() for a in acronyms) | COMMON_ACRONYMS
        self._memo: dict[tuple[str, str], str | None] = {}

    def translate(self, text: str, language: str | None = None) -> Translation:
        """English words for ``text`` (language detected when not given)."""
        language = language or detect_language(text)
        text = unicodedata.normalize("NFC", text)
        parts: list[str] = []
        pieces: list[Piece] = []
        length = 0
        tokens = self._tokens(text)
        index = 0
        while index < len(tokens):
            start, end, kind = tokens[index]
            if kind == "punct":
                english = "." if text[start:end] in "।॥" else text[start:end]
            else:
                english, used = self._spelt_out(text, tokens, index)
                if not used:
                    english, used = self._phrase(text, tokens, index, language)
                if used:
                    end = tokens[index + used - 1][1]
                    index += used - 1
                else:
                    english = self._word(text[start:end], language)
            index += 1
            if not english:
                continue
            separator = "" if kind == "punct" or not parts else " "
            piece_start = length + len(separator)
            parts.append(separator + english)
            length = piece_start + len(english)
            pieces.append(Piece(english, piece_start, length, start, end))
        return Translation(text, language, "".join(parts).strip(), pieces)

    def _tokens(self, text: str) -> list[tuple[int, int, str]]:
        found = [(m.start(), m.end(), "word") for m in _TOKEN.finditer(text)]
        found += [(m.start(), m.end(), "punct") for m in _PUNCTUATION.finditer(text)]
        found.sort()
        # Drop punctuation inside a word token ("B.Tech", "load-unload").
        out: list[tuple[int, int, str]] = []
        for token in found:
            if out and token[0] < out[-1][1]:
                continue
            out.append(token)
        return out

    def _spelt_out(
        self, text: str, tokens: list[tuple[int, int, str]], index: int
    ) -> tuple[str, int]:
        """An acronym spelt as separate letter names ("सी एन सी"): (acronym, tokens used)."""
        letters = []
        position = index
        while position < len(tokens) and tokens[position][2] == "word":
            name = text[tokens[position][0] : tokens[position][1]]
            if name not in LETTER_NAMES:
                break
            letters.append(LETTER_NAMES[name])
            position += 1
        acronym = "".join(letters)
        if len(letters) >= 2 and acronym in self.acronyms:
            return acronym, len(letters)
        return "", 0

    def _phrase(
        self, text: str, tokens: list[tuple[int, int, str]], index: int, language: str
    ) -> tuple[str, int]:
        """A two-word compound verb of the glossary ("ठीक करता", "लक्ष ठेवतो", "thik kiya"),
        each word matched as its stem plus inflections: (English, tokens used)."""
        if index + 1 >= len(tokens) or tokens[index + 1][2] != "word":
            return "", 0
        first = text[tokens[index][0] : tokens[index][1]]
        second = text[tokens[index + 1][0] : tokens[index + 1][1]]
        for (head, tail), english in glossary_phrases(language).items():
            if _inflects(first, head) and _inflects(second, tail):
                return english, 2
        return "", 0

    def _word(self, word: str, language: str) -> str:
        key = (word, language)
        if key not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()  # free text is unbounded; a worker's words repeat
            self._memo[key] = self._translate_word(word, language)
        return self._memo[key] or ""

    def _translate_word(self, word: str, language: str) -> str | None:
        digits = ascii_digits(word)
        if _DEVANAGARI.search(word) is None:
            if digits != word:
                return digits
            if language == "hinglish":
                return self._hinglish_word(word)
            return word
        if digits.isascii():
            return digits
        found = self._glossary_word(word, language)
        if found is not None:
            return found
        acronym = self._acronym(word)
        if acronym:
            return acronym
        return self._loanword(word)

    def _hinglish_word(self, word: str) -> str:
        """A Latin word of Hinglish: its glossary entry, or its stem's if the rest is a Hindi verb
        or case ending ("ghisne", "jodta", "pighla") and the word is no English word; else as is."""
        table = glossary("hinglish")
        lower = word.lower()
        if lower in table:
            return table[lower]
        if lower in self._counts or lower in self._preferred:
            return word
        for cut in range(len(lower) - 1, MIN_LATIN_STEM - 1, -1):
            if lower[:cut] in table and _is_latin_suffix_chain(lower[cut:]):
                return table[lower[:cut]]
        return word

    def _glossary_word(self, word: str, language: str) -> str | None:
        """The glossary entry for ``word`` or for a stem of it followed by inflections only."""
        order = ("mr", "hi") if language != "hi" else ("hi", "mr")
        tables = [glossary(name) for name in order]
        for table in tables:
            if word in table:
                return table[word]
        for cut in range(len(word) - 1, 1, -1):
            stem, rest = word[:cut], word[cut:]
            if not _is_suffix_chain(rest):
                continue
            for table in tables:
                if stem in table:
                    return table[stem]
                # A noun in -ा before a case ending: कपड़ों, कपड़े (कपड़ा), कपड्यांना (कपडा).
                if rest.startswith(_OBLIQUE) and stem.removesuffix("्") + "ा" in table:
                    return table[stem.removesuffix("्") + "ा"]
        return None

    def _acronym(self, word: str) -> str:
        for stem in _stems(word):
            letters = letter_names(stem)
            if letters and len(letters) >= 2 and letters in self.acronyms:
                return letters
        return ""

    def _loanword(self, word: str) -> str | None:
        """The English word a Devanagari loanword sounds like, if one is close enough.

        Thresholds were set on hand-made lists of loanwords and native words (see the tests): the
        shop-floor loanwords need a sound-key ratio of LOANWORD_CUTOFF, other words of the
        vocabulary VOCABULARY_CUTOFF and a key of LONG_KEY letters (shorter ones an exact key);
        a key of SHORT_KEY letters needs SHORT_KEY_CUTOFF even among the loanwords and a shorter
        one an exact match (तीन is not "tie", पाच not "press"). A word with a letter English words
        are never spelt with (ख घ छ ठ ढ ध भ ण ळ: sounds English lacks) is not a loanword. Each cut of an inflection costs a little, and cutting a lone vowel sign costs
        more (English words end in one too: सेफ्टी is "safety", not सेफ्ट "shaft" + ी).
        """
        best: tuple[float, str] | None = None
        for cuts, stem in enumerate(_stems(word)):
            if _NATIVE_LETTERS.search(stem):
                continue  # (the inflection may have one: मेंटेनन्समध्ये)
            cut_cost = 2 * cuts + (LONE_SIGN_CUT if len(word) - len(stem) == 1 else 0)
            roman = romanise(stem)
            if roman.upper() in self.acronyms:
                return roman.upper()
            key = sound_key(roman)
            if len(key) < 3:
                continue
            for pool_index, (pool, keys) in enumerate(
                zip(self._pools, self._pool_keys, strict=True)
            ):
                if pool_index == 1 and len(key) < 4:
                    continue
                cutoff = LOANWORD_CUTOFF if pool_index == 0 else VOCABULARY_CUTOFF
                if pool_index == 1 and len(key) < LONG_KEY:
                    cutoff = 100  # a short key only on an exact match
                if len(key) <= SHORT_KEY:
                    cutoff = max(cutoff, SHORT_KEY_CUTOFF if len(key) == SHORT_KEY else 100)
                for found, score, _ in process.extract(
                    key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
                ):
                    if found[0] != key[0]:
                        continue
                    for english in pool[found]:
                        total = (
                            score
                            + (5 if pool_index == 0 else 0)
                            + math.log1p(self._counts.get(english, 0))
                            - cut_cost
                            + self._spoken_cost(roman, found, english)
                        )
                        if best is None or total > best[0]:
                            best = (total, english)
        return best[1] if best is not None else None

    def _spoken_cost(self, roman: str, key: str, english: str) -> int:
        """-1 for a match on how an English word is said rather than written, +1 instead if the
        Devanagari spells the diphthong that saying gives (टाइपिंग "taaiping" is "typing")."""
        if (key, english) not in self._spoken_only:
            return 0
        return 1 if _DIPHTHONG.search(roman) else -1


# Aspirates and retroflexes that Devanagari spellings of English words do not use.
_NATIVE_LETTERS = re.compile("[खघछठढधभणळ]")
_DIPHTHONG = re.compile(r"aa[iy]|aaee")


@cache
def glossary_phrases(language: str) -> dict[tuple[str, str], str]:
    """The two-word entries of the glossaries a ``language`` text is read with (its own first):
    compound verbs whose words mean something else alone ("ठीक करना" is "repair")."""
    order = {"hi": ("hi", "mr"), "mr": ("mr", "hi")}.get(language, ("hinglish",))
    phrases: dict[tuple[str, str], str] = {}
    for name in order:
        for native, english in glossary(name).items():
            head, _, tail = native.partition(" ")
            if tail and " " not in tail:
                phrases.setdefault((head, tail), english)
    return phrases


def _inflects(word: str, stem: str) -> bool:
    """True if ``word`` is ``stem`` followed by a chain of inflections (of its script)."""
    if _DEVANAGARI.search(stem) is None:
        word = word.lower()
        return word.startswith(stem) and _is_latin_suffix_chain(word[len(stem) :])
    return word.startswith(stem) and _is_suffix_chain(word[len(stem) :])


@lru_cache(maxsize=4096)
def _is_latin_suffix_chain(rest: str) -> bool:
    """True if ``rest`` is empty or a chain of Hindi endings as typed in Latin letters."""
    if not rest:
        return True
    return any(
        rest[:size] in _LATIN_SUFFIXES and _is_latin_suffix_chain(rest[size:])
        for size in range(min(_MAX_LATIN_SUFFIX, len(rest)), 0, -1)
    )


@lru_cache(maxsize=4096)
def _is_suffix_chain(rest: str) -> bool:
    """True if ``rest`` is empty or a concatenation of inflectional suffixes."""
    if not rest:
        return True
    return any(
        rest[:size] in _SUFFIXES and _is_suffix_chain(rest[size:])
        for size in range(min(_MAX_SUFFIX, len(rest)), 0, -1)
    )


def _stems(word: str) -> list[str]:
    """``word`` and its forms with a chain of inflections cut off, longest first."""
    stems = [word]
    for cut in range(len(word) - 1, 1, -1):
        if _is_suffix_chain(word[cut:]):
            stems.append(word[:cut])
    return stems


@cache
def default_translator() -> Translator:
    """A translator whose English vocabulary is the shipped loanword list and glossary words."""
    words = [
        word
        for name in GLOSSARY_LANGUAGES
        for text in glossary(name).values()
        for word in text.split()
    ]
    return Translator(words)


def to_english(text: str) -> str:
    """English words for a Marathi, Hindi or Hinglish text; English text comes back unchanged."""
    if not needs_translation(text):
        return text
    return default_translator().translate(text).english


def split_units_any_script(text: str) -> list[tuple[int, int]]:
    """Spans of the lines and sentences of a text in any script (danda and . ! ? end a sentence)."""
    spans = []
    position = 0
    for match in [*_UNIT_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[position:end]
        stripped = piece.strip(" \t•*-–—,;:")
        if stripped and _TOKEN.search(stripped):
            offset = position + piece.index(stripped)
            spans.append((offset, offset + len(stripped)))
        if match:
            position = match.end()
    return spans
