"""music21's bundled ABC tunes with descriptions written from their metadata.

The offline training and evaluation set of the tiny music-text model. Four of the ABC
collections music21 ships (its ``corpus`` folder):

- ``essen``: the Essen Folksong Collection (German, Luxembourgish, Lorraine, Chinese...
  folk songs, with region ``O:`` and genre ``R:`` fields in German);
- ``oneill``: O'Neill's Music of Ireland (1850 edition; tempo words in ``N:``);
- ``ryan``: Ryan's Mammoth Collection (1883; reels, jigs, hornpipes, ``R:``);
- ``nottingham``: the Nottingham Music Database sample music21 ships.

Each tune's **metadata** (:func:`tune_meta`) comes from its own text: key and mode
(``K:``), metre (``M:``), tune type (``R:``, or the title's last word in Ryan's), region
(``O:``), tempo (``Q:`` or O'Neill's tempo words), collection, length in bars and the
written range (lowest and highest notes, letters and octave marks without the key
signature). :func:`describe` writes it as one sentence by a template in one of
:data:`LANGUAGES` (English for training; all of them for evaluation). Every clause of
every language is a fixed template with translated vocabulary; note names stay in
scientific pitch notation (D4, B5) and numbers in ASCII digits in every language.

The **split** is by tune and fixed: a tune's place (:func:`split_of`) is a hash of its
music (the body with titles and spacing removed), so the same tune printed in two
collections never lands on both sides. Tunes whose ABC has problems
(:func:`mmx.music.abc.abc_problems`) are skipped and counted by reason.
"""

from __future__ import annotations

import glob
import hashlib
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mmx.deps import require
from mmx.errors import InputError
from mmx.music.abc import abc_problems, clean_abc, split_bars

__all__ = [
    "COLLECTIONS",
    "LANGUAGES",
    "Corpus",
    "Tune",
    "describe",
    "load_corpus",
    "split_of",
    "subset",
    "tune_meta",
]

#: collection key -> (music21 corpus folder, file glob, English name)
COLLECTIONS: dict[str, tuple[str, str]] = {
    "essen": ("essenFolksong", "*.abc"),
    "oneill": ("oneills1850", "*.abc"),
    "ryan": ("ryansMammoth", "*.abc"),
    "nottingham": ("nottingham-dataset", "*.abc"),
}
#: evaluation languages: code -> (name, script)
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "Latin"),
    "de": ("German", "Latin"),
    "fr": ("French", "Latin"),
    "ru": ("Russian", "Cyrillic"),
    "hi": ("Hindi", "Devanagari"),
    "ar": ("Arabic", "Arabic"),
    "zh": ("Chinese", "Han"),
}
#: held-out fractions of the fixed split (by the tune's music hash)
TEST_FRACTION, VAL_FRACTION = 0.08, 0.04


@dataclass
class Tune:
    """One tune: a stable id, its collection, the ABC text and its metadata."""

    id: str
    collection: str
    #: the music side (:func:`music_side`): body and playing header fields only
    abc: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def split(self) -> str:
        return split_of(self)


@dataclass
class Corpus:
    """Loaded tunes and the skipped ones, counted by reason."""

    tunes: list[Tune]
    skipped: Counter = field(default_factory=Counter)

    def split(self, name: str) -> list[Tune]:
        """The tunes of split ``train``, ``val`` or ``test``, in corpus order."""
        if name not in ("train", "val", "test"):
            raise InputError(f"split {name!r} is not train, val or test")
        return [t for t in self.tunes if split_of(t) == name]


# -- reading ---------------------------------------------------------------------------


def corpus_root() -> str:
    """music21's bundled corpus folder."""
    music21 = require("music21", "the music corpus")
    return os.path.join(os.path.dirname(music21.__file__), "corpus")


def _split_tunes(text: str) -> list[str]:
    """A multi-tune ABC file -> one text per ``X:`` header (text before the first is dropped)."""
    starts = [m.start() for m in re.finditer(r"(?m)^X:", text)]
    return [text[a:b].strip("\n") + "\n" for a, b in zip(starts, [*starts[1:], len(text)])]


