"""Marathi, Hindi and Hinglish text brought into English words, and linked like English text.

The sentences here are written for the tests (not taken from the multilingual validation set).
"""

from __future__ import annotations

import pytest

from matching import languages
from matching.encoder import HashingEncoder
from matching.languages import (
    Translator,
    default_translator,
    detect_language,
    detect_script,
    is_about_languages,
    language_skill_names,
    needs_translation,
    to_english,
)
from matching.linker import SkillLinker
from matching.taxonomy import SkillRecord
from matching.transliteration import letter_names, romanise, sound_key

ENGLISH_TEXTS = [
    "need TIG welders who can read drawings and keep 5S",
    "5 years on CNC lathe, Fanuc, some VMC",
    "The main duties are to load the machine and check the parts.",
    "I have to do the setting of the press by myself; me and my team keep it clean.",
    "Operate forklift; maintain stock records in SAP.",
    "",
]


def words(text: str) -> list[str]:
    return text.replace(",", " ").replace(".", " ").split()


# --- detection ------------------------------------------------------------------------------


def test_detect_script_and_language() -> None:
    assert detect_script("मी वेल्डिंग करतो") == "devanagari"
    assert detect_script("CNC lathe") == "latin"
    assert detect_script("123 ...") == "other"
    assert detect_language("मी रोज भट्टीवर काम करतो आणि साचे तयार करतो") == "mr"
    assert detect_language("मैं रोज भट्टी पर काम करता हूं और सांचे बनाता हूं") == "hi"
    assert detect_language("Main roz furnace pe kaam karta hu aur sancha banata hu") == "hinglish"
    assert detect_language("I work on the furnace every day and make moulds") == "en"


@pytest.mark.parametrize("text", ENGLISH_TEXTS)
def test_english_text_is_left_alone(text: str) -> None:
    assert not needs_translation(text)
    assert to_english(text) == text


# --- romanisation, sound keys, loanwords -----------------------------------------------------


def test_romanise_writes_loanwords_plainly() -> None:
    assert romanise("वेल्डिंग") == "velding"
    assert romanise("पंप") == "pamp"  # anusvara before a labial
    assert sound_key(romanise("ड्रॉइंग")) == sound_key("drawing")
    assert sound_key(romanise("मशीन")) == sound_key("machine")


@pytest.mark.parametrize(
    ("devanagari", "english"),
    [
        ("वेल्डिंग", "welding"),
        ("ग्राइंडिंग", "grinding"),
        ("व्हर्नियर", "vernier"),
        ("मायक्रोमीटर", "micrometer"),
        ("मायक्रोमीटरने", "micrometer"),  # with a Marathi case ending
        ("ड्रॉइंग", "drawing"),
        ("मशीनवर", "machine"),
        ("फोर्कलिफ्ट", "forklift"),
        ("हायड्रॉलिक", "hydraulic"),
        ("पेंटिंग", "painting"),
    ],
)
def test_loanwords_are_read_back(devanagari: str, english: str) -> None:
    assert to_english(devanagari) == english


def test_loanword_matching_is_mostly_right_and_rarely_invents_words() -> None:
    """Hand-made lists: English loanwords in Devanagari, and everyday native words that are not
    loanwords. Thresholds in matching/languages.py were chosen on these; a looser one fails."""
    translator = default_translator()
    loanwords = {
        "ऑक्सिजन": "oxygen", "प्रेशर": "pressure", "प्लेट": "plate", "पंप": "pump",
        "ट्रक": "truck", "बॅटरी": "battery", "बैटरी": "battery", "मोटर": "motor",
        "केबल": "cable", "स्विच": "switch", "पॅनल": "panel", "सेन्सर": "sensor",
        "पाइप": "pipe", "कास्टिंग": "casting", "कोटिंग": "coating", "लेबल": "label",
        "मिक्सर": "mixer", "सोल्डरिंग": "soldering", "कॉम्प्रेसर": "compressor",
        "फिल्टर": "filter", "क्रेन": "crane", "हेल्मेट": "helmet", "ऑडिट": "audit",
        "पंचिंग": "punching", "बेंडिंग": "bending", "प्रायमर": "primer", "थिनर": "thinner",
    }  # fmt: skip
    native = [
        "लवकर", "दिवसभर", "सांगितले", "पाहिजे", "ठिकाणी", "मुलगा", "दुकान", "बाजार",
        "पगार", "मालक", "जल्दी", "सुबह", "गांव", "लड़का", "जगह", "बताया", "चाहिए",
        "ज्यादा", "अच्छा", "लोग", "घोडा", "पाऊस", "नदी", "झाड", "आकाश",
    ]  # fmt: skip
    right = sum(translator._loanword(word) == english for word, english in loanwords.items())
    invented = [word for word in native if translator._loanword(word) is not None]
    assert right >= 0.8 * len(loanwords)
    assert len(invented) <= 0.3 * len(native), invented


