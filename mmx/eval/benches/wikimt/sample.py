"""wikimt's built-in default: eight short tunes written for mmx, one per WikiMT genre, in
WikiMT's record format (title, artist, genre, music, text).

They are **not** WikiMT: they exist so that ``mmx eval --bench wikimt`` runs offline and shows
the format; their numbers mean nothing. WikiMT itself is read with ``--data PATH`` (its
JSON file from the CLaMP repository, or the JSON lines of ``sander-wood/wikimusictext``).
"""

from __future__ import annotations

_HEAD = "X:1\nL:1/8\nM:{m}\nK:{k}\n"

SAMPLE: list[dict[str, str]] = [
    {"title": "Bright Window", "artist": "mmx sample", "genre": "Pop",
     "music": _HEAD.format(m="4/4", k="C") + '"C" E2 G2 c2 G2 |"G" B2 d2 B2 G2 |"Am" A2 c2 e2 c2 |"F" A4 G4 |\n'
     '"C" E2 G2 c2 G2 |"G" B2 d2 g2 d2 |"F" c2 A2 G2 F2 |"C" E8 |]',
     "text": "A made-up pop tune in C major: a four-chord loop under a bright, repetitive hook."},
    {"title": "Late Set", "artist": "mmx sample", "genre": "Jazz",
     "music": _HEAD.format(m="4/4", k="F") + '"Gm7" d2 f2 "C7" e_e d2 |"Fmaj7" c6 z2 |"Bb7" _A2 c2 d2 f2 |'
     '"E7" ^G6 z2 |\n"Am7" e2 c2 "D7" ^f2 =f2 |"Gm7" d4 "C7" _B4 |"F6" A8 |]',
     "text": "A made-up jazz tune: swung eighth notes over a ii-V-I progression with altered dominant chords."},
    {"title": "Dust Road", "artist": "mmx sample", "genre": "Country",
     "music": _HEAD.format(m="3/4", k="G") + '"G" D2 G2 B2 |"G" d4 B2 |"C" c2 e2 c2 |"G" B4 G2 |\n'
     '"D" A2 B2 c2 |"D" d4 A2 |"G" B2 A2 G2 |"G" G6 |]',
     "text": "A made-up country waltz in G major with a plain, singable melody over three chords."},
    {"title": "Slow Burn", "artist": "mmx sample", "genre": "R&B",
     "music": _HEAD.format(m="4/4", k="Eb") + '"Ebmaj7" z2 G2 B2 c2 |"Cm7" B3 G- G4 |"Abmaj7" z2 c2 e2 f2 |'
     '"Bb7" e3 c- c4 |\n"Gm7" d2 B2 G2 F2 |"Cm7" G4 z4 |"Ab" E2 F2 "Bb" G2 A2 |"Eb" B8 |]',
     "text": "A made-up R&B ballad in E-flat: syncopated vocal phrases over seventh chords at a slow tempo."},
    {"title": "Overdrive", "artist": "mmx sample", "genre": "Rock",
     "music": _HEAD.format(m="4/4", k="E") + '"E5" E2 E2 G2 A2 |"A5" A2 A2 B2 c2 |"D5" d2 d2 c2 A2 |"E5" E8 |\n'
     '"E5" E2 G2 A2 B2 |"G5" d2 B2 G2 E2 |"A5" A4 "B5" B4 |"E5" E8 |]',
     "text": "A made-up rock riff on power chords in E, driving straight eighth notes."},
    {"title": "The Mill Stream", "artist": "mmx sample", "genre": "Folk",
     "music": _HEAD.format(m="6/8", k="D") + '|: "D" A2 F D2 F | "G" G2 B "D" A2 F | "D" A2 F D2 F | "A" E3 E3 :|\n'
     '|: "D" d2 c d2 A | "G" B2 G "D" A2 F | "G" G2 B "A" A2 c | "D" d3 d3 :|',
     "text": "A made-up folk jig in D major in two repeated strains, in the manner of a dance tune."},
    {"title": "Floor Lights", "artist": "mmx sample", "genre": "Dance",
     "music": _HEAD.format(m="4/4", k="Am") + '"Am" A,2 A2 A,2 A2 |"F" F,2 c2 F,2 c2 |"C" C2 e2 C2 e2 |'
     '"G" G,2 d2 G,2 d2 |\n"Am" a2 e2 c2 e2 |"F" f2 c2 A2 c2 |"C" g2 e2 c2 e2 |"G" d8 |]',
     "text": "A made-up dance track in A minor: an octave-bouncing bass line and a four-bar synth figure."},
    {"title": "Plaza de Noche", "artist": "mmx sample", "genre": "Latin",
     "music": _HEAD.format(m="4/4", k="Dm") + '"Dm" z D F A- A2 d2 |"A7" ^c2 e2- e2 A2 |"Dm" d3 f- f2 e2 |'
     '"Gm" d2 B2 G4 |\n"A7" E2 G2 B2 ^c2 |"Dm" d3 A- A2 F2 |"A7" E2 ^C2 E2 A2 |"Dm" D8 |]',
     "text": "A made-up Latin tune in D minor with a clave-like syncopated rhythm and a bolero feel."},
]