def load_corpus(collections: tuple[str, ...] | list[str] = tuple(COLLECTIONS), root: str | None = None) -> Corpus:
    """Every tune of ``collections`` (keys of :data:`COLLECTIONS`) with its metadata;
    tunes with ABC problems are skipped and counted in :attr:`Corpus.skipped`."""
    unknown = [c for c in collections if c not in COLLECTIONS]
    if unknown:
        raise InputError(f"unknown music collection(s) {', '.join(unknown)}; choose from {', '.join(COLLECTIONS)}")
    root = root or corpus_root()
    tunes: list[Tune] = []
    skipped: Counter = Counter()
    for coll in collections:
        folder, pattern = COLLECTIONS[coll]
        files = sorted(glob.glob(os.path.join(root, folder, pattern)))
        if not files:
            raise InputError(f"no ABC files in {os.path.join(root, folder)}: music21's corpus is incomplete")
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            stem = os.path.splitext(os.path.basename(path))[0]
            for i, abc in enumerate(_split_tunes(text)):
                music = music_side(abc)
                problems = abc_problems(music)
                if problems:
                    skipped[problems[0].split(" (")[0].split(":")[0]] += 1
                    continue
                tunes.append(Tune(f"{coll}/{stem}/{i}", coll, music, tune_meta(abc, coll)))
    return Corpus(tunes, skipped)


#: header fields that play (kept on the music side); the others (R: rhythm, O: origin,
#: N: notes, S: source, B: book, Z: transcriber...) say what the descriptions say, so the
#: music side must not read them, and ``%`` comments name the collection
PLAYING_FIELDS = frozenset("LMKPVQ")


def music_side(abc: str) -> str:
    """What the music encoder sees of a corpus tune: the body and the header fields that
    play (:data:`PLAYING_FIELDS`); metadata fields and comments are removed."""
    out = []
    for line in abc.splitlines(keepends=True):
        m = _FIELD_RE.match(line.rstrip("\n"))
        if (m and m.group(1) not in PLAYING_FIELDS) or line.startswith("%"):
            continue
        out.append(line)
    return "".join(out)


def music_key(abc: str) -> str:
    """What identifies a tune's music: its cleaned body without spacing."""
    body = [ln for ln in clean_abc(abc).splitlines() if not re.match(r"^[A-Za-z]:", ln) and not ln.startswith("%")]
    return re.sub(r"\s+", "", "".join(body))


def subset(tunes: list[Tune], n: int | None) -> list[Tune]:
    """A fixed subset of ``n`` tunes (all when ``n`` is None), in the given order: the
    first ``n`` by a hash of the id, so the same tunes whatever the corpus order (the
    training data's held-out sets and the cross-lingual evaluation use this)."""
    if n is None or n >= len(tunes):
        return list(tunes)
    ranked = sorted(tunes, key=lambda t: hashlib.sha1(t.id.encode()).hexdigest())
    keep = {t.id for t in ranked[:n]}
    return [t for t in tunes if t.id in keep]


def split_of(tune: Tune) -> str:
    """``train``, ``val`` or ``test``: fixed by a hash of the tune's music."""
    h = int(hashlib.sha1(music_key(tune.abc).encode("utf-8")).hexdigest()[:8], 16) / 0x1_0000_0000
    if h < TEST_FRACTION:
        return "test"
    if h < TEST_FRACTION + VAL_FRACTION:
        return "val"
    return "train"


# -- metadata ----------------------------------------------------------------------------

_FIELD_RE = re.compile(r"^([A-Za-z]):\s*(.*?)\s*$")
_NOTE_RE = re.compile(r"(\^{1,2}|_{1,2}|=)?([A-Ga-g])([,']*)")
_STRIP_IN_BODY = re.compile(r'"[^"]*"|![^!]*!|\+[^+\s]*\+|\[[A-Za-z]:[^\]]*\]|%.*$', re.M)
_LETTER_SEMITONE = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_MODES = {"": "major", "maj": "major", "major": "major", "ion": "major", "m": "minor", "min": "minor",
          "minor": "minor", "aeo": "minor", "dor": "dorian", "mix": "mixolydian", "phr": "phrygian", "lyd": "lydian"}
