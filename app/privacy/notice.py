"""The itemised privacy notice (DPDP Act 2023 s.5, DPDP Rules 2025 r.3) in English, Marathi and
Hindi (the Act lets a person read it in English or any language of the Eighth Schedule).

Plain data, versioned: change NOTICE_VERSION whenever what the notice says changes (the data, why,
who sees it, the purposes, the rights), in any language, so a consent record always names the
notice the person agreed to. A new language, or plainer words with the same meaning, keeps the
version. Every language has the same items and purposes in the same order. Purpose keys are
stored in consent records and must never be renamed.
"""

from __future__ import annotations

# 2025-1: English and Hindi; Marathi added and the Hindi worded more plainly (same meaning) later.
# 2026-1: says what the app does with the mobile number (shown to the employer whose job one
# applies for, or whose invitation one accepts; 2025-1 said never), that employers see gender, and
# names everyone who sees a field where it said "as above".
NOTICE_VERSION = "2026-1"
# Code -> the language's own name, in the order the language picker shows them.
LANGUAGES = {"en": "English", "mr": "मराठी", "hi": "हिन्दी"}

PURPOSES: dict[str, dict[str, str]] = {
    "en": {
        "matching": "Match my skills with jobs and training courses.",
        "share_with_employers": (
            "Show my profile to employers: name, gender, district, age band, education, "
            "languages and skills; my mobile number only to an employer whose job I apply for "
            "(never my email, date of birth, social category or disability)."
        ),
        "training_referrals": "Let training institutions in the cluster offer me courses.",
        "outcome_tracking": (
            "Follow up on my placement, retention and wage for programme reporting."
        ),
    },
    "mr": {
        "matching": "माझी कौशल्ये नोकऱ्या आणि प्रशिक्षण कोर्सशी जुळवा.",
        "share_with_employers": (
            "माझी प्रोफाइल कंपन्यांना दाखवा: नाव, लिंग, जिल्हा, वयोगट, शिक्षण, भाषा आणि "
            "कौशल्ये; माझा मोबाइल नंबर फक्त ज्या कंपनीच्या नोकरीसाठी मी अर्ज केला त्या कंपनीला (माझा ईमेल, "
            "जन्मतारीख, सामाजिक प्रवर्ग किंवा दिव्यांगत्व कधीच नाही)."
        ),
        "training_referrals": "क्लस्टरमधील प्रशिक्षण संस्थांना मला कोर्स सुचवू द्या.",
        "outcome_tracking": (
            "योजनेच्या रिपोर्टसाठी माझे प्लेसमेंट, नोकरी टिकली का आणि पगार याबद्दल नंतर चौकशी करा."
        ),
    },
    "hi": {
        "matching": "मेरी स्किल का नौकरियों और ट्रेनिंग कोर्स से मिलान करें।",
        "share_with_employers": (
            "मेरी प्रोफ़ाइल कंपनियों को दिखाएँ: नाम, लिंग, ज़िला, उम्र का दायरा, शिक्षा, भाषाएँ और "
            "स्किल; मेरा मोबाइल नंबर सिर्फ़ उस कंपनी को जिसकी नौकरी के लिए मैं आवेदन करूँ (मेरा "
            "ईमेल, जन्म तिथि, सामाजिक वर्ग या दिव्यांगता कभी नहीं)।"
        ),
        "training_referrals": "क्लस्टर के ट्रेनिंग संस्थान मुझे कोर्स की जानकारी दे सकें।",
        "outcome_tracking": (
            "कार्यक्रम की रिपोर्ट के लिए मेरे प्लेसमेंट, नौकरी में टिके रहने और तनख्वाह की जानकारी लें।"
        ),
    },
}

