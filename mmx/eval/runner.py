"""``mmx eval``: run a bench against a model and keep the results contract.

The runner owns everything that is not one bench's business: the output folder,
resuming, batching, progress, and the files of the results contract.
``samples.jsonl`` is appended and flushed after every batch, so a run killed at
any moment and started again with the same ``--out`` scores only what is left,
never twice (a half-written last line from a kill is cut off on resume).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mmx.errors import InputError, MmxError

RESULTS = "results.json"
SAMPLES = "samples.jsonl"
RUN = "run.json"
REPORT = "report.md"


def default_out(bench: str, model: str) -> Path:
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in model.removeprefix("hf:"))
    return Path("runs") / f"{bench}-{slug}"


def evaluate(
    bench: str = "mmcric",
    model: str = "ocr-table",
    model_args: dict[str, Any] | None = None,
    *,
    data: str | None = None,
    split: str | None = None,
    limit: int | None = None,
    out: str | Path | None = None,
    seed: int = 0,
    overwrite: bool = False,
    progress: bool = True,
    bench_args: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Evaluate ``model`` on ``bench``; returns the ``results.json`` content.

    ``limit`` keeps the first ``limit`` samples in pair order (whole cross-script
    pairs, so the gap stays paired). ``seed`` seeds the generated default data, the
    bootstrap and the random baseline.
    """
    from mmx.eval import create_bench
    from mmx.eval.progress import progress_bar
    from mmx.models import create_model

    model_args = dict(model_args or {})
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1 (got {limit})")
    b = create_bench(bench, data=data, split=split, seed=seed, **(bench_args or {}))
    out = Path(out) if out is not None else default_out(bench, model)
    config = {"bench": bench, "bench_version": b.version, "model": model, "model_args": model_args,
              "data": b.describe_data(), "split": split, "seed": seed}
    _prepare_out(out, config, overwrite)

    samples = b.load(progress=progress)
    if limit is not None:
        samples = _limit_pairs(samples, limit)
    done = _read_done(out / SAMPLES)
    wanted = {s.key for s in samples}
    todo = [s for s in samples if s.key not in done]
    notes: list[str] = [f"{len(b.skipped)} rows skipped while loading: " + "; ".join(b.skipped[:5])
                        + (" ..." if len(b.skipped) > 5 else "")] if b.skipped else []
    adapter = None
    if todo:
        adapter = create_model(model, **model_args)
        adapter.prepare(b.references(samples))
        bs = max(1, int(getattr(adapter, "batch_size", 1)))
        with open(out / SAMPLES, "a", encoding="utf-8") as fh, \
                progress_bar(len(samples), f"{bench} · {model}", "samples", enabled=progress,
                             completed=len(samples) - len(todo)) as advance:
            for i in range(0, len(todo), bs):
                batch = todo[i:i + bs]
                try:
                    preds = b.predict(adapter, batch)
                except MmxError:
                    raise
                except Exception as exc:  # a model failing mid-run must not lose what is scored
                    raise MmxError(
                        f"model {model} failed on {batch[0].id}{' and others' if len(batch) > 1 else ''}: "
                        f"{type(exc).__name__}: {exc}. The {len(done)} samples scored so far are kept in "
                        f"{out / SAMPLES}; rerun the same command to resume") from exc
                for s, p in zip(batch, preds):
                    rec = _record(b, s, p)
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    done[s.key] = rec
                fh.flush()
                advance(len(batch))
    records = [done[s.key] for s in samples if s.key in done]
    extra = len(set(done) - wanted)
    if extra:
        notes.append(f"{extra} earlier samples in {SAMPLES} are outside this selection (--limit/--split) and not counted")
    if adapter is None:
        adapter = _Described(model, model_args)
    notes += adapter.notes()
    metrics = b.aggregate(records)
    unparsed = sum(1 for r in records if r.get("numeric") and not r.get("parsed", True))
    if unparsed:
        notes.append(f"{unparsed} answers had no single number where the gold answer is a number "
                     "(scored 0 for relaxed accuracy; see `parsed` in samples.jsonl)")
    results = {
        "bench": bench, "bench_version": b.version, "model": model, "model_args": model_args,
        "model_info": adapter.describe(), "baseline": bool(getattr(adapter, "is_baseline", False)),
        "data": b.describe_data(), "split": split or "all", "n_samples": len(records),
        "metrics": metrics,
        "higher_is_better": {k: _higher(b, k) for k in metrics if not k.startswith("n")},
        "notes": notes, "config": {**config, "limit": limit}, "versions": _versions(),
        "git_sha": _git_sha(), "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _atomic_write(out / RESULTS, json.dumps(results, indent=2, ensure_ascii=False, allow_nan=True) + "\n")
    from mmx.eval.report import write_report

    write_report(out, results)
    return results


class _Described:
    """Stands in for the adapter when everything was scored already (nothing to load)."""

    def __init__(self, name: str, args: dict[str, Any]) -> None:
        self.name, self.args, self.is_baseline = name, args, name in ("random", "majority", "text-only", "ocr-table")

    def notes(self) -> list[str]:
        return []

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args, "note": "all samples were already scored; model not loaded"}


