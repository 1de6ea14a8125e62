"""The ``ocr-table`` baseline reads fixed cards exactly as recorded, on any machine.

The main job's numbers (``mmx eval --bench mmcric``) are only as stable as what the OCR
engines read. Three cards (English, Hindi, Hindi with Devanagari digits; see
:data:`CARDS`) are drawn from a fixed seed and read with the baseline's
:class:`~mmx.eval.benches.mmcric.baseline.card_ocr.CardReader`; every box (its place and
its text, the number re-readings included) must equal ``golden/ocr_table.json``. A
machine whose engines read differently fails here, with the boxes that differ and what
differs between this machine and the one that recorded the file (CPU, versions, model
files, settings: :func:`mmx.ocr.environment.describe`), instead of printing other
numbers.

After an intended change of a reading (an engine or model upgrade, a new setting, a
change of the reading rules or of the cards' drawing), regenerate the file and commit it
with the change::

    python -m tests.eval.benches.mmcric.baseline.test_ocr_golden --regen

Without ``--regen`` the same command prints the differences, like the test.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "ocr_table.json"
REGEN = "python -m tests.eval.benches.mmcric.baseline.test_ocr_golden --regen"

#: (name, match seed, template, language, digits): one T20 match's first innings in each
#: subset, each in another template (plain, dark ground, ruled grid), so every path of
#: the reader runs (RapidOCR alone; tesseract with RapidOCR re-reading Western digits;
#: tesseract's digits-only pass). A whole card costs no more than a crop of it: the
#: detector scales the shorter side to 736 px either way.
CARDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("E-classic", "golden-0", "classic", "en", "western"),
    ("H-dark", "golden-0", "dark", "hi", "western"),
    ("HD-compact", "golden-0", "compact", "hi", "devanagari"),
)


def draw(seed: str, template: str, lang: str, digits: str) -> Any:
    """The first innings card of the T20 simulated from ``seed``."""
    from mmx.eval.benches.mmcric.draw import draw_scorecard
    from mmx.eval.benches.mmcric.match import simulate_match

    return draw_scorecard(simulate_match(random.Random(seed), "T20"), [0], template, lang, digits)


def image_digest(image: Any) -> str:
    """SHA-256 of the pixels (not of an encoding, which depends on the PNG writer)."""
    h = hashlib.sha256(f"{image.mode} {image.size}".encode())
    h.update(image.tobytes())
    return h.hexdigest()


def box_line(box: Any) -> str:
    """One box as ``x0 y0 x1 y1 | text`` (``| num ...``, ``| alt ...`` where re-read)."""
    line = f"{box.x0:g} {box.y0:g} {box.x1:g} {box.y1:g} | {box.text}"
    if box.num_text is not None:
        line += f" | num {box.num_text}"
    if box.alt_text is not None:
        line += f" | alt {box.alt_text}"
    return line


def read_all() -> dict[str, Any]:
    """What this machine draws and reads for :data:`CARDS`, and what can change that."""
    from mmx.eval.benches.mmcric.baseline.card_ocr import CardReader
    from mmx.ocr import environment

    reader = CardReader()
    cards = {}
    for name, seed, template, lang, digits in CARDS:
        image = draw(seed, template, lang, digits)
        text = reader.read(image)
        cards[name] = {"image": image_digest(image), "script": text.script, "digits": text.digits,
                       "engine": text.engine, "boxes": [box_line(b) for b in text.boxes]}
    return {"about": f"expected readings of tests/eval/benches/mmcric/baseline/test_ocr_golden.py; remake: {REGEN}",
            "environment": _environment(environment.describe()), "cards": cards}


def _environment(env: dict[str, Any]) -> dict[str, Any]:
    """The record without what says nothing about a reading (``processor`` repeats ``machine``)."""
    env = json.loads(json.dumps(env))
    env.get("cpu", {}).pop("processor", None)
    return env


def _flat(d: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(d, dict):
        return {prefix: d}
    out: dict[str, Any] = {}
    for k, v in d.items():
        out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def environment_diff(recorded: dict[str, Any], here: dict[str, Any]) -> list[str]:
    """``key: recorded -> here`` for every entry of the two environment records that differs
    (for lists such as the CPU flags: what only the recording machine has, and only this one)."""
    a, b = _flat(recorded), _flat(here)
    out = []
    for k in sorted(set(a) | set(b)):
        old, new = a.get(k), b.get(k)
        if old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            gone, added = [x for x in old if x not in new], [x for x in new if x not in old]
            out.append(f"  {k}: only there {gone or '-'}, only here {added or '-'}")
        else:
            out.append(f"  {k}: {old!r} -> {new!r}")
    return out


def differences(golden: dict[str, Any], now: dict[str, Any], max_lines: int = 40) -> list[str]:
    """Per card that differs: what (the drawing, the script, the boxes as a diff)."""
    out: list[str] = []
    for name in sorted(set(golden["cards"]) | set(now["cards"])):
        g, n = golden["cards"].get(name), now["cards"].get(name)
        if g is None or n is None:
            out.append(f"{name}: {'not in the golden file' if g is None else 'no longer read'}")
            continue
        if g == n:
            continue
        if g["image"] != n["image"]:
            out.append(f"{name}: the card is drawn differently here (fonts, Pillow or its raqm/FreeType/HarfBuzz "
                       "differ), so its reading cannot be compared")
            continue
        for key in ("script", "digits", "engine"):
            if g[key] != n[key]:
                out.append(f"{name}: {key} {g[key]!r} -> {n[key]!r}")
        diff = list(difflib.unified_diff(g["boxes"], n["boxes"], "golden", "here", n=0, lineterm=""))
        if diff:
            changed = sum(1 for d in diff[2:] if d.startswith("+"))
            out.append(f"{name}: {changed} of {len(n['boxes'])} boxes read differently:")
            out += ["    " + d for d in diff[2:][:max_lines]]
    return out


def report(golden: dict[str, Any], now: dict[str, Any]) -> str:
    """The failure message: what differs, what differs about the machine, how to remake the file."""
    lines = differences(golden, now)
    if not lines:
        return ""
    env = environment_diff(golden.get("environment", {}), now["environment"])
    return "\n".join([
        f"the ocr-table baseline reads the fixed cards differently from {GOLDEN.name}: the main job "
        "(mmx eval --bench mmcric) would print other numbers on this machine.",
        *lines,
        "what differs between the machine that recorded the file and this one:",
        *(env or ["  nothing recorded (same CPU flags, versions, model files and settings)"]),
        f"if the change is intended, remake the file with `{REGEN}` and commit it.",
    ])


# --------------------------------------------------------------------------- the test


@pytest.fixture(scope="module")
def now() -> dict[str, Any]:
    pytest.importorskip("rapidocr")
    from mmx.eval.benches.mmcric.baseline.card_ocr import hindi_tesseract_available

    if not hindi_tesseract_available():
        pytest.skip("tesseract's hin pack (through tesserocr) is not installed: the golden readings use it")
    return read_all()


def test_fixed_cards_read_as_recorded(now: dict[str, Any]) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sum(len(c["boxes"]) for c in golden["cards"].values()) > 200  # not an empty record
    message = report(golden, now)
    assert not message, message


def test_the_report_names_the_box_and_the_machine() -> None:
    """A difference is shown as the box that differs, with what differs about the machine."""
    card = {"image": "a", "script": "devanagari", "digits": "western", "engine": "tesseract+rapidocr",
            "boxes": ["20 14 286 42 | भारत बनाम पाकिस्तान", "843 114 961 144 | 160/6 (20 ओवर)"]}
    other = {**card, "boxes": [card["boxes"][0], "843 114 961 144 | 460/6 (20 ओवर)"]}
    golden = {"cards": {"H-0": card}, "environment": {"cpu": {"flags": ["avx2", "avx512f"]}}}
    here = {"cards": {"H-0": other}, "environment": {"cpu": {"flags": ["avx2"]}}}
    message = report(golden, here)
    assert "H-0: 1 of 2 boxes read differently" in message
    assert "-843 114 961 144 | 160/6 (20 ओवर)" in message and "+843 114 961 144 | 460/6 (20 ओवर)" in message
    assert "cpu.flags: only there ['avx512f'], only here -" in message
    assert REGEN in message
    assert report(golden, golden) == ""
    drawn = {"cards": {"H-0": {**card, "image": "b"}}, "environment": {}}
    assert "drawn differently" in report(golden, drawn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regen", action="store_true", help=f"rewrite {GOLDEN.name} with this machine's readings")
    args = parser.parse_args(argv)
    now = read_all()
    if args.regen:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN} ({sum(len(c['boxes']) for c in now['cards'].values())} boxes)")
        return 0
    message = report(json.loads(GOLDEN.read_text(encoding="utf-8")), now)
    print(message or f"the fixed cards read as {GOLDEN.name} records")
    return 1 if message else 0


if __name__ == "__main__":
    sys.exit(main())
