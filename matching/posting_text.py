"""Reading a job ad's free text for the fields an employer would otherwise type again.

An HR person pastes the ad they already have ("Need 2 CNC turning operators at Chakan, Rs
16,000–22,000, rotating shifts, must read drawings, Fanuc preferred"). This proposes the job
title in the writer's words, openings, shift, district (a cluster town names its district:
Chakan → Pune), a monthly wage range, and whether each skill is essential or optional from the
cue words around it, for the employer to confirm. Every reading is a proposal: a field the text
does not state stays None.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from matching.places import Gazetteer, gazetteer

# Nouns that count people wanted ("2 operators", "8 vacancies"); "employees" and "machines" don't.
PEOPLE = (
    r"operators?|technicians?|welders?|fitters?|turners?|machinists?|helpers?|trainees?|apprentices?|"
    r"inspectors?|engineers?|supervisors?|assistants?|electricians?|painters?|workers?|"
    r"candidates?|people|persons?|staff|vacanc(?:y|ies)|posts?|positions?|openings?|"
    r"ऑपरेटर|वेल्डर|फिटर|हेल्पर|टेक्निशियन|कामगार|जागा|पदे|पद|लोग|लोक|"
    r"टर्नर|मशीनिस्ट|इलेक्ट्रीशियन|इलेक्ट्रिशियन|पेंटर|इंस्पेक्टर|सुपरवाइजर|सुपरवायझर|ट्रेनी|"
    r"अप्रेंटिस|कारीगर|मजदूर|मज़दूर|कर्मचारी"
)
# A letter or digit of either script: Devanagari vowel signs are not \w, so "सीएनसी" needs the
# block itself; a word's characters also take the marks of names like "M.Tech" or "R&D".
LETTER = r"[\w\u0900-\u097F]"
WORD = r"[\w\u0900-\u097F./&+-]"
# Counts written as words ("three welders", "तीन वेल्डर", "दोन फिटर"), two to twelve: "one" and
# "एक" are also "a", and a posting is for one person unless it says more.
NUMBER_WORDS = {
    word: number
    for number, words in {
        2: "two दो दोन",
        3: "three तीन",
        4: "four चार",
        5: "five पाँच पांच पाच",
        6: "six छह छः सहा",
        7: "seven सात",
        8: "eight आठ",
        9: "nine नौ नऊ",
        10: "ten दस दहा",
        11: "eleven ग्यारह अकरा",
        12: "twelve बारह बारा",
    }.items()
    for word in words.split()
}
# A count of years or months is experience, not people ("2 years experience as welder").
NOT_PEOPLE = rf"(?!\+?\s*(?:years?|yrs?|months?|साल|वर्ष|वर्षे|वर्षं|वर्षां|महिने|महीने)(?!{LETTER}))"
# Marathi writes an English trade's plural with "-s" ("वेल्डर्स", "ऑपरेटर्स").
MARATHI_PLURAL = "(?:\u094dस)?"
OPENINGS = re.compile(
    rf"(?<![\w,.])(\d{{1,3}}){NOT_PEOPLE}\s+(?:{WORD}+\s+){{0,3}}?(?:{PEOPLE}){MARATHI_PLURAL}"
    rf"(?!{WORD})"
    rf"|\b(?:vacancies|openings|posts|positions|no\. of posts)\s*[:\-]?\s*(\d{{1,3}})\b"
    rf"|(?<!{LETTER})({'|'.join(NUMBER_WORDS)}){NOT_PEOPLE}\s+(?:{WORD}+\s+){{0,3}}?"
    rf"(?:{PEOPLE}){MARATHI_PLURAL}(?!{WORD})",
    re.IGNORECASE,
)
MAX_OPENINGS = 500

SHIFTS = (
    (
        "rotating",
        r"rotating|rotational|rotation|a\s*/\s*b\s*/\s*c|three|3|all|बदलती|फिरती|रोटेशन|तीन",
    ),
    ("night", r"night|नाइट|नाईट|रात्री|रात्र|रात"),
    ("day", r"day|डे|दिवसा|दिवस|दिन"),
    ("general", r"general|जनरल"),
)
# "shift" in English, Hindi and Marathi (पाळी, plural पाळ्या; written together in "रात्रपाळी";
# Hindi पाली).
SHIFT_WORDS = r"shifts?|शिफ्ट|पाळी|पाळ्या|पाली|पालियों|पालियां|पालियाँ"
# Between a time of day and "shift": nothing, a space, or a possessive ("रात की शिफ्ट",
# "रात्रीची पाळी").
SHIFT_LINK = r"\s*(?:(?:की|का|के|ची|चा|चे|च्या)\s+)?"

AMOUNT = r"(\d{1,3}(?:,\d{2,3})+|\d+(?:\.\d+)?)\s*(k\b|thousand|हजार|हज़ार)?"
SEPARATOR = r"\s*(?:-|–|—|to|से|ते)\s*(?:rs\.?|₹)?\s*"
WAGE_PATTERNS = (
    # "16-22k", "16k to 22k"
    re.compile(r"(?<![\d,.])(\d{1,3})\s*k?\s*(?:-|–|to)\s*(\d{1,3})\s*(k)\b", re.IGNORECASE),
    # after a money word: "Rs 16,000–22,000", "salary 18000", "पगार १६०००"
    re.compile(
        r"(?:\brs\.?|\binr\b|₹|\bsalary|\bwages?\b|\bstipend|\bctc\b|\bpay\b|पगार|वेतन|तनख्वाह)"
        rf"[^\d\n]{{0,25}}?{AMOUNT}(?:{SEPARATOR}{AMOUNT})?",
        re.IGNORECASE,
    ),
    # before "rupees" or "per month": "16000 - 20000 per month", "15000-20000 रुपये"
    re.compile(
        rf"(?<![\d,.]){AMOUNT}(?:{SEPARATOR}{AMOUNT})?"
        r"(?=\s*(?:/-|rupees|rs\b|रुपये|रुपए|रुपया|रु\.|per month|/\s*month|\bpm\b|p\.m\.|"
        r"a month|monthly|महिना|महीना|प्रति\s*माह|प्रतिमाह|दरमहा))",
        re.IGNORECASE,
    ),
)
MIN_MONTHLY_WAGE, MAX_MONTHLY_WAGE = 3_000, 300_000

ESSENTIAL_CUES = re.compile(
    r"\b(?:must|mandatory|compulsory|essential|required|requires?|need(?:ed|s)?|should know)\b"
    r"|ज़रूरी|जरूरी|आवश्यक|हवे|पाहिजे|zaroori|jaruri",
    re.IGNORECASE,
)
OPTIONAL_CUES = re.compile(
    r"\b(?:preferred|preferably|preferable|desirable|nice to have|plus|advantage|optional|bonus|"
    r"good to have|an asset)\b|चालेल|प्राधान्य|पसंद|तो अच्छा|तो बेहतर|असल्यास उत्तम|"
    r"असेल तर चांगले|वैकल्पिक",
    re.IGNORECASE,
)
CLAUSE = re.compile(r"[^.;\n!?।]+")

# What a job title ends in: the trade or role, in English (singular or plural) or Devanagari
# (Marathi's plural "ऑपरेटर्स" too). The words before it, up to three, name the job ("CNC turning
# operators" → "CNC turning operator"); a count, a place or a word of the sentence around it
# ("hiring a", "हमें … चाहिए") ends them.
ROLES = re.compile(
    r"(?<![\w\u0900-\u097F])(?:(operator|technician|welder|fitter|turner|machinist|helper|trainee|"
    r"apprentice|inspector|engineer|supervisor|electrician|painter|setter|programmer|assembler|"
    r"associate|assistant|officer|executive|coordinator|analyst|driver|tailor|moulder|"
    r"mechanic|storekeeper|chemist)(s?)"
    r"|(ऑपरेटर|वेल्डर|फिटर|हेल्पर|टेक्निशियन|टर्नर|मशीनिस्ट|इलेक्ट्रीशियन|इलेक्ट्रिशियन|पेंटर|"
    r"इंस्पेक्टर|सुपरवाइजर|सुपरवायझर|ट्रेनी|अप्रेंटिस|इंजिनिअर|इंजीनियर|इंजिनियर|सेटर|प्रोग्रामर|"
    r"मेकॅनिक|मैकेनिक|ड्रायव्हर|ड्राइवर|टेलर|कारागीर|कारीगर)(्स)?)(?![\w\u0900-\u097F])",
    re.IGNORECASE,
)
TITLE_WORDS_MAX = 3
# Words of the sentence around a title, not of the title.
NOT_TITLE_WORDS = """a an the of for to as our we us are is be will in at on with by from and or need needs
    needed require requires required requirement requirements urgent urgently immediate wanted
    want hiring hire looking experienced skilled expert fresh fresher freshers male female
    good senior junior post posts vacancy vacancies position positions opening openings job jobs
    shift shifts day night general rotating rotational शिफ्ट पाळी पाली रात्र रात्री रात दिवस दिन
    हमें हमको हम को में मे के की का है हैं और या चाहिए चाहिये जरूरत ज़रूरत अनुभवी कुशल तुरंत
    आम्हाला आम्हांला आम्ही साठी करिता व आणि पाहिजे पाहिजेत हवे हवेत हवा अनुभव असलेले तातडीने
    एक"""
NOT_TITLE = frozenset(NOT_TITLE_WORDS.split())
JOINERS = frozenset({"and", "&", "cum", "व", "और", "आणि"})


@dataclass(frozen=True)
class PostingReading:
    title: str | None = None
    openings: int | None = None
    shift: str | None = None
    district: str | None = None
    place: str | None = None  # the name as the text gives it (a town, or the district itself)
    wage_min_inr: int | None = None
    wage_max_inr: int | None = None


def read_posting(text: str, places: Gazetteer | None = None) -> PostingReading:
    """The structured fields a job ad states, each None where it doesn't say."""
    text = text or ""
    places = places or gazetteer()
    district, place = district_in(text, places)
    wage_min, wage_max = wage_range(text)
    return PostingReading(
        title=title_in(text, places),
        openings=openings_in(text),
        shift=shift_in(text),
        district=district,
        place=place,
        wage_min_inr=wage_min,
        wage_max_inr=wage_max,
    )


