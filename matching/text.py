"""Cutting free text (job ads, CVs, syllabi) into units that can carry skills.

Skills are linked per unit (a sentence or bullet), so one long text yields the skills of each of its
lines, and each linked skill can point back at the words that evidence it. Boilerplate units
(company blurbs, pay and benefits, equal-opportunity statements, how to apply) carry no skills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def ascii_digits(text: str) -> str:
    """``text`` with Devanagari digits (०–९, as Marathi and Hindi are often typed) written
    0–9, so numbers read the same in either script."""
    return text.translate(_DEVANAGARI_DIGITS)


# Function words: grammar, never what a skill's name is about.
FUNCTION_WORDS = frozenset(
    """a an the and or but nor of to for in on at by with from into onto as is are was were be been
    being am do does did have has had having i me my we our us you your he she it its they them their
    this that these those there here who whom which what when where why how all any both each few more
    most other some such no not only same so than too very can will just should would could may
    might must shall also etc e.g. eg i.e. ie per via within across about above after again against
    before below between during through under until up down out off over further once if then while
    because""".split()  # noqa: SIM905
)
# Stop words: phrases never start or end with one, and lexical matching ignores them: the function
# words and the words job ads put around any skill ("strong knowledge of", "skills", "years").
STOP_WORDS = FUNCTION_WORDS | frozenset(
    """own able ability strong good excellent great solid proven knowledge understanding experience
    experienced years year plus preferred required requirement requirements skills skill including
    include includes like well""".split()  # noqa: SIM905
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#./&'’-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_BULLET_START = re.compile(r"\s*(?:[•·▪◦●■□➢➤►✓✔\-–—*>]+|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)](?=\s))\s*")
# Sentence end: . ! ? followed by space and a capital, digit, bullet or quote. Single-letter and
# common abbreviations ("e.g.", "approx.", "No.") are protected below.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z0-9•\-*])")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|approx|incl|no|nos|vs|mr|mrs|ms|dr|sr|jr|st|min|max|dept|govt|pvt|ltd|"
    r"co|inc|b\.tech|m\.tech|b\.e|m\.e|b\.sc|m\.sc|dipl|cert|exp|yrs|sec|fig)\.|\b[A-Za-z]\.)$",
    re.IGNORECASE,
)
_SEMICOLON = re.compile(r";\s*")
_INLINE_BULLET = re.compile(r"\s+[•·▪◦●■➢➤►✓✔]\s*|\s+\|\s+")


@dataclass(frozen=True)
class TextUnit:
    """A sentence or bullet of the input, with its character offsets in the input."""

    text: str
    start: int
    end: int


def split_units(text: str) -> list[TextUnit]:
    """Split text into sentences and bullet points, keeping offsets into ``text``.

    Cuts at line breaks, bullets (•, -, *, numbered items), inline bullets, sentence ends, and
    semicolons that separate two clauses of several words each. Bullet markers are not part of a unit.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_units() expects a string, got {type(text).__name__}")
    units: list[TextUnit] = []
    for line_start, line_end in _pieces(text, 0, len(text), re.compile(r"\r?\n|\r")):
        for start, end in _pieces(text, line_start, line_end, _INLINE_BULLET):
            start = _skip_bullet(text, start, end)
            for s_start, s_end in _sentences(text, start, end):
                units.extend(_semicolon_clauses(text, s_start, s_end))
    return units