_STAFF = {
    "en": "You, your training institution and administrators",
    "mr": "तुम्ही, तुमची प्रशिक्षण संस्था आणि ॲडमिन",
    "hi": "आप, आपका ट्रेनिंग संस्थान और एडमिन",
}
_STAFF_AND_EMPLOYERS = {
    "en": "You, your training institution and administrators, and employers if you agree to "
    "share your profile",
    "mr": "तुम्ही, तुमची प्रशिक्षण संस्था आणि ॲडमिन, आणि तुम्ही प्रोफाइल दाखवायला संमती दिली तर कंपन्या",
    "hi": "आप, आपका ट्रेनिंग संस्थान और एडमिन, और कंपनियाँ — अगर आप प्रोफ़ाइल दिखाने की सहमति दें",
}
# The mobile number goes to an employer once the person applies for its job or accepts its
# invitation (app/auth/policy.py: can_see_contact_of); the email never does.
_PHONE_ON_APPLYING = {
    "en": "You, your training institution and administrators; the mobile number also the employer "
    "whose job you apply for (or whose invitation you accept); the email never employers",
    "mr": "तुम्ही, तुमची प्रशिक्षण संस्था आणि ॲडमिन; मोबाइल नंबर तुम्ही ज्या कंपनीच्या नोकरीसाठी "
    "अर्ज करता (किंवा जिचे आमंत्रण स्वीकारता) तिलाही; ईमेल कंपन्यांना कधीच नाही",
    "hi": "आप, आपका ट्रेनिंग संस्थान और एडमिन; मोबाइल नंबर उस कंपनी को भी जिसकी नौकरी के लिए आप "
    "आवेदन करें (या जिसका न्योता स्वीकार करें); ईमेल कंपनियों को कभी नहीं",
}
_NEVER_EMPLOYERS = {
    "en": "You, your training institution and administrators; never employers",
    "mr": "तुम्ही, तुमची प्रशिक्षण संस्था आणि ॲडमिन; कंपन्या कधीच नाही",
    "hi": "आप, आपका ट्रेनिंग संस्थान और एडमिन; कंपनियाँ कभी नहीं",
}