# --- glossary, inflections, digits, acronyms --------------------------------------------------


@pytest.mark.parametrize("word", ["कापतो", "कापते", "कापले", "कापणं", "कापायला", "कापणे"])
def test_marathi_inflections_reach_the_glossary_stem(word: str) -> None:
    assert to_english(word) == "cut"


@pytest.mark.parametrize("word", ["काटता", "काटती", "काटना", "काटकर", "काटते"])
def test_hindi_inflections_reach_the_glossary_stem(word: str) -> None:
    assert to_english(word) == "cut"


def test_function_words_drop_and_content_words_translate() -> None:
    assert to_english("मी भट्टीवर काम करतो आणि साच्यात धातू ओततो") == ("furnace and mould metal pour")
    assert to_english("मैं मशीनों की मरम्मत करता हूं") == "machine repair"
    assert to_english("Main machine ki safai karta hu aur tel dalta hu") == (
        "machine cleaning and oil put"
    )


def test_a_part_with_a_defect_is_a_defective_part() -> None:
    """After a defect word, "वाले" makes the adjective: "defect part" is linked to replacing defect
    components, "defective part" to removing defective products."""
    assert to_english("डिफेक्ट वाले पार्ट अलग करती हूँ") == "defective part separate"
    assert to_english("दोष वाले पार्ट अलग करता हूँ") == "defective part separate"
    assert to_english("सदोष भाग वेगळे करते") == "defective parts separate"


def test_devanagari_digits() -> None:
    assert to_english("८ वर्षं") == "8"
    assert to_english("१२० पीस") == "120 piece"


@pytest.mark.parametrize(
    ("text", "acronym"),
    [("सीएनसी", "CNC"), ("सी एन सी", "CNC"), ("पीएलसी", "PLC"), ("एमआयजी", "MIG"), ("टिग", "TIG")],
)
def test_spelt_out_acronyms(text: str, acronym: str) -> None:
    assert to_english(text) == acronym


def test_letter_names() -> None:
    assert letter_names("सीएनसी") == "CNC"
    assert letter_names("एमआयजी") == "MIG"
    assert letter_names("वेल्डिंग") == ""


def test_letter_names_that_spell_no_known_acronym_stay_words() -> None:
    # "के" is the letter K and the Hindi postposition; "जी बी" spells no acronym of the list.
    assert to_english("मशीन के पार्ट") == "machine part"
    assert "GB" not in to_english("जी बी")


def test_acronyms_of_the_taxonomy_are_known_to_its_translator() -> None:
    translator = Translator(["operate", "XYZ"], acronyms=["XYZ"])
    assert translator.translate("एक्स वाय झेड").english == "XYZ"
    assert default_translator().translate("एक्स वाय झेड").english != "XYZ"


def test_translation_keeps_where_each_word_came_from() -> None:
    text = "मी वेल्डिंग करतो, मायक्रोमीटरने मोजतो"
    translation = default_translator().translate(text)
    assert translation.english == "welding, micrometer measure"
    assert translation.source_of("micrometer measure") == "मायक्रोमीटरने मोजतो"
    assert translation.source_of("welding") == "वेल्डिंग"
    assert translation.source_of("no such words") == text