_TYPES = (  # (pattern in R: or a Ryan title, type), most specific first
    (r"slip ?jig", "slip jig"), (r"double jig|\bjig", "jig"), (r"\breel", "reel"), (r"hornpipe", "hornpipe"),
    (r"strathspey", "strathspey"), (r"highland fling|\bfling", "fling"), (r"\bclog", "clog"),
    (r"polka", "polka"), (r"waltz|walzer", "waltz"), (r"march|marsch", "march"), (r"schottische", "schottische"),
    (r"mazurka", "mazurka"), (r"\bair\b", "air"), (r"ballade|romanze", "ballad"), (r"liebe", "love song"),
    (r"kinder", "children's song"), (r"religi|geistlich", "religious song"), (r"soldaten|kriegs", "soldiers' song"),
    (r"tanz|reigen|wuge", "dance song"), (r"trink", "drinking song"), (r"abschied", "farewell song"),
    (r"jaeger", "hunting song"), (r"wiegen", "lullaby"), (r"klage", "lament"), (r"xiaodiao", "xiaodiao"),
    (r"shange", "shan'ge"), (r"lied|song", "song"),
)
_REGIONS = (  # German (Essen) or English word -> region
    ("deutschland", "Germany"), ("brd", "Germany"), ("ddr", "Germany"), ("luxemburg", "Luxembourg"),
    ("lothringen", "France"), ("elsass", "France"), ("frankreich", "France"), ("irland", "Ireland"),
    ("island", "Iceland"), ("china", "China"), ("jugoslawien", "Yugoslavia"), ("gottschee", "Yugoslavia"),
    ("oesterreich", "Austria"), ("tirol", "Austria"), ("schweiz", "Switzerland"), ("niederlande", "Netherlands"),
    ("polen", "Poland"), ("udssr", "Russia"), ("russland", "Russia"), ("ungarn", "Hungary"),
    ("tschechoslowakei", "Czechoslovakia"), ("boehmen", "Czechoslovakia"), ("daenemark", "Denmark"),
    ("schweden", "Sweden"), ("italien", "Italy"), ("rumaenien", "Romania"), ("scottish", "Scotland"),
)


