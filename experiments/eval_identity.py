"""Are evaluation results unchanged? Run the same `mmx eval` and `mmx data` commands with another
commit's code and with this checkout's, and compare what they wrote.

    python experiments/eval_identity.py --against <commit> [--wikimt PATH/TO/wikimusictext.json] [--quick]

Exports mmx/ at ``--against`` (git archive) into a temporary folder and runs every command of
:data:`RUNS` twice, each version in its own process (``PYTHONPATH``), its own run folder and its
own ``MMX_CACHE`` (so generated default sets are made by each version, not shared). Compared,
per run: ``metrics`` and ``n_samples`` of ``results.json``; every line of ``samples.jsonl``; a
hash of every file the run wrote beside them (generated images, GenEval's per-language files,
embedding vectors by id, whatever shard holds them). For ``mmx data``: a hash of every file written. Volatile fields (``created``,
``git_sha``, ``out``, ``versions``, timings) are not compared. Prints one line per run and a
summary; exits 1 when anything differs. No speed is measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (name, arguments of `mmx`); ``{wikimt}`` is replaced by --wikimt (runs that need it are skipped without it)
RUNS: list[tuple[str, list[str]]] = [
    ("mmcric-default", ["eval", "--bench", "mmcric"]),
    ("mmcric-majority", ["eval", "--bench", "mmcric", "--model", "majority"]),
    ("mmcric-random-seed1", ["eval", "--bench", "mmcric", "--model", "random", "--seed", "1", "--limit", "20"]),
    ("mmcric-reader", ["eval", "--bench", "mmcric", "--model", "reader", "--limit", "6"]),
    ("geneval-default", ["eval", "--bench", "geneval"]),
    ("geneval-langs-plant", ["eval", "--bench", "geneval", "--model", "shapes-oracle", "--model-args",
                             "plant=count,plant_rate=0.3", "--bench-args", "languages=en,hi,zh,fa,n_images=2"]),
    ("geneval-mmx-t2i", ["eval", "--bench", "geneval", "--model", "mmx-t2i", "--limit", "12",
                         "--bench-args", "languages=en,fr"]),
    ("xscript-default", ["eval", "--bench", "xscript"]),
    ("xscript-music", ["eval", "--bench", "xscript", "--model", "music-tiny", "--bench-args", "families=serbian,kazakh"]),
    ("wikimt-sample", ["eval", "--bench", "wikimt"]),
    ("wikimt-real", ["eval", "--bench", "wikimt", "--data", "{wikimt}"]),
    ("data-mmcric", ["data", "mmcric", "--n", "3"]),
    ("data-geneval", ["data", "geneval", "--world", "shapes", "--languages", "en,hi,zh", "--variants", "en-first,roman"]),
]
#: the runs of --quick (a few minutes in all)
QUICK = ("mmcric-majority", "mmcric-reader", "geneval-langs-plant", "xscript-music", "wikimt-sample", "data-geneval")


def _file_hashes(folder: Path, skip: set[str]) -> dict[str, str]:
    """A hash of every file under ``folder`` but ``skip`` (relative paths)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.relative_to(folder).as_posix() not in skip}


