"""Persian: "عکسی از ..." (a photo of ...), singular nouns after numerals, ezafe.

"عکسی از یک گربه", "عکسی از سه گربه" (Persian keeps the noun singular after a
numeral), "عکسی از یک گربهٔ قرمز" (the colour follows its noun through the ezafe:
written ـهٔ after a silent final ه, ی after a final long vowel ا/و, unwritten
otherwise), "عکسی از یک گربه سمت چپ یک سگ" (the relation is a preposition before
its reference object).

Romanized ("roman"): informal Latin Persian ("Finglish") without diacritics: ā and a
both "a", ī "i", ū "u", خ "kh", ق/غ "gh", ش "sh", چ "ch"; the ezafe written "-e"
after a consonant and "-ye" after a vowel ("gorbe-ye ghermez", "sag-e abi").
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "fa"
NAME = "Persian"
NATIVE = "فارسی"
VARIANTS = ("en-first", "en-second", "roman")
SG_FORMS = ("sg", "ez", "r_sg", "r_ez")
PL_FORMS = ()

# English class -> (Persian, romanized, ezafe form when the rule gives the wrong one)
NOUNS: dict[str, tuple[str, str] | tuple[str, str, str]] = {
    "person": ("شخص", "shakhs"), "bicycle": ("دوچرخه", "docharkhe"), "car": ("ماشین", "mashin"),
    "motorcycle": ("موتورسیکلت", "motorsiklet"), "airplane": ("هواپیما", "havapeyma"),
    "bus": ("اتوبوس", "otobus"), "train": ("قطار", "ghatar"), "truck": ("کامیون", "kamiyon"),
    "boat": ("قایق", "ghayegh"), "traffic light": ("چراغ راهنمایی", "cheragh rahnamayi"),
    "fire hydrant": ("شیر آتش‌نشانی", "shir atash-neshani"), "stop sign": ("تابلوی ایست", "tablo-ye ist"),
    "parking meter": ("پارکومتر", "parkometr"), "bench": ("نیمکت", "nimkat"), "bird": ("پرنده", "parande"),
    "cat": ("گربه", "gorbe"), "dog": ("سگ", "sag"), "horse": ("اسب", "asb"), "sheep": ("گوسفند", "gusfand"),
    "cow": ("گاو", "gav", "گاو"), "elephant": ("فیل", "fil"), "bear": ("خرس", "khers"),
    "zebra": ("گورخر", "gurkhar"), "giraffe": ("زرافه", "zarafe"), "backpack": ("کوله‌پشتی", "kule-poshti"),
    "umbrella": ("چتر", "chatr"), "handbag": ("کیف دستی", "kif dasti"), "tie": ("کراوات", "keravat"),
    "suitcase": ("چمدان", "chamedan"), "frisbee": ("فریزبی", "frisbi"),
    "skis": ("جفت چوب اسکی", "joft chub eski"), "snowboard": ("اسنوبورد", "esnobord"),
    "sports ball": ("توپ", "tup"), "kite": ("بادبادک", "badbadak"), "baseball bat": ("چوب بیسبال", "chub beysbal"),
    "baseball glove": ("دستکش بیسبال", "dastkesh beysbal"), "skateboard": ("اسکیت‌برد", "eskeyt-bord"),
    "surfboard": ("تختهٔ موج‌سواری", "takhte-ye moj-savari"), "tennis racket": ("راکت تنیس", "raket tenis"),
    "bottle": ("بطری", "botri"), "wine glass": ("جام شراب", "jam sharab"), "cup": ("فنجان", "fenjan"),
    "fork": ("چنگال", "changal"), "knife": ("چاقو", "chaghu"), "spoon": ("قاشق", "ghashogh"),
    "bowl": ("کاسه", "kase"), "banana": ("موز", "moz"), "apple": ("سیب", "sib"), "sandwich": ("ساندویچ", "sandevich"),
    "orange": ("پرتقال", "porteghal"), "broccoli": ("کلم بروکلی", "kalam brokoli"), "carrot": ("هویج", "havij"),
    "hot dog": ("هات‌داگ", "hot-dog"), "pizza": ("پیتزا", "pitza"), "donut": ("دونات", "donat"),
    "cake": ("کیک", "keyk"), "chair": ("صندلی", "sandali"), "couch": ("کاناپه", "kanape"),
    "potted plant": ("گیاه گلدانی", "giyah goldani"), "bed": ("تخت", "takht"),
    "dining table": ("میز ناهارخوری", "miz naharkhori"), "toilet": ("توالت", "toalet"),
    "tv": ("تلویزیون", "televiziyon"), "laptop": ("لپ‌تاپ", "laptop"), "computer mouse": ("ماوس", "maus"),
    "tv remote": ("کنترل تلویزیون", "kontrol televiziyon"), "computer keyboard": ("کیبورد", "kibord"),
    "cell phone": ("تلفن همراه", "telefon hamrah"), "microwave": ("مایکروویو", "maykroweyv", "مایکروویو"),
    "oven": ("فر", "fer"), "toaster": ("توستر", "toster"), "sink": ("سینک", "sink"),
    "refrigerator": ("یخچال", "yakhchal"), "book": ("کتاب", "ketab"), "clock": ("ساعت", "saat"),
    "vase": ("گلدان", "goldan"), "scissors": ("قیچی", "gheychi"), "teddy bear": ("خرس عروسکی", "khers arusaki"),
    "hair drier": ("سشوار", "seshvar"), "toothbrush": ("مسواک", "mesvak"),
    # shapes world
    "circle": ("دایره", "dayere"), "square": ("مربع", "morabba"), "triangle": ("مثلث", "mosallas"),
    "star": ("ستاره", "setare"), "hexagon": ("شش‌ضلعی", "shesh-zeli"), "cross": ("صلیب", "salib"),
}
# In the romanized column a space inside a compound stands for its own (unwritten)
# ezafe: "cheragh rahnamayi" is read cheragh-e rahnamayi; the prompt writes it out.
COLORS = {"red": ("قرمز", "ghermez"), "orange": ("نارنجی", "narenji"), "yellow": ("زرد", "zard"),
          "green": ("سبز", "sabz"), "blue": ("آبی", "abi"), "purple": ("بنفش", "banafsh"),
          "pink": ("صورتی", "surati"), "brown": ("قهوه‌ای", "ghahve-i"), "black": ("سیاه", "siah"),
          "white": ("سفید", "sefid")}
NUMBERS = {1: ("یک", "yek"), 2: ("دو", "do"), 3: ("سه", "se"), 4: ("چهار", "chahar")}
# prepositions before the reference object
RELATIONS = {"left of": ("سمت چپ", "samt-e chap-e"), "right of": ("سمت راست", "samt-e rast-e"),
             "above": ("بالای", "bala-ye"), "below": ("زیر", "zir-e")}
FRAME = {"native": ("عکسی از", "و"), "roman": ("aksi az", "va")}


def _ezafe(word: str) -> str:
    if word.endswith("ه") and not word.endswith("اه"):
        return word + "ٔ"
    if word.endswith(("ا", "و")):
        return word + "ی"
    return word


def _rom_compound(rom: str) -> str:
    # "cheragh rahnamayi" -> "cheragh-e rahnamayi": the compound's own ezafe
    words = rom.split(" ")
    return " ".join(_rom_ezafe(w) for w in words[:-1]) + (" " if len(words) > 1 else "") + words[-1]


def _rom_ezafe(word: str) -> str:
    if word.endswith("-ye") or word.endswith("-e"):
        return word
    return word + ("-ye" if word[-1] in "aeiou" else "-e")


def entry(cls: str) -> dict:
    fa, rom, *ez = NOUNS[cls]
    r_sg = _rom_compound(rom) if cls != "skis" else "joft chub-e eski"
    return {"sg": fa, "ez": ez[0] if ez else _ezafe(fa), "r_sg": r_sg, "r_ez": _rom_ezafe(r_sg)}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"]


def _np(e: dict, count: int, color: str | None, script: str) -> str:
    roman = script == "roman"
    r = "r_" if roman else ""
    num = NUMBERS[count][roman]
    if color:
        return f"{num} {e[r + 'ez']} {COLORS[color][roman]}"
    return f"{num} {e[r + 'sg']}"


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    roman = script == "roman"
    photo, conj = FRAME[script]
    if scene.tag == "position":
        a, b = _np(entry(o[0].cls), 1, None, script), _np(entry(o[1].cls), 1, None, script)
        return f"{photo} {a} {RELATIONS[scene.relation][roman]} {b}"
    return f"{photo} " + f" {conj} ".join(_np(entry(x.cls), x.count, x.color, script) for x in o)
