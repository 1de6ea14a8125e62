"""Tesseract time per line: mmx.ocr (tesserocr, in-process, model loaded once) against
the old path (pytesseract: a ``tesseract`` process and a model load per line), written
to docs/ocr_speed.md.

    python benchmarks/ocr_speed.py --lines 12 --out docs

Each sample sentence of mmx/assets/samples/ (the languages tesseract reads there) is
rendered with the seetok profile, as ``mmx tokens`` does; every rendered line is
prepared once (cropped, scaled as mmx.ocr.lines does) and the same pieces are read
by both paths, alternating per line so machine load hits both alike. The old path
runs as it was (no OpenMP thread limit) and once more with ``OMP_THREAD_LIMIT=1``.
pytesseract is not an mmx dependency: ``pip install pytesseract`` to run this.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from PIL import Image

from mmx.assets import samples_dir
from mmx.ocr import cer, ignores_spaces, lines, tesseract
from mmx.ocr.languages import tesseract_pack
from mmx.render.engine import Renderer
from mmx.render.profiles import get_profile
from mmx.render.tokens import language_tag

ROOT = Path(__file__).resolve().parents[1]
KEEP = "<!-- notes below are kept by benchmarks/ocr_speed.py -->"
LANGS = ("eng_Latn", "hin_Deva", "rus_Cyrl", "arb_Arab", "ell_Grek", "vie_Latn")


def pieces(code: str, n: int) -> list[tuple[str, np.ndarray]]:
    """(reference text, prepared grey piece) for the first ``n`` rendered lines of a sample."""
    profile = get_profile("seetok")
    renderer = Renderer(profile.replace(language=language_tag(code) or profile.language))
    text = (samples_dir() / f"{code}.txt").read_text(encoding="utf-8")
    out: list[tuple[str, np.ndarray]] = []
    for sentence in (s for s in text.splitlines() if s.strip()):
        res = renderer.render(sentence)
        for box in res.lines:
            crop = res.arrays[box.image][box.top : box.bottom, max(box.left - 2, 0) : box.right + 2]
            prepared = lines._prepare(lines._to_gray(crop), lines._TESSERACT_INK_HEIGHT)
            ref = sentence[box.start : box.end].strip()
            if prepared is None or not ref:
                continue
            piece = np.pad(prepared[0], ((8, 8), (16, 16)), constant_values=255)
            out.append((ref, piece))
            if len(out) == n:
                return out
    return out


def old_path(piece: np.ndarray, langs: str, limit: bool) -> str:
    import pytesseract

    saved = os.environ.pop("OMP_THREAD_LIMIT", None)  # mmx.ocr sets it; the old path did not
    if limit:
        os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        return pytesseract.image_to_string(Image.fromarray(piece), lang=langs, config="--psm 7 --oem 1")
    finally:
        os.environ.pop("OMP_THREAD_LIMIT", None)
        if saved is not None:
            os.environ["OMP_THREAD_LIMIT"] = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=12, help="rendered lines per language")
    ap.add_argument("--out", default=str(ROOT / "docs"))
    args = ap.parse_args()
    import pytesseract

    have = tesseract.languages()
    langs = [c for c in LANGS if tesseract_pack(c) in have]
    paths = ("tesserocr", "pytesseract", "pytesseract + OMP_THREAD_LIMIT=1")
    times: dict[str, dict[str, list[float]]] = {p: {c: [] for c in langs} for p in paths}
    errs: dict[str, dict[str, list[float]]] = {p: {c: [] for c in langs} for p in paths}
    for code in langs:
        pack = tesseract_pack(code)
        tesseract.read_text(np.full((40, 200), 255, np.uint8), pack)  # load the model once, untimed
        for ref, piece in pieces(code, args.lines):
            for path in paths:
                t0 = time.perf_counter()
                if path == "tesserocr":
                    hyp = tesseract.read_text(piece, pack, psm=tesseract.PSM_SINGLE_LINE)
                else:
                    hyp = old_path(piece, pack, limit=path != "pytesseract")
                times[path][code].append(time.perf_counter() - t0)
                errs[path][code].append(cer(ref, " ".join(hyp.split()), ignore_spaces=ignores_spaces(code)))
        print(code, {p: round(1000 * statistics.mean(times[p][code]), 1) for p in paths})

    def ms(path: str, code: str | None = None) -> float:
        vals = times[path][code] if code else [t for c in langs for t in times[path][c]]
        return 1000 * statistics.mean(vals)

    def err(path: str, code: str | None = None) -> float:
        vals = errs[path][code] if code else [e for c in langs for e in errs[path][c]]
        return statistics.mean(vals)

    n = sum(len(times["tesserocr"][c]) for c in langs)
    ratio = ms("pytesseract") / ms("tesserocr")
    ratio_limited = ms("pytesseract + OMP_THREAD_LIMIT=1") / ms("tesserocr")
    rows = [
        "| language | lines | tesserocr ms/line | pytesseract ms/line | pytesseract, 1 thread ms/line "
        "| CER tesserocr | CER pytesseract |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for code in [*langs, None]:
        label = code or "**all**"
        count = len(times["tesserocr"][code]) if code else n
        rows.append(
            f"| {label} | {count} | {ms('tesserocr', code):.1f} | {ms('pytesseract', code):.1f} "
            f"| {ms(paths[2], code):.1f} | {err('tesserocr', code):.3f} | {err('pytesseract', code):.3f} |"
        )
    import tesserocr

    cli_version = str(pytesseract.get_tesseract_version())
    text = f"""# OCR speed: tesserocr vs pytesseract

Tesseract time per rendered line (seetok profile, sample sentences of
`mmx/assets/samples/`), the same prepared line images read by both paths,
alternating per line. Written by

    python benchmarks/ocr_speed.py --lines {args.lines} --out docs

**pytesseract takes {ratio:.1f}x the time per line of tesserocr** ({ms('pytesseract'):.0f} ms vs
{ms('tesserocr'):.0f} ms over {n} lines); with `OMP_THREAD_LIMIT=1` it still takes
{ratio_limited:.1f}x. pytesseract writes the image to a file, starts a `tesseract` process and
loads the language model for every line; `mmx.ocr.tesseract` keeps one API per
(language, page-segmentation mode) per thread and reads in-process. CER is against the
rendered text; tesserocr here runs libtesseract {tesserocr.tesseract_version().split()[1]},
pytesseract the `tesseract` command ({cli_version}).

{chr(10).join(rows)}

Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), Python
{platform.python_version()}, pytesseract {pytesseract.__version__}, tesserocr {tesserocr.__version__}.
"""
    out = Path(args.out) / "ocr_speed.md"
    # notes written by hand below the marker (other measurements) survive a rerun
    kept = out.read_text(encoding="utf-8").partition(KEEP)[2] if out.exists() else ""
    out.write_text(text + (f"\n{KEEP}{kept}" if kept else ""), encoding="utf-8")
    print(f"wrote {out}: pytesseract / tesserocr time per line = {ratio:.1f}x")


if __name__ == "__main__":
    main()
