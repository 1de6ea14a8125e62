"""Dutch: de/het nouns, plurals, inflected colour adjectives before the noun.

"een foto van een rode kat", "een foto van een rood paard" (het-word, indefinite:
no -e), "een foto van drie katten", "een foto van een kat links van een hond".
"skis" is "een paar ski's" ("twee paar ski's"; the colour goes on "ski's").
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "nl"
NAME = "Dutch"
NATIVE = "Nederlands"
VARIANTS = ("en-first", "en-second")
SG_FORMS = ("sg",)
PL_FORMS = ("pl",)

# English class -> (singular, plural, het-word?)
NOUNS: dict[str, tuple[str, str, bool]] = {
    "person": ("persoon", "personen", False), "bicycle": ("fiets", "fietsen", False),
    "car": ("auto", "auto's", False), "motorcycle": ("motorfiets", "motorfietsen", False),
    "airplane": ("vliegtuig", "vliegtuigen", True), "bus": ("bus", "bussen", False),
    "train": ("trein", "treinen", False), "truck": ("vrachtwagen", "vrachtwagens", False),
    "boat": ("boot", "boten", False), "traffic light": ("verkeerslicht", "verkeerslichten", True),
    "fire hydrant": ("brandkraan", "brandkranen", False), "stop sign": ("stopbord", "stopborden", True),
    "parking meter": ("parkeermeter", "parkeermeters", False), "bench": ("bankje", "bankjes", True),
    "bird": ("vogel", "vogels", False), "cat": ("kat", "katten", False), "dog": ("hond", "honden", False),
    "horse": ("paard", "paarden", True), "sheep": ("schaap", "schapen", True), "cow": ("koe", "koeien", False),
    "elephant": ("olifant", "olifanten", False), "bear": ("beer", "beren", False),
    "zebra": ("zebra", "zebra's", False), "giraffe": ("giraf", "giraffen", False),
    "backpack": ("rugzak", "rugzakken", False), "umbrella": ("paraplu", "paraplu's", False),
    "handbag": ("handtas", "handtassen", False), "tie": ("stropdas", "stropdassen", False),
    "suitcase": ("koffer", "koffers", False), "frisbee": ("frisbee", "frisbees", False),
    "skis": ("paar ski's", "paar ski's", True), "snowboard": ("snowboard", "snowboards", True),
    "sports ball": ("bal", "ballen", False), "kite": ("vlieger", "vliegers", False),
    "baseball bat": ("honkbalknuppel", "honkbalknuppels", False),
    "baseball glove": ("honkbalhandschoen", "honkbalhandschoenen", False),
    "skateboard": ("skateboard", "skateboards", True), "surfboard": ("surfplank", "surfplanken", False),
    "tennis racket": ("tennisracket", "tennisrackets", True), "bottle": ("fles", "flessen", False),
    "wine glass": ("wijnglas", "wijnglazen", True), "cup": ("kopje", "kopjes", True),
    "fork": ("vork", "vorken", False), "knife": ("mes", "messen", True), "spoon": ("lepel", "lepels", False),
    "bowl": ("kom", "kommen", False), "banana": ("banaan", "bananen", False),
    "apple": ("appel", "appels", False), "sandwich": ("sandwich", "sandwiches", False),
    "orange": ("sinaasappel", "sinaasappels", False), "broccoli": ("broccoli", "broccoli's", False),
    "carrot": ("wortel", "wortels", False), "hot dog": ("hotdog", "hotdogs", False),
    "pizza": ("pizza", "pizza's", False), "donut": ("donut", "donuts", False), "cake": ("taart", "taarten", False),
    "chair": ("stoel", "stoelen", False), "couch": ("bank", "banken", False),
    "potted plant": ("potplant", "potplanten", False), "bed": ("bed", "bedden", True),
    "dining table": ("eettafel", "eettafels", False), "toilet": ("toilet", "toiletten", True),
    "tv": ("televisie", "televisies", False), "laptop": ("laptop", "laptops", False),
    "computer mouse": ("computermuis", "computermuizen", False),
    "tv remote": ("afstandsbediening", "afstandsbedieningen", False),
    "computer keyboard": ("toetsenbord", "toetsenborden", True),
    "cell phone": ("mobiele telefoon", "mobiele telefoons", False),
    "microwave": ("magnetron", "magnetrons", False), "oven": ("oven", "ovens", False),
    "toaster": ("broodrooster", "broodroosters", False), "sink": ("gootsteen", "gootstenen", False),
    "refrigerator": ("koelkast", "koelkasten", False), "book": ("boek", "boeken", True),
    "clock": ("klok", "klokken", False), "vase": ("vaas", "vazen", False),
    "scissors": ("schaar", "scharen", False), "teddy bear": ("teddybeer", "teddyberen", False),
    "hair drier": ("föhn", "föhns", False), "toothbrush": ("tandenborstel", "tandenborstels", False),
    # shapes world
    "circle": ("cirkel", "cirkels", False), "square": ("vierkant", "vierkanten", True),
    "triangle": ("driehoek", "driehoeken", False), "star": ("ster", "sterren", False),
    "hexagon": ("zeshoek", "zeshoeken", False), "cross": ("kruis", "kruizen", True),
}
# colour -> (bare form: indefinite het-word; inflected form: de-words and plurals)
COLORS = {"red": ("rood", "rode"), "orange": ("oranje", "oranje"), "yellow": ("geel", "gele"),
          "green": ("groen", "groene"), "blue": ("blauw", "blauwe"), "purple": ("paars", "paarse"),
          "pink": ("roze", "roze"), "brown": ("bruin", "bruine"), "black": ("zwart", "zwarte"),
          "white": ("wit", "witte")}
NUMBERS = {2: "twee", 3: "drie", 4: "vier"}
RELATIONS = {"left of": "links van", "right of": "rechts van", "above": "boven", "below": "onder"}
_PAIR = "paar "


def entry(cls: str) -> dict:
    sg, pl, het = NOUNS[cls]
    return {"sg": sg, "pl": pl, "het": het}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"] if n == 1 else e["pl"]


def _np(e: dict, count: int, color: str | None) -> str:
    if count != 1:
        return f"{NUMBERS[count]} {e['pl']}"
    if not color:
        return f"een {e['sg']}"
    if e["sg"].startswith(_PAIR) and not e.get("mixed"):
        # "een paar rode ski's": the colour describes the skis (plural), not "paar"
        return f"een {_PAIR}{COLORS[color][1]} {e['sg'][len(_PAIR):]}"
    return f"een {COLORS[color][0 if e['het'] else 1]} {e['sg']}"


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        a, b = _np(entry(o[0].cls), 1, None), _np(entry(o[1].cls), 1, None)
        return f"een foto van {a} {RELATIONS[scene.relation]} {b}"
    return "een foto van " + " en ".join(_np(entry(x.cls), x.count, x.color) for x in o)
