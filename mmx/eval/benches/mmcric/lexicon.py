"""English names and their Devanagari spellings for the scorecard generator.

Hindi scorecards on Indian sports sites transliterate every name; these are the
spellings such sites use (nukta forms kept, e.g. ख़ान, फ़र्नांडो). Names are drawn
per team from its region's pool so that line-ups look plausible.
"""

from __future__ import annotations

#: code, English name, Hindi name, region
TEAMS: tuple[tuple[str, str, str, str], ...] = (
    ("IND", "India", "भारत", "south"),
    ("PAK", "Pakistan", "पाकिस्तान", "south"),
    ("SL", "Sri Lanka", "श्रीलंका", "south"),
    ("BAN", "Bangladesh", "बांग्लादेश", "south"),
    ("AFG", "Afghanistan", "अफ़ग़ानिस्तान", "south"),
    ("AUS", "Australia", "ऑस्ट्रेलिया", "west"),
    ("ENG", "England", "इंग्लैंड", "west"),
    ("NZ", "New Zealand", "न्यूज़ीलैंड", "west"),
    ("SA", "South Africa", "दक्षिण अफ़्रीका", "west"),
    ("WI", "West Indies", "वेस्टइंडीज़", "west"),
    ("IRE", "Ireland", "आयरलैंड", "west"),
    ("ZIM", "Zimbabwe", "ज़िम्बाब्वे", "west"),
)

FIRST: dict[str, tuple[tuple[str, str], ...]] = {
    "south": (
        ("Rohan", "रोहन"), ("Arjun", "अर्जुन"), ("Vikram", "विक्रम"), ("Rahul", "राहुल"),
        ("Amit", "अमित"), ("Sanjay", "संजय"), ("Karan", "करण"), ("Aditya", "आदित्य"),
        ("Nikhil", "निखिल"), ("Suresh", "सुरेश"), ("Rajesh", "राजेश"), ("Manish", "मनीष"),
        ("Deepak", "दीपक"), ("Harsh", "हर्ष"), ("Yash", "यश"), ("Ishan", "ईशान"),
        ("Kunal", "कुणाल"), ("Varun", "वरुण"), ("Akash", "आकाश"), ("Ravi", "रवि"),
        ("Imran", "इमरान"), ("Faisal", "फ़ैसल"), ("Babar", "बाबर"), ("Shadab", "शादाब"),
        ("Tamim", "तमीम"), ("Kusal", "कुसल"), ("Dinesh", "दिनेश"), ("Rashid", "राशिद"),
        ("Mohammad", "मोहम्मद"), ("Anil", "अनिल"),
    ),
    "west": (
        ("James", "जेम्स"), ("Joe", "जो"), ("Ben", "बेन"), ("Jack", "जैक"),
        ("Harry", "हैरी"), ("Oliver", "ओलिवर"), ("Steve", "स्टीव"), ("David", "डेविड"),
        ("Travis", "ट्रैविस"), ("Pat", "पैट"), ("Glenn", "ग्लेन"), ("Kane", "केन"),
        ("Tom", "टॉम"), ("Devon", "डेवन"), ("Trent", "ट्रेंट"), ("Quinton", "क्विंटन"),
        ("Aiden", "एडेन"), ("Kagiso", "कगिसो"), ("Jason", "जेसन"), ("Shai", "शाई"),
        ("Andre", "आंद्रे"), ("Sean", "शॉन"), ("Paul", "पॉल"), ("Liam", "लियाम"),
        ("Chris", "क्रिस"), ("Daniel", "डेनियल"), ("Sam", "सैम"), ("Ryan", "रायन"),
        ("Mark", "मार्क"), ("Adam", "एडम"),
    ),
}

