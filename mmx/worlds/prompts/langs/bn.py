"""Bengali: numeral + classifier -টি, group genitive before "ছবি" (photo).

"একটি বিড়ালের ছবি" (a cat's photo), "তিনটি কুকুরের ছবি" (the noun stays singular
after a numeral with its classifier), "একটি লাল বিড়ালের ছবি", "একটি বিড়াল ও একটি
কুকুরের ছবি" (the genitive goes on the last noun of the group only), "একটি কুকুরের
বাঁ দিকে একটি বিড়ালের ছবি" (B's genitive + "বাঁ দিকে" + A). The genitive is -এর
after a consonant, -র after a vowel sign, -য়ের after a vowel letter ("বইয়ের");
Latin words (the en-second variant) take "-এর". "skis" counts in pairs: "তিন জোড়া স্কি".
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "bn"
NAME = "Bengali"
NATIVE = "বাংলা"
VARIANTS = ("en-first", "en-second")
SG_FORMS = ("sg",)
PL_FORMS = ()

NOUNS: dict[str, str] = {
    "person": "মানুষ", "bicycle": "সাইকেল", "car": "গাড়ি", "motorcycle": "মোটরসাইকেল", "airplane": "বিমান",
    "bus": "বাস", "train": "ট্রেন", "truck": "ট্রাক", "boat": "নৌকা", "traffic light": "ট্রাফিক লাইট",
    "fire hydrant": "ফায়ার হাইড্রেন্ট", "stop sign": "স্টপ সাইন", "parking meter": "পার্কিং মিটার",
    "bench": "বেঞ্চ", "bird": "পাখি", "cat": "বিড়াল", "dog": "কুকুর", "horse": "ঘোড়া", "sheep": "ভেড়া",
    "cow": "গরু", "elephant": "হাতি", "bear": "ভালুক", "zebra": "জেব্রা", "giraffe": "জিরাফ",
    "backpack": "ব্যাকপ্যাক", "umbrella": "ছাতা", "handbag": "হ্যান্ডব্যাগ", "tie": "টাই", "suitcase": "স্যুটকেস",
    "frisbee": "ফ্রিসবি", "skis": "স্কি", "snowboard": "স্নোবোর্ড", "sports ball": "বল", "kite": "ঘুড়ি",
    "baseball bat": "বেসবল ব্যাট", "baseball glove": "বেসবল গ্লাভস", "skateboard": "স্কেটবোর্ড",
    "surfboard": "সার্ফবোর্ড", "tennis racket": "টেনিস র‍্যাকেট", "bottle": "বোতল", "wine glass": "ওয়াইন গ্লাস",
    "cup": "কাপ", "fork": "কাঁটাচামচ", "knife": "ছুরি", "spoon": "চামচ", "bowl": "বাটি", "banana": "কলা",
    "apple": "আপেল", "sandwich": "স্যান্ডউইচ", "orange": "কমলা", "broccoli": "ব্রোকলি", "carrot": "গাজর",
    "hot dog": "হট ডগ", "pizza": "পিৎজা", "donut": "ডোনাট", "cake": "কেক", "chair": "চেয়ার", "couch": "সোফা",
    "potted plant": "টবের গাছ", "bed": "বিছানা", "dining table": "খাবার টেবিল", "toilet": "টয়লেট",
    "tv": "টিভি", "laptop": "ল্যাপটপ", "computer mouse": "কম্পিউটার মাউস", "tv remote": "টিভির রিমোট",
    "computer keyboard": "কম্পিউটার কিবোর্ড", "cell phone": "মোবাইল ফোন", "microwave": "মাইক্রোওয়েভ",
    "oven": "ওভেন", "toaster": "টোস্টার", "sink": "সিঙ্ক", "refrigerator": "ফ্রিজ", "book": "বই", "clock": "ঘড়ি",
    "vase": "ফুলদানি", "scissors": "কাঁচি", "teddy bear": "টেডি বিয়ার", "hair drier": "হেয়ার ড্রায়ার",
    "toothbrush": "টুথব্রাশ",
    # shapes world
    "circle": "বৃত্ত", "square": "বর্গক্ষেত্র", "triangle": "ত্রিভুজ", "star": "তারা", "hexagon": "ষড়ভুজ",
    "cross": "ক্রস",
}
PAIRED = {"skis"}  # counted with "জোড়া" (pair) instead of the classifier
COLORS = {"red": "লাল", "orange": "কমলা", "yellow": "হলুদ", "green": "সবুজ", "blue": "নীল", "purple": "বেগুনি",
          "pink": "গোলাপি", "brown": "বাদামি", "black": "কালো", "white": "সাদা"}
NUMBERS = {1: "এক", 2: "দুই", 3: "তিন", 4: "চার"}
COUNTED = {1: "একটি", 2: "দুটি", 3: "তিনটি", 4: "চারটি"}
# postpositions after the reference object's genitive
RELATIONS = {"left of": "বাঁ দিকে", "right of": "ডান দিকে", "above": "উপরে", "below": "নিচে"}
_VOWEL_SIGNS = "ািীুূৃেৈোৌ"
_VOWEL_LETTERS = "অআইঈউঊএঐওঔ"


def genitive(word: str) -> str:
    """The genitive of a noun phrase (on its last word)."""
    if word.isascii():
        return word + "-এর"
    if word[-1] in _VOWEL_SIGNS:
        return word + "র"
    if word[-1] in _VOWEL_LETTERS:
        return word + "য়ের"
    return word + "ের"


def entry(cls: str) -> dict:
    return {"sg": NOUNS[cls], "paired": cls in PAIRED}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"]


def _np(e: dict, count: int, color: str | None, gen: bool) -> str:
    num = f"{NUMBERS[count]} জোড়া" if e["paired"] and not e.get("mixed") else COUNTED[count]
    noun = genitive(e["sg"]) if gen else e["sg"]
    return f"{num} {COLORS[color] + ' ' if color else ''}{noun}"


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        a, b = _np(entry(o[0].cls), 1, None, True), _np(entry(o[1].cls), 1, None, True)
        return f"{b} {RELATIONS[scene.relation]} {a} ছবি"
    parts = [_np(entry(x.cls), x.count, x.color, i == len(o) - 1) for i, x in enumerate(o)]
    return " ও ".join(parts) + " ছবি"