def _snapshot(out: Path, is_eval: bool) -> dict:
    """What a run left in ``out``, with volatile fields dropped."""
    if not out.exists():
        return {"missing": True}
    if not is_eval:
        return {"files": _file_hashes(out, set())}
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    samples = (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    # images/manifest.json (what drew the images) carries the same volatile fields as results.json
    files = _file_hashes(out, {"results.json", "samples.jsonl", "run.json", "report.md", "images/manifest.json"})
    files = {k: v for k, v in files.items() if not (k.endswith(".png") and "/" not in k)  # plots carry timestamps
             and not k.startswith("embeddings/")}
    return {"metrics": results["metrics"], "n_samples": results["n_samples"], "samples": samples, "files": files,
            "embeddings": _embeddings(out / "embeddings")}


def _embeddings(folder: Path) -> dict[str, str]:
    """A hash of each cached vector by its id: which shard holds a row depends on how a run was
    batched, so shard files are compared by content, not as files."""
    import numpy as np

    out = {}
    for path in sorted(folder.glob("*.npz")):
        with np.load(path) as z:
            for i, v in zip(z["ids"].tolist(), z["vectors"]):
                out[i] = hashlib.sha1(np.ascontiguousarray(v, dtype=np.float32).tobytes()).hexdigest()
    return out


def _run(src: Path, cache: Path, work: Path, name: str, args: list[str]) -> tuple[dict, float, str]:
    out = work / name
    is_eval = args[0] == "eval"
    cmd = [sys.executable, "-m", "mmx.cli", *args, "--out", str(out)]
    env = dict(os.environ, PYTHONPATH=str(src), MMX_CACHE=str(cache), OMP_NUM_THREADS="2")
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        return {"failed": r.returncode, "stderr": r.stderr[-2000:]}, took, r.stderr[-600:]
    return _snapshot(out, is_eval), took, ""


def _diff(a: dict, b: dict) -> list[str]:
    """What differs between two snapshots (empty: identical)."""
    if a == b:
        return []
    out = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) == b.get(key):
            continue
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) and isinstance(vb, dict):
            keys = sorted(k for k in set(va) | set(vb) if va.get(k) != vb.get(k))
            out.append(f"{key}: {len(keys)} differ, e.g. {keys[:3]} ({[va.get(k) for k in keys[:1]]} vs "
                       f"{[vb.get(k) for k in keys[:1]]})")
        elif isinstance(va, list) and isinstance(vb, list):
            bad = [i for i, (x, y) in enumerate(zip(va, vb)) if x != y]
            out.append(f"{key}: {len(va)} vs {len(vb)} lines, {len(bad)} differ"
                       + (f"; first: line {bad[0]}:\n    {va[bad[0]][:300]}\n    {vb[bad[0]][:300]}" if bad else ""))
        else:
            out.append(f"{key}: {str(va)[:300]} vs {str(vb)[:300]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", required=True, help="a commit (e.g. main)")
    ap.add_argument("--wikimt", help="WikiMT's PATH/TO/wikimusictext.json (the wikimt-real run is skipped without it)")
    ap.add_argument("--only", help="comma-separated run names (default: all)")
    ap.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    ap.add_argument("--keep", help="keep both versions' run folders under this folder")
    args = ap.parse_args()
    names = set(args.only.split(",")) if args.only else set(QUICK) if args.quick else None
    runs = [(n, a) for n, a in RUNS if names is None or n in names]
    if not args.wikimt:
        runs = [(n, a) for n, a in runs if "{wikimt}" not in a]
    runs = [(n, [str(Path(args.wikimt).resolve()) if x == "{wikimt}" else x for x in a]) for n, a in runs]
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mmx-eval-identity-"))
    tmp.mkdir(parents=True, exist_ok=True)
    old = tmp / "old-src"
    if not old.exists():
        old.mkdir()
        # imported here, not at the top: the workers run this file under the old mmx
        from mmx.cli import export_mmx

        export_mmx(args.against, old, ROOT)
    differ = 0
    for name, argv in runs:
        snaps = []
        for src, side in ((old, "old"), (ROOT, "new")):
            work = tmp / side
            work.mkdir(exist_ok=True)
            snap, took, err = _run(src, tmp / f"cache-{side}", work, name, argv)
            snaps.append((snap, took, err))
        (a, ta, ea), (b, tb, eb) = snaps
        problems = _diff(a, b)
        n = len(a.get("samples", a.get("files", {})))
        status = "identical" if not problems else "DIFFERENT"
        parts = [f"{k} {'same' if a.get(k) == b.get(k) else 'DIFFER'}"
                 for k in ("metrics", "samples", "files", "embeddings") if k in a or k in b]
        print(f"{name:22s} {status:9s} ({n} samples/files; {'; '.join(parts)}; {ta:.0f} s old, {tb:.0f} s new)  "
              f"mmx {' '.join(argv)}", flush=True)
        for p in problems:
            print("    " + p)
        for e, side in ((ea, "old"), (eb, "new")):
            if e:
                print(f"    {side} failed: {e.strip()[-400:]}")
        differ += bool(problems)
    print(f"{len(runs)} runs compared against {args.against}: {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
