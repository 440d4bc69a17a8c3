"""Reading Devanagari spellings of English words back: romanisation, sound keys, letter names.

Indian shop floors write English words in Devanagari as they are said (वेल्डिंग, मायक्रोमीटर,
सीएनसी). ``romanise`` gives a plain Latin spelling, ``sound_key`` a rough spelling-by-sound that an
English word and its Devanagari spelling share, and ``letter_names`` reads acronyms spelt letter by
letter. Used by ``matching.languages``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# English names of Devanagari letter names, for acronyms spelt out (सीएनसी, एमआयजी).
LETTER_NAMES = {
    "ए": "A", "बी": "B", "सी": "C", "डी": "D", "ई": "E", "एफ": "F", "एफ्": "F", "जी": "G",
    "एच": "H", "एच्": "H", "आय": "I", "आई": "I", "जे": "J", "के": "K", "एल": "L", "एल्": "L",
    "एम": "M", "एम्": "M", "एन": "N", "एन्": "N", "ओ": "O", "पी": "P", "क्यू": "Q", "क्यु": "Q",
    "आर": "R", "आर्": "R", "एस": "S", "एस्": "S", "टी": "T", "यू": "U", "यु": "U", "व्ही": "V",
    "वी": "V", "डब्ल्यू": "W", "डब्लू": "W", "डबल्यू": "W", "एक्स": "X", "वाय": "Y", "वाई": "Y",
    "झेड": "Z", "जेड": "Z", "झेड्": "Z",
}  # fmt: skip
_MAX_LETTER_NAME = max(len(name) for name in LETTER_NAMES)

# --- Romanisation ---------------------------------------------------------------------------

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "ऩ": "n", "प": "p", "फ": "ph", "ब": "b",
    "भ": "bh", "म": "m", "य": "y", "र": "r", "ऱ": "r", "ल": "l", "ळ": "l", "ऴ": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h", "क़": "k", "ख़": "kh", "ग़": "g", "ज़": "z",
    "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
}  # fmt: skip
_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ee", "उ": "u", "ऊ": "oo", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ॲ": "a", "ऍ": "e", "ऎ": "e", "ऒ": "o",
}  # fmt: skip
_MATRAS = {
    "ा": "aa", "ि": "i", "ी": "ee", "ु": "u", "ू": "oo", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e", "ॆ": "e", "ॊ": "o",
}  # fmt: skip
_VIRAMA = "्"
_NUKTA = "़"


def romanise(word: str) -> str:
    """A plain Latin spelling of a Devanagari word, tuned for reading back English loanwords.

    Inherent vowels are written except at the end of the word (schwa deletion: वेल्डर → velder, not
    veldara); anusvara and candrabindu become "n".
    """
    word = unicodedata.normalize("NFC", word)
    out: list[str] = []
    chars = list(word)
    index = 0
    while index < len(chars):
        char = chars[index]
        if index + 1 < len(chars) and chars[index + 1] == _NUKTA:
            char += _NUKTA
            index += 1
        index += 1
        if char in _CONSONANTS:
            out.append(_CONSONANTS[char])
            following = chars[index] if index < len(chars) else ""
            if following == _VIRAMA:
                index += 1
            elif following in _MATRAS:
                out.append(_MATRAS[following])
                index += 1
            elif following:
                out.append("a")
        elif char in _VOWELS:
            out.append(_VOWELS[char])
        elif char in "ंँ":
            following = chars[index] if index < len(chars) else ""
            out.append("m" if following in ("प", "फ", "ब", "भ", "म") else "n")
        elif char == "ः":
            out.append("h")
        elif char in _MATRAS:
            out.append(_MATRAS[char])
    return "".join(out)


_SOUND_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"tion|sion", "shan"),
        (r"au|aw", "o"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"ch|sh", "s"),
        (r"c", "k"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"z", "j"),
        (r"(?<=[bcdfgjklmnpqrstvx])h", ""),
        (r"(?<=[aeiou])v(?=[aeiou])", ""),
        (r"oa(?=r)", "o"),
        (r"ee|ea|ie", "i"),
        (r"oo|ou", "u"),
        (r"aa", "a"),
        (r"ai|ay|ey", "e"),
        (r"au", "o"),
        (r"[aeu]", "a"),
        (r"y", "i"),
        (r"(?<=.)a$", ""),
        (r"(.)\1+", r"\1"),
    )
]


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """A rough spelling-by-sound shared by an English word and its Devanagari spelling.

    The same rules apply to both sides, so they only merge what the two scripts spell differently:
    c/k/s, w/v, z/j, aspiration, and vowels by class (English "a", "e", "u" are all written with
    अ, ॅ or े). "micrometer" and मायक्रोमीटर (romanised "maayakromeetar") both give "mikromitar".
    """
    key = word.lower()
    for pattern, replacement in _SOUND_RULES:
        key = pattern.sub(replacement, key)
    return key


# How an English word is often said, and so spelt in Devanagari: "pipe" पाइप, "motor" मोटर,
# "hydraulic" हायड्रॉलिक, "knitting" निटिंग (a silent e lengthens the vowel before it, a final -or
# sounds -ar, some letters are silent).
_SPOKEN_ENGLISH = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"c(?![eiyh])", "k"),
        (r"^kn", "n"),
        (r"^wr", "r"),
        (r"ght", "t"),
        (r"mb$", "m"),
        (r"a(?=[bcdfgklmnprstvz]e$)", "e"),
        (r"i(?=[bcdfgklmnprstvz]e$)", "ai"),
        (r"u(?=[bcdfgklmnprstvz]e$)", "yu"),
        (r"(?<=[bcdfgklmnprst])y(?=[bcdfgklmnprst])", "ai"),
        (r"(?<=[bcdfgklmnprst])y(?=er$)", "ai"),
        (r"(?<=.)or$", "ar"),
        (r"(?<=.)ors$", "ars"),
        # A long i before -nd, -ld, -gn and in an open syllable before a suffix: "grinding"
        # ग्राइंडिंग, "winding" वाइंडिंग, "wiring" वायरिंग, "filing" फाइलिंग, "driver" ड्रायव्हर.
        (r"i(?=nd|ld|gn)", "ai"),
        (r"(?<=[bcdfgklmnprstvwz])i(?=[bcdfgklmnprstvz](?:ing|ings|er|ers|ed)$)", "ai"),
        # Silent letters and vowels as said: "pneumatic" न्यूमॅटिक, "electric" इलेक्ट्रिक,
        # "reject" रिजेक्ट, "safety" सेफ्टी, "bearing" बेअरिंग, "thread" थ्रेड.
        (r"^p(?=[ns])", ""),
        (r"^e(?=[lmnkqx])", "i"),
        (r"^re(?=[bcdfgjklmnpqstvz])", "ri"),
        (r"^de(?=[bsk])", "di"),  # "deburring" डीबरिंग, "descaling" डीस्केलिंग
        (r"(?<=[bcdfgklmnprst])e(?=ty$)", ""),
        (r"ea(?=r|d)", "e"),
        (r"(?<=[bcdfgklmnprst])y(?=e(?:ing|s|d)?$)", "ai"),  # "dyeing" डाईंग
        (r"(?<=[bcdfghkmnpstv])ir(?=[bcdfgklmnpstvz])", "ar"),  # "shirt" शर्ट, "first" फर्स्ट
    )
]


def english_sound_keys(word: str) -> list[str]:
    """The sound keys of an English word: as written, and as often said (if that differs)."""
    spoken = word.lower()
    for pattern, replacement in _SPOKEN_ENGLISH:
        spoken = pattern.sub(replacement, spoken)
    return list(dict.fromkeys([sound_key(word), sound_key(spoken)]))


def letter_names(word: str) -> str:
    """The letters a word spells as Devanagari letter names ("सीएनसी" → "CNC"), else ""."""

    @cache
    def parse(position: int) -> str | None:
        if position == len(word):
            return ""
        for size in range(min(_MAX_LETTER_NAME, len(word) - position), 0, -1):
            name = word[position : position + size]
            if name in LETTER_NAMES:
                rest = parse(position + size)
                if rest is not None:
                    return LETTER_NAMES[name] + rest
        return None

    return parse(0) or ""
