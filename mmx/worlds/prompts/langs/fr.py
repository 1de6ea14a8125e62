"""French: indefinite articles by gender, plurals, colour adjectives after the noun.

"une photo d'une vache rouge", "une photo de trois chevaux", "une photo d'un chat à
gauche d'un chien". "de" elides before a vowel (every singular phrase starts with
"un"/"une"); the colour agrees with the head noun's gender (for "skis" and
"scissors" the head is "paire").
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "fr"
NAME = "French"
NATIVE = "français"
VARIANTS = ("en-first", "en-second")
SG_FORMS = ("sg",)
PL_FORMS = ("pl",)

# English class -> (singular, gender, plural); plural "" means singular + "s".
NOUNS: dict[str, tuple[str, str, str]] = {
    "person": ("personne", "f", ""), "bicycle": ("vélo", "m", ""), "car": ("voiture", "f", ""),
    "motorcycle": ("moto", "f", ""), "airplane": ("avion", "m", ""), "bus": ("bus", "m", "bus"),
    "train": ("train", "m", ""), "truck": ("camion", "m", ""), "boat": ("bateau", "m", "bateaux"),
    "traffic light": ("feu de circulation", "m", "feux de circulation"),
    "fire hydrant": ("bouche d'incendie", "f", "bouches d'incendie"),
    "stop sign": ("panneau stop", "m", "panneaux stop"), "parking meter": ("parcmètre", "m", ""),
    "bench": ("banc", "m", ""), "bird": ("oiseau", "m", "oiseaux"), "cat": ("chat", "m", ""),
    "dog": ("chien", "m", ""), "horse": ("cheval", "m", "chevaux"), "sheep": ("mouton", "m", ""),
    "cow": ("vache", "f", ""), "elephant": ("éléphant", "m", ""), "bear": ("ours", "m", "ours"),
    "zebra": ("zèbre", "m", ""), "giraffe": ("girafe", "f", ""), "backpack": ("sac à dos", "m", "sacs à dos"),
    "umbrella": ("parapluie", "m", ""), "handbag": ("sac à main", "m", "sacs à main"),
    "tie": ("cravate", "f", ""), "suitcase": ("valise", "f", ""), "frisbee": ("frisbee", "m", ""),
    "skis": ("paire de skis", "f", "paires de skis"), "snowboard": ("snowboard", "m", ""),
    "sports ball": ("ballon de sport", "m", "ballons de sport"),
    "kite": ("cerf-volant", "m", "cerfs-volants"),
    "baseball bat": ("batte de baseball", "f", "battes de baseball"),
    "baseball glove": ("gant de baseball", "m", "gants de baseball"), "skateboard": ("skateboard", "m", ""),
    "surfboard": ("planche de surf", "f", "planches de surf"),
    "tennis racket": ("raquette de tennis", "f", "raquettes de tennis"), "bottle": ("bouteille", "f", ""),
    "wine glass": ("verre à vin", "m", "verres à vin"), "cup": ("tasse", "f", ""),
    "fork": ("fourchette", "f", ""), "knife": ("couteau", "m", "couteaux"), "spoon": ("cuillère", "f", ""),
    "bowl": ("bol", "m", ""), "banana": ("banane", "f", ""), "apple": ("pomme", "f", ""),
    "sandwich": ("sandwich", "m", ""), "orange": ("orange", "f", ""), "broccoli": ("brocoli", "m", ""),
    "carrot": ("carotte", "f", ""), "hot dog": ("hot-dog", "m", ""), "pizza": ("pizza", "f", ""),
    "donut": ("beignet", "m", ""), "cake": ("gâteau", "m", "gâteaux"), "chair": ("chaise", "f", ""),
    "couch": ("canapé", "m", ""), "potted plant": ("plante en pot", "f", "plantes en pot"),
    "bed": ("lit", "m", ""), "dining table": ("table à manger", "f", "tables à manger"),
    "toilet": ("cuvette de toilettes", "f", "cuvettes de toilettes"), "tv": ("téléviseur", "m", ""),
    "laptop": ("ordinateur portable", "m", "ordinateurs portables"),
    "computer mouse": ("souris d'ordinateur", "f", "souris d'ordinateur"),
    "tv remote": ("télécommande", "f", ""),
    "computer keyboard": ("clavier d'ordinateur", "m", "claviers d'ordinateur"),
    "cell phone": ("téléphone portable", "m", "téléphones portables"),
    "microwave": ("micro-ondes", "m", "micro-ondes"), "oven": ("four", "m", ""),
    "toaster": ("grille-pain", "m", "grille-pain"), "sink": ("évier", "m", ""),
    "refrigerator": ("réfrigérateur", "m", ""), "book": ("livre", "m", ""), "clock": ("horloge", "f", ""),
    "vase": ("vase", "m", ""), "scissors": ("paire de ciseaux", "f", "paires de ciseaux"),
    "teddy bear": ("ours en peluche", "m", "ours en peluche"),
    "hair drier": ("sèche-cheveux", "m", "sèche-cheveux"),
    "toothbrush": ("brosse à dents", "f", "brosses à dents"),
    # shapes world
    "circle": ("cercle", "m", ""), "square": ("carré", "m", ""), "triangle": ("triangle", "m", ""),
    "star": ("étoile", "f", ""), "hexagon": ("hexagone", "m", ""), "cross": ("croix", "f", "croix"),
}
# colour -> (masculine, feminine); orange and marron are invariable.
COLORS = {"red": ("rouge", "rouge"), "orange": ("orange", "orange"), "yellow": ("jaune", "jaune"),
          "green": ("vert", "verte"), "blue": ("bleu", "bleue"), "purple": ("violet", "violette"),
          "pink": ("rose", "rose"), "brown": ("marron", "marron"), "black": ("noir", "noire"),
          "white": ("blanc", "blanche")}
NUMBERS = {2: "deux", 3: "trois", 4: "quatre"}
# relation -> (words, whether "de" joins its object): "à gauche d'un chien", "sous un chien"
RELATIONS = {"left of": ("à gauche", True), "right of": ("à droite", True), "above": ("au-dessus", True),
             "below": ("sous", False)}


def entry(cls: str) -> dict:
    sg, g, pl = NOUNS[cls]
    return {"sg": sg, "pl": pl or sg + "s", "g": g}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"] if n == 1 else e["pl"]


def de(phrase: str) -> str:
    """"de" + phrase, elided before a vowel ("d'un chat")."""
    return f"d'{phrase}" if phrase[:1].lower() in "aeiouyéèê" else f"de {phrase}"


def _np(e: dict, count: int, color: str | None) -> str:
    if count != 1:
        return f"{NUMBERS[count]} {e['pl']}"
    art = "une" if e["g"] == "f" else "un"
    adj = f" {COLORS[color][e['g'] == 'f']}" if color else ""
    return f"{art} {e['sg']}{adj}"


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        a, b = _np(entry(o[0].cls), 1, None), _np(entry(o[1].cls), 1, None)
        words, with_de = RELATIONS[scene.relation]
        return f"une photo {de(a)} {words} {de(b) if with_de else b}"
    return "une photo " + " et ".join(de(_np(entry(x.cls), x.count, x.color)) for x in o)
