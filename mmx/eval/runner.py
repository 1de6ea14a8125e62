"""``mmx eval``: run a bench against a model and keep the results contract.

The runner owns everything that is not one bench's business: the output folder,
resuming, batching, progress, sharding under ``torchrun`` and the files of the
results contract. It names no bench: it talks to :mod:`mmx.eval.contract`.

Resume, for every output type: a sample is done when its line is in
``samples.jsonl`` (or, under torchrun, in its rank's ``parts/`` file); lines are
appended and flushed after every batch, and whatever a line points at (generated
images, embedding shards) is written whole before it. A run killed at any moment
and started again with the same ``--out`` does only what is left (a half-written
last line from a kill is ignored and cut off).

The data is part of a run's identity, sample by sample: every record keeps ``fp``, the
fingerprint of what the bench read for its sample (:meth:`BenchBase.fingerprint
<mmx.eval.contract.BenchBase.fingerprint>`: a content hash of the sample's fields, bytes and
files by their content), and ``run.json`` / the ``config`` of ``results.json`` keep
``data_fingerprint``, a hash over the selected samples' fingerprints. On a rerun a record
whose fingerprint is not its sample's (the data changed; or a record of an older mmx, which
kept none) is not reused: rank 0 cuts it out of ``samples.jsonl`` and the ranks' parts before
anything is asked, the sample is scored again (its images drawn again: a PNG carries the
fingerprint it was drawn for; its embedding written again: the newest vector of an id is the
one read) and a note names how many were rescored. Unchanged samples are kept. Every other
option of ``run.json`` still has to match (or ``--overwrite``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mmx.errors import InputError, MmxError, RequestsFailed
from mmx.eval.manifest import MANIFEST, write_manifest
from mmx.textio import write_atomic

RESULTS = "results.json"
SAMPLES = "samples.jsonl"
RUN = "run.json"
REPORT = "report.md"
PARTS = "parts"
#: what --overwrite removes (besides PNG plots); bench outputs live in these folders too
OUTPUTS = (SAMPLES, RESULTS, RUN, REPORT)
OUTPUT_DIRS = (PARTS, "images", "embeddings")
#: run.json keys a rerun may change: changed samples are scored again, never refused
RESCORED_KEYS = ("data_fingerprint",)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def default_out(bench: str, model: str, config: dict[str, Any] | None = None) -> Path:
    """``runs/BENCH-MODEL``, with the selection in the name when it is not the default one
    (``-limit2``, ``-test_single``, ``-seed1``, ``-data-NAME-HASH``, ``-args-HASH``), so that
    runs of different selections never share a folder."""
    name = f"{bench}-{_slug(model.removeprefix('hf:'))}"
    cfg = config or {}
    if cfg.get("data_arg"):
        data = str(cfg["data_arg"])
        name += f"-data-{_slug(Path(data.rstrip('/')).name or data)}-{_short_hash(data)}"
    if cfg.get("split"):
        name += f"-{_slug(str(cfg['split']))}"
    if cfg.get("limit"):
        name += f"-limit{cfg['limit']}"
    if cfg.get("seed"):
        name += f"-seed{cfg['seed']}"
    if cfg.get("model_args"):
        name += f"-args-{_short_hash(json.dumps(cfg['model_args'], sort_keys=True))}"
    if cfg.get("bench_args"):
        name += f"-opts-{_short_hash(json.dumps(cfg['bench_args'], sort_keys=True))}"
    return Path("runs") / name


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:6]


def evaluate(
    bench: str,
    model: str | None = None,
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
    """Evaluate ``model`` (default: the bench's own) on ``bench``; returns ``results.json``.

    ``limit`` keeps the first ``limit`` items (an item is all paired forms of one
    question, so gaps stay paired; the bench's ``limit_unit`` says what one is).
    ``seed`` seeds generated default data, bootstraps and seeded baselines. Under
    ``torchrun`` each rank scores its share and rank 0 merges and aggregates; every
    rank returns the same results.
    """
    from mmx.adapters import check_serves, model_options
    from mmx.eval import bench_options, create_bench
    from mmx.eval.composite import group_plan, plan_args, require_served
    from mmx.eval.contract import CompositeBench, fingerprint_of
    from mmx.eval.dist import Dist

    dist = Dist.from_env()
    model_args = dict(model_args or {})
    bench_args = bench_options(bench, dict(bench_args or {}))  # one line for a bad key or value
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1 (got {limit}); it counts items")
    b = create_bench(bench, data=data, split=split, seed=seed, **bench_args)
    made = b.outputs_made_by()  # outputs made before this run (an image folder): scored, no model runs
    if made is not None and (model is not None or model_args):
        raise InputError(f"--model{' ' + model if model else '-args'}: no model runs on outputs made before this "
                         f"run ({made['note']}); leave --model and --model-args out")
    # a composite bench serves each group with its own adapter; a plain one, one adapter
    plan = group_plan(b, model, model_args) if isinstance(b, CompositeBench) else None
    model = made["name"] if made is not None else model or b.default_model
    if plan is None and made is None:
        check_serves(model, b.needs, bench)
    # options checked and converted before any work (a composite's, per adapter in its plan)
    if plan is not None:
        model_args = plan_args(plan)
    elif made is None:
        model_args = model_options(model, b.needs, model_args)
    from mmx.adapters.api_client import public_args

    # recorded without credentials or query strings in addresses (base_url=...); the adapter gets them as given
    config = {"bench": bench, "bench_version": b.version, "model": model, "model_args": public_args(model_args),
              "data": b.describe_data(), "split": split, "seed": seed, "limit": limit}
    if bench_args:
        config["bench_args"] = bench_args
    out = Path(out) if out is not None else default_out(bench, model, {**config, "data_arg": data})
    _check_out(out, config, overwrite)

    samples = list(b.load(progress=progress and dist.main))
    if not samples:
        raise InputError(f"bench {bench} found no samples in {b.describe_data()}"
                         + (f" ({len(b.skipped)} rows skipped: {b.skipped[0]})" if b.skipped else ""))
    n_items = len({s.item for s in samples})
    if limit is not None:
        samples = b.select(samples, limit)
    fps = {s.key: b.fingerprint(s) for s in samples}
    config["data_fingerprint"] = fingerprint_of([[s.key, fps[s.key]] for s in samples])
    if plan is not None:
        require_served(b, plan, samples)
    if dist.world > len(samples):
        raise InputError(f"{dist.world} processes for {len(samples)} samples: start torchrun with "
                         f"--nproc-per-node {len(samples)} or fewer (or raise --limit)")
    notes: list[str] = []
    if b.skipped:
        notes.append(f"{_plural(len(b.skipped), 'row')} skipped while loading: " + "; ".join(b.skipped[:5])
                     + (" ..." if len(b.skipped) > 5 else ""))
    if limit is not None:
        kept = len({s.item for s in samples})
        notes.append(f"--limit {limit}: the first {_plural(kept, b.limit_unit)} of {n_items} "
                     f"({_plural(len(samples), 'sample')})")

    dist.init()
    from mmx.eval.contract import RunContext

    ctx = RunContext(out=out, seed=seed, rank=dist.rank, world=dist.world, progress=progress and dist.main)
    created = not out.exists()
    if dist.main:
        if overwrite:
            _clear(out)
        else:  # before any rank reads what is done or appends to its part
            stale = _drop_stale(out, samples, fps)
            if stale:
                notes.append(_rescored_note(stale))
    dist.barrier()
    done = _read_done(out)
    left = any(s.key not in done for s in samples)
    mine = [s for i, s in enumerate(samples) if i % dist.world == dist.rank and s.key not in done]
    records_path = out / SAMPLES if dist.world == 1 else out / PARTS / f"samples-r{dist.rank:05d}.jsonl"
    adapter = None
    if mine:
        adapter = _predict(b, model, model_args, plan, samples, mine, done, ctx, config, records_path, created, fps)
    dist.barrier()
    if dist.main:
        if adapter is None:
            adapter = _Described(model, config["model_args"], b.outputs_made_by(), other_ranks_scored=left)
        notes += adapter.notes()
        results = _finish(b, bench, model, config["model_args"], adapter, samples, config, out, ctx, notes, split)
    dist.barrier()
    if not dist.main:
        results = json.loads((out / RESULTS).read_text(encoding="utf-8"))
    dist.close()
    return results


def _predict(b: Any, model: str, model_args: dict[str, Any], plan: Any, samples: Sequence[Any],
             mine: Sequence[Any], done: dict[str, dict[str, Any]], ctx: Any, config: dict[str, Any],
             records_path: Path, created: bool, fps: dict[str, str]) -> Any:
    """Load the adapter (a composite bench: one per group), then ask for ``mine`` batch by batch,
    appending records."""
    from mmx.adapters import create_model
    from mmx.eval import failures as failed_requests
    from mmx.eval.composite import batches, build_group_adapters
    from mmx.eval.progress import progress_bar

    if plan is None:
        made = b.outputs_made_by()
        adapter = _Described(model, model_args, made) if made else create_model(model, b.needs, **model_args)
        b.prepare(adapter, samples)
    else:
        adapter = build_group_adapters(b, plan, samples)
    # the folder appears only now: a run that fails before this (a typo in --model, an
    # offline hub model, a bad --model-args key, an unknown --split) leaves nothing behind
    ctx.out.mkdir(parents=True, exist_ok=True)
    if ctx.rank == 0:
        write_atomic(ctx.out / RUN, json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    records_path.parent.mkdir(parents=True, exist_ok=True)
    _cut_torn_tail(records_path)
    total = len(samples) if ctx.world == 1 else len(mine)
    written = 0
    #: sample key -> why its request failed for good; those samples get no record (mmx.eval.failures)
    failures: dict[str, str] = {}
    label = f"{b.name} · {model}" + (f" · rank {ctx.rank}/{ctx.world}" if ctx.world > 1 else "")
    try:
        with open(records_path, "a", encoding="utf-8") as fh, \
                progress_bar(total, label, "samples", enabled=ctx.progress, completed=total - len(mine),
                             status=getattr(adapter, "progress_status", None)) as advance:
            todo = batches(adapter, mine)
            ahead = getattr(b, "prefetch", None)  # optional verb of the contract
            for k, (served_by, batch) in enumerate(todo):
                # one batch ahead: the model may start on the next batch while this one is
                # answered (the first turn hands over the first batch before the second)
                if callable(ahead):
                    for nxt_by, nxt in todo[:2] if k == 0 else todo[k + 1:k + 2]:
                        if nxt_by is not None:
                            ahead(nxt_by, nxt)
                asked = len(batch)
                try:
                    outputs = b.predict(served_by, batch, ctx)
                except RequestsFailed as exc:
                    # some requests failed after their retries: keep the answered samples (asked again
                    # from the adapter's memory, nothing sent twice), leave the failed ones unrecorded
                    batch, outputs, failed = failed_requests.predict_each(b, served_by, batch, ctx, exc)
                    failures.update(failed)
                except MmxError:
                    raise
                except Exception as exc:  # a model failing mid-run must not lose what is scored
                    raise MmxError(
                        f"model {getattr(served_by, 'name', model)} failed on {batch[0].id}{' and others' if len(batch) > 1 else ''}: "
                        f"{type(exc).__name__}: {exc}. The {len(done) + written} samples scored so far are kept "
                        f"in {records_path}; rerun the same command to resume") from exc
                for s, o in zip(batch, outputs):
                    rec = b.record(s, o, ctx)
                    rec["fp"] = fps[s.key]
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    done[s.key] = rec
                fh.flush()
                written += len(batch)
                advance(asked)
        if failures and written == 0 and created and ctx.world == 1:
            first = next(iter(failures.values()))
            raise MmxError(f"model {model}: every request failed ({len(failures)} samples; first: {first}); "
                           "nothing was scored, so nothing is kept")
    except BaseException:
        if created and written == 0 and ctx.world == 1:
            shutil.rmtree(ctx.out, ignore_errors=True)
        raise
    if failures:
        failed_requests.save(ctx.out, ctx.rank, failures)
    if ctx.world > 1 and callable(getattr(adapter, "usage", None)):
        failed_requests.save_usage(ctx.out, ctx.rank, adapter.usage())  # rank 0 sums every rank's accounts
    return adapter


def _finish(b: Any, bench: str, model: str, model_args: dict[str, Any], adapter: Any, samples: Sequence[Any],
            config: dict[str, Any], out: Path, ctx: Any, notes: list[str], split: str | None) -> dict[str, Any]:
    """Rank 0: merge the parts, score the pool, aggregate, write results and report."""
    from mmx.eval import failures as failed_requests

    reasons = failed_requests.collect(out)  # before _merge removes parts/
    usages = failed_requests.collect_usage(out)
    done = _merge(out, samples)
    records = [done[s.key] for s in samples if s.key in done]
    extra = len(set(done) - {s.key for s in samples})
    if extra:
        notes.append(f"{_plural(extra, 'earlier sample')} in {SAMPLES} outside this selection not counted")
    records = b.score_pool(records, ctx)
    metrics = b.aggregate(records)
    notes += b.notes(records)
    from mmx.ocr.environment import describe as environment

    failed_fields, failed_notes = failed_requests.summarize(samples, done, reasons)
    notes = failed_notes + notes
    results = {
        "bench": bench, "bench_version": b.version, "bench_info": b.describe(), "model": model,
        "model_args": model_args, "model_info": adapter.describe(),
        "baseline": bool(getattr(adapter, "is_baseline", False)),
        "data": b.describe_data(), "split": split or "all", "n_samples": len(records), **failed_fields,
        "metrics": metrics,
        "higher_is_better": {k: _higher(b, k) for k in metrics if not k.startswith("n")},
        "environment": environment(),  # CPU, OCR engines, files, settings; before _versions() (it imports tesserocr unpinned)
        "notes": notes, "config": config, "out": str(out), "world_size": ctx.world, "versions": _versions(),
        "git_sha": _git_sha(), "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if usages:  # under torchrun: every rank's requests, tokens and cost, not rank 0's alone
        results["model_info"]["usage"] = failed_requests.sum_usage(usages)
    write_atomic(out / RESULTS, json.dumps(results, indent=2, ensure_ascii=False, allow_nan=True) + "\n")
    if (out / "images").is_dir() and not (isinstance(adapter, _Described) and (out / "images" / MANIFEST).exists()):
        write_manifest(out / "images", results)  # what drew them, for whoever scores the folder later
    # run.json names the data just scored, also when nothing was left to ask (samples only removed)
    write_atomic(out / RUN, json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    from mmx.eval.report import write_report

    write_report(out, results, type(b))
    return results


class _Described:
    """Stands in for the adapter when everything was scored already (nothing to load), or when
    the bench scores outputs made before the run (``made``: what made them; no model runs)."""

    def __init__(self, name: str, args: dict[str, Any], made: dict[str, Any] | None = None,
                 other_ranks_scored: bool = False) -> None:
        from mmx.registry import models

        self.name, self.args, self.made = name, args, made
        self.is_baseline = bool(models.info(name).get("baseline")) if name in models and not made else False
        self.other_ranks_scored = other_ranks_scored

    def notes(self) -> list[str]:
        return []

    def describe(self) -> dict[str, Any]:
        if self.made is not None:
            return dict(self.made)
        note = ("rank 0 had no samples left to score (the other ranks scored the rest); model not loaded on rank 0"
                if self.other_ranks_scored else "all samples were already scored; model not loaded")
        return {"name": self.name, "args": self.args, "note": note}


def _plural(n: int, noun: str) -> str:
    """``1 item``, ``3 items`` (nouns ending in s/x/ch/sh take -es); a parenthesised tail stays
    after the noun: ``3 prompts (in every language)``."""
    noun, paren, tail = noun.partition(" (")
    if n != 1:
        head, _, last = noun.rpartition(" ")
        noun = f"{head + ' ' if head else ''}{last}{'es' if last.endswith(('s', 'x', 'ch', 'sh')) else 's'}"
    return f"{n} {noun}{paren}{tail}"


def _check_out(out: Path, config: dict[str, Any], overwrite: bool) -> None:
    """Refuse a file, or a folder holding another selection's run (nothing is written here)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder")
    run_file = out / RUN
    has_records = (out / SAMPLES).exists() or any((out / PARTS).glob("*.jsonl"))
    if overwrite or not run_file.exists() or not has_records:
        return
    try:
        old = json.loads(run_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        old = None
    if isinstance(old, dict):
        old = {k: v for k, v in old.items() if k not in RESCORED_KEYS}
        config = {k: v for k, v in config.items() if k not in RESCORED_KEYS}
    if isinstance(old, dict) and old != config:
        diff = [k for k in config if old.get(k) != config[k]] + [k for k in old if k not in config]
        raise InputError(
            f"--out {out} holds a run with a different {', '.join(diff)} "
            f"({', '.join(f'{k}={old.get(k)!r}' for k in diff)}); its results are kept: choose another --out "
            "(or leave --out out: each selection gets its own folder), or pass --overwrite to replace them")


def _clear(out: Path) -> None:
    if not out.is_dir():
        return
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    for d in OUTPUT_DIRS:
        shutil.rmtree(out / d, ignore_errors=True)
    for png in out.glob("*.png"):
        png.unlink()


# The resume readers below are not mmx.textio.read_jsonl on purpose: they read the runner's own
# output, where a bad line is damage to recover from (keep the good prefix, score the rest
# again), never an error to report; they stop at the first bad line wherever it is, count the
# unfinished part after the last newline as torn even when it parses, and _cut_torn_tail needs
# the byte offset where the good prefix ends. Both must agree on that prefix byte for byte.
def _good_lines(path: Path) -> list[tuple[bytes, str, dict[str, Any]]]:
    """The lines of one file up to a torn last line (killed mid-write) or a bad one, each with
    its record's ``split/id`` and the record."""
    good: list[tuple[bytes, str, dict[str, Any]]] = []
    if not path.exists():
        return good
    for line in path.read_bytes().split(b"\n")[:-1]:  # the part after the last newline is torn
        try:
            rec = json.loads(line)
            good.append((line, f"{rec['split']}/{rec['id']}", rec))
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
            break
    return good


def _read_records(path: Path) -> dict[str, dict[str, Any]]:
    """Records of one file by ``split/id``, up to a torn last line (killed mid-write)."""
    return {key: rec for _, key, rec in _good_lines(path)}


def _read_done(out: Path) -> dict[str, dict[str, Any]]:
    """Everything scored so far: ``samples.jsonl`` and every rank's part."""
    done = _read_records(out / SAMPLES)
    for part in sorted((out / PARTS).glob("samples-r*.jsonl")):
        done.update(_read_records(part))
    return done


def _drop_stale(out: Path, samples: Sequence[Any], fps: dict[str, str]) -> list[dict[str, Any]]:
    """Rank 0, before any rank reads what is done: cut the records whose fingerprint is not
    their sample's (its data changed, or an older mmx kept none) out of ``samples.jsonl`` and
    every rank's part, each file rewritten whole; returns the records cut, in sample order."""
    done = _read_done(out)
    stale = [done[s.key] for s in samples if s.key in done and done[s.key].get("fp") != fps[s.key]]
    keys = {f"{r['split']}/{r['id']}" for r in stale}
    for path in [out / SAMPLES, *sorted((out / PARTS).glob("samples-r*.jsonl"))]:
        lines = _good_lines(path)
        if any(key in keys for _, key, _ in lines):
            write_atomic(path, b"".join(line + b"\n" for line, key, _ in lines if key not in keys))
    return stale


def _rescored_note(stale: Sequence[dict[str, Any]]) -> str:
    """One line: how many samples are scored again, why, and the first of them."""
    one = len(stale) == 1
    older = sum(1 for r in stale if "fp" not in r)
    if older == len(stale):
        why = ("its record is" if one else "their records are") + " from an older mmx, which kept no data fingerprint"
    else:
        why = ("its data changed since it was" if one else "their data changed since they were") + " scored"
        if older:
            why += f" ({older} of them recorded by an older mmx, which kept no data fingerprint)"
    ids = [str(r["id"]) for r in stale]
    return f"{_plural(len(stale), 'sample')} scored again: {why}: {', '.join(ids[:5])}{' ...' if len(ids) > 5 else ''}"


def _cut_torn_tail(path: Path) -> None:
    """Cut a half-written last line off ``path`` before appending to it."""
    if not path.exists():
        return
    data = path.read_bytes()
    good = 0
    for line in data.split(b"\n")[:-1]:
        try:
            json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            break
        good += len(line) + 1
    if good < len(data):
        with open(path, "r+b") as fh:
            fh.truncate(good)


def _merge(out: Path, samples: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Fold the ranks' parts into ``samples.jsonl`` (in sample order) and remove them."""
    done = _read_done(out)
    parts = sorted((out / PARTS).glob("samples-r*.jsonl"))
    if parts:
        order = {s.key: i for i, s in enumerate(samples)}
        keys = sorted(done, key=lambda k: (order.get(k, len(order)), k))
        write_atomic(out / SAMPLES, "".join(json.dumps(done[k], ensure_ascii=False) + "\n" for k in keys))
        shutil.rmtree(out / PARTS, ignore_errors=True)
    return done


def _higher(bench: Any, metric: str) -> bool:
    return bool(bench.higher_is_better.get(metric.split("/")[0], True))


def _versions() -> dict[str, str | None]:
    import importlib.metadata as md

    import mmx

    out: dict[str, str | None] = {"mmx": mmx.__version__}
    for pkg in ("torch", "transformers", "rapidocr", "tesserocr"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    try:  # the library tesserocr runs (it may differ from the `tesseract` command's)
        import tesserocr

        out["tesseract"] = str(tesserocr.tesseract_version()).split("\n")[0]
    except ImportError:
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