def title_in(text: str, places: Gazetteer) -> str | None:
    """The job the ad asks for, in its writer's words: the first trade or role it names with
    up to three words before it ("Need 2 CNC turning operators" → "CNC turning operator",
    "हमें चाकण में तीन सीएनसी ऑपरेटर चाहिए" → "सीएनसी ऑपरेटर")."""
    found = ROLES.search(text)
    if found is None:
        return None
    english, _plural, devanagari, _marathi_plural = found.groups()
    role = english or devanagari
    before = re.split(r"[,.;:!?।()\n–—/]", text[: found.start()])[-1]
    words: list[str] = []
    for word in reversed(re.findall(rf"{WORD}+", before)):
        folded = word.casefold().strip(".")
        if folded in JOINERS and words:
            words.insert(0, word)
            continue
        if (
            len([w for w in words if w.casefold() not in JOINERS]) >= TITLE_WORDS_MAX
            or folded in NOT_TITLE
            or folded in NUMBER_WORDS
            or any(character.isdigit() for character in word)
            or places.find_in_word(word) is not None
        ):
            break
        words.insert(0, word)
    while words and words[0].casefold() in JOINERS:
        words.pop(0)
    title = " ".join([*words, role])
    return title[0].upper() + title[1:]


def openings_in(text: str) -> int | None:
    for found in OPENINGS.finditer(text):
        digits, listed, word = found.groups()
        number = int(digits or listed) if (digits or listed) else NUMBER_WORDS[word.lower()]
        if 0 < number <= MAX_OPENINGS:
            return number
    return None


