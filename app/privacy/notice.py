"""The itemised privacy notice (DPDP Act 2023 s.5, DPDP Rules 2025 r.3) in English and Hindi.

Plain data, versioned: change NOTICE_VERSION whenever the text or the purposes change, so a
consent record always names the exact notice the person saw. Purpose keys are stored in consent
records and must never be renamed.
"""

from __future__ import annotations

NOTICE_VERSION = "2025-1"
LANGUAGES = {"en": "English", "hi": "हिन्दी"}

PURPOSES: dict[str, dict[str, str]] = {
    "en": {
        "matching": "Match my skills with jobs and training courses.",
        "share_with_employers": (
            "Show my profile to employers: name, district, age band, education, languages and "
            "skills (never my phone, email, date of birth, social category or disability)."
        ),
        "training_referrals": "Let training institutions in the cluster offer me courses.",
        "outcome_tracking": (
            "Follow up on my placement, retention and wage for programme reporting."
        ),
    },
    "hi": {
        "matching": "मेरे कौशल का नौकरियों और प्रशिक्षण कोर्स से मिलान करें।",
        "share_with_employers": (
            "मेरी प्रोफ़ाइल नियोक्ताओं को दिखाएँ: नाम, ज़िला, आयु-वर्ग, शिक्षा, भाषाएँ और कौशल "
            "(मेरा फ़ोन, ईमेल, जन्म तिथि, सामाजिक वर्ग या दिव्यांगता कभी नहीं)।"
        ),
        "training_referrals": "क्लस्टर के प्रशिक्षण संस्थान मुझे कोर्स की जानकारी दे सकें।",
        "outcome_tracking": (
            "कार्यक्रम की रिपोर्ट के लिए मेरे प्लेसमेंट, नौकरी में बने रहने और वेतन की जानकारी लें।"
        ),
    },
}

_STAFF = {
    "en": "You, your training institution and administrators",
    "hi": "आप, आपका प्रशिक्षण संस्थान और प्रशासक",
}
_STAFF_AND_EMPLOYERS = {
    "en": "As above, and employers if you agree to share your profile",
    "hi": "ऊपर वाले, और नियोक्ता — यदि आप प्रोफ़ाइल दिखाने की सहमति दें",
}
_NEVER_EMPLOYERS = {
    "en": "You, your training institution and administrators; never employers",
    "hi": "आप, आपका प्रशिक्षण संस्थान और प्रशासक; नियोक्ता कभी नहीं",
}

# (what we collect, why, who can see it) per language, in the same order in both.
ITEMS: dict[str, list[tuple[str, str, str]]] = {
    "en": [
        (
            "Name",
            "To identify you to your institution and, if you agree, to employers.",
            _STAFF_AND_EMPLOYERS["en"],
        ),
        (
            "Gender",
            "To show jobs open to women and to report how many women are trained (scheme "
            "reporting).",
            _STAFF_AND_EMPLOYERS["en"],
        ),
        (
            "Date of birth",
            "To check your age (under-18s need a parent's or guardian's consent) and for youth "
            "indicators. Employers see an age band only.",
            _STAFF["en"],
        ),
        (
            "District and state",
            "To find jobs and courses near you.",
            _STAFF_AND_EMPLOYERS["en"],
        ),
        (
            "Education and languages",
            "To match you with jobs and courses.",
            _STAFF_AND_EMPLOYERS["en"],
        ),
        (
            "Mobile number and email",
            "To contact you about jobs, courses and follow-ups. The mobile number is stored "
            "encrypted.",
            _NEVER_EMPLOYERS["en"],
        ),
        (
            "Social category (optional)",
            "For scheme reports on SC/ST/OBC participation (e.g. DDU-GKY). Stored encrypted.",
            _NEVER_EMPLOYERS["en"],
        ),
        (
            "Disability (optional)",
            "To offer accessible training and jobs and to report on inclusion. Stored encrypted.",
            _NEVER_EMPLOYERS["en"],
        ),
        (
            "Skills and the description of your work",
            "To match you with jobs and courses and to suggest skills.",
            _STAFF_AND_EMPLOYERS["en"],
        ),
        (
            "Enrolment and placement records",
            "Kept for scheme audits (DDU-GKY/PMKVY placement evidence), even after you ask for "
            "erasure, but without your name or contact details.",
            _STAFF["en"],
        ),
    ],
    "hi": [
        (
            "नाम",
            "आपको पहचानने के लिए, ताकि आपका संस्थान और (आपकी सहमति से) नियोक्ता आपको पहचान सकें।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "लिंग",
            "महिलाओं के लिए खुली नौकरियाँ दिखाने और योजनाओं में प्रशिक्षित महिलाओं की संख्या बताने के लिए।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "जन्म तिथि",
            "आयु जाँचने के लिए (18 वर्ष से कम आयु वालों के लिए माता-पिता या अभिभावक की सहमति "
            "ज़रूरी है) और युवाओं से जुड़े आँकड़ों के लिए। नियोक्ता केवल आयु-वर्ग देखते हैं।",
            _STAFF["hi"],
        ),
        (
            "ज़िला और राज्य",
            "आपके पास की नौकरियाँ और कोर्स ढूँढने के लिए।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "शिक्षा और भाषाएँ",
            "नौकरियों और कोर्स से आपका मिलान करने के लिए।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "मोबाइल नंबर और ईमेल",
            "नौकरी, कोर्स और बाद की जानकारी के लिए आपसे संपर्क करने के लिए। मोबाइल नंबर "
            "एन्क्रिप्ट करके रखा जाता है।",
            _NEVER_EMPLOYERS["hi"],
        ),
        (
            "सामाजिक वर्ग (वैकल्पिक)",
            "अनुसूचित जाति, अनुसूचित जनजाति और अन्य पिछड़ा वर्ग की भागीदारी की योजना-रिपोर्ट "
            "(जैसे DDU-GKY) के लिए। एन्क्रिप्ट करके रखा जाता है।",
            _NEVER_EMPLOYERS["hi"],
        ),
        (
            "दिव्यांगता (वैकल्पिक)",
            "सुलभ प्रशिक्षण और नौकरियाँ देने और समावेशन की रिपोर्ट के लिए। एन्क्रिप्ट करके रखा जाता है।",
            _NEVER_EMPLOYERS["hi"],
        ),
        (
            "कौशल और आपके काम का विवरण",
            "नौकरियों और कोर्स से आपका मिलान करने और कौशल सुझाने के लिए।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "नामांकन और प्लेसमेंट रिकॉर्ड",
            "योजना ऑडिट (DDU-GKY/PMKVY प्लेसमेंट प्रमाण) के लिए रखे जाते हैं, मिटाने के अनुरोध के "
            "बाद भी — लेकिन आपके नाम या संपर्क विवरण के बिना।",
            _STAFF["hi"],
        ),
    ],
}