# --- language skills ------------------------------------------------------------------------


def test_language_skills_are_found_from_the_labels() -> None:
    labels = [
        "understand written Hindi",
        "understand spoken Marathi",
        "interact verbally in Marathi",
        "write Hindi",
        "Hindi",
        "Marathi",
        "write reports",
        "understand written instructions",
        "TIG welding",
    ]
    assert language_skill_names(labels).tolist() == [True] * 6 + [False] * 3


def test_texts_about_languages() -> None:
    assert is_about_languages(to_english("मला इंग्रजी वाचता येते"))
    assert is_about_languages(to_english("मुझे हिंदी और मराठी बोलनी आती है"))
    assert not is_about_languages(to_english("मी ड्रॉइंग वाचतो आणि वेल्डिंग करतो"))


# --- through the linker ---------------------------------------------------------------------


@pytest.fixture
def multilingual_taxonomy(tiny_taxonomy: list[SkillRecord]) -> list[SkillRecord]:
    return [
        *tiny_taxonomy,
        SkillRecord("urn:test:mr-written", "understand written Marathi", (), "Read Marathi."),
        SkillRecord("urn:test:mr-spoken", "understand spoken Marathi", (), "Listen to Marathi."),
        SkillRecord("urn:test:marathi", "Marathi", (), "The Marathi language."),
        SkillRecord("urn:test:en-written", "understand written English", (), "Read English."),
        SkillRecord("urn:test:paint", "paint surfaces", ("spray painting",), "Apply paint."),
        SkillRecord("urn:test:measure", "measure parts", ("use micrometer",), "Measure parts."),
    ]


@pytest.fixture
def linker(
    multilingual_taxonomy: list[SkillRecord], hashing_encoder: HashingEncoder
) -> SkillLinker:
    return SkillLinker(multilingual_taxonomy, hashing_encoder)


@pytest.mark.parametrize(
    ("text", "uri", "span"),
    [
        ("मी टिग वेल्डिंग करतो", "urn:test:tig", "टिग वेल्डिंग"),
        ("मैं फोर्कलिफ्ट चलाता हूं", "urn:test:forklift", "फोर्कलिफ्ट"),
        ("सीएनसी लेथवर काम करते", "urn:test:cnc", "सीएनसी लेथवर"),
        ("Main roz forklift chalata hu", "urn:test:forklift", "forklift"),
    ],
)
def test_marathi_hindi_and_hinglish_link_like_english(
    linker: SkillLinker, text: str, uri: str, span: str
) -> None:
    best = linker.link(text, top_k=3)[0]
    assert best.uri == uri
    assert best.span is not None and best.span in text
    assert span in best.span or best.span in span


def test_language_skills_only_when_the_text_is_about_languages(linker: SkillLinker) -> None:
    language_uris = {"urn:test:mr-written", "urn:test:mr-spoken", "urn:test:marathi"}
    found = linker.link("मला मराठी समजते, मी रंग स्प्रे करतो", top_k=len(linker))
    # Names a language: kept.
    assert language_uris & {s.uri for s in found if s.score > 0}
    found = linker.link("मी रंग स्प्रे करतो आणि मायक्रोमीटरने मोजतो", top_k=len(linker))
    assert not language_uris & {s.uri for s in found if s.score > 0}
    assert {s.uri for s in found[:2]} == {"urn:test:paint", "urn:test:measure"}


def test_devanagari_lines_without_latin_words_are_units(linker: SkillLinker) -> None:
    text = "मी टिग वेल्डिंग करतो\nFanuc CNC lathe\nफोर्कलिफ्ट चालवतो।"
    units = [unit.text for unit in linker.units_of(text)]
    assert units == ["मी टिग वेल्डिंग करतो", "Fanuc CNC lathe", "फोर्कलिफ्ट चालवतो"]
    assert all(text[u.start : u.end] == u.text for u in linker.units_of(text))
    top = {s.uri for s in linker.link(text, top_k=5)}
    assert {"urn:test:tig", "urn:test:cnc", "urn:test:forklift"} <= top


