"""Years of experience stated in a line of text, and the proficiency they suggest.

Workers write "3 years of MIG welding", "5 saal se fitter", "३ वर्षे वेल्डिंग", "तीन साल"; the
skills linked from that line are suggested at the level those years suggest (the person confirms).
A range ("2-3 years", "0–3 yrs") counts its lower end: the suggestion must not over-claim.
"""

from __future__ import annotations

import re

from matching.text import ascii_digits

# Proficiency levels of the app (1 basic … 4 expert) by the least years each needs.
PROFICIENCY_BY_YEARS = ((6.0, 4), (3.0, 3), (1.0, 2), (0.0, 1))

_NUMBER_WORDS = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
    # Hinglish (Latin-script Hindi and Marathi)
    "ek": 1, "do": 2, "don": 2, "teen": 3, "tin": 3, "char": 4, "chaar": 4, "paanch": 5,
    "panch": 5, "pach": 5, "chhe": 6, "che": 6, "saat": 7, "sat": 7, "aath": 8,
    "nau": 9, "das": 10, "daha": 10,
    # Hindi and Marathi in Devanagari
    "एक": 1, "दो": 2, "दोन": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "पाच": 5, "छह": 6,
    "छः": 6, "सहा": 6, "सात": 7, "आठ": 8, "नौ": 9, "नऊ": 9, "दस": 10, "दहा": 10,
}  # fmt: skip
_NUMBER = (
    r"(\d+(?:\.\d+)?|"
    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
    + r")"
)
_YEAR_WORD = (
    r"(?:years?|yrs?|yr\.?|saal|sal|saalon|varsh|varshe|वर्षां?(?:पासून|चा|ची|चे)?|वर्षे|वर्षं|"
    r"वर्ष|सालों|साल|बरस)"
)
_RANGE_END = rf"(?:(?:-|–|to|se)\s*{_NUMBER}\s*\+?\s*)?"
_YEARS = re.compile(
    rf"(?<![\w.]){_NUMBER}\s*(?:\+|plus)?\s*{_RANGE_END}{_YEAR_WORD}(?!\w)", re.IGNORECASE
)


def years_of_experience(text: str) -> float | None:
    """The years of experience a line states (the largest if it states several), or None."""
    found = []
    for match in _YEARS.finditer(ascii_digits(text)):
        value = _number(match.group(1))
        if value is not None and value <= 50:
            found.append(value)
    return max(found) if found else None


def proficiency_for_years(years: float | None) -> int | None:
    """The suggested level (1–4) for that many years of experience; None without years."""
    if years is None:
        return None
    return next(level for least, level in PROFICIENCY_BY_YEARS if years >= least)


def _number(word: str) -> float | None:
    try:
        return float(word)
    except ValueError:
        return _NUMBER_WORDS.get(word.lower())