TEXT: dict[str, dict[str, object]] = {
    "en": {
        "title": "Your personal data: what we collect and why",
        "intro": (
            "KaushalSetu connects you with jobs at employers in the cluster and with courses at "
            "training institutions. To do that we collect the data below. Each line says why "
            "we need it and who can see it."
        ),
        "columns": ("What we collect", "Why", "Who can see it"),
        "purposes_heading": "You choose what we may use it for",
        "rights_heading": "Your rights",
        "rights": [
            "Withdraw your consent at any time, as easily as you gave it: one button on your "
            "profile. We then stop matching you and hide you from employers.",
            "See and download all your data (JSON and CSV).",
            "Correct your data, or remove what is optional.",
            "Ask for your data to be erased.",
            "Raise a grievance and follow its status. If you are not satisfied with our answer "
            "you may complain to the Data Protection Board of India.",
            "Nominate someone to use these rights if you die or cannot act yourself (ask through "
            "the grievance form).",
        ],
        "minors_heading": "If you are under 18",
        "minors": (
            "Your profile is not shown to employers until a parent's or guardian's consent is "
            "recorded and verified by your training institution. We do not track the activity "
            "of anyone under 18."
        ),
        "retention": (
            "We keep your data while your account is active or until you ask us to erase it."
        ),
    },
    "hi": {
        "title": "आपकी व्यक्तिगत जानकारी: हम क्या लेते हैं और क्यों",
        "intro": (
            "कौशलसेतु आपको क्लस्टर के उद्योगों में नौकरियों और प्रशिक्षण संस्थानों के कोर्स से "
            "जोड़ता है। इसके लिए हम नीचे दी गई जानकारी लेते हैं। हर पंक्ति में लिखा है कि वह "
            "क्यों ज़रूरी है और उसे कौन देख सकता है।"
        ),
        "columns": ("हम क्या लेते हैं", "क्यों", "कौन देख सकता है"),
        "purposes_heading": "आप चुनते हैं कि हम इसका उपयोग किस लिए करें",
        "rights_heading": "आपके अधिकार",
        "rights": [
            "आप अपनी सहमति कभी भी वापस ले सकते हैं — उतनी ही आसानी से जितनी आसानी से दी थी: "
            "अपनी प्रोफ़ाइल पर एक बटन। इसके बाद हम आपका मिलान बंद कर देते हैं और आपको "
            "नियोक्ताओं से छिपा देते हैं।",
            "अपनी सारी जानकारी देखें और डाउनलोड करें (JSON और CSV)।",
            "अपनी जानकारी सुधारें, या वैकल्पिक जानकारी हटाएँ।",
            "अपनी जानकारी मिटाने का अनुरोध करें।",
            "शिकायत दर्ज करें और उसकी स्थिति देखें। हमारे उत्तर से संतुष्ट न होने पर आप भारतीय "
            "डेटा संरक्षण बोर्ड में शिकायत कर सकते हैं।",
            "किसी व्यक्ति को नामित करें जो आपकी मृत्यु या असमर्थता की स्थिति में इन अधिकारों का "
            "उपयोग करे (शिकायत फ़ॉर्म से अनुरोध करें)।",
        ],
        "minors_heading": "यदि आपकी आयु 18 वर्ष से कम है",
        "minors": (
            "जब तक माता-पिता या अभिभावक की सहमति दर्ज होकर आपके प्रशिक्षण संस्थान द्वारा सत्यापित "
            "नहीं हो जाती, तब तक आपकी प्रोफ़ाइल नियोक्ताओं को नहीं दिखाई जाती। हम 18 वर्ष से कम "
            "आयु के किसी भी व्यक्ति की गतिविधियों पर नज़र नहीं रखते।"
        ),
        "retention": (
            "जब तक आपका खाता सक्रिय है या आप जानकारी मिटाने को नहीं कहते, तब तक हम आपकी जानकारी रखते हैं।"
        ),
    },
}


def notice(language: str = "en") -> dict[str, object]:
    """Everything a template needs to show the notice in one language (English if unknown)."""
    language = language if language in LANGUAGES else "en"
    return {
        "language": language,
        "language_name": LANGUAGES[language],
        "version": NOTICE_VERSION,
        "items": ITEMS[language],
        "purposes": PURPOSES[language],
        **TEXT[language],
    }