def _record(bench: Any, s: Any, prediction: str) -> dict[str, Any]:
    rec = {"id": s.id, "split": s.split, "subset": s.subset, "category": s.category, "question": s.question,
           "answer": s.answer, "prediction": prediction, **bench.score(s, prediction), "pair": s.pair,
           "n_images": len(s.images)}
    for k in ("format", "qtype", "template"):
        if k in s.meta:
            rec[k] = s.meta[k]
    return rec


def _limit_pairs(samples: Sequence[Any], limit: int) -> list[Any]:
    """The first ``limit`` samples taken pair by pair, so every kept pair is complete."""
    by_pair: dict[tuple[str, str], list[Any]] = {}
    for s in samples:
        by_pair.setdefault((s.split, s.pair), []).append(s)
    out: list[Any] = []
    for group in by_pair.values():
        if out and len(out) + len(group) > limit:
            break
        out.extend(group)
    return out


def _prepare_out(out: Path, config: dict[str, Any], overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder")
    if overwrite and out.exists():
        for name in (SAMPLES, RESULTS, RUN, REPORT):
            (out / name).unlink(missing_ok=True)
        for png in out.glob("*.png"):
            png.unlink()
    out.mkdir(parents=True, exist_ok=True)
    run_file = out / RUN
    if run_file.exists() and (out / SAMPLES).exists():
        try:
            old = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            old = None
        if old is not None and old != config:
            diff = [k for k in config if old.get(k) != config[k]]
            raise InputError(
                f"--out {out} holds a run with a different {', '.join(diff)} "
                f"({', '.join(f'{k}={old.get(k)!r}' for k in diff)}); pass --overwrite to start over or choose another --out")
    _atomic_write(run_file, json.dumps(config, indent=2, ensure_ascii=False) + "\n")


def _read_done(path: Path) -> dict[str, dict[str, Any]]:
    """Records already scored, by ``split/id``; a torn last line (killed mid-write) is cut off."""
    done: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return done
    good = 0
    with open(path, "rb") as fh:
        data = fh.read()
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            break  # no newline: the last write was interrupted
        line = data[pos:nl]
        try:
            rec = json.loads(line)
            done[f"{rec['split']}/{rec['id']}"] = rec
        except (json.JSONDecodeError, KeyError, UnicodeDecodeError):
            break
        pos = good = nl + 1
    if good < len(data):
        with open(path, "r+b") as fh:
            fh.truncate(good)
    return done


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _higher(bench: Any, metric: str) -> bool:
    return bool(bench.higher_is_better.get(metric.split("/")[0], True))


def _versions() -> dict[str, str | None]:
    import importlib.metadata as md

    import mmx

    out: dict[str, str | None] = {"mmx": mmx.__version__}
    for pkg in ("torch", "transformers", "rapidocr", "pytesseract"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    tess = shutil.which("tesseract")
    if tess:
        try:
            out["tesseract"] = subprocess.run([tess, "--version"], capture_output=True, text=True, timeout=10).stdout.split("\n")[0]
        except (OSError, subprocess.SubprocessError):
            out["tesseract"] = None
    try:
        from mmx.render.engine import font_stack

        out["fonts_hash"] = font_stack().fonts_hash
    except Exception:  # fonts are not needed to read results; never fail a run on this
        out["fonts_hash"] = None
    return out


def _git_sha() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        r = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout.strip() or None if r.returncode == 0 else None
