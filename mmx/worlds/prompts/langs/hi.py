"""Hindi: postpositions after the noun, oblique case and plural, adjective agreement.

"एक बिल्ली की तस्वीर" (a photo of a cat: the whole object phrase, in the oblique,
precedes "की तस्वीर"), "तीन कुत्तों की तस्वीर", "एक पीले कुत्ते की तस्वीर" (the
variable colours पीला हरा नीला भूरा काला agree: -ी feminine, -े masculine oblique),
"एक कुत्ते के बाईं ओर एक बिल्ली की तस्वीर" (B + "के बाईं ओर" + A: the reference
object comes first, as Hindi postpositions require).

Nouns inflect by the usual rules (masculine -ा: oblique -े, oblique plural -ों;
-ी/-ि: -ियों; feminine: plural -ें or -ियाँ); loanwords ending in a vowel that do
not inflect are marked. Only the last word of a compound inflects.

Romanized ("roman"): the informal Latin spelling Hindi speakers type (no
diacritics, long vowels as ee/oo/aa where usual, the final schwa dropped: "ek
billi ki tasveer"); English loanwords keep their English spelling and, as usual in
that register, are left uninflected ("teen laptop ki tasveer").
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "hi"
NAME = "Hindi"
NATIVE = "हिन्दी"
VARIANTS = ("en-first", "en-second", "roman")
SG_FORMS = ("sg", "obl", "r_sg", "r_obl")
PL_FORMS = ("pl", "obl_pl", "r_pl", "r_obl_pl")

# English class -> (Devanagari, gender, romanized, flags): "inv" = does not inflect,
# "L" = English loan (romanized in English spelling, left uninflected there).
NOUNS: dict[str, tuple[str, str, str, str]] = {
    "person": ("व्यक्ति", "m", "vyakti", ""), "bicycle": ("साइकिल", "f", "cycle", "L"),
    "car": ("कार", "f", "car", "L"), "motorcycle": ("मोटरसाइकिल", "f", "motorcycle", "L"),
    "airplane": ("हवाई जहाज़", "m", "hawai jahaz", ""), "bus": ("बस", "f", "bus", "L"),
    "train": ("ट्रेन", "f", "train", "L"), "truck": ("ट्रक", "m", "truck", "L"), "boat": ("नाव", "f", "naav", ""),
    "traffic light": ("ट्रैफ़िक लाइट", "f", "traffic light", "L"),
    "fire hydrant": ("फ़ायर हाइड्रेंट", "m", "fire hydrant", "L"),
    "stop sign": ("स्टॉप साइन", "m", "stop sign", "L"), "parking meter": ("पार्किंग मीटर", "m", "parking meter", "L"),
    "bench": ("बेंच", "f", "bench", "L"), "bird": ("पक्षी", "m", "pakshi", ""), "cat": ("बिल्ली", "f", "billi", ""),
    "dog": ("कुत्ता", "m", "kutta", ""), "horse": ("घोड़ा", "m", "ghoda", ""), "sheep": ("भेड़", "f", "bhed", ""),
    "cow": ("गाय", "f", "gaay", ""), "elephant": ("हाथी", "m", "haathi", ""), "bear": ("भालू", "m", "bhaalu", ""),
    "zebra": ("ज़ेबरा", "m", "zebra", "inv L"), "giraffe": ("जिराफ़", "m", "giraffe", "L"),
    "backpack": ("बैकपैक", "m", "backpack", "L"), "umbrella": ("छाता", "m", "chhaata", ""),
    "handbag": ("हैंडबैग", "m", "handbag", "L"), "tie": ("टाई", "f", "tie", "L"),
    "suitcase": ("सूटकेस", "m", "suitcase", "L"), "frisbee": ("फ़्रिस्बी", "m", "frisbee", "L"),
    "skis": ("स्की की जोड़ी", "f", "ski ki jodi", ""), "snowboard": ("स्नोबोर्ड", "m", "snowboard", "L"),
    "sports ball": ("गेंद", "f", "gend", ""), "kite": ("पतंग", "f", "patang", ""),
    "baseball bat": ("बेसबॉल बैट", "m", "baseball bat", "L"),
    "baseball glove": ("बेसबॉल दस्ताना", "m", "baseball dastaana", ""),
    "skateboard": ("स्केटबोर्ड", "m", "skateboard", "L"), "surfboard": ("सर्फ़बोर्ड", "m", "surfboard", "L"),
    "tennis racket": ("टेनिस रैकेट", "m", "tennis racket", "L"), "bottle": ("बोतल", "f", "botal", ""),
    "wine glass": ("वाइन गिलास", "m", "wine glass", "L"), "cup": ("कप", "m", "cup", "L"),
    "fork": ("काँटा", "m", "kaanta", ""), "knife": ("चाकू", "m", "chaaku", ""),
    "spoon": ("चम्मच", "m", "chammach", ""), "bowl": ("कटोरा", "m", "katora", ""), "banana": ("केला", "m", "kela", ""),
    "apple": ("सेब", "m", "seb", ""), "sandwich": ("सैंडविच", "m", "sandwich", "L"),
    "orange": ("संतरा", "m", "santra", ""), "broccoli": ("ब्रोकली", "f", "broccoli", "L"),
    "carrot": ("गाजर", "f", "gaajar", ""), "hot dog": ("हॉट डॉग", "m", "hot dog", "L"),
    "pizza": ("पिज़्ज़ा", "m", "pizza", "inv L"), "donut": ("डोनट", "m", "donut", "L"), "cake": ("केक", "m", "cake", "L"),
    "chair": ("कुर्सी", "f", "kursi", ""), "couch": ("सोफ़ा", "m", "sofa", ""),
    "potted plant": ("गमले का पौधा", "m", "gamle ka paudha", ""), "bed": ("बिस्तर", "m", "bistar", ""),
    "dining table": ("डाइनिंग टेबल", "f", "dining table", "L"), "toilet": ("टॉयलेट", "m", "toilet", "L"),
    "tv": ("टीवी", "m", "TV", "inv L"), "laptop": ("लैपटॉप", "m", "laptop", "L"),
    "computer mouse": ("कंप्यूटर माउस", "m", "computer mouse", "L"), "tv remote": ("टीवी रिमोट", "m", "TV remote", "L"),
    "computer keyboard": ("कंप्यूटर कीबोर्ड", "m", "computer keyboard", "L"),
    "cell phone": ("मोबाइल फ़ोन", "m", "mobile phone", "L"), "microwave": ("माइक्रोवेव", "m", "microwave", "L"),
    "oven": ("ओवन", "m", "oven", "L"), "toaster": ("टोस्टर", "m", "toaster", "L"), "sink": ("सिंक", "m", "sink", "L"),
    "refrigerator": ("फ़्रिज", "m", "fridge", "L"), "book": ("किताब", "f", "kitaab", ""),
    "clock": ("घड़ी", "f", "ghadi", ""), "vase": ("फूलदान", "m", "phooldaan", ""), "scissors": ("कैंची", "f", "kainchi", ""),
    "teddy bear": ("टेडी बियर", "m", "teddy bear", "L"), "hair drier": ("हेयर ड्रायर", "m", "hair dryer", "L"),
    "toothbrush": ("टूथब्रश", "m", "toothbrush", "L"),
    # shapes world
    "circle": ("वृत्त", "m", "vritt", ""), "square": ("वर्ग", "m", "varg", ""), "triangle": ("त्रिभुज", "m", "tribhuj", ""),
    "star": ("तारा", "m", "taara", ""), "hexagon": ("षट्भुज", "m", "shatbhuj", ""), "cross": ("क्रॉस", "m", "cross", "L"),
}
# colour -> (Devanagari, romanized); the ones ending in -ा / -a agree with their noun
COLORS = {"red": ("लाल", "laal"), "orange": ("नारंगी", "naarangi"), "yellow": ("पीला", "peela"),
          "green": ("हरा", "hara"), "blue": ("नीला", "neela"), "purple": ("बैंगनी", "baingani"),
          "pink": ("गुलाबी", "gulaabi"), "brown": ("भूरा", "bhoora"), "black": ("काला", "kaala"),
          "white": ("सफ़ेद", "safed")}
NUMBERS = {1: ("एक", "ek"), 2: ("दो", "do"), 3: ("तीन", "teen"), 4: ("चार", "chaar")}
# postpositions after the reference object
RELATIONS = {"left of": ("के बाईं ओर", "ke baayin or"), "right of": ("के दाईं ओर", "ke daayin or"),
             "above": ("के ऊपर", "ke upar"), "below": ("के नीचे", "ke neeche")}
FRAME = {"native": ("की तस्वीर", "और"), "roman": ("ki tasveer", "aur")}
_AGREE = {"पीला", "हरा", "नीला", "भूरा", "काला"}
# forms the rules cannot derive: the genitive modifier is plural too ("गमलों के पौधों")
OVERRIDES = {"potted plant": {"pl": "गमलों के पौधे", "obl_pl": "गमलों के पौधों",
                              "r_pl": "gamlon ke paudhe", "r_obl_pl": "gamlon ke paudhon"}}


def _inflect_dev(word: str, g: str) -> tuple[str, str, str]:
    """(oblique singular, direct plural, oblique plural) of the last word."""
    if g == "m":
        if word.endswith("ा"):
            return word[:-1] + "े", word[:-1] + "े", word[:-1] + "ों"
        if word.endswith(("ी", "ि")):
            return word, word, word[:-1] + "ियों"
        if word.endswith("ू"):
            return word, word, word[:-1] + "ुओं"
        return word, word, word + "ों"
    if word.endswith(("ी", "ि")):
        return word, word[:-1] + "ियाँ", word[:-1] + "ियों"
    if word.endswith("ई"):
        return word, word[:-1] + "इयाँ", word[:-1] + "इयों"
    return word, word + "ें", word + "ों"


def _inflect_rom(word: str, g: str) -> tuple[str, str, str]:
    if g == "m":
        if word.endswith("a"):
            return word[:-1] + "e", word[:-1] + "e", word[:-1] + "on"
        if word.endswith("i"):
            return word, word, word + "yon"
        return word, word, word + "on"
    if word.endswith("i"):
        return word, word + "yaan", word + "yon"
    return word, word + "en", word + "on"


def _forms(phrase: str, g: str, inflect) -> tuple[str, str, str, str]:
    head, _, last = phrase.rpartition(" ")
    pre = head + " " if head else ""
    obl, pl, obl_pl = inflect(last, g)
    # "गमले का पौधा": the genitive before the head agrees with it (का -> के)
    if pre.endswith((" का ", " ka ")) and g == "m":
        pre_obl = pre[:-3] + ("के " if pre.endswith(" का ") else "ke ")
        return phrase, pre_obl + obl, pre_obl + pl, pre_obl + obl_pl
    return phrase, pre + obl, pre + pl, pre + obl_pl


def entry(cls: str) -> dict:
    dev, g, rom, flags = NOUNS[cls]
    inv, loan = "inv" in flags.split(), "L" in flags.split()
    d = (dev,) * 4 if inv else _forms(dev, g, _inflect_dev)
    r = (rom,) * 4 if (inv or loan) else _forms(rom, g, _inflect_rom)
    return {"g": g, "sg": d[0], "obl": d[1], "pl": d[2], "obl_pl": d[3],
            "r_sg": r[0], "r_obl": r[1], "r_pl": r[2], "r_obl_pl": r[3], **OVERRIDES.get(cls, {})}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"] if n == 1 else e["pl"]


def _color(color: str, g: str, script: str) -> str:
    dev, rom = COLORS[color]
    if dev not in _AGREE:
        return dev if script == "native" else rom
    if script == "native":
        return dev[:-1] + ("ी" if g == "f" else "े")
    return rom[:-1] + ("i" if g == "f" else "e")


def _np(e: dict, count: int, color: str | None, script: str) -> str:
    """The object phrase in the oblique (it always stands before a postposition)."""
    r = "r_" if script == "roman" else ""
    num = NUMBERS[count][script == "roman"]
    if count != 1:
        return f"{num} {e[r + 'obl_pl']}"
    adj = f"{_color(color, e['g'], script)} " if color else ""
    return f"{num} {adj}{e[r + 'obl']}"


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    photo, conj = FRAME[script]
    if scene.tag == "position":
        a, b = _np(entry(o[0].cls), 1, None, script), _np(entry(o[1].cls), 1, None, script)
        rel = RELATIONS[scene.relation][script == "roman"]
        return f"{b} {rel} {a} {photo}"
    return f" {conj} ".join(_np(entry(x.cls), x.count, x.color, script) for x in o) + f" {photo}"