def shift_in(text: str) -> str | None:
    for shift, words in SHIFTS:
        if re.search(
            rf"(?<!{LETTER})(?:{words}){SHIFT_LINK}(?:{SHIFT_WORDS})"
            rf"|(?:{SHIFT_WORDS})\s*[:\-]?\s*(?:{words})(?!{LETTER})",
            text,
            re.IGNORECASE,
        ):
            return shift
    return None


def district_in(text: str, places: Gazetteer) -> tuple[str | None, str | None]:
    """The district the ad names most (towns counting for theirs), and the first name given."""
    words = re.findall(r"[\w\u0900-\u097F]+", text)
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            phrase = " ".join(words[index : index + size])
            place = places.find_in_word(phrase) if len(phrase) > 2 else None
            if place and place.district:
                counts[place.district] += 1
                first.setdefault(place.district, place.name)
                index += size
                break
        else:
            index += 1
    if not counts:
        return None, None
    district = max(counts, key=lambda d: (counts[d], -list(first).index(d)))
    return district, first[district]


def _rupees(number: str, unit: str | None) -> int:
    value = float(number.replace(",", ""))
    return round(value * 1000) if unit or value < 1000 else round(value)


def wage_range(text: str) -> tuple[int | None, int | None]:
    """A monthly wage range in rupees ("Rs 16,000–22,000", "16-22k", "₹18000 per month"); the
    earliest plausible one the text gives."""
    found = sorted(
        (match for pattern in WAGE_PATTERNS for match in pattern.finditer(text)),
        key=lambda match: match.start(),
    )
    for match in found:
        groups = match.groups()
        if len(groups) == 3:  # "16-22k": both in thousands
            low, high = int(groups[0]) * 1000, int(groups[1]) * 1000
        else:
            low_number, low_unit, high_number, high_unit = groups
            low = _rupees(low_number, low_unit or (high_unit if high_number else None))
            high = _rupees(high_number, high_unit) if high_number else low
        low, high = min(low, high), max(low, high)
        if low >= MIN_MONTHLY_WAGE and high <= MAX_MONTHLY_WAGE:
            return low, high
    return None, None


SHIFT_ONLY = re.compile(rf"(?:{SHIFT_WORDS})", re.IGNORECASE)


def shift_is_the_only_evidence(span: str | None) -> bool:
    """Whether a skill was found on the word "shift" alone: the ad's shift is a field of the
    posting (proposed by `shift_in`), and "General shift" is no call for shift work (it ticked
    "work in shifts" as essential)."""
    return bool(span) and SHIFT_ONLY.fullmatch(span.strip()) is not None


def need_from_cues(text: str, span: str | None) -> bool | None:
    """Essential (True) or optional (False) for a skill found at ``span``, from the cue words of
    its clause ("must read drawings", "Fanuc preferred"); None where the clause says neither."""
    if not span:
        return None
    where = text.casefold().find(span.casefold())
    if where < 0:
        return None
    for clause in CLAUSE.finditer(text):
        if clause.start() <= where < clause.end():
            words = clause.group(0)
            if OPTIONAL_CUES.search(words):
                return False
            if ESSENTIAL_CUES.search(words):
                return True
            return None
    return None