def _fields(abc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in abc.splitlines():
        m = _FIELD_RE.match(line)
        if m and m.group(1) not in out:
            out[m.group(1)] = m.group(2).strip('"')
        if m and m.group(1) == "K":
            break
    return out


def _key(k: str) -> tuple[str, str] | None:
    m = re.match(r"^([A-Ga-g])([#b]?)\s*([A-Za-z]*)", k.strip())
    if not m or k.strip().lower().startswith(("none", "hp")):
        return None
    mode = _MODES.get(m.group(3).lower()[:3] if m.group(3).lower() not in _MODES else m.group(3).lower())
    if mode is None:
        return None
    return m.group(1).upper() + m.group(2), mode


def _metre(m: str) -> str | None:
    m = m.strip()
    if m == "C":
        return "4/4"
    if m == "C|":
        return "2/2"
    return m if re.fullmatch(r"\d+/\d+", m) else None


def _tempo(fields: dict[str, str], abc: str) -> str | None:
    q = fields.get("Q", "")
    bpm = re.search(r"=\s*(\d+)", q) or re.fullmatch(r"\s*(\d+)\s*", q)
    if bpm:
        v = int(bpm.group(1))
        return "slow" if v < 80 else "moderate" if v <= 120 else "fast"
    words = " ".join(re.findall(r"(?m)^N:(.*)$", abc)).lower()
    if re.search(r"\bslow", words):
        return "slow"
    if re.search(r"moderat", words):
        return "moderate"
    if re.search(r"lively|quick|fast|brisk|spirit|allegro", words):
        return "fast"
    return None


def _notes(body: str) -> list[tuple[int, str]]:
    """(pitch, written name) of every note in the body: C = 60 (C4), c = 72, ``,`` and
    ``'`` shift octaves, ``^`` / ``_`` raise and lower (the key signature is ignored)."""
    out = []
    for acc, letter, octs in _NOTE_RE.findall(_STRIP_IN_BODY.sub(" ", body)):
        octave = 4 + (letter.islower()) + octs.count("'") - octs.count(",")
        shift = {"^": 1, "^^": 2, "_": -1, "__": -2}.get(acc, 0)
        pitch = 12 * (octave + 1) + _LETTER_SEMITONE[letter.upper()] + shift
        name = letter.upper() + {"^": "#", "^^": "##", "_": "b", "__": "bb"}.get(acc, "") + str(octave)
        out.append((pitch, name))
    return out


def tune_meta(abc: str, collection: str) -> dict[str, Any]:
    """The metadata :func:`describe` writes about: collection, key, mode, metre, tune
    type, region, tempo, bars, lowest and highest written notes (absent ones left out)."""
    f = _fields(abc)
    meta: dict[str, Any] = {"collection": collection}
    key = _key(f.get("K", ""))
    if key:
        meta["key"], meta["mode"] = key
    metre = _metre(f.get("M", ""))
    if metre:
        meta["metre"] = metre
    typ_src = f.get("R", "")
    if collection == "ryan" and not typ_src:
        typ_src = f.get("T", "").split("--")[-1]
    if collection == "nottingham" and not typ_src:
        typ_src = "reel"  # music21 ships the Nottingham reels file only
    for pattern, name in _TYPES:
        if re.search(pattern, typ_src.lower()):
            meta["type"] = name
            break
    origin = (f.get("O", "") + " " + f.get("S", "")).lower()
    if collection == "oneill":
        meta["region"] = "Ireland"
    else:
        parts = [p.strip() for p in re.split(r"[,;/]", origin) if p.strip()]
        for part in reversed(parts):
            hit = next((r for w, r in _REGIONS if w in part), None)
            if hit:
                meta["region"] = hit
                break
    tempo = _tempo(f, abc)
    if tempo:
        meta["tempo"] = tempo
    body = "\n".join(ln for ln in clean_abc(abc).splitlines() if not _FIELD_RE.match(ln))
    bars = sum(len(split_bars(ln + "\n")) for ln in body.splitlines())
    if bars:
        meta["bars"] = bars
    notes = _notes(body)
    if notes:
        meta["low"], meta["high"] = min(notes)[1], max(notes)[1]
    return meta


# -- descriptions ------------------------------------------------------------------------

#: per language: tune types, modes, regions, collections, tempo words, note-name letters
#: (a tonic's name), and the clause templates
_VOCAB: dict[str, dict[str, Any]] = {
    "en": {
        "types": {}, "modes": {}, "regions": {}, "tempo": {"slow": "slow", "moderate": "moderate", "fast": "lively"},
        "collections": {"essen": "the Essen Folksong Collection", "oneill": "O'Neill's Music of Ireland",
                        "ryan": "Ryan's Mammoth Collection", "nottingham": "the Nottingham Music Database"},
        "notes": {}, "sharp": " sharp", "flat": " flat",
        "clauses": {"head": "A {tempo}{type} in {key} {mode}", "type_default": "tune", "metre": "in {metre} time",
                    "region": "from {region}", "bars": "{bars} bars long", "range": "ranging from {low} to {high}",
                    "collection": "from {collection}"},
        "join": ", ", "end": ".",
    },
    "de": {
        "types": {"reel": "Reel", "jig": "Jig", "slip jig": "Slip Jig", "hornpipe": "Hornpipe", "strathspey": "Strathspey",
                  "fling": "Fling", "clog": "Clog", "polka": "Polka", "waltz": "Walzer", "march": "Marsch",
                  "schottische": "Schottisch", "mazurka": "Mazurka", "air": "Air", "ballad": "Ballade",
                  "love song": "Liebeslied", "children's song": "Kinderlied", "religious song": "geistliches Lied",
                  "soldiers' song": "Soldatenlied", "dance song": "Tanzlied", "drinking song": "Trinklied",
                  "farewell song": "Abschiedslied", "hunting song": "Jägerlied", "lullaby": "Wiegenlied",
                  "lament": "Klagelied", "xiaodiao": "Xiaodiao", "shan'ge": "Shan'ge", "song": "Lied", "tune": "Melodie"},
        "modes": {"major": "Dur", "minor": "Moll", "dorian": "Dorisch", "mixolydian": "Mixolydisch",
                  "phrygian": "Phrygisch", "lydian": "Lydisch"},
        "regions": {"Germany": "Deutschland", "Luxembourg": "Luxemburg", "France": "Frankreich", "Ireland": "Irland",
                    "Iceland": "Island", "China": "China", "Yugoslavia": "Jugoslawien", "Austria": "Österreich",
                    "Switzerland": "der Schweiz", "Netherlands": "den Niederlanden", "Poland": "Polen",
                    "Russia": "Russland", "Hungary": "Ungarn", "Czechoslovakia": "der Tschechoslowakei",
                    "Denmark": "Dänemark", "Sweden": "Schweden", "Italy": "Italien", "Romania": "Rumänien",
                    "Scotland": "Schottland"},
        "tempo": {"slow": "langsam", "moderate": "mäßig", "fast": "lebhaft"},
        "collections": {"essen": "der Essener Volksliedsammlung", "oneill": "O'Neills Musik Irlands",
                        "ryan": "Ryans Mammutsammlung", "nottingham": "der Nottinghamer Musikdatenbank"},
        "notes": {"B": "H", "Bb": "B"}, "sharp": "is", "flat": "es",
        "clauses": {"head": "{type_cap} in {key}-{mode}", "type_default": "Melodie", "tempo": "{tempo}",
                    "metre": "im {metre}-Takt", "region": "aus {region}", "bars": "{bars} Takte lang",
                    "range": "Umfang von {low} bis {high}", "collection": "aus {collection}"},
        "join": ", ", "end": ".",
    },
    "fr": {
        "types": {"reel": "reel", "jig": "gigue", "slip jig": "slip jig", "hornpipe": "hornpipe", "strathspey": "strathspey",
                  "fling": "fling", "clog": "clog", "polka": "polka", "waltz": "valse", "march": "marche",
                  "schottische": "scottish", "mazurka": "mazurka", "air": "air", "ballad": "ballade",
                  "love song": "chanson d'amour", "children's song": "chanson enfantine", "religious song": "chant religieux",
                  "soldiers' song": "chanson de soldats", "dance song": "chanson à danser", "drinking song": "chanson à boire",
                  "farewell song": "chanson d'adieu", "hunting song": "chanson de chasse", "lullaby": "berceuse",
                  "lament": "complainte", "xiaodiao": "xiaodiao", "shan'ge": "shan'ge", "song": "chanson", "tune": "mélodie"},
        "modes": {"major": "majeur", "minor": "mineur", "dorian": "dorien", "mixolydian": "mixolydien",
                  "phrygian": "phrygien", "lydian": "lydien"},
        "regions": {"Germany": "d'Allemagne", "Luxembourg": "du Luxembourg", "France": "de France", "Ireland": "d'Irlande",
                    "Iceland": "d'Islande", "China": "de Chine", "Yugoslavia": "de Yougoslavie", "Austria": "d'Autriche",
                    "Switzerland": "de Suisse", "Netherlands": "des Pays-Bas", "Poland": "de Pologne", "Russia": "de Russie",
                    "Hungary": "de Hongrie", "Czechoslovakia": "de Tchécoslovaquie", "Denmark": "du Danemark",
                    "Sweden": "de Suède", "Italy": "d'Italie", "Romania": "de Roumanie", "Scotland": "d'Écosse"},
        "tempo": {"slow": "lente", "moderate": "modérée", "fast": "vive"},
        "collections": {"essen": "de la collection de chants populaires d'Essen", "oneill": "de la Musique d'Irlande d'O'Neill",
                        "ryan": "de la collection Mammouth de Ryan", "nottingham": "de la base musicale de Nottingham"},
        "notes": {"C": "do", "D": "ré", "E": "mi", "F": "fa", "G": "sol", "A": "la", "B": "si"},
        "sharp": " dièse", "flat": " bémol",
        "clauses": {"head": "{type_cap} en {key} {mode}", "type_default": "mélodie", "tempo": "{tempo}",
                    "metre": "à {metre}", "region": "{region}", "bars": "longue de {bars} mesures",
                    "range": "tessiture de {low} à {high}", "collection": "{collection}"},
        "join": ", ", "end": ".",
    },
    "ru": {
        "types": {"reel": "рил", "jig": "джига", "slip jig": "слип-джига", "hornpipe": "хорнпайп", "strathspey": "стратспей",
                  "fling": "флинг", "clog": "клог", "polka": "полька", "waltz": "вальс", "march": "марш",
                  "schottische": "шотландка", "mazurka": "мазурка", "air": "напев", "ballad": "баллада",
                  "love song": "песня о любви", "children's song": "детская песня", "religious song": "духовная песня",
                  "soldiers' song": "солдатская песня", "dance song": "плясовая песня", "drinking song": "застольная песня",
                  "farewell song": "прощальная песня", "hunting song": "охотничья песня", "lullaby": "колыбельная",
                  "lament": "плач", "xiaodiao": "сяодяо", "shan'ge": "шаньгэ", "song": "песня", "tune": "мелодия"},
        "modes": {"major": "мажор", "minor": "минор", "dorian": "дорийский лад", "mixolydian": "миксолидийский лад",
                  "phrygian": "фригийский лад", "lydian": "лидийский лад"},
        "regions": {"Germany": "Германии", "Luxembourg": "Люксембурга", "France": "Франции", "Ireland": "Ирландии",
                    "Iceland": "Исландии", "China": "Китая", "Yugoslavia": "Югославии", "Austria": "Австрии",
                    "Switzerland": "Швейцарии", "Netherlands": "Нидерландов", "Poland": "Польши", "Russia": "России",
                    "Hungary": "Венгрии", "Czechoslovakia": "Чехословакии", "Denmark": "Дании", "Sweden": "Швеции",
                    "Italy": "Италии", "Romania": "Румынии", "Scotland": "Шотландии"},
        "tempo": {"slow": "медленно", "moderate": "умеренно", "fast": "оживлённо"},
        "collections": {"essen": "Эссенского собрания народных песен", "oneill": "сборника О'Нила «Музыка Ирландии»",
                        "ryan": "«Мамонтового сборника» Райана", "nottingham": "Ноттингемской музыкальной базы"},
        "notes": {"C": "до", "D": "ре", "E": "ми", "F": "фа", "G": "соль", "A": "ля", "B": "си"},
        "sharp": "-диез", "flat": "-бемоль",
        "clauses": {"head": "{type_cap}, {key} {mode}", "type_default": "мелодия", "tempo": "темп: {tempo}",
                    "metre": "размер {metre}", "region": "из {region}", "bars": "{bars} тактов",
                    "range": "диапазон от {low} до {high}", "collection": "из {collection}"},
        "join": ", ", "end": ".",
    },
    "hi": {
        "types": {"reel": "रील", "jig": "जिग", "slip jig": "स्लिप जिग", "hornpipe": "हॉर्नपाइप", "strathspey": "स्ट्रैथस्पे",
                  "fling": "फ़्लिंग", "clog": "क्लॉग", "polka": "पोल्का", "waltz": "वाल्ट्ज़", "march": "मार्च",
                  "schottische": "शॉटिश", "mazurka": "माज़ुर्का", "air": "धुन", "ballad": "गाथा-गीत",
                  "love song": "प्रेम गीत", "children's song": "बाल गीत", "religious song": "भक्ति गीत",
                  "soldiers' song": "सैनिक गीत", "dance song": "नृत्य गीत", "drinking song": "मदिरा गीत",
                  "farewell song": "विदाई गीत", "hunting song": "शिकार गीत", "lullaby": "लोरी", "lament": "विलाप गीत",
                  "xiaodiao": "शियाओदियाओ", "shan'ge": "शान-गे", "song": "गीत", "tune": "धुन"},
        "modes": {"major": "मेजर", "minor": "माइनर", "dorian": "डोरियन", "mixolydian": "मिक्सोलिडियन",
                  "phrygian": "फ़्रिजियन", "lydian": "लिडियन"},
        "regions": {"Germany": "जर्मनी", "Luxembourg": "लक्ज़मबर्ग", "France": "फ़्रांस", "Ireland": "आयरलैंड",
                    "Iceland": "आइसलैंड", "China": "चीन", "Yugoslavia": "यूगोस्लाविया", "Austria": "ऑस्ट्रिया",
                    "Switzerland": "स्विट्ज़रलैंड", "Netherlands": "नीदरलैंड", "Poland": "पोलैंड", "Russia": "रूस",
                    "Hungary": "हंगरी", "Czechoslovakia": "चेकोस्लोवाकिया", "Denmark": "डेनमार्क", "Sweden": "स्वीडन",
                    "Italy": "इटली", "Romania": "रोमानिया", "Scotland": "स्कॉटलैंड"},
        "tempo": {"slow": "धीमी", "moderate": "मध्यम", "fast": "तेज़"},
        "collections": {"essen": "एसेन लोकगीत संग्रह", "oneill": "ओ'नील के आयरलैंड के संगीत",
                        "ryan": "रायन के विशाल संग्रह", "nottingham": "नॉटिंघम संगीत डेटाबेस"},
        "notes": {}, "sharp": " शार्प", "flat": " फ़्लैट",
        "clauses": {"head": "{key} {mode} में एक {type}", "type_default": "धुन", "tempo": "{tempo} गति",
                    "metre": "{metre} ताल", "region": "{region} से", "bars": "{bars} बार लंबी",
                    "range": "{low} से {high} तक का विस्तार", "collection": "{collection} से"},
        "join": ", ", "end": "।",
    },
    "ar": {
        "types": {"reel": "ريل", "jig": "جيغ", "slip jig": "سليب جيغ", "hornpipe": "هورنبايب", "strathspey": "ستراثسبي",
                  "fling": "فلينغ", "clog": "كلوغ", "polka": "بولكا", "waltz": "فالس", "march": "مارش",
                  "schottische": "شوتيش", "mazurka": "مازوركا", "air": "لحن", "ballad": "أغنية قصصية",
                  "love song": "أغنية حب", "children's song": "أغنية أطفال", "religious song": "ترنيمة دينية",
                  "soldiers' song": "أغنية جنود", "dance song": "أغنية رقص", "drinking song": "أغنية شراب",
                  "farewell song": "أغنية وداع", "hunting song": "أغنية صيد", "lullaby": "تهويدة", "lament": "مرثية",
                  "xiaodiao": "شياودياو", "shan'ge": "شان غه", "song": "أغنية", "tune": "لحن"},
        "modes": {"major": "الكبير", "minor": "الصغير", "dorian": "الدوري", "mixolydian": "الميكسوليدي",
                  "phrygian": "الفريجي", "lydian": "الليدي"},
        "regions": {"Germany": "ألمانيا", "Luxembourg": "لوكسمبورغ", "France": "فرنسا", "Ireland": "أيرلندا",
                    "Iceland": "آيسلندا", "China": "الصين", "Yugoslavia": "يوغوسلافيا", "Austria": "النمسا",
                    "Switzerland": "سويسرا", "Netherlands": "هولندا", "Poland": "بولندا", "Russia": "روسيا",
                    "Hungary": "المجر", "Czechoslovakia": "تشيكوسلوفاكيا", "Denmark": "الدنمارك", "Sweden": "السويد",
                    "Italy": "إيطاليا", "Romania": "رومانيا", "Scotland": "اسكتلندا"},
        "tempo": {"slow": "بطيء", "moderate": "معتدل", "fast": "سريع"},
        "collections": {"essen": "مجموعة إيسن للأغاني الشعبية", "oneill": "موسيقى أيرلندا لأونيل",
                        "ryan": "مجموعة رايان الضخمة", "nottingham": "قاعدة بيانات نوتنغهام الموسيقية"},
        "notes": {"C": "دو", "D": "ري", "E": "مي", "F": "فا", "G": "صول", "A": "لا", "B": "سي"},
        "sharp": " دييز", "flat": " بيمول",
        "clauses": {"head": "{type} من مقام {key} {mode}", "type_default": "لحن", "tempo": "إيقاع {tempo}",
                    "metre": "بميزان {metre}", "region": "من {region}", "bars": "طوله {bars} مازورة",
                    "range": "مداه من {low} إلى {high}", "collection": "من {collection}"},
        "join": "، ", "end": ".",
    },
    "zh": {
        "types": {"reel": "里尔舞曲", "jig": "吉格舞曲", "slip jig": "滑步吉格", "hornpipe": "号笛舞曲", "strathspey": "斯特拉斯佩舞曲",
                  "fling": "高地舞曲", "clog": "木屐舞曲", "polka": "波尔卡", "waltz": "华尔兹", "march": "进行曲",
                  "schottische": "肖蒂什舞曲", "mazurka": "玛祖卡", "air": "曲调", "ballad": "叙事歌",
                  "love song": "情歌", "children's song": "儿歌", "religious song": "宗教歌曲", "soldiers' song": "士兵歌",
                  "dance song": "舞歌", "drinking song": "饮酒歌", "farewell song": "离别歌", "hunting song": "狩猎歌",
                  "lullaby": "摇篮曲", "lament": "哀歌", "xiaodiao": "小调", "shan'ge": "山歌", "song": "歌曲", "tune": "曲子"},
        "modes": {"major": "大调", "minor": "小调", "dorian": "多利亚调式", "mixolydian": "混合利底亚调式",
                  "phrygian": "弗里几亚调式", "lydian": "利底亚调式"},
        "regions": {"Germany": "德国", "Luxembourg": "卢森堡", "France": "法国", "Ireland": "爱尔兰", "Iceland": "冰岛",
                    "China": "中国", "Yugoslavia": "南斯拉夫", "Austria": "奥地利", "Switzerland": "瑞士",
                    "Netherlands": "荷兰", "Poland": "波兰", "Russia": "俄罗斯", "Hungary": "匈牙利",
                    "Czechoslovakia": "捷克斯洛伐克", "Denmark": "丹麦", "Sweden": "瑞典", "Italy": "意大利",
                    "Romania": "罗马尼亚", "Scotland": "苏格兰"},
        "tempo": {"slow": "慢速", "moderate": "中速", "fast": "快速"},
        "collections": {"essen": "埃森民歌集", "oneill": "奥尼尔《爱尔兰音乐》", "ryan": "瑞安大全集", "nottingham": "诺丁汉音乐数据库"},
        "notes": {}, "sharp": "升", "flat": "降", "accidental_first": True,
        "clauses": {"head": "一首{key}{mode}的{type}", "type_default": "曲子", "tempo": "{tempo}",
                    "metre": "{metre}拍", "region": "来自{region}", "bars": "共{bars}小节",
                    "range": "音域从{low}到{high}", "collection": "出自{collection}"},
        "join": "，", "end": "。",
    },
}
#: the order clauses are written in (the head first); English training shuffles the rest
_CLAUSES = ("tempo", "metre", "region", "bars", "range", "collection")


def _key_name(key: str, lang: str) -> str:
    v = _VOCAB[lang]
    letter, acc = key[0], key[1:]
    if lang == "de":  # German: H for B, B for B flat, -is / -es suffixes
        if key in v["notes"]:
            return v["notes"][key]
        name = v["notes"].get(letter, letter)
        if acc == "#":
            return name + "is"
        if acc == "b":
            return name + ("s" if letter in "AE" else "es")
        return name
    name = v["notes"].get(letter, letter)
    suffix = {"#": v["sharp"], "b": v["flat"]}.get(acc, "")
    return (suffix + name) if v.get("accidental_first") and suffix else name + suffix


def describe(meta: dict[str, Any], lang: str = "en", rng: random.Random | None = None, drop: float = 0.0) -> str:
    """One sentence about a tune's metadata in ``lang`` (a key of :data:`LANGUAGES`).

    With ``rng`` (English training) the clauses after the head are shuffled and each
    is dropped with probability ``drop``; without, every known clause is written in a
    fixed order, the same facts in every language.
    """
    if lang not in _VOCAB:
        raise InputError(f"no description templates for language {lang!r}; choose from {', '.join(_VOCAB)}")
    v, c = _VOCAB[lang], _VOCAB[lang]["clauses"]
    typ = meta.get("type", "tune")
    typ_word = v["types"].get(typ, typ) if lang != "en" else typ
    tempo = meta.get("tempo")
    if "key" in meta:
        mode = v["modes"].get(meta.get("mode", "major"), meta.get("mode", "major"))
        head_tpl = c["head"]
    else:
        mode = ""
        head_tpl = {"en": "A {tempo}{type}", "de": "{type_cap}", "fr": "{type_cap}", "ru": "{type_cap}",
                    "hi": "एक {type}", "ar": "{type}", "zh": "一首{type}"}[lang]
    key = _key_name(meta["key"], lang) if "key" in meta else ""
    parts: dict[str, str] = {}
    if lang == "en":
        head = head_tpl.format(tempo=(v["tempo"][tempo] + " ") if tempo else "", type=typ_word, key=key, mode=mode)
        head = re.sub(r"^A ([aeiouAEIOU])", r"An \1", head)
    else:
        head = head_tpl.format(type=typ_word, type_cap=typ_word[:1].upper() + typ_word[1:], key=key, mode=mode)
        if tempo:
            parts["tempo"] = c["tempo"].format(tempo=v["tempo"][tempo])
    if "metre" in meta:
        parts["metre"] = c["metre"].format(metre=meta["metre"])
    if "region" in meta:
        parts["region"] = c["region"].format(region=v["regions"].get(meta["region"], meta["region"]))
    if "bars" in meta:
        parts["bars"] = c["bars"].format(bars=meta["bars"])
    if "low" in meta:
        parts["range"] = c["range"].format(low=meta["low"], high=meta["high"])
    if "collection" in meta:
        parts["collection"] = c["collection"].format(collection=v["collections"][meta["collection"]])
    order = [k for k in _CLAUSES if k in parts]
    if rng is not None:
        rng.shuffle(order)
        order = [k for k in order if rng.random() >= drop]
    return v["join"].join([head, *(parts[k] for k in order)]) + v["end"]