def test_english_text_takes_the_old_path(
    linker: SkillLinker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """English results are those of a linker that never translates."""
    texts = [text for text in ENGLISH_TEXTS if text]
    with_languages = linker.link_many(texts, top_k=5)
    monkeypatch.setattr("matching.linker.needs_translation", lambda text: False)
    monkeypatch.setattr("matching.linker.has_devanagari", lambda text: False)
    assert linker.link_many(texts, top_k=5) == with_languages
    assert linker._translator is None  # never built for English


@pytest.mark.model
def test_real_model_links_marathi_and_hindi(tiny_taxonomy: list[SkillRecord]) -> None:
    from matching.encoder import load_minilm

    linker = SkillLinker(tiny_taxonomy, load_minilm())
    marathi = "मी सीएनसी लेथ मशीन चालवतो, ड्रॉइंग वाचून सेटिंग करतो"
    found = [s.uri for s in linker.link(marathi, top_k=2)]
    assert found[0] == "urn:test:cnc" and "urn:test:drawings" in found
    hindi = "मैं मशीनों में तेल और ग्रीस डालता हूं"
    assert linker.link(hindi, top_k=1)[0].uri == "urn:test:lubricate"
    assert "english" not in languages.to_english(marathi).lower()


def test_english_words_in_a_mostly_english_text_stay() -> None:
    # One Devanagari word makes the text need translation, but its English words are kept as
    # they are (Hinglish function words such as "main" or "do" are dropped only in Hinglish).
    english = to_english("Do the main press setting (प्रेस सेटिंग)")
    assert english.startswith("Do the main press setting")
    assert english.endswith("press setting)")


# --- loanword read-back: said as well as written, and native words left alone -----------------

# Words of a taxonomy that sound close to shop-floor loanwords in Devanagari.
SOUND_ALIKES = [
    *("grading", "warning", "trading", "shaft", "vending", "felling", "tie", "press", "dyeing"),
]


@pytest.mark.parametrize(
    ("devanagari", "english"),
    [
        ("ग्राइंडिंग", "grinding"),  # a long i is said "ai": not "grading"
        ("वायरिंग", "wiring"),  # not "warning"
        ("वाइंडिंग", "winding"),  # not "vending"
        ("फाईलिंग", "filing"),  # not "felling"
        ("थ्रेडिंग", "threading"),  # "ea" said "e": not "trading"
        ("सेफ्टी", "safety"),  # a final ी is part of the word, not an inflection: not "shaft"
        ("टॅपिंग", "tapping"),  # as written, not "typing" as said
        ("टाइपिंग", "typing"),  # the diphthong spelt out says "typing"
        ("न्यूमॅटिक", "pneumatic"),  # a silent p
        ("इलेक्ट्रॉनिक", "electronic"),  # an initial e said "i"
        ("डीबरिंग", "deburring"),  # a "de-" prefix said "dee": not "dyeing"
    ],
)
def test_loanwords_are_read_back_as_said(devanagari: str, english: str) -> None:
    translator = Translator(SOUND_ALIKES)
    assert translator._loanword(devanagari) == english


@pytest.mark.parametrize(
    "native",
    # aspirates and retroflexes English spellings never use; short keys that only nearly match
    # and everyday words close to a short shop-floor word (बार, बरी are not "burr")
    [
        "खराद",
        "ढांचा",
        "छेनी",
        "बिछाता",
        "छप्पर",
        "कढ़ाई",
        "तीन",
        "पाच",
        "हाथ",
        "बार",
        "बरी",
        "बरं",
        "देकर",
    ],
)
def test_native_words_are_not_read_as_loanwords(native: str) -> None:
    translator = Translator(
        [*SOUND_ALIKES, "cured", "dance", "chain", "biscuit", "shaper", "height"]
    )
    assert translator._loanword(native) is None


# --- compound verbs, Hinglish endings, more inflections ----------------------------------------


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("मोटर ठीक करता हूं", "motor repair"),  # ठीक alone is "properly"
        ("मोटर ठीक कर लेती हूँ", "motor repair"),
        ("मशीन ठीक की", "machine repair"),
        ("तापमानावर लक्ष ठेवतो", "temperature monitor"),
        ("तापमानावर लक्ष ठेवते", "temperature monitor"),
        ("स्टॉकची नोंद ठेवायची", "stock record"),
        ("motor thik karta hu aur tel check karta hu", "motor repair and oil check"),
        ("आग बुझाने का यंत्र चलाता हूं", "fire extinguish machine operate"),
        ("पिघला हुआ लोहा डालता हूं", "molten iron put"),
    ],
)
def test_compound_verbs_read_as_one(text: str, english: str) -> None:
    assert to_english(text) == english