LAST: dict[str, tuple[tuple[str, str], ...]] = {
    "south": (
        ("Sharma", "शर्मा"), ("Verma", "वर्मा"), ("Patel", "पटेल"), ("Singh", "सिंह"),
        ("Mehta", "मेहता"), ("Iyer", "अय्यर"), ("Nair", "नायर"), ("Reddy", "रेड्डी"),
        ("Kumar", "कुमार"), ("Yadav", "यादव"), ("Joshi", "जोशी"), ("Gupta", "गुप्ता"),
        ("Rao", "राव"), ("Pandey", "पांडे"), ("Chopra", "चोपड़ा"), ("Malik", "मलिक"),
        ("Khan", "ख़ान"), ("Ahmed", "अहमद"), ("Hossain", "हुसैन"), ("Rahman", "रहमान"),
        ("Perera", "परेरा"), ("Silva", "सिल्वा"), ("Fernando", "फ़र्नांडो"), ("Zadran", "ज़दरान"),
        ("Nabi", "नबी"), ("Qureshi", "क़ुरैशी"), ("Bhatt", "भट्ट"), ("Saxena", "सक्सेना"),
        ("Thakur", "ठाकुर"), ("Dubey", "दुबे"),
    ),
    "west": (
        ("Smith", "स्मिथ"), ("Taylor", "टेलर"), ("Brown", "ब्राउन"), ("Wilson", "विल्सन"),
        ("Walker", "वॉकर"), ("Clarke", "क्लार्क"), ("Wright", "राइट"), ("Hughes", "ह्यूज़"),
        ("Cooper", "कूपर"), ("Morgan", "मॉर्गन"), ("Turner", "टर्नर"), ("Baker", "बेकर"),
        ("Carter", "कार्टर"), ("Marsh", "मार्श"), ("Head", "हेड"), ("Starc", "स्टार्क"),
        ("Williamson", "विलियमसन"), ("Boult", "बोल्ट"), ("Latham", "लेथम"), ("Rabada", "रबाडा"),
        ("Markram", "मार्करम"), ("Holder", "होल्डर"), ("Hope", "होप"), ("Russell", "रसेल"),
        ("Stirling", "स्टर्लिंग"), ("Ervine", "एर्विन"), ("Evans", "इवांस"), ("Root", "रूट"),
        ("Stokes", "स्टोक्स"), ("Anderson", "एंडरसन"),
    ),
}

#: English venue, Hindi venue
VENUES: tuple[tuple[str, str], ...] = (
    ("Wankhede Stadium, Mumbai", "वानखेड़े स्टेडियम, मुंबई"),
    ("Eden Gardens, Kolkata", "ईडन गार्डन्स, कोलकाता"),
    ("M. Chinnaswamy Stadium, Bengaluru", "एम. चिन्नास्वामी स्टेडियम, बेंगलुरु"),
    ("Narendra Modi Stadium, Ahmedabad", "नरेंद्र मोदी स्टेडियम, अहमदाबाद"),
    ("Gaddafi Stadium, Lahore", "गद्दाफ़ी स्टेडियम, लाहौर"),
    ("R. Premadasa Stadium, Colombo", "आर. प्रेमदासा स्टेडियम, कोलंबो"),
    ("Shere Bangla Stadium, Mirpur", "शेर-ए-बांग्ला स्टेडियम, मीरपुर"),
    ("Melbourne Cricket Ground", "मेलबर्न क्रिकेट ग्राउंड"),
    ("Sydney Cricket Ground", "सिडनी क्रिकेट ग्राउंड"),
    ("Lord's, London", "लॉर्ड्स, लंदन"),
    ("The Oval, London", "द ओवल, लंदन"),
    ("Eden Park, Auckland", "ईडन पार्क, ऑकलैंड"),
    ("Newlands, Cape Town", "न्यूलैंड्स, केप टाउन"),
    ("Kensington Oval, Bridgetown", "केंसिंग्टन ओवल, ब्रिजटाउन"),
    ("Harare Sports Club", "हरारे स्पोर्ट्स क्लब"),
)

MONTHS: tuple[tuple[str, str], ...] = (
    ("January", "जनवरी"), ("February", "फ़रवरी"), ("March", "मार्च"), ("April", "अप्रैल"),
    ("May", "मई"), ("June", "जून"), ("July", "जुलाई"), ("August", "अगस्त"),
    ("September", "सितंबर"), ("October", "अक्टूबर"), ("November", "नवंबर"), ("December", "दिसंबर"),
)


def _hindi_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for pool in (FIRST, LAST):
        for region in pool.values():
            for english, hindi in region:
                words[english] = hindi
    return words


_HINDI_WORDS = _hindi_words()
_HINDI_TEAMS = {english: hindi for _, english, hindi, _ in TEAMS}


def card_spelling(english: str) -> str | None:
    """How a Hindi card prints ``english``, a player (``"Manish Fernando"`` -> ``"मनीष फ़र्नांडो"``,
    every word from this lexicon) or a team; None for anything else (numbers, words, names of
    other data such as the real MMCricBench)."""
    text = english.strip()
    if text in _HINDI_TEAMS:
        return _HINDI_TEAMS[text]
    words = text.split()
    if words and all(w in _HINDI_WORDS for w in words):
        return " ".join(_HINDI_WORDS[w] for w in words)
    return None
