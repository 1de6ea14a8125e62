"""CPU time per unseen line, this checkout's renderer against another commit's, side by side.

    python benchmarks/render_ab.py --corpus ../shared/corpora/parallel --against <commit> [--languages fas_Arab,tha_Thai] [--repeats 3]

Exports mmx/ at ``--against`` (git archive) into a temporary folder, then runs
the same measurement in fresh processes of both versions, alternating, each
``--repeats`` times: the method of `mmx bench render` for mmx alone (profile
pixel_renderer, one core, every language's first half rendered first, the text
caches emptied, then the second halves timed in CPU time). Prints the best
(lowest) µs per line of each version per language and their ratio: a change
measured against the code before it on the same machine at the same time, so
that other jobs on the machine disturb both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from mmx.cli import export_mmx
from mmx.errors import InputError
from mmx.render.tokens import corpus_files

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys, time
from mmx.render.engine import Renderer
from mmx.render.speed import clear_text_caches, one_core
from mmx.render.tokens import corpus_files, read_lines
corpus, langs = sys.argv[1], set(sys.argv[2].split(",")) if sys.argv[2] else None
data = [(c, read_lines(p, None)) for c, p in corpus_files(corpus)]
r = Renderer("pixel_renderer")
for _c, lines in data:
    for line in lines[: len(lines) // 2]:
        r.render(line)
out = {}
with one_core():
    for c, lines in data:
        if langs is not None and c not in langs:
            continue
        clear_text_caches(r)
        timed = lines[len(lines) // 2 :]
        t = time.process_time()
        for line in timed:
            r.render(line)
        out[c] = 1e6 * (time.process_time() - t) / len(timed)
print(json.dumps(out))
"""


def _measure(root: Path, corpus: str, languages: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", _CHILD, corpus, languages], check=True, capture_output=True, text=True,
                         env=env, cwd=str(root)).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--against", required=True, help="the commit to compare with")
    ap.add_argument("--languages", default="", help="comma-separated codes (default: all)")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if args.repeats < 1:
        raise InputError(f"--repeats must be at least 1 (got {args.repeats})")
    corpus_files(args.corpus)  # a missing or empty corpus is one line here, not a child's traceback
    corpus = str(Path(args.corpus).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp)
        export_mmx(args.against, other, ROOT)
        _measure(other, corpus, args.languages)  # compiles its kernels once (numba's disk cache), untimed
        best: dict[str, dict[str, float]] = {"against": {}, "this": {}}
        for _ in range(args.repeats):
            for name, root in (("against", other), ("this", ROOT)):
                for code, us in _measure(root, corpus, args.languages).items():
                    best[name][code] = min(best[name].get(code, float("inf")), us)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"CPU µs per unseen line, best of {args.repeats} fresh processes each, alternating{load}")
    print(f"| language | {args.against} | this checkout | this / {args.against} |")
    print("|---|---:|---:|---:|")
    for code in sorted(best["this"]):
        a, b = best["against"][code], best["this"][code]
        print(f"| {code} | {a:.0f} | {b:.0f} | {b / a:.2f} |")


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