def _pieces(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    pieces = []
    position = start
    for match in separator.finditer(text, start, end):
        pieces.append((position, match.start()))
        position = match.end()
    pieces.append((position, end))
    return pieces


def _skip_bullet(text: str, start: int, end: int) -> int:
    """Move ``start`` past any leading bullet markers ("* •", "1.", "-")."""
    while True:
        match = _BULLET_START.match(text, start, end)
        if not match or match.end() == start:
            return start
        start = match.end()


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[position : match.start()]
        if _ABBREVIATION_END.search(before):
            continue
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return spans


def _semicolon_clauses(text: str, start: int, end: int) -> list[TextUnit]:
    """Cut at semicolons only when both sides are clauses of at least three words."""
    bounds = [start]
    for match in _SEMICOLON.finditer(text, start, end):
        left = text[bounds[-1] : match.start()]
        right = text[match.end() : end]
        if len(_WORD.findall(left)) >= 3 and len(_WORD.findall(right)) >= 3:
            bounds.extend([match.start(), match.end()])
    bounds.append(end)
    units = []
    for clause_start, clause_end in zip(bounds[0::2], bounds[1::2], strict=True):
        unit = _trimmed(text, clause_start, clause_end)
        if unit is not None:
            units.append(unit)
    return units


def _trimmed(text: str, start: int, end: int) -> TextUnit | None:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not _WORD.search(text, start, end):
        return None
    return TextUnit(text[start:end], start, end)


# --- Boilerplate ----------------------------------------------------------------------------

# Pay and benefits count only when offered or quantified ("salary review" is an HR skill): a line
# needs one of these cues besides a pay word. Two plain searches: one pattern with a look-ahead for
# the cue was quadratic in the line length and cost more than the rest of the text handling.
_PAY_OFFER_CUE = re.compile(
    r"\d|₹|\b(?:we offer|offered|you (?:will )?get|competitive|attractive|negotiable|"
    r"best in (?:the )?industry|as per (?:industry|company|norms)|perks)\b",
    re.IGNORECASE,
)
_PAY = 0  # index of the pay-and-benefits pattern below
_BOILERPLATE_PATTERNS = [
    # Pay and benefits (with _PAY_OFFER_CUE on the same line).
    r"\b(?:salary|salaries|ctc|lpa|stipend|remuneration|compensation|wages?|pay scale|"
    r"per (?:month|annum|hour)|p\.a\.|inr|rs\.?\s?\d|₹|\$\s?\d|bonus|incentives?|perks|"
    r"benefits?|health insurance|medical insurance|mediclaim|provident fund|pf\b|esic?\b|gratuity|"
    r"paid (?:leave|time off|holidays)|canteen|transport facility|bus facility|accommodation)\b",
    # Equal opportunity and diversity statements.
    r"\b(?:equal opportunit|equal employment|affirmative action|without regard to|regardless of "
    r"(?:race|gender|age|religion|caste|sex)|do not discriminate|does not discriminate|"
    r"diversity and inclusion|inclusive workplace|protected veteran|disability status)",
    # How to apply and contact details.
    r"\b(?:apply (?:now|today|online|here|via)\b|how to apply:|send (?:your|us your) "
    r"(?:cv|resume|biodata|application)|submit your (?:cv|resume|application)|interested "
    r"candidates|walk-?in|contact (?:us|hr|person)|call (?:us|now)|whatsapp|e-?mail (?:us|your)|"
    r"click (?:here|apply)|hr department|recruit(?:er|ment) team)\b",
    r"[\w.+-]+@[\w-]+\.[\w.]+|https?://|www\.|(?:\+91[\s-]?)?\b[6-9]\d{4}[\s-]?\d{5}\b",
    # Company blurbs.
    r"^(?:about (?:us|the company|our company)\b|we are (?:a|an|the|one of) (?:leading|"
    r"well|reputed|renowned|established|fast|global|growing|premier|top)|"
    r"(?:founded|established|incorporated|headquartered) in\b)",
    r"\b(?:is|are) (?:a|an|one of the) (?:leading|reputed|renowned|premier|well[- ]known|"
    r"largest|fastest[- ]growing|global|trusted)\b.{0,60}\b(?:company|companies|manufacturer|"
    r"manufacturers|group|firm|organi[sz]ation|supplier|provider|brand|enterprise|employer)",
    r"\b(?:our (?:clients|customers) include|serving (?:customers|clients) (?:in|across)|"
    r"offices? (?:in|across) \d+|\d+\+? (?:countries|locations|plants|employees))\b",
]
_BOILERPLATE = [re.compile(pattern, re.IGNORECASE) for pattern in _BOILERPLATE_PATTERNS]
# Words that say a line asks for or describes competence; they keep a line that merely mentions
# the company ("join our team of welders who can read drawings") from being dropped.
_REQUIREMENT_CUE = re.compile(
    r"\b(?:must|should|required|requirements?|responsib\w*|experience[d]?|knowledge|ability|able "
    r"to|skills?|proficien\w*|familiar\w*|hands-on|expertise|qualifications?|certified in|"
    r"trained in|you will|will be responsible|candidate should|can (?:read|operate|handle|use))\b",
    re.IGNORECASE,
)


def _found(index: int, pattern: re.Pattern[str], text: str) -> bool:
    if index != _PAY:
        return pattern.search(text) is not None
    return any(
        pattern.search(line) is not None and _PAY_OFFER_CUE.search(line) is not None
        for line in text.split("\n")
    )


def is_boilerplate(unit: TextUnit | str) -> bool:
    """True for lines that carry no skills: pay/benefits, equal opportunity, apply/contact, blurbs.

    A line that also states a requirement ("must read drawings") is kept unless it is contact or
    pay information, which never evidences a skill.
    """
    text = unit.text if isinstance(unit, TextUnit) else unit
    hits = [index for index, pattern in enumerate(_BOILERPLATE) if _found(index, pattern, text)]
    if not hits:
        return False
    if any(index in (0, 2, 3) for index in hits) and not _REQUIREMENT_CUE.search(text):
        return True
    if 3 in hits:  # e-mail address, URL or phone number
        return True
    return not _REQUIREMENT_CUE.search(text)


# --- Words and phrases ----------------------------------------------------------------------


def normalise_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` for lexical matching."""
    return [word.lower().strip(".'’") for word in _WORD.findall(text)]


def candidate_phrases(text: str, max_words: int = 4) -> list[tuple[int, int]]:
    """Character spans of the short phrases inside ``text`` that could name a skill.

    Phrases are runs of 1..max_words words inside one clause (no crossing of , ; : ( ) or bullets)
    that neither start nor end with a stop word.
    """
    phrases: list[tuple[int, int]] = []
    for clause_start, clause_end in _pieces(text, 0, len(text), re.compile(r"[,;:()\[\]|•]|\s-\s")):
        words = [
            (match.start(), match.end(), match.group().lower())
            for match in _WORD.finditer(text, clause_start, clause_end)
        ]
        for first in range(len(words)):
            if words[first][2] in STOP_WORDS:
                continue
            for last in range(first, min(first + max_words, len(words))):
                if words[last][2] in STOP_WORDS:
                    continue
                phrases.append((words[first][0], words[last][1]))
    return list(dict.fromkeys(phrases))