@pytest.mark.parametrize(
    ("word", "english"),
    [("ghisna", "grind"), ("ghisne", "grind"), ("ghista", "grind"), ("jodkar", "join")],
)
def test_hinglish_endings_reach_the_glossary_stem(word: str, english: str) -> None:
    assert to_english(f"main shaft {word} ka kaam karta hu") == f"shaft {english}"


def test_english_words_in_hinglish_are_not_cut_into_stems() -> None:
    # "mode" is an English word of the vocabulary, not "mod" (bend) + "e".
    translator = Translator(["mode"])
    assert translator.translate("main mode badalta hu", "hinglish").english == "mode replace"
    assert translator.translate("main patti modta hu", "hinglish").english.endswith("bend")


@pytest.mark.parametrize(
    ("word", "english"),
    [("कपड़ों", "fabric"), ("डिब्बों", "box"), ("कपड्यांना", "fabric"), ("कपड्याला", "fabric")],
)
def test_nouns_in_aa_reach_the_glossary_through_their_oblique_form(word: str, english: str) -> None:
    # glossary: कपड़ा, कपडा (fabric), डिब्बा (box); case endings follow the oblique -ों, -्या.
    assert to_english(word) == english


def test_a_lone_vowel_is_no_hinglish_ending() -> None:
    # "chalak" is a driver; "chala-ke" (having run) is not "chalak-e".
    assert to_english("main crane chalake maal load karta hu") == "crane operate goods load"


@pytest.mark.parametrize(("devanagari", "english"), [("डाईंग", "dyeing"), ("टायर", "tire")])
def test_more_loanwords_said_with_a_diphthong(devanagari: str, english: str) -> None:
    assert to_english(devanagari) == english  # ("tire" and "tyre" sound alike; "tire" sorts first)


def test_a_short_key_needs_a_close_match() -> None:
    # सेंक (bake) is "sank": one letter from "check" ("sak") is not close enough for 4 letters.
    assert Translator(["check"])._loanword("सेंकता") is None


@pytest.mark.parametrize(
    ("devanagari", "english"),
    [("पायरोमीटरने", "pyrometer"), ("डीस्केलिंग", "descaling"), ("स्कीव्हिंग", "skiving")],
)
def test_forge_and_leather_floor_loanwords(devanagari: str, english: str) -> None:
    assert to_english(devanagari) == english  # from the shipped loanword list, not a taxonomy


# --- shop-floor words of the glossaries: verbs, hand tools, materials, quality, roles -----------


MARATHI_SHOP_FLOOR = [
    ("पाना घेऊन बोल्ट घट्ट करतो", "spanner bolt tighten"),
    ("मी पान्याने नट सैल करतो", "spanner nut loosen"),
    ("छिन्नी आणि हातोडीने डीबरिंग करतो", "chisel and hammer deburring"),
    ("कानसने कडा घासतो", "file edge grind"),
    ("सुईने कापड शिवते", "needle fabric sew"),
    ("पत्र्यावर खूण करतो", "sheet metal mark"),
    ("कास्टिंगला तडा गेला तर तपासतो", "casting crack inspect"),
    ("सांडशीने तापलेला तुकडा धरतो", "tongs heat piece hold"),
    ("पळीने धातू ओततो", "ladle metal pour"),
    ("मसाले दळतो आणि मिसळतो", "spices grind and mix"),
    ("भाजी चिरते", "vegetables chop"),  # भाजी is no form of भाज (roast)
    ("डबे गुंडाळतो आणि गोणी भरतो", "boxes wrap and sack load"),
    ("मी रात्रपाळीत मदतनीस होतो", "night shift helper"),
    ("कच्चा माल उतरवतो", "raw material unload"),
    ("पर्यवेक्षक म्हणून नवीन कामगारांना मार्गदर्शन करतो", "supervisor worker guide"),
    ("काजूचे तुकडे", "cashew pieces"),  # काजू is no form of काज (buttonhole)
]


