"""The music family's items: a pool of short ABC tunes and their descriptions in Serbian and Kazakh.

Each tune is fixed by a key (tonic and mode) and a tune type (which fixes the metre); its
melody is a seeded walk on the key's scale, eight bars long. Its description names the
type, key and metre, the facts a text-to-music retriever is trained on (CLaMP 3's
descriptions, mmx's music21 corpus templates). Written in Cyrillic by template; the
Latin forms are made by :mod:`mmx.text.alphabets` in :mod:`.families`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: tonic letter -> (Serbian Cyrillic name, Kazakh solfège name); solfège has no soft sign
#: only for these five (соль and ля do), which keeps their Kazakh Latin forms reversible
TONICS: dict[str, tuple[str, str]] = {"C": ("Ц", "до"), "D": ("Д", "ре"), "E": ("Е", "ми"), "F": ("Ф", "фа"),
                                      "B": ("Х", "си")}
#: tune type -> (metre, Serbian, Kazakh); вальс keeps its soft sign in Kazakh Cyrillic, which the
#: 2021 Latin alphabet drops: those forms fail the round trip and are reported as skipped
TYPES: dict[str, tuple[str, str, str]] = {"jig": ("6/8", "џига", "жига"), "reel": ("4/4", "рил", "рил"),
                                          "waltz": ("3/4", "валцер", "вальс"), "march": ("2/4", "марш", "марш")}
MODES: dict[str, tuple[str, str]] = {"major": ("дуру", "мажор"), "minor": ("молу", "минор")}
_EIGHTHS = {"6/8": 6, "4/4": 8, "3/4": 6, "2/4": 4}
_LETTERS = "CDEFGABcdefgab"


@dataclass(frozen=True)
class Tune:
    """One tune of the pool."""

    id: str
    tonic: str
    mode: str
    type: str
    abc: str

    @property
    def metre(self) -> str:
        return TYPES[self.type][0]


def tunes(seed: int = 0) -> list[Tune]:
    """The pool: every tonic x mode x type (40 tunes), melodies fixed by ``seed``."""
    out = []
    for tonic in TONICS:
        for mode in MODES:
            for kind, (metre, _, _) in TYPES.items():
                rng = random.Random(f"xscript-tune-{seed}-{tonic}-{mode}-{kind}")
                pos = _LETTERS.index(tonic)
                bars = []
                for _ in range(8):
                    notes = []
                    for _ in range(_EIGHTHS[metre]):
                        pos = min(max(pos + rng.choice((-2, -1, -1, 0, 1, 1, 2)), 0), len(_LETTERS) - 1)
                        notes.append(_LETTERS[pos])
                    bars.append("".join(notes))
                key = tonic + ("m" if mode == "minor" else "")
                body = " | ".join(bars[:4]) + " |\n" + " | ".join(bars[4:]) + " |]"
                abc = f"X:1\nT:{kind} in {key}\nM:{metre}\nL:1/8\nK:{key}\n{body}\n"
                out.append(Tune(id=f"{tonic}{mode[:3]}-{kind}", tonic=tonic, mode=mode, type=kind, abc=abc))
    return out


def serbian_description(t: Tune) -> str:
    """``"Џига у Д-дуру, такт 6/8"`` (minor keys in small letters, as Serbian writes them: ``а-молу``)."""
    name = TONICS[t.tonic][0]
    name = name if t.mode == "major" else name.lower()
    kind = TYPES[t.type][1]
    return f"{kind[0].upper()}{kind[1:]} у {name}-{MODES[t.mode][0]}, такт {t.metre}"


def kazakh_description(t: Tune) -> str:
    """``"Ре мажордағы марш, өлшемі 2/4"`` (a march in D major, metre 2/4)."""
    name = TONICS[t.tonic][1]
    return f"{name[0].upper()}{name[1:]} {MODES[t.mode][1]}дағы {TYPES[t.type][2]}, өлшемі {t.metre}"
