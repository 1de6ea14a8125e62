"""Arabic (Modern Standard, unvocalized): "صورة لـ..." with gender, dual and plural.

"صورة لقطة" (li- joins the next word), "صورة لقطتين" (two: the dual, genitive),
"صورة لثلاث قطط" / "صورة لثلاثة كلاب" (3-4: the numeral takes the gender opposite
to the noun's singular, the noun a genitive plural), "صورة لقطة حمراء" (the colour
follows and agrees in gender: أحمر / حمراء), "صورة لقطة على يسار كلب",
"صورة لقطة حمراء وكلب أزرق" (wa- joins the next word). Duals and plurals are
listed per noun (broken plurals and compounds follow no single rule).
Latin words (the en-second variant) are joined as "لـ cat" / "و cat", and two of
them are counted with the numeral (Arabic marks two on the noun itself).
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "ar"
NAME = "Arabic"
NATIVE = "العربية"
VARIANTS = ("en-first", "en-second")
SG_FORMS = ("sg",)
PL_FORMS = ("dual", "pl")

# English class -> (singular, gender, dual (genitive), plural (genitive))
NOUNS: dict[str, tuple[str, str, str, str]] = {
    "person": ("شخص", "m", "شخصين", "أشخاص"), "bicycle": ("دراجة", "f", "دراجتين", "دراجات"),
    "car": ("سيارة", "f", "سيارتين", "سيارات"),
    "motorcycle": ("دراجة نارية", "f", "دراجتين ناريتين", "دراجات نارية"),
    "airplane": ("طائرة", "f", "طائرتين", "طائرات"), "bus": ("حافلة", "f", "حافلتين", "حافلات"),
    "train": ("قطار", "m", "قطارين", "قطارات"), "truck": ("شاحنة", "f", "شاحنتين", "شاحنات"),
    "boat": ("قارب", "m", "قاربين", "قوارب"), "traffic light": ("إشارة مرور", "f", "إشارتي مرور", "إشارات مرور"),
    "fire hydrant": ("صنبور إطفاء", "m", "صنبوري إطفاء", "صنابير إطفاء"),
    "stop sign": ("لافتة توقف", "f", "لافتتي توقف", "لافتات توقف"),
    "parking meter": ("عداد موقف", "m", "عدادي موقف", "عدادات موقف"), "bench": ("مقعد", "m", "مقعدين", "مقاعد"),
    "bird": ("طائر", "m", "طائرين", "طيور"), "cat": ("قطة", "f", "قطتين", "قطط"), "dog": ("كلب", "m", "كلبين", "كلاب"),
    "horse": ("حصان", "m", "حصانين", "أحصنة"), "sheep": ("خروف", "m", "خروفين", "خراف"),
    "cow": ("بقرة", "f", "بقرتين", "بقرات"), "elephant": ("فيل", "m", "فيلين", "فيلة"), "bear": ("دب", "m", "دبين", "دببة"),
    "zebra": ("حمار وحشي", "m", "حمارين وحشيين", "حمر وحشية"), "giraffe": ("زرافة", "f", "زرافتين", "زرافات"),
    "backpack": ("حقيبة ظهر", "f", "حقيبتي ظهر", "حقائب ظهر"), "umbrella": ("مظلة", "f", "مظلتين", "مظلات"),
    "handbag": ("حقيبة يد", "f", "حقيبتي يد", "حقائب يد"), "tie": ("ربطة عنق", "f", "ربطتي عنق", "ربطات عنق"),
    "suitcase": ("حقيبة سفر", "f", "حقيبتي سفر", "حقائب سفر"),
    "frisbee": ("صحن طائر", "m", "صحنين طائرين", "صحون طائرة"),
    "skis": ("زوج زلاجات", "m", "زوجي زلاجات", "أزواج زلاجات"),
    "snowboard": ("لوح تزلج على الثلج", "m", "لوحي تزلج على الثلج", "ألواح تزلج على الثلج"),
    "sports ball": ("كرة", "f", "كرتين", "كرات"), "kite": ("طائرة ورقية", "f", "طائرتين ورقيتين", "طائرات ورقية"),
    "baseball bat": ("مضرب بيسبول", "m", "مضربي بيسبول", "مضارب بيسبول"),
    "baseball glove": ("قفاز بيسبول", "m", "قفازي بيسبول", "قفازات بيسبول"),
    "skateboard": ("لوح تزلج", "m", "لوحي تزلج", "ألواح تزلج"),
    "surfboard": ("لوح ركوب الأمواج", "m", "لوحي ركوب الأمواج", "ألواح ركوب الأمواج"),
    "tennis racket": ("مضرب تنس", "m", "مضربي تنس", "مضارب تنس"), "bottle": ("زجاجة", "f", "زجاجتين", "زجاجات"),
    "wine glass": ("كأس نبيذ", "f", "كأسي نبيذ", "كؤوس نبيذ"), "cup": ("كوب", "m", "كوبين", "أكواب"),
    "fork": ("شوكة", "f", "شوكتين", "شوكات"), "knife": ("سكين", "m", "سكينين", "سكاكين"),
    "spoon": ("ملعقة", "f", "ملعقتين", "ملاعق"), "bowl": ("وعاء", "m", "وعاءين", "أوعية"),
    "banana": ("موزة", "f", "موزتين", "موزات"), "apple": ("تفاحة", "f", "تفاحتين", "تفاحات"),
    "sandwich": ("شطيرة", "f", "شطيرتين", "شطائر"), "orange": ("برتقالة", "f", "برتقالتين", "برتقالات"),
    "broccoli": ("رأس بروكلي", "m", "رأسي بروكلي", "رؤوس بروكلي"), "carrot": ("جزرة", "f", "جزرتين", "جزرات"),
    "hot dog": ("شطيرة هوت دوغ", "f", "شطيرتي هوت دوغ", "شطائر هوت دوغ"),
    "pizza": ("فطيرة بيتزا", "f", "فطيرتي بيتزا", "فطائر بيتزا"),
    "donut": ("كعكة دونات", "f", "كعكتي دونات", "كعكات دونات"), "cake": ("كعكة", "f", "كعكتين", "كعكات"),
    "chair": ("كرسي", "m", "كرسيين", "كراسي"), "couch": ("أريكة", "f", "أريكتين", "أرائك"),
    "potted plant": ("نبتة منزلية", "f", "نبتتين منزليتين", "نبتات منزلية"), "bed": ("سرير", "m", "سريرين", "أسرّة"),
    "dining table": ("طاولة طعام", "f", "طاولتي طعام", "طاولات طعام"), "toilet": ("مرحاض", "m", "مرحاضين", "مراحيض"),
    "tv": ("تلفاز", "m", "تلفازين", "أجهزة تلفاز"),
    "laptop": ("حاسوب محمول", "m", "حاسوبين محمولين", "حواسيب محمولة"),
    "computer mouse": ("فأرة حاسوب", "f", "فأرتي حاسوب", "فأرات حاسوب"),
    "tv remote": ("جهاز تحكم عن بعد", "m", "جهازي تحكم عن بعد", "أجهزة تحكم عن بعد"),
    "computer keyboard": ("لوحة مفاتيح", "f", "لوحتي مفاتيح", "لوحات مفاتيح"),
    "cell phone": ("هاتف محمول", "m", "هاتفين محمولين", "هواتف محمولة"),
    "microwave": ("فرن ميكروويف", "m", "فرني ميكروويف", "أفران ميكروويف"), "oven": ("فرن", "m", "فرنين", "أفران"),
    "toaster": ("محمصة خبز", "f", "محمصتي خبز", "محامص خبز"), "sink": ("مغسلة", "f", "مغسلتين", "مغاسل"),
    "refrigerator": ("ثلاجة", "f", "ثلاجتين", "ثلاجات"), "book": ("كتاب", "m", "كتابين", "كتب"),
    "clock": ("ساعة", "f", "ساعتين", "ساعات"), "vase": ("مزهرية", "f", "مزهريتين", "مزهريات"),
    "scissors": ("مقص", "m", "مقصين", "مقصات"), "teddy bear": ("دب محشو", "m", "دبين محشوين", "دببة محشوة"),
    "hair drier": ("مجفف شعر", "m", "مجففي شعر", "مجففات شعر"),
    "toothbrush": ("فرشاة أسنان", "f", "فرشاتي أسنان", "فرش أسنان"),
    # shapes world
    "circle": ("دائرة", "f", "دائرتين", "دوائر"), "square": ("مربع", "m", "مربعين", "مربعات"),
    "triangle": ("مثلث", "m", "مثلثين", "مثلثات"), "star": ("نجمة", "f", "نجمتين", "نجمات"),
    "hexagon": ("شكل سداسي", "m", "شكلين سداسيين", "أشكال سداسية"), "cross": ("صليب", "m", "صليبين", "صلبان"),
}
# colour -> (masculine, feminine)
COLORS = {"red": ("أحمر", "حمراء"), "orange": ("برتقالي", "برتقالية"), "yellow": ("أصفر", "صفراء"),
          "green": ("أخضر", "خضراء"), "blue": ("أزرق", "زرقاء"), "purple": ("بنفسجي", "بنفسجية"),
          "pink": ("وردي", "وردية"), "brown": ("بني", "بنية"), "black": ("أسود", "سوداء"),
          "white": ("أبيض", "بيضاء")}
# numeral -> (with a masculine noun, with a feminine noun): gender polarity for 3-4
NUMBERS = {2: ("اثنين", "اثنتين"), 3: ("ثلاثة", "ثلاث"), 4: ("أربعة", "أربع")}
RELATIONS = {"left of": "على يسار", "right of": "على يمين", "above": "فوق", "below": "تحت"}


def entry(cls: str) -> dict:
    sg, g, dual, pl = NOUNS[cls]
    return {"sg": sg, "g": g, "dual": dual, "pl": pl}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"] if n == 1 else e["dual"] if n == 2 else e["pl"]


def _join(prefix: str, word: str) -> str:
    """li- / wa- written on the next word; set off with a space before Latin letters."""
    return f"{prefix}ـ {word}" if word[:1].isascii() else prefix + word


def _np(e: dict, count: int, color: str | None) -> str:
    fem = e["g"] == "f"
    if count == 2 and not e.get("mixed"):
        return e["dual"]
    if count != 1:
        return f"{NUMBERS[count][fem]} {e['pl']}"
    return f"{e['sg']} {COLORS[color][fem]}" if color else e["sg"]


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        a, b = entry(o[0].cls)["sg"], entry(o[1].cls)["sg"]
        return f"صورة {_join('ل', a)} {RELATIONS[scene.relation]} {b}"
    first, *rest = [_np(entry(x.cls), x.count, x.color) for x in o]
    return " ".join([f"صورة {_join('ل', first)}", *(_join("و", r) for r in rest)])
