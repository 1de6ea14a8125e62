"""Legibility per script: OCR read-back error and apparent size, the figures of docs/render.md.

    python experiments/legibility.py --corpus ../shared/corpora/parallel --lines 100 [--set font_size=10]

Held-out lines: the second half of each language file (lines 101-200 of the
corpus; nothing in mmx was tuned on them); the first ``--lines`` of them are used.
``--start 0`` reads lines 1-100 instead: the lines to tune on.

- **OCR**: each language's lines rendered as one document with the profile
  (default ``page``), every laid-out line cropped to the rows of its ink
  (``LineBox.ink_top``/``ink_bottom``; on pages no other line's ink is inside)
  and read back through :func:`mmx.ocr.read_back` by the engine that reads the
  language best (:func:`mmx.ocr.engine_for`: RapidOCR for most Latin and the
  CJK languages, tesseract for the rest; ``--engine`` forces one). The
  character error rate is pooled over the laid-out lines
  (:func:`mmx.ocr.cer`), with a 95% bootstrap interval over those lines
  (:func:`mmx.eval.metrics.pooled_rate`). Every corpus language an installed
  engine reads is measured (``--ocr all``). The same figure is also given
  with spellings that draw alike folded (:func:`visual_fold`), since no
  reader of pixels can tell them apart, and for non-Latin scripts, folded,
  over the lines without a Latin run (``LATIN_RUN``): one-script tesseract
  packs misread Latin names whatever the rendering.
- **Apparent size**: every word of those lines is rendered alone with the
  profile and again at 96 px em in a roomy page where nothing is shrunk or
  enlarged; the ink height of the first (each row counted by its darkest
  pixel) over that of the second scaled to the profile's font size is the
  word's *size factor*. Noto's families are designed to match at equal em
  size, so equal factors look equally large; Arabic, whose letter bodies are
  small for its em, is drawn larger on purpose (``FontFace.body_scale``). The
  per-script figure is the median over its words, and "vs Latin" divides it by
  English's. It is measured on pixels, so it checks what the renderer drew,
  not what it meant to draw; small sizes read below 1.0 for every script
  (antialiased thin strokes are not fully dark), which is why scripts are
  compared with Latin at the same size. The words of "Hello नमस्ते مرحبا 你好"
  are also measured in place, inside one rendered line.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import unicodedata
from pathlib import Path

import numpy as np

from mmx.cli.common import add_profile_arguments, profile_from_args
from mmx.render.engine import Renderer
from mmx.render.tokens import (
    NO_SPACE_SCRIPTS,
    corpus_files,
    language_tag,
    read_lines,
    script_of_code,
)

#: code points a reader cannot see: zero-width (non-)joiners and spaces, word joiner, BOM
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def visual_fold(text: str) -> str:
    """Text folded so that spellings drawn alike compare equal: what no reader of pixels can tell apart.

    NFKC (Thai sara am U+0E33 is nikhahit + sara aa, U+0E4D U+0E32, which tesseract
    writes), invisible format characters dropped (tesseract's Tamil model writes a
    zero-width non-joiner after word-final virama), and the Ethiopic full stop
    written as two wordspaces (``፡፡``, common in the corpus) as the full stop ``።``.
    """
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).replace("\u1361\u1361", "\u1362")


#: a run of two or more Latin letters: a name or a word in Latin script inside the line
LATIN_RUN = re.compile(r"[A-Za-z]{2,}")
MIXED = "Hello नमस्ते مرحبا 你好"
REF_SIZE = 96.0


def ink_height(arr: np.ndarray) -> float:
    """Height of the ink in px: each row counts by its darkest pixel's coverage (0..1).

    Sub-pixel and threshold-free: an antialiased edge row counts in part, and a
    thin stroke drawn grey at a small size is not lost as it would be to a cut-off.
    """
    return float((255 - arr.min(axis=1).astype(np.float64)).sum() / 255.0) if arr.size else 0.0


def reference(profile) -> Renderer:
    """The same fonts at 96 px em in a roomy page: nothing shrunk, and no face enlarged to match bodies.

    Every face is drawn at the same em size here, so a script's size factor
    (drawn over this) shows any enlargement (Arabic's body scale) as well as
    any reduction.
    """
    from mmx.render import fonts

    ref = Renderer(profile.replace(name="reference", layout="page", font_size=REF_SIZE, line_spacing=2.5,
                                   patch_size=14, width=14 * 400, height=14 * 60, margin=14 * 4, max_patches=None,
                                   overflow="truncate", rows=1, eos_patch=False))
    keep = fonts.MAX_BODY_SCALE
    fonts.MAX_BODY_SCALE = 1.0  # sizes are computed once per renderer: fix them all now, at the em size
    try:
        for i in range(len(ref.stack.faces)):
            ref.metrics_of(i)
    finally:
        fonts.MAX_BODY_SCALE = keep
    return ref


def measured(profile):
    """The profile to measure sizes with: folded rows as one long strip of the same height (same sizes,
    so a clause is not folded into several rows), without the black end-of-sequence patch."""
    if profile.layout == "page":
        return profile
    return profile.replace(layout="strip", rows=1, width=profile.patch_size * 2000, max_patches=None, eos_patch=False)


def size_factors(renderer: Renderer, ref: Renderer, words: list[str]) -> list[float]:
    out = []
    scale = renderer.profile.font_size / REF_SIZE
    for w in words:
        h_ref = ink_height(ref.render(w).arrays[0])
        h = ink_height(renderer.render(w).arrays[0])
        if h_ref >= 24 and h:  # skip punctuation-only words
            out.append(h / (h_ref * scale))
    return out


def ocr_cer(renderer: Renderer, code: str, lines: list[str], engine: str) -> dict:
    """Pooled CER of the laid-out lines of ``lines`` rendered as one document, with its bootstrap interval."""
    from mmx.eval.metrics import pooled_rate
    from mmx.ocr import read_back
    from mmx.text.distance import cer_counts

    res = renderer.render("\n".join(lines))
    text = res.text
    ignore = script_of_code(code) in NO_SPACE_SCRIPTS
    edits: list[int] = []
    lengths: list[int] = []
    latin: list[bool] = []
    folded: tuple[list[int], list[int]] = ([], [])  # edits, lengths after visual_fold
    for box in res.lines:
        ref = text[box.start : box.end].strip()
        if not ref:
            continue
        crop = res.arrays[box.image][box.ink_top : box.ink_bottom, max(box.left - 2, 0) : box.right + 2]
        hyp = read_back(crop, code, engine) or ""
        e, n = cer_counts(ref, hyp, ignore_spaces=ignore)
        edits.append(e)
        lengths.append(max(n, 1))
        e, n = cer_counts(visual_fold(ref), visual_fold(hyp), ignore_spaces=ignore)
        folded[0].append(e)
        folded[1].append(max(n, 1))
        latin.append(bool(LATIN_RUN.search(ref)))
    out = pooled_rate(edits, lengths)
    row = {"cer": out["rate"], "lo": out["lo"], "hi": out["hi"], "lines_read": out["n"], "engine": engine}
    vis = pooled_rate(*folded)
    row.update(cer_visual=vis["rate"], visual_lo=vis["lo"], visual_hi=vis["hi"])
    if script_of_code(code) != "Latn":
        # A one-script tesseract pack (ell, fas, ara ...) has no Latin letters and misreads every
        # Latin name in a line: the folded figure without those lines separates the reader from the renderer.
        keep = [i for i, has in enumerate(latin) if not has]
        plain = pooled_rate([folded[0][i] for i in keep], [folded[1][i] for i in keep])
        row.update(cer_no_latin=plain["rate"], no_latin_lo=plain["lo"], no_latin_hi=plain["hi"], lines_no_latin=plain["n"])
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    add_profile_arguments(ap, default="page")  # --profile, --set FIELD=VALUE, --font
    ap.add_argument("--lines", type=int, default=30, help="held-out lines per language (from line 101 on)")
    ap.add_argument("--start", type=int, default=100, help="first line (0-based) of each file to use: 100 = held out, 0 = tuning lines")
    ap.add_argument("--ocr", default="all", help='languages read back ("all": every one an installed engine reads; "none": skip)')
    ap.add_argument("--engine", default=None, help="force one OCR engine (tesseract or rapidocr) instead of the best per language")
    ap.add_argument("--sizes", default="all", help='languages whose apparent size is measured ("all", or a comma list)')
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args()
    profile = profile_from_args(args)
    files = dict(corpus_files(args.corpus))
    held = {code: read_lines(path)[args.start : args.start + args.lines] for code, path in files.items()}
    out: dict = {"profile": profile.name, "font_size": profile.font_size, "lines": args.lines,
                 "first_line": args.start + 1, "ocr": {}, "size": {}}
    from mmx.ocr import engine_for

    codes = sorted(held) if args.ocr == "all" else [] if args.ocr == "none" else args.ocr.split(",")
    for code in codes:
        engine = args.engine or engine_for(code)
        if engine is None:
            print(f"ocr  {code}: no installed engine reads it", flush=True)
            continue
        r = Renderer(profile.replace(language=language_tag(code)))
        row = out["ocr"][code] = ocr_cer(r, code, held[code], engine)
        plain = (f"; folded, without Latin runs {100 * row['cer_no_latin']:.1f}% [{100 * row['no_latin_lo']:.1f}, "
                 f"{100 * row['no_latin_hi']:.1f}] over {row['lines_no_latin']}") if row.get("lines_no_latin") else ""
        print(f"ocr  {code}: CER {100 * row['cer']:.1f}% [{100 * row['lo']:.1f}, {100 * row['hi']:.1f}] "
              f"over {row['lines_read']} laid-out lines ({engine}); visual forms folded {100 * row['cer_visual']:.1f}% "
              f"[{100 * row['visual_lo']:.1f}, {100 * row['visual_hi']:.1f}]{plain}", flush=True)
    codes = sorted(held) if args.sizes == "all" else args.sizes.split(",")
    for code in codes:
        prof = profile.replace(language=language_tag(code))
        words = sorted({w for line in held[code] for w in line.split()})
        if script_of_code(code) in NO_SPACE_SCRIPTS:  # no spaces: measure clause-sized pieces instead
            words = sorted({p for line in held[code] for p in line.replace("，", " ").replace("。", " ").split()})
        f = size_factors(Renderer(measured(prof)), reference(prof), words[:300])
        out["size"][code] = {"median_factor": statistics.median(f), "words": len(f)}
    latin = out["size"].get("eng_Latn", {}).get("median_factor")
    for code, s in out["size"].items():
        s["vs_latin"] = s["median_factor"] / latin if latin else None
        print(f"size {code}: factor {s['median_factor']:.3f}" + (f", vs Latin {s['vs_latin']:.3f}" if latin else "") + f" ({s['words']} words)")
    r = Renderer(measured(profile))
    ref = reference(profile)
    mixed = {}
    res, res_ref = r.render(MIXED), ref.render(MIXED)
    for word, f in zip(MIXED.split(), _in_place(res, res_ref, r, ref)):
        mixed[word] = f
    out["mixed"] = mixed
    print("mixed line (size factor of each word in place): " + ", ".join(f"{w} {f:.3f}" for w, f in mixed.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False))


def _in_place(res, res_ref, r: Renderer, ref: Renderer) -> list[float]:
    """Size factor of each word of a one-line rendering, measured inside the line."""
    def heights(result) -> list[int]:
        arr = result.arrays[0]
        out = []
        for pl in result.placed():
            if result.text[pl.piece.start : pl.piece.end].isspace():
                continue
            x0 = max(int(pl.x) - 1, 0)
            x1 = int(pl.x + pl.piece.width) + 1
            out.append(ink_height(arr[:, x0:x1]))
        return out

    scale = r.profile.font_size / REF_SIZE
    return [h / (hr * scale) for h, hr in zip(heights(res), heights(res_ref)) if hr]


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