HINDI_SHOP_FLOOR = [
    ("मैं पाना लेकर नट ढीला करता हूं", "spanner nut loosen"),
    ("छेनी और हथौड़ी से काम करता हूं", "chisel and hammer"),
    ("रेती से किनारा घिसता हूं", "file edge grind"),  # रेती is a file here, sand in Marathi
    ("सुई से सिलाई करती हूं", "needle stitching"),
    ("चादर पर निशान लगाता हूं", "sheet metal on mark"),
    ("सांचे में दरार देखता हूं", "moulds in crack check"),
    ("संडसी से गरम टुकड़ा पकड़ता हूं", "tongs heat piece hold"),
    ("करछी से धातु डालता हूं", "ladle metal put"),
    ("मसाला कूटता हूं और छानता हूं", "spices pound and sift"),
    ("बोरी ढोता हूं", "sack carry"),
    ("सरिया मोड़ता हूं", "rod bend"),
    ("गोदाम में झाड़ू लगाता हूं", "warehouse in sweep"),
    ("मैं पारी में सहायक हूं", "shift in helper"),
    ("पेचकस और प्लास से वायरिंग करता हूं", "screwdriver and pliers wiring"),
    ("कच्चा माल उतारता हूं", "raw material unload"),
    ("मैं बढ़ई हूं, रंदा चलाता हूं", "carpenter, plane operate"),
]


HINGLISH_SHOP_FLOOR = [
    ("main pana se nut dheela karta hu", "spanner nut loosen"),
    ("chheni aur hathodi se kaam karta hu", "chisel and hammer"),
    ("main reti se kinara ghista hu", "file edge grind"),
    ("sui se silai karti hu", "needle stitching"),
    ("chadar pe nishan lagata hu aur kaatta hu", "sheet metal on mark and cut"),
    ("casting me daraar check karta hu", "casting crack check"),
    ("main sandsi se garam tukda pakadta hu", "tongs heat piece hold"),
    ("karchhi se dhatu dalta hu", "ladle metal put"),
    ("main masala kootta hu aur chhanta hu", "spices pound and sift"),
    ("main chawal bhigota hu aur sukhata hu", "rice soak and dry"),
    ("main bori utarta hu aur godown me rakhta hu", "sack unload and warehouse store"),
    ("main auzar ki dhaar lagata hu", "tools sharpen"),
    ("pechkas aur plas se wiring karta hu", "screwdriver and pliers wiring"),
    ("main kachcha maal utarta hu aur ginta hu", "raw material unload and count"),
    ("main ispat ki chadar me daraar dekhta hu", "steel sheet metal crack check"),
    ("main thekedar ke saath hamal hu", "contractor with porter"),
]


@pytest.mark.parametrize(
    ("language", "text", "english"),
    [
        *(("mr", text, english) for text, english in MARATHI_SHOP_FLOOR),
        *(("hi", text, english) for text, english in HINDI_SHOP_FLOOR),
        *(("hinglish", text, english) for text, english in HINGLISH_SHOP_FLOOR),
    ],
)
def test_shop_floor_words_of_each_glossary(language: str, text: str, english: str) -> None:
    assert detect_language(text) == language
    assert to_english(text) == english


def test_health_is_no_tube() -> None:
    # तब्येत / तबीयत (health) sound like no English word a skill needs: they carry no skill.
    assert to_english("तब्येत बरी आहे") == ""
    assert to_english("मेरी तबीयत") == ""