# (what we collect, why, who can see it) per language, in the same order in every language.
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
            _PHONE_ON_APPLYING["en"],
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
    "mr": [
        (
            "नाव",
            "तुमच्या संस्थेला आणि (तुम्ही संमती दिली तर) कंपन्यांना तुमची ओळख पटावी म्हणून.",
            _STAFF_AND_EMPLOYERS["mr"],
        ),
        (
            "लिंग",
            "महिलांसाठी खुल्या नोकऱ्या दाखवण्यासाठी, आणि किती महिलांना प्रशिक्षण मिळाले ते "
            "योजनेच्या रिपोर्टमध्ये सांगण्यासाठी.",
            _STAFF_AND_EMPLOYERS["mr"],
        ),
        (
            "जन्मतारीख",
            "तुमचे वय तपासण्यासाठी (18 वर्षांखालील व्यक्तीसाठी आई-वडिलांची किंवा पालकाची संमती "
            "लागते) आणि तरुणांच्या आकडेवारीसाठी. कंपन्यांना फक्त वयोगट दिसतो.",
            _STAFF["mr"],
        ),
        (
            "जिल्हा आणि राज्य",
            "तुमच्या जवळच्या नोकऱ्या आणि कोर्स शोधण्यासाठी.",
            _STAFF_AND_EMPLOYERS["mr"],
        ),
        (
            "शिक्षण आणि भाषा",
            "तुम्हाला योग्य नोकऱ्या आणि कोर्स जुळवण्यासाठी.",
            _STAFF_AND_EMPLOYERS["mr"],
        ),
        (
            "मोबाइल नंबर आणि ईमेल",
            "नोकरी, कोर्स आणि नंतरच्या चौकशीसाठी तुमच्याशी संपर्क करण्यासाठी. मोबाइल नंबर "
            "एन्क्रिप्ट करून ठेवला जातो.",
            _PHONE_ON_APPLYING["mr"],
        ),
        (
            "सामाजिक प्रवर्ग (देणे गरजेचे नाही)",
            "योजनांच्या रिपोर्टमध्ये (उदा. DDU-GKY) SC/ST/OBC लोकांचा सहभाग दाखवण्यासाठी. "
            "एन्क्रिप्ट करून ठेवला जातो.",
            _NEVER_EMPLOYERS["mr"],
        ),
        (
            "दिव्यांगत्व (देणे गरजेचे नाही)",
            "तुमच्यासाठी सोयीचे प्रशिक्षण आणि नोकऱ्या देण्यासाठी, आणि दिव्यांग व्यक्तींच्या सहभागाच्या "
            "रिपोर्टसाठी. एन्क्रिप्ट करून ठेवले जाते.",
            _NEVER_EMPLOYERS["mr"],
        ),
        (
            "कौशल्ये आणि तुमच्या कामाचे वर्णन",
            "तुम्हाला नोकऱ्या आणि कोर्स जुळवण्यासाठी आणि कौशल्ये सुचवण्यासाठी.",
            _STAFF_AND_EMPLOYERS["mr"],
        ),
        (
            "कोर्स प्रवेश आणि प्लेसमेंटच्या नोंदी",
            "सरकारी योजनांच्या ऑडिटसाठी (DDU-GKY/PMKVY मध्ये प्लेसमेंटचा पुरावा) ठेवल्या जातात, "
            "तुम्ही माहिती हटवायला सांगितल्यानंतरही — पण तुमचे नाव आणि संपर्काची माहिती काढून.",
            _STAFF["mr"],
        ),
    ],
    "hi": [
        (
            "नाम",
            "आपको पहचानने के लिए, ताकि आपका संस्थान और (आपकी सहमति से) कंपनियाँ आपको पहचान सकें।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "लिंग",
            "महिलाओं के लिए खुली नौकरियाँ दिखाने के लिए, और योजनाओं की रिपोर्ट में यह बताने के "
            "लिए कि कितनी महिलाओं को ट्रेनिंग मिली।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "जन्म तिथि",
            "आपकी उम्र जाँचने के लिए (18 साल से कम उम्र वालों के लिए माता-पिता या अभिभावक की "
            "सहमति ज़रूरी है) और युवाओं से जुड़े आँकड़ों के लिए। कंपनियाँ सिर्फ़ उम्र का दायरा "
            "देखती हैं।",
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
            _PHONE_ON_APPLYING["hi"],
        ),
        (
            "सामाजिक वर्ग (देना ज़रूरी नहीं)",
            "योजनाओं (जैसे DDU-GKY) की रिपोर्ट में SC/ST/OBC लोगों की भागीदारी बताने के लिए। "
            "एन्क्रिप्ट करके रखा जाता है।",
            _NEVER_EMPLOYERS["hi"],
        ),
        (
            "दिव्यांगता (देना ज़रूरी नहीं)",
            "आपके लिए आसान (सुलभ) ट्रेनिंग और नौकरियाँ देने के लिए, और दिव्यांग लोगों की "
            "भागीदारी की रिपोर्ट के लिए। एन्क्रिप्ट करके रखा जाता है।",
            _NEVER_EMPLOYERS["hi"],
        ),
        (
            "स्किल और आपके काम का विवरण",
            "नौकरियों और कोर्स से आपका मिलान करने और स्किल सुझाने के लिए।",
            _STAFF_AND_EMPLOYERS["hi"],
        ),
        (
            "कोर्स में दाखिले और प्लेसमेंट का रिकॉर्ड",
            "सरकारी योजनाओं के ऑडिट (DDU-GKY/PMKVY में प्लेसमेंट का सबूत) के लिए रखा जाता है, "
            "आपके मिटाने को कहने के बाद भी — लेकिन आपके नाम या संपर्क की जानकारी के बिना।",
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
    "mr": {
        "title": "तुमची वैयक्तिक माहिती: आम्ही काय घेतो आणि का",
        "intro": (
            "KaushalSetu तुम्हाला क्लस्टरमधील कंपन्यांच्या नोकऱ्यांशी आणि प्रशिक्षण संस्थांच्या "
            "कोर्सशी जोडते. त्यासाठी आम्ही खाली दिलेली माहिती घेतो. प्रत्येक ओळीत ती का लागते "
            "आणि ती कोण पाहू शकते हे लिहिले आहे."
        ),
        "columns": ("आम्ही काय घेतो", "का", "कोण पाहू शकते"),
        "purposes_heading": "ही माहिती आम्ही कशासाठी वापरू शकतो, ते तुम्ही निवडा",
        "rights_heading": "तुमचे हक्क",
        "rights": [
            "तुमची संमती तुम्ही कधीही मागे घेऊ शकता, ती दिली तितक्याच सोप्या पद्धतीने: तुमच्या "
            "प्रोफाइलवर एक बटण. त्यानंतर आम्ही तुम्हाला नोकऱ्या जुळवणे थांबवतो आणि कंपन्यांपासून "
            "तुम्हाला लपवतो.",
            "तुमची सगळी माहिती पाहा आणि डाउनलोड करा (JSON आणि CSV).",
            "तुमची माहिती दुरुस्त करा, किंवा जी देणे गरजेचे नाही ती काढून टाका.",
            "तुमची माहिती हटवायला सांगा.",
            "तक्रार करा आणि तिचे काय झाले ते पाहा. आमच्या उत्तराने समाधान झाले नाही, तर तुम्ही "
            "भारताच्या डेटा संरक्षण मंडळाकडे (Data Protection Board of India) तक्रार करू शकता.",
            "तुमचा मृत्यू झाला किंवा तुम्ही स्वतः काही करू शकत नसाल, तर हे हक्क वापरण्यासाठी "
            "एखाद्या व्यक्तीचे नाव द्या (तक्रार फॉर्ममधून सांगा).",
        ],
        "minors_heading": "तुमचे वय 18 पेक्षा कमी असेल तर",
        "minors": (
            "आई-वडिलांची किंवा पालकाची संमती नोंदवली जाईपर्यंत आणि तुमच्या प्रशिक्षण संस्थेने ती "
            "तपासून पक्की करेपर्यंत तुमची प्रोफाइल कंपन्यांना दाखवली जात नाही. 18 वर्षांखालील "
            "कोणाच्याही हालचालींवर आम्ही नजर ठेवत नाही."
        ),
        "retention": (
            "तुमचे अकाउंट चालू असेपर्यंत, किंवा तुम्ही माहिती हटवायला सांगेपर्यंत आम्ही तुमची माहिती ठेवतो."
        ),
    },
    "hi": {
        "title": "आपकी व्यक्तिगत जानकारी: हम क्या लेते हैं और क्यों",
        "intro": (
            "KaushalSetu आपको क्लस्टर की कंपनियों की नौकरियों और ट्रेनिंग संस्थानों के कोर्स से "
            "जोड़ता है। इसके लिए हम नीचे दी गई जानकारी लेते हैं। हर लाइन में लिखा है कि वह "
            "क्यों ज़रूरी है और उसे कौन देख सकता है।"
        ),
        "columns": ("हम क्या लेते हैं", "क्यों", "कौन देख सकता है"),
        "purposes_heading": "आप चुनते हैं कि हम इसका इस्तेमाल किस काम के लिए करें",
        "rights_heading": "आपके अधिकार",
        "rights": [
            "आप अपनी सहमति कभी भी वापस ले सकते हैं — उतनी ही आसानी से जितनी आसानी से दी थी: "
            "अपनी प्रोफ़ाइल पर एक बटन। इसके बाद हम आपका मिलान बंद कर देते हैं और आपको "
            "कंपनियों से छिपा देते हैं।",
            "अपनी सारी जानकारी देखें और डाउनलोड करें (JSON और CSV)।",
            "अपनी जानकारी सुधारें, या जो जानकारी देना ज़रूरी नहीं है उसे हटाएँ।",
            "अपनी जानकारी मिटाने के लिए कहें।",
            "शिकायत दर्ज करें और देखें कि उस पर क्या हुआ। हमारे जवाब से संतुष्ट न हों, तो आप "
            "भारत के डेटा संरक्षण बोर्ड (Data Protection Board of India) में शिकायत कर सकते हैं।",
            "किसी व्यक्ति का नाम दें जो आपकी मृत्यु होने पर या आपके खुद कुछ न कर पाने पर ये "
            "अधिकार इस्तेमाल करे (शिकायत फ़ॉर्म से बताएँ)।",
        ],
        "minors_heading": "अगर आपकी उम्र 18 साल से कम है",
        "minors": (
            "जब तक माता-पिता या अभिभावक की सहमति दर्ज होकर आपका ट्रेनिंग संस्थान उसे जाँचकर "
            "पक्का नहीं कर देता, तब तक आपकी प्रोफ़ाइल कंपनियों को नहीं दिखाई जाती। हम 18 साल "
            "से कम उम्र के किसी भी व्यक्ति की गतिविधियों पर नज़र नहीं रखते।"
        ),
        "retention": (
            "जब तक आपका अकाउंट चालू है या आप जानकारी मिटाने को नहीं कहते, तब तक हम आपकी जानकारी रखते हैं।"
        ),
    },
}


def purposes_in(language: str | None) -> dict[str, str]:
    """Purpose key -> the notice's wording of it in ``language`` (English where it has none)."""
    return PURPOSES[notice_language(language)]


def notice_language(language: str | None) -> str:
    """``language`` if the notice is written in it, else English."""
    return language if language in LANGUAGES else "en"


def notice(language: str = "en") -> dict[str, object]:
    """Everything a template needs to show the notice in one language (English if unknown)."""
    language = notice_language(language)
    return {
        "language": language,
        "language_name": LANGUAGES[language],
        "version": NOTICE_VERSION,
        "items": ITEMS[language],
        "purposes": PURPOSES[language],
        **TEXT[language],
    }
