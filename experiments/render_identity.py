"""Are rendered pixels unchanged? Compare this checkout's renderer with another commit's, line by line.

    python experiments/render_identity.py --corpus ../shared/corpora/parallel --against <commit>

Exports mmx/ at ``--against`` (git archive) into a temporary folder, renders
every corpus line and every string literal of tests/render and tests/cli (the
test strings: scripts, emoji, controls, long and malformed text) with each
profile in both versions (two processes), and compares a hash of each result:
the grey and colour images, patches with ink, visual tokens, clipping,
truncation and missing glyphs; and, for every fifth line, the
character-to-patch and patch-to-span maps. Prints how many differ (and the
first few).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _test_strings() -> list[str]:
    """Every string literal (up to 2,000 characters) in tests/render and tests/cli, in a fixed order."""
    found: dict[str, None] = {}
    for folder in ("tests/render", "tests/cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) <= 2000:
                    found[node.value] = None
    return list(found)


def _digest(res, maps: bool) -> str:
    """"pixels/maps": a hash of the images and counts, and one of the character maps (empty when not asked)."""
    h = hashlib.sha1()
    for a in [*res.arrays, *(c for c in getattr(res, "colour_arrays", []) if c is not None)]:
        h.update(repr(a.shape).encode())
        h.update(a.tobytes())
    h.update(repr((res.clipped, res.ink_patches, res.visual_tokens, res.truncated, res.truncated_at,
                   [m.index for m in res.missing_glyphs])).encode())
    m = hashlib.sha1(repr((res.char_to_patch.tolist(), res.offset_mapping)).encode()).hexdigest() if maps else ""
    return f"{h.hexdigest()}/{m}"


def _hashes(corpus: str, profiles: list[str], extra: list[str]) -> dict[str, str]:
    from mmx.render.engine import Renderer
    from mmx.render.tokens import corpus_files, read_lines

    out = {}
    for prof in profiles:
        r = Renderer(prof)
        for code, path in corpus_files(corpus):
            for i, line in enumerate(read_lines(path, None)):
                out[f"{prof}/{code}/{i}"] = _digest(r.render(line), i % 5 == 0)
        for i, text in enumerate(extra):
            try:
                out[f"{prof}/test/{i}"] = _digest(r.render(text), True)
            except Exception as exc:  # an input both versions refuse must be refused alike
                out[f"{prof}/test/{i}"] = f"{type(exc).__name__}: {exc}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--against", required=True, help="a commit (e.g. main)")
    ap.add_argument("--profiles", default="pixel_renderer,pixel,seetok,page,reader")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)  # internal: PROFILES STRINGS.json OUT.json
    args = ap.parse_args()
    if args.worker:
        extra = json.loads(Path(args.worker[1]).read_text(encoding="utf-8"))
        Path(args.worker[2]).write_text(json.dumps(_hashes(args.corpus, args.worker[0].split(","), extra)))
        return
    corpus = str(Path(args.corpus).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        strings = Path(tmp) / "strings.json"
        strings.write_text(json.dumps(_test_strings()), encoding="utf-8")
        old = Path(tmp) / "old"
        old.mkdir()
        # imported here, not at the top: the workers run this file under the old mmx
        from mmx.cli import export_mmx

        export_mmx(args.against, old, ROOT)
        results = []
        for src, name in ((old, "old"), (ROOT, "new")):
            out = Path(tmp) / f"{name}.json"
            env = dict(os.environ, PYTHONPATH=str(src))
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--corpus", corpus, "--against", args.against,
                            "--worker", args.profiles, str(strings), str(out)], cwd=src, check=True, env=env)
            results.append(json.loads(out.read_text()))
    a, b = results
    pixels = [k for k in a if a[k].split("/")[0] != b.get(k, "").split("/")[0]]
    maps = [k for k in a if k not in pixels and a[k] != b.get(k)]
    print(f"{len(a)} renders ({args.profiles}; {sum(k.split('/')[1] == 'test' for k in a)} of them test strings): "
          f"{len(pixels)} differ from {args.against} in images, counts or errors" + (f" ({pixels[:5]})" if pixels else "")
          + f"; {len(maps)} more only in the character maps" + (f" ({maps[:5]})" if maps else ""))


if __name__ == "__main__":
    main()
