"""Are rendered pixels unchanged? Compare this checkout's renderer with another commit's, line by line.

    python benchmarks/render_identity.py --corpus ../shared/corpora/parallel --against <commit>

Exports mmx/ at ``--against`` (git archive) into a temporary folder, renders
every corpus line with each profile in both versions (two processes), and
compares a hash of each result: the images, text patches, clipping and missing
glyphs; and, for every fifth line, the character-to-patch and patch-to-span
maps. Prints how many differ (and the first few).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _hashes(corpus: str, profiles: list[str]) -> dict[str, str]:
    from mmx.render.engine import Renderer
    from mmx.render.tokens import corpus_files, read_lines

    out = {}
    for prof in profiles:
        r = Renderer(prof)
        for code, path in corpus_files(corpus):
            for i, line in enumerate(read_lines(path, None)):
                res = r.render(line)
                h = hashlib.sha1()
                for a in res.arrays:
                    h.update(repr(a.shape).encode())
                    h.update(a.tobytes())
                h.update(repr((res.clipped, res.text_patches, [m.index for m in res.missing_glyphs])).encode())
                if i % 5 == 0:
                    h.update(repr((res.char_to_patch.tolist(), res.offset_mapping)).encode())
                out[f"{prof}/{code}/{i}"] = h.hexdigest()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--against", required=True, help="a commit (e.g. main)")
    ap.add_argument("--profiles", default="pixel_renderer,pixel,seetok,page")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)  # internal: PROFILES OUT.json
    args = ap.parse_args()
    if args.worker:
        Path(args.worker[1]).write_text(json.dumps(_hashes(args.corpus, args.worker[0].split(","))))
        return
    corpus = str(Path(args.corpus).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.against, "mmx"], cwd=ROOT, check=True, capture_output=True).stdout
        tar_path = Path(tmp) / "old.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(old)
        results = []
        for src, name in ((old, "old"), (ROOT, "new")):
            out = Path(tmp) / f"{name}.json"
            env = dict(os.environ, PYTHONPATH=str(src))
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--corpus", corpus, "--against", args.against,
                            "--worker", args.profiles, str(out)], cwd=src, check=True, env=env)
            results.append(json.loads(out.read_text()))
    a, b = results
    differ = [k for k in a if a[k] != b.get(k)]
    print(f"{len(a)} renders ({args.profiles}), {len(differ)} differ from {args.against}" + (f": {differ[:5]}" if differ else ""))


if __name__ == "__main__":
    main()
