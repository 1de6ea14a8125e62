"""Russian: case after prepositions and numerals, gender agreement, no articles.

"на фотографии кошка" (on the photo [is] a cat: the object stays nominative),
"на фотографии три кошки" (2-4 take the genitive singular; два/две by gender),
"на фотографии красная кошка", "на фотографии кошка слева от собаки" (слева от /
справа от + genitive, над / под + instrumental). Nouns with an adjective take the
genitive plural adjective after 2-4 for masculine and neuter ("два обеденных стола")
and the nominative plural for feminine ("две теннисные ракетки"), as usually
written. Plural-only nouns: "ножницы" and "часы" count with collective numerals
("двое ножниц"), "лыжи" in pairs ("две пары лыж").
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "ru"
NAME = "Russian"
NATIVE = "русский"
VARIANTS = ("en-first", "en-second")
SG_FORMS = ("nom", "gen", "ins")
PL_FORMS = ("cnt",)

# English class -> (nominative, genitive, instrumental, gender m/f/n/pl[, form after 2-4]).
# "+" stands for the nominative: "+а" is nominative + "а".
NOUNS: dict[str, tuple[str, ...]] = {
    "person": ("человек", "+а", "+ом", "m"), "bicycle": ("велосипед", "+а", "+ом", "m"),
    "car": ("машина", "машины", "машиной", "f"), "motorcycle": ("мотоцикл", "+а", "+ом", "m"),
    "airplane": ("самолёт", "+а", "+ом", "m"), "bus": ("автобус", "+а", "+ом", "m"),
    "train": ("поезд", "+а", "+ом", "m"), "truck": ("грузовик", "+а", "+ом", "m"),
    "boat": ("лодка", "лодки", "лодкой", "f"), "traffic light": ("светофор", "+а", "+ом", "m"),
    "fire hydrant": ("пожарный гидрант", "пожарного гидранта", "пожарным гидрантом", "m", "пожарных гидранта"),
    "stop sign": ("знак «стоп»", "знака «стоп»", "знаком «стоп»", "m"),
    "parking meter": ("паркомат", "+а", "+ом", "m"), "bench": ("скамейка", "скамейки", "скамейкой", "f"),
    "bird": ("птица", "птицы", "птицей", "f"), "cat": ("кошка", "кошки", "кошкой", "f"),
    "dog": ("собака", "собаки", "собакой", "f"), "horse": ("лошадь", "лошади", "лошадью", "f"),
    "sheep": ("овца", "овцы", "овцой", "f"), "cow": ("корова", "коровы", "коровой", "f"),
    "elephant": ("слон", "+а", "+ом", "m"), "bear": ("медведь", "медведя", "медведем", "m"),
    "zebra": ("зебра", "зебры", "зеброй", "f"), "giraffe": ("жираф", "+а", "+ом", "m"),
    "backpack": ("рюкзак", "+а", "+ом", "m"), "umbrella": ("зонт", "+а", "+ом", "m"),
    "handbag": ("сумка", "сумки", "сумкой", "f"), "tie": ("галстук", "+а", "+ом", "m"),
    "suitcase": ("чемодан", "+а", "+ом", "m"),
    "frisbee": ("летающая тарелка", "летающей тарелки", "летающей тарелкой", "f", "летающие тарелки"),
    "skis": ("лыжи", "лыж", "лыжами", "pl", "пары лыж"), "snowboard": ("сноуборд", "+а", "+ом", "m"),
    "sports ball": ("мяч", "+а", "+ом", "m"),
    "kite": ("воздушный змей", "воздушного змея", "воздушным змеем", "m", "воздушных змея"),
    "baseball bat": ("бейсбольная бита", "бейсбольной биты", "бейсбольной битой", "f", "бейсбольные биты"),
    "baseball glove": ("бейсбольная перчатка", "бейсбольной перчатки", "бейсбольной перчаткой", "f",
                       "бейсбольные перчатки"),
    "skateboard": ("скейтборд", "+а", "+ом", "m"),
    "surfboard": ("доска для сёрфинга", "доски для сёрфинга", "доской для сёрфинга", "f", "доски для сёрфинга"),
    "tennis racket": ("теннисная ракетка", "теннисной ракетки", "теннисной ракеткой", "f", "теннисные ракетки"),
    "bottle": ("бутылка", "бутылки", "бутылкой", "f"),
    "wine glass": ("бокал для вина", "бокала для вина", "бокалом для вина", "m"),
    "cup": ("чашка", "чашки", "чашкой", "f"), "fork": ("вилка", "вилки", "вилкой", "f"),
    "knife": ("нож", "+а", "+ом", "m"), "spoon": ("ложка", "ложки", "ложкой", "f"),
    "bowl": ("миска", "миски", "миской", "f"), "banana": ("банан", "+а", "+ом", "m"),
    "apple": ("яблоко", "яблока", "яблоком", "n"), "sandwich": ("сэндвич", "+а", "+ем", "m"),
    "orange": ("апельсин", "+а", "+ом", "m"), "broccoli": ("кочан брокколи", "кочана брокколи",
                                                            "кочаном брокколи", "m"),
    "carrot": ("морковка", "морковки", "морковкой", "f"), "hot dog": ("хот-дог", "+а", "+ом", "m"),
    "pizza": ("пицца", "пиццы", "пиццей", "f"), "donut": ("пончик", "+а", "+ом", "m"),
    "cake": ("торт", "+а", "+ом", "m"), "chair": ("стул", "+а", "+ом", "m"), "couch": ("диван", "+а", "+ом", "m"),
    "potted plant": ("растение в горшке", "растения в горшке", "растением в горшке", "n"),
    "bed": ("кровать", "кровати", "кроватью", "f"),
    "dining table": ("обеденный стол", "обеденного стола", "обеденным столом", "m", "обеденных стола"),
    "toilet": ("унитаз", "+а", "+ом", "m"), "tv": ("телевизор", "+а", "+ом", "m"),
    "laptop": ("ноутбук", "+а", "+ом", "m"),
    "computer mouse": ("компьютерная мышь", "компьютерной мыши", "компьютерной мышью", "f", "компьютерные мыши"),
    "tv remote": ("пульт от телевизора", "пульта от телевизора", "пультом от телевизора", "m"),
    "computer keyboard": ("клавиатура", "клавиатуры", "клавиатурой", "f"),
    "cell phone": ("мобильный телефон", "мобильного телефона", "мобильным телефоном", "m", "мобильных телефона"),
    "microwave": ("микроволновая печь", "микроволновой печи", "микроволновой печью", "f", "микроволновые печи"),
    "oven": ("духовка", "духовки", "духовкой", "f"), "toaster": ("тостер", "+а", "+ом", "m"),
    "sink": ("раковина", "раковины", "раковиной", "f"), "refrigerator": ("холодильник", "+а", "+ом", "m"),
    "book": ("книга", "книги", "книгой", "f"), "clock": ("часы", "часов", "часами", "pl", "часов"),
    "vase": ("ваза", "вазы", "вазой", "f"), "scissors": ("ножницы", "ножниц", "ножницами", "pl", "ножниц"),
    "teddy bear": ("плюшевый мишка", "плюшевого мишки", "плюшевым мишкой", "m", "плюшевых мишки"),
    "hair drier": ("фен", "+а", "+ом", "m"),
    "toothbrush": ("зубная щётка", "зубной щётки", "зубной щёткой", "f", "зубные щётки"),
    # shapes world
    "circle": ("круг", "+а", "+ом", "m"), "square": ("квадрат", "+а", "+ом", "m"),
    "triangle": ("треугольник", "+а", "+ом", "m"), "star": ("звезда", "звезды", "звездой", "f"),
    "hexagon": ("шестиугольник", "+а", "+ом", "m"), "cross": ("крест", "+а", "+ом", "m"),
}
# colour -> nominative (masculine, feminine, neuter, plural)
COLORS = {
    "red": ("красный", "красная", "красное", "красные"),
    "orange": ("оранжевый", "оранжевая", "оранжевое", "оранжевые"),
    "yellow": ("жёлтый", "жёлтая", "жёлтое", "жёлтые"), "green": ("зелёный", "зелёная", "зелёное", "зелёные"),
    "blue": ("синий", "синяя", "синее", "синие"),
    "purple": ("фиолетовый", "фиолетовая", "фиолетовое", "фиолетовые"),
    "pink": ("розовый", "розовая", "розовое", "розовые"),
    "brown": ("коричневый", "коричневая", "коричневое", "коричневые"),
    "black": ("чёрный", "чёрная", "чёрное", "чёрные"), "white": ("белый", "белая", "белое", "белые"),
}
_GENDERS = ("m", "f", "n", "pl")
NUMBERS = {2: {"m": "два", "n": "два", "f": "две"}, 3: "три", 4: "четыре"}
COLLECTIVE = {2: "двое", 3: "трое", 4: "четверо"}
# relation -> (preposition, case of its object)
RELATIONS = {"left of": ("слева от", "gen"), "right of": ("справа от", "gen"), "above": ("над", "ins"),
             "below": ("под", "ins")}
FRAME = "на фотографии"


def entry(cls: str) -> dict:
    nom, gen, ins, g, *cnt = NOUNS[cls]
    gen = nom + gen[1:] if gen.startswith("+") else gen
    ins = nom + ins[1:] if ins.startswith("+") else ins
    e = {"nom": nom, "gen": gen, "ins": ins, "g": g, "cnt": cnt[0] if cnt else gen}
    if cls == "skis":
        e["num_g"] = "f"  # counted in pairs: "две пары лыж"
    return e


def lemma(e: dict) -> str:
    return e["nom"]


def counted(e: dict, n: int) -> str:
    return e["nom"] if n == 1 else e["cnt"]


def _numeral(e: dict, n: int) -> str:
    g = e.get("num_g", e["g"])
    if g == "pl":
        return COLLECTIVE[n]
    word = NUMBERS[n]
    return word[g] if isinstance(word, dict) else word


def _np(e: dict, count: int, color: str | None) -> str:
    if count != 1:
        return f"{_numeral(e, count)} {e['cnt']}"
    adj = f"{COLORS[color][_GENDERS.index(e['g'])]} " if color else ""
    return f"{adj}{e['nom']}"


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        prep, case = RELATIONS[scene.relation]
        return f"{FRAME} {entry(o[0].cls)['nom']} {prep} {entry(o[1].cls)[case]}"
    return f"{FRAME} " + " и ".join(_np(entry(x.cls), x.count, x.color) for x in o)
