"""Multilingual GenEval (GenEval's protocol, NeoBabel's m-GenEval languages): ``mmx eval --bench geneval``.

Everything this bench owns lives in this folder: the protocol core (``protocol``:
:func:`judge`, GenEval's verdict on one image), GenEval's files (``metadata``: metadata
records, the image folder layout, ``results.jsonl`` and its summary), the detector and
colour-classifier seams (``detect``), the offline twin (``shapes``: a procedural shapes
world and its exact detector; ``oracle``: the ``shapes-oracle`` reference adapter that
draws it) and the bench (:class:`GenevalBench`).

Samples are (language, prompt): ``subset`` is the language and ``pair`` the spec, so the
contract's paired gaps are per-language gaps to English. Each sample's images are written
in GenEval's layout (``<out>/images/<lang>/<00000>/samples/<0000>.png`` beside the
prompt's ``metadata.jsonl``), detected, judged, and GenEval's ``results.jsonl`` is written
per language under ``<out>/geneval/<lang>/``. Every row's overall has a 95% bootstrap interval
(``accuracy/<row>/ci_lo``, ``ci_hi``: prompts resampled within each task).

Spec splits (shapes world, :mod:`mmx.worlds.prompts.split`): ``specs=train|heldout`` keeps one
split of the specs; with ``specs=all`` (default) the reference language (English) also gets a
row per split (``en@train``, ``en@heldout``: GenEval overall over that split's prompts), so a head trained on the train split is scored on combinations it never saw.
``templates=both`` adds English in a second template set training never used (subset
``en-paraphrase``, :mod:`mmx.worlds.prompts.paraphrase`), paired by spec with ``en``.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from mmx.adapters.base import ImageRequest, ModelAdapter
from mmx.errors import InputError
from mmx.eval.benches.geneval.report import MEAN_ROW, VARIANTS_ROW
from mmx.eval.contract import BenchBase, EvalSample, RunContext, fingerprint_of, mean
from mmx.options import Count
from mmx.worlds.geneval import COLORS, TAGS, details, judge
from mmx.worlds.prompts import LANGUAGES, VARIANTS
from mmx.worlds.prompts.paraphrase import NAME as PARAPHRASE
from mmx.worlds.prompts.paraphrase import render_paraphrase
from mmx.worlds.prompts.split import SPLITS, split_of

__all__ = ["COLORS", "TAGS", "GenevalBench", "GenevalSample", "judge"]

version = "1"
#: NeoBabel's m-GenEval languages, English first (the reference of the gaps)
NEOBABEL: tuple[str, ...] = ("en", "zh", "nl", "fr", "hi", "fa")
#: NeoBabel's file names -> language codes
_NEOBABEL_FILES = {"evaluation_metadata.jsonl": "en", "evaluation_metadata_chinese.jsonl": "zh",
                   "evaluation_metadata_dutch.jsonl": "nl", "evaluation_metadata_french.jsonl": "fr",
                   "evaluation_metadata_hindi.jsonl": "hi", "evaluation_metadata_persian.jsonl": "fa"}
#: every language code a run may hold: NeoBabel's, then the prompt generator's others
_LANGUAGE_CODES = (*NEOBABEL, *sorted(set(LANGUAGES) - set(NEOBABEL)))
_LABELS = {"single_object": "single", "two_object": "two", "counting": "count", "colors": "colors",
           "position": "position", "color_attr": "attr"}


@dataclass
class GenevalSample(EvalSample):
    """One prompt in one language: its GenEval record and where its images are."""

    prompt: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    language: str = "en"
    #: the prompt's folder number in GenEval's layout (its line in the language's file)
    folder: int = 0
    #: images mode: the image files to score (expected ones listed even if missing)
    image_files: list[str] = field(default_factory=list)


class GenevalBench(BenchBase[GenevalSample]):
    """Multilingual GenEval: GenEval's six tasks, judged exactly as GenEval, in many languages."""

    name = "geneval"
    version = version
    needs = "generate_images"
    default_model = "shapes-oracle"
    limit_unit = "prompt (in every language)"
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {
        "score": ("accuracy", "overall"), **{t: (t, _LABELS[t]) for t in TAGS}}
    #: the languages, their mean, then the code-mixed and romanized variants (``fr-en-first``,
    #: ``hi-roman``) and theirs: ``mean`` is over languages only (m-GenEval's headline)
    subset_order = (_LANGUAGE_CODES[0], *(f"{_LANGUAGE_CODES[0]}@{sp}" for sp in SPLITS), *_LANGUAGE_CODES[1:],
                    MEAN_ROW, PARAPHRASE,
                    *(f"{c}-{v}" for c in _LANGUAGE_CODES if c != "en" for v in VARIANTS), VARIANTS_ROW)
    extra_subset_metrics: ClassVar[dict[str, str]] = {"missing": "images missing/unreadable"}
    higher_is_better: ClassVar[dict[str, bool]] = {"accuracy": True, "consistency": True, "gap": False,
                                                   "missing": False, "clc": True, "css": True}
    scoring_note = ("Scoring: GenEval's protocol (threshold 0.3, 0.9 for counting; top 16 per class; colour and "
                    "position on the top `count` objects; position threshold 0.1). A task's score is the share of "
                    "its images judged correct; overall is the unweighted mean of the task scores; missing or "
                    "unreadable images count as incorrect. Gaps are English minus the language on GenEval's "
                    "overall (tasks weighted equally), with a paired bootstrap over prompts.")
    smoke_args: ClassVar[dict[str, Any]] = {"n_images": 1}
    has_generator = True

    @classmethod
    def data_arguments(cls, parser: Any) -> None:
        parser.add_argument("--languages", default="all",
                            help="comma-separated language codes, or all (default); see LANGUAGES in "
                            "mmx.worlds.prompts")
        parser.add_argument("--world", default="shapes", choices=("coco", "shapes"),
                            help="the prompts' world (default: shapes, the offline world that `mmx eval "
                            "--bench geneval` draws and judges with no model; coco: GenEval's 553 prompts, "
                            "English byte-identical to GenEval's file, for a real text-to-image model and "
                            "detector)")
        parser.add_argument("--variants", default="",
                            help="also write these variants where a language has them: en-first, en-second "
                            "(code-mixed), roman (romanized Hindi and Persian); the output names the "
                            "languages without one, and a variant none of --languages has is an error")

    @classmethod
    def make_data(cls, args: Any) -> str:
        """GenEval-format metadata per language: ``OUT/<code>/evaluation_metadata.jsonl``."""
        from mmx.worlds.prompts import parse_languages, variant_summary, write_metadata

        out = Path(args.out)
        langs = parse_languages(args.languages)
        variants = [v.strip() for v in args.variants.split(",") if v.strip()]
        if out.exists() and any(out.glob("*/evaluation_metadata.jsonl")) and not args.overwrite:
            raise InputError(f"--out {out} already holds metadata files; pass --overwrite to replace them")
        paths = write_metadata(out, langs, world=args.world, variants=variants)
        n = len(paths[0].read_text(encoding="utf-8").splitlines())
        return (f"{len(paths)} metadata files ({n} prompts each, {args.world} world) -> {out}"
                + variant_summary(langs, variants))

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0,
                 languages: str | None = None, n_images: Count | None = None, detector: str = "shapes",
                 images: str | None = None, language: str | None = None, world: str = "shapes",
                 per_tag: Count | None = None, detector_model: str | None = None, detector_size: str | None = None,
                 detector_batch_size: Count | None = None, color_model: str | None = None,
                 color_pretrained: str | None = None, device: str | None = None,
                 consistency: str | None = None, consistency_batch: Count = 32,
                 specs: Literal["all", "train", "heldout"] = "all",
                 templates: Literal["geneval", "both", "paraphrase"] = "geneval") -> None:
        # types and ranges are checked by create_bench (mmx.options); choices here
        super().__init__(data, split, seed)
        #: model options of real detectors and the colour classifier (mmx.eval.benches.geneval.detectors)
        self.detector_options = {"detector_model": detector_model, "detector_size": detector_size,
                                 "detector_batch_size": detector_batch_size, "color_model": color_model,
                                 "color_pretrained": color_pretrained, "device": device}
        #: the generated set keeps the first ``per_tag`` specs of each task (None: all)
        self.per_tag = None if per_tag is None else int(per_tag)
        if split is not None and split not in TAGS:
            raise InputError(f"--split {split!r}: geneval's splits are its tasks: {', '.join(TAGS)}")
        from mmx.eval.benches.geneval.detect import DETECTORS

        if detector not in DETECTORS:
            raise InputError(f"geneval: unknown detector {detector!r}; registered: {', '.join(DETECTORS.names())}")
        self.languages_arg = languages
        #: images per prompt: to generate (default 4), or to expect in images mode (default: as the folder has)
        self.n_images = 4 if n_images is None else int(n_images)
        self._n_images_asked = n_images is not None
        self.detector_name = detector
        self.images = images
        self.language = language
        self.world = world
        #: which specs to keep (shapes world: mmx.worlds.prompts.split); all: every spec, rows per split
        self.specs = specs
        if specs != "all" and world != "shapes":
            raise InputError(f"geneval: specs={specs} needs the shapes world (only it has a train/held-out split)")
        #: English templates: GenEval's, the paraphrase set (subset en-paraphrase), or both
        self.templates = templates
        #: the image embedder of CLC / CSS (``consistency=SPEC``, see ``consistency.BACKENDS``); None: off
        self.consistency = None if consistency in (None, "") else str(consistency)
        if self.consistency is not None:
            from mmx.eval.benches.geneval.consistency import BACKENDS

            if self.consistency.partition(":")[0] not in BACKENDS:
                raise InputError(f"--bench-args consistency={self.consistency}: write one of "
                                 f"{'; '.join(BACKENDS.values())}")
        self.consistency_batch = int(consistency_batch)
        self._detector: Any = None
        self._colors: Any = None
        self._notes: list[str] = []
        self._source = ""
        self._made_by: dict[str, Any] | None = None

    # --- load ---------------------------------------------------------------------------
    def _images_root(self) -> Path | None:
        if self.images is not None:
            return Path(self.images)
        if self.data is not None and Path(self.data).is_dir() and _is_image_layout(Path(self.data)):
            return Path(self.data)
        return None

    def outputs_made_by(self) -> dict[str, Any] | None:
        """Images mode: what made the images, from the manifest the run that drew them wrote
        (``images/manifest.json``, in the folder or, for one language's folder, above it), else
        ``images from FOLDER``. None when this run generates."""
        root = self._images_root()
        if root is None:
            return None
        if self._made_by is None:
            from mmx.eval.manifest import read_manifest

            man = read_manifest(root) or (read_manifest(root.parent) if _has_prompt_folders(root) else None)
            if man is None:
                self._made_by = {"name": f"images from {root}", "args": {}, "note": f"images from {root}"}
            else:
                self._made_by = {"name": man["model"], "args": man.get("model_args") or {},
                                 "note": f"images from {root}, made by {man['model']} (manifest)", "manifest": man}
        return self._made_by

    def load(self, progress: bool = True) -> list[GenevalSample]:
        root = self._images_root()
        if root is not None:
            samples = self._load_images(root)
        elif self.data is not None:
            samples = self._load_files(Path(self.data))
        else:
            samples = self._load_default()
        if self.split is not None:
            samples = [s for s in samples if s.category == self.split]
        if self.specs != "all":
            samples = [s for s in samples if split_of(s.metadata) == self.specs]
        return samples

    def _load_default(self) -> list[GenevalSample]:
        from mmx.worlds.prompts import LANGUAGES, render_prompt, specs

        langs = self._languages(tuple(LANGUAGES), default=[c for c in NEOBABEL if c in LANGUAGES])
        if self.templates != "geneval":
            if "en" not in langs:
                raise InputError(f"geneval: templates={self.templates} rephrases English; add en to languages")
            langs.insert(langs.index("en") + 1, PARAPHRASE)
            if self.templates == "paraphrase":
                langs.remove("en")
        self._source = f"{self.world} world, generator prompts"
        base = [s for s in specs(self.world) if self.specs == "all" or split_of(s) == self.specs]
        if self.per_tag is not None:
            base = [s for t in TAGS for s in [x for x in base if x["tag"] == t][:self.per_tag]]
        out = []
        for lang in langs:
            render = render_paraphrase if lang == PARAPHRASE else (lambda s, c=lang: render_prompt(s, c))
            for i, spec in enumerate(base):
                rec = {**{k: v for k, v in spec.items() if k != "prompt"}, "prompt": render(spec)}
                out.append(_sample(rec, lang, i, f"{i:05d}"))
        return out

    def _languages(self, available: Sequence[str], default: Sequence[str]) -> list[str]:
        if self.languages_arg in (None, ""):
            return list(default)
        if self.languages_arg == "all":
            return list(available)
        asked = [c.strip() for c in str(self.languages_arg).split(",") if c.strip()]
        unknown = [c for c in asked if c not in available]
        if unknown:
            raise InputError(f"geneval: unknown language {', '.join(unknown)}; supported: {', '.join(available)}")
        return asked

    def _load_files(self, path: Path) -> list[GenevalSample]:
        from mmx.eval.benches.geneval.metadata import read_metadata_indexed as read

        per_lang: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        if path.is_file():
            lang = self.language or "en"
            _check_code(lang)
            per_lang[lang] = read(path, self.skipped)
        elif path.is_dir():
            neobabel = {code: path / f for f, code in _NEOBABEL_FILES.items() if (path / f).is_file()}
            if neobabel:  # NeoBabel's folder: its files, nothing else
                per_lang = {code: read(f, self.skipped) for code, f in neobabel.items()}
            else:
                for sub in sorted(path.iterdir()):
                    if sub.is_dir() and (sub / "evaluation_metadata.jsonl").is_file():
                        _check_code(sub.name)
                        per_lang[sub.name] = read(sub / "evaluation_metadata.jsonl", self.skipped)
            if not per_lang:
                raise InputError(f"--data {path}: no GenEval metadata found (expected a metadata .jsonl file, "
                                 "<code>/evaluation_metadata.jsonl per language, NeoBabel's "
                                 "evaluation_metadata_<language>.jsonl files, or a GenEval image folder)")
        else:
            raise InputError(f"--data {path}: no such file or folder")
        per_lang = {k: per_lang[k] for k in self._languages(list(per_lang), default=list(per_lang))}
        self._source = f"metadata in {path}"
        return self._aligned(per_lang)

    def _load_images(self, root: Path) -> list[GenevalSample]:
        from mmx.eval.benches.geneval.metadata import images_per_prompt, read_image_folder

        if _has_prompt_folders(root):
            folders = {self.language or "en": read_image_folder(root)}
            where = {self.language or "en": ""}
        else:
            folders = {sub.name: read_image_folder(sub) for sub in sorted(root.iterdir())
                       if sub.is_dir() and _has_prompt_folders(sub)}
            where = {k: k for k in folders}
        for code in folders:
            _check_code(code)
        folders = {k: folders[k] for k in self._languages(list(folders), default=list(folders))}
        # as many per prompt as the folder has (a run made with n_images=1 is not 3/4 missing)
        self.n_images = images_per_prompt({where[k]: f for k, f in folders.items()}, root,
                                          self.n_images if self._n_images_asked else None)
        for f in folders.values():
            f.expect(self.n_images)
        self._source = f"images in {root}"
        made = self.outputs_made_by() or {}
        self._notes.append(f"images mode: scoring the images in {root} as they are (no model was asked; "
                           f"{made.get('note', '')}); {self.n_images} image(s) per prompt, "
                           + ("as asked (bench option n_images)" if self._n_images_asked else "as the folder holds"))
        files: dict[tuple[str, int], list[str]] = {}
        for lang, f in folders.items():
            if f.gaps:
                self._notes.append(f"{lang}: {len(f.gaps)} prompt folder(s) missing between 00000 and the last "
                                   f"one (first: {f.gaps[0]:05d}); they cannot be scored")
            for p in f.prompts:
                files[(lang, p.index)] = [str(x) for x in p.images]
        samples = self._aligned({k: [(p.index, p.metadata) for p in f.prompts] for k, f in folders.items()})
        for s in samples:
            s.image_files = files[(s.language, s.folder)]
        return samples

    def _aligned(self, per_lang: dict[str, list[tuple[int, dict[str, Any]]]]) -> list[GenevalSample]:
        """Samples of every language, paired by spec with the reference language (English, else
        the first): the k-th occurrence of a spec pairs with its k-th occurrence there, so files
        that are not line-aligned (NeoBabel's Persian) still pair correctly."""
        from mmx.eval.benches.geneval.metadata import spec_key

        langs = list(per_lang)
        ref = "en" if "en" in per_lang else langs[0]
        slots: dict[str, list[int]] = defaultdict(list)
        for n, (_, rec) in enumerate(per_lang[ref]):
            slots[spec_key(rec)].append(n)
        out = []
        for lang in [ref] + [x for x in langs if x != ref]:
            used: Counter[str] = Counter()
            unaligned = []
            for n, (folder, rec) in enumerate(per_lang[lang]):
                key = spec_key(rec)
                k = used[key]
                used[key] += 1
                if lang == ref:
                    pair = f"{n:05d}"
                elif k < len(slots.get(key, [])):
                    pair = f"{slots[key][k]:05d}"
                else:
                    pair = f"{lang}-unaligned-{folder:05d}"
                    unaligned.append(folder)
                out.append(_sample(rec, lang, folder, pair))
            if unaligned:
                self._notes.append(f"{lang}: {len(unaligned)} prompt(s) match no {ref} spec (first: line "
                                   f"{unaligned[0] + 1}); they are scored but have no pair in the {ref}-{lang} gap")
            missing = sum(len(v) for v in slots.values()) - sum(min(used[k], len(v)) for k, v in slots.items())
            if lang != ref and missing:
                self._notes.append(f"{lang}: {missing} {ref} spec(s) have no {lang} prompt")
        return out

    def fingerprint(self, sample: GenevalSample) -> str:
        """The sample's fields and, in images mode, the content of its image files: an image
        replaced since the last run is judged again."""
        if not sample.image_files:
            return super().fingerprint(sample)
        return fingerprint_of(sample, [Path(f) for f in sample.image_files])

    def describe_data(self) -> str:
        root = self._images_root()
        if root is not None:
            return f"images:{root}"
        if self.data is not None:
            return self.data
        per_tag = f", {self.per_tag} per task" if self.per_tag else ""
        split = "" if self.specs == "all" else f", {self.specs} specs"
        tmpl = "" if self.templates == "geneval" else f", templates {self.templates}"
        return (f"{self.world} world (generator prompts{per_tag}{split}{tmpl}, seed {self.seed}, {self.n_images} "
                f"images per prompt, languages {self.languages_arg or 'default'})")

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "n_images": self.n_images, "detector": self.detector_name,
                **{k: v for k, v in self.detector_options.items() if v is not None},
                "protocol": "GenEval (djghosh13/geneval evaluation/evaluate_images.py)",
                **({"consistency": self.consistency} if self.consistency else {}),
                "specs": self.specs, "templates": self.templates}

    # --- predict ------------------------------------------------------------------------
    def prepare(self, model: ModelAdapter, samples: Sequence[GenevalSample]) -> None:
        from mmx.eval.benches.geneval.detectors import build_scorer

        self._detector, self._colors = build_scorer(self.detector_name, self.detector_options)

    def request(self, sample: GenevalSample) -> ImageRequest:
        """The prompt in the sample's language; image ``k`` seeded ``seed + k`` (the same noise
        for every prompt and language, as GenEval seeds every prompt alike); the GenEval record
        rides along for reference adapters."""
        return ImageRequest(id=sample.id, prompt=sample.prompt, seed=self.seed, n=self.n_images,
                            meta=dict(sample.metadata))

    def image_path(self, ctx: RunContext, sample: GenevalSample, index: int) -> Path:
        """GenEval's layout per language: ``images/<lang>/<00000>/samples/<0000>.png``."""
        return ctx.images.root / sample.language / f"{sample.folder:05d}" / "samples" / f"{index:04d}.png"

    def predict(self, model: ModelAdapter, batch: Sequence[GenevalSample], ctx: RunContext
                ) -> list[list[dict[str, Any]]]:
        """Generate the missing images (or take the given ones in images mode), detect them in
        one batch and judge each: per sample, one verdict per image."""
        from mmx.eval.benches.geneval.metadata import write_prompt_folder

        if self._images_root() is not None:
            files = [list(s.image_files) for s in batch]
            base = None
        else:
            for s in batch:
                write_prompt_folder(ctx.images.root / s.language, s.folder, s.metadata)
            files = super().predict(model, batch, ctx)
            base = ctx.out
        return self._judge(batch, files, base)

    def _judge(self, batch: Sequence[GenevalSample], files: list[list[str]], base: Path | None
               ) -> list[list[dict[str, Any]]]:
        from mmx.eval.benches.geneval.detect import detect_and_color
        from mmx.eval.benches.geneval.detectors import build_scorer

        if self._detector is None:
            self._detector, self._colors = build_scorer(self.detector_name, self.detector_options)
        verdicts: list[list[dict[str, Any]]] = []
        todo_images, todo_meta, todo_slots = [], [], []
        for s, fs in zip(batch, files):
            row = []
            for f in fs:
                v: dict[str, Any] = {"filename": f, "status": "ok"}
                img, err = _open(base / f if base is not None else Path(f))
                if img is None:
                    v.update(status=err[0], correct=False, reason=err[1], details="{}")
                else:
                    todo_images.append(img)
                    todo_meta.append(s.metadata)
                    todo_slots.append(v)
                row.append(v)
            verdicts.append(row)
        if todo_images:
            dets = detect_and_color(self._detector, todo_images, todo_meta, self._colors)
            for v, meta, d in zip(todo_slots, todo_meta, dets):
                ok, reason = judge(meta, d)
                v.update(correct=ok, reason=reason, details=details(d, meta["tag"]))
        return verdicts

    # --- score --------------------------------------------------------------------------
    def score(self, sample: GenevalSample, output: Any) -> dict[str, Any]:
        """``score``: the share of the prompt's images judged correct (also under its task's name)."""
        n = len(output)
        k = sum(1 for v in output if v["correct"])
        frac = k / n if n else 0.0
        return {"score": frac, sample.category: frac, "n_images": n, "n_correct": k,
                "n_missing": sum(1 for v in output if v["status"] == "missing"),
                "n_unreadable": sum(1 for v in output if v["status"] == "unreadable")}

    def record(self, sample: GenevalSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        rec = super().record(sample, output, ctx)
        rec["prediction"] = [v["filename"] for v in output]
        rec["images"] = output
        rec["reasons"] = [v["reason"] for v in output if not v["correct"]]
        rec.update(language=sample.language, folder=sample.folder, metadata=sample.metadata,
                   generated=self._images_root() is None)
        return rec

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Write GenEval's ``results.jsonl`` per language under ``<out>/geneval/<lang>/``."""
        from mmx.eval.benches.geneval.metadata import write_results

        by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            meta = json.dumps(r["metadata"])
            for v in r["images"]:
                by_lang[r["subset"]].append({"filename": v["filename"], "tag": r["metadata"]["tag"],
                                             "prompt": r["metadata"]["prompt"], "correct": v["correct"],
                                             "reason": v["reason"], "metadata": meta, "details": v["details"]})
        for lang, rows in by_lang.items():
            write_results(ctx.out / "geneval" / lang / "results.jsonl", rows)
        if self.consistency is not None:
            from mmx.eval.benches.geneval.consistency import annotate, create_embedder

            langs = self.subsets_in(records)
            embedder = create_embedder(self.consistency, batch_size=self.consistency_batch)
            base = None if self._images_root() is not None else ctx.out
            records = annotate(records, embedder, ctx.out, base, reference=langs[0] if langs else "en")
        return records

    # --- aggregate ----------------------------------------------------------------------
    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Per language: each task's share of correct images and GenEval's overall (the
        unweighted mean of the task scores); the mean over languages (row ``mean``, variants
        left out) and over code-mixed and romanized variants (row ``variants-mean``); gaps of
        the overall to the reference language (English) with paired bootstrap CIs; the share
        of images missing or unreadable."""
        from mmx.eval.metrics import paired_gap

        metrics = super().aggregate(records)
        langs = self.subsets_in(records)
        ref = langs[0] if langs else None
        for key in list(metrics):
            parts = key.split("/")
            if (parts[0] in TAGS and len(parts) > 2) or parts[0] == "agreement":
                del metrics[key]  # a task's score under another task; answers are images, not text
            elif parts[0] in ("gap", "consistency") and not parts[1].startswith(f"{ref}-"):
                del metrics[key]  # gaps are to the reference language only
        per_lang: dict[str, dict[str, float]] = {}
        for lang in langs:
            rs = [r for r in records if r["subset"] == lang]
            tasks: dict[str, float] = {}
            for t in _tag_order({r["category"] for r in rs}):
                n = sum(r["n_images"] for r in rs if r["category"] == t)
                k = sum(r["n_correct"] for r in rs if r["category"] == t)
                tasks[t] = k / n if n else math.nan
                metrics[f"{t}/{lang}"] = metrics[f"accuracy/{lang}/{t}"] = tasks[t]
            metrics[f"accuracy/{lang}"] = mean(tasks.values())
            metrics[f"accuracy/{lang}/ci_lo"], metrics[f"accuracy/{lang}/ci_hi"] = overall_ci(rs, self.n_boot,
                                                                                            self.seed)
            n_img = sum(r["n_images"] for r in rs)
            metrics[f"n_images/{lang}"] = float(n_img)
            metrics[f"n_missing/{lang}"] = float(sum(r["n_missing"] for r in rs))
            metrics[f"n_unreadable/{lang}"] = float(sum(r["n_unreadable"] for r in rs))
            metrics[f"missing/{lang}"] = ((metrics[f"n_missing/{lang}"] + metrics[f"n_unreadable/{lang}"]) / n_img
                                          if n_img else math.nan)
            per_lang[lang] = tasks
        if self.world == "shapes":
            metrics.update(split_rows(records, langs[:1], self.n_boot, self.seed))
        # the mean over languages (m-GenEval's headline), and apart from it the mean over variants
        plain = [x for x in langs if variant_of(x) is None and x != PARAPHRASE]
        for row, rows in ((MEAN_ROW, plain), (VARIANTS_ROW, [x for x in langs if variant_of(x) is not None])):
            if len(rows) > 1:
                for t in _tag_order({t for x in rows for t in per_lang[x]}):
                    metrics[f"{t}/{row}"] = metrics[f"accuracy/{row}/{t}"] = mean(
                        per_lang[x][t] for x in rows if t in per_lang[x])
                metrics[f"accuracy/{row}"] = mean(metrics[f"accuracy/{x}"] for x in rows)
                metrics[f"n/{row}"] = float(sum(1 for r in records if r["subset"] in rows))
        if len(langs) > 1:
            for lang in langs[1:]:
                a = {r["pair"]: r for r in records if r["subset"] == ref}
                b = {r["pair"]: r for r in records if r["subset"] == lang}
                keys = a.keys() & b.keys()
                per_tag = Counter(a[k]["category"] for k in keys)
                # weights that make the mean paired difference GenEval's overall difference
                # (every task counts the same, whatever its number of prompts)
                w = {t: len(keys) / (len(per_tag) * c) for t, c in per_tag.items()}
                g = paired_gap({k: a[k]["score"] * w[a[k]["category"]] for k in keys},
                               {k: b[k]["score"] * w[a[k]["category"]] for k in keys},
                               n_boot=self.n_boot, seed=self.seed)
                pair = f"{ref}-{lang}"
                metrics[f"gap/{pair}"], metrics[f"gap/{pair}/ci_lo"] = g["gap"], g["lo"]
                metrics[f"gap/{pair}/ci_hi"], metrics[f"gap/{pair}/n_pairs"] = g["hi"], float(g["n"])
        if self.consistency is not None and ref is not None:
            from mmx.eval.benches.geneval.consistency import consistency_metrics

            metrics.update(consistency_metrics(records, ref))
        return metrics

    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]:
        from mmx.worlds.shapes import SHAPES

        out = list(dict.fromkeys(self._notes))
        if self.detector_name == "shapes":
            foreign = sorted({c["class"] for r in records for c in r["metadata"]["include"]} - set(SHAPES))
            if foreign:
                out.append(f"detector shapes sees only the shapes world ({', '.join(SHAPES)}), but prompts ask for "
                           f"{', '.join(foreign[:5])}{' ...' if len(foreign) > 5 else ''}: pass another detector")
            jpeg = sum(1 for r in records for v in r["images"]
                       if v["status"] == "ok" and Path(v["filename"]).suffix.lower() in (".jpg", ".jpeg"))
            if jpeg:
                out.append(f"detector shapes reads the shapes world's exact colours, which JPEG compression changes: "
                           f"{jpeg} JPEG image(s) may be misread; give it lossless images (.png, .webp)")
        bad = [(v["filename"], v["status"]) for r in records for v in r["images"] if v["status"] != "ok"]
        if bad:
            kinds = Counter(s for _, s in bad)
            out.append(f"{len(bad)} image(s) could not be scored and count as incorrect ("
                       + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + "): "
                       + "; ".join(f"{f} ({s})" for f, s in bad[:5]) + (" ..." if len(bad) > 5 else ""))
        return out

    # --- report -------------------------------------------------------------------------
    @classmethod
    def report_sections(cls, results: dict[str, Any], out: Path) -> list[str]:
        """A language x task heat map, failure reasons counted and example images."""
        from mmx.eval.benches.geneval.report import sections

        return sections(results, out, cls.subset_order, _LABELS)


def _sample(rec: dict[str, Any], lang: str, folder: int, pair: str) -> GenevalSample:
    return GenevalSample(id=f"{lang}-{folder:05d}", subset=lang, category=rec["tag"], pair=pair,
                         prompt=rec["prompt"], metadata=rec, language=lang, folder=folder)


def variant_of(code: str) -> str | None:
    """The variant of a run subset (``"hi-roman"`` -> ``"roman"``, ``"fr-en-first"`` ->
    ``"en-first"``), or None for a language (``"hi"``): variant folders as `mmx data geneval
    --variants` writes them hold code-mixed or romanized prompts of a language other than English."""
    v = next((v for v in VARIANTS if code.endswith("-" + v)), None)
    lang = code[: -len(v) - 1] if v is not None else None
    return v if lang in _LANGUAGE_CODES and lang != "en" else None


def split_rows(records: Sequence[dict[str, Any]], langs: Sequence[str], n_boot: int, seed: int
               ) -> dict[str, float]:
    """Rows ``<lang>@train`` and ``<lang>@heldout`` (shapes world, when a run holds both splits):
    each task's share of correct images over the split's prompts, GenEval overall (the unweighted
    mean of the tasks), its 95% bootstrap interval (prompts resampled within each task) and the
    numbers of prompts and images."""
    out: dict[str, float] = {}
    for lang in langs:
        rs = [r for r in records if r["subset"] == lang]
        by_split = {sp: [r for r in rs if split_of(r["metadata"]) == sp] for sp in SPLITS}
        if sum(1 for v in by_split.values() if v) < 2:
            continue
        for sp, part in by_split.items():
            row = f"{lang}@{sp}"
            tasks = {t: [r for r in part if r["category"] == t] for t in _tag_order({r["category"] for r in part})}
            for t, trs in tasks.items():
                n = sum(r["n_images"] for r in trs)
                out[f"{t}/{row}"] = out[f"accuracy/{row}/{t}"] = (
                    sum(r["n_correct"] for r in trs) / n if n else math.nan)
            out[f"accuracy/{row}"] = mean(out[f"{t}/{row}"] for t in tasks)
            out[f"accuracy/{row}/ci_lo"], out[f"accuracy/{row}/ci_hi"] = overall_ci(part, n_boot, seed)
            out[f"n/{row}"] = float(len(part))
            out[f"n_images/{row}"] = float(sum(r["n_images"] for r in part))
    return out


def overall_ci(records: Sequence[dict[str, Any]], n_boot: int, seed: int) -> tuple[float, float]:
    """95% bootstrap interval of GenEval overall (the unweighted mean of the task scores) over
    ``records``: prompts resampled within each task, so every task keeps its weight."""
    import numpy as np

    rng = np.random.default_rng(seed)
    scores = [np.array([r["score"] for r in records if r["category"] == t])
              for t in _tag_order({r["category"] for r in records})]
    boots = np.mean([s[rng.integers(len(s), size=(n_boot, len(s)))].mean(1) for s in scores], axis=0)
    return float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))


def _check_code(code: str) -> None:
    if code == PARAPHRASE:
        return
    if code not in _LANGUAGE_CODES and variant_of(code) is None:
        raise InputError(f"geneval: unknown language {code!r}; supported: {', '.join(sorted(_LANGUAGE_CODES))}")


def _has_prompt_folders(d: Path) -> bool:
    return any(sub.is_dir() and sub.name.isdigit() and (sub / "metadata.jsonl").exists() for sub in d.iterdir())


def _is_image_layout(d: Path) -> bool:
    return _has_prompt_folders(d) or any(sub.is_dir() and _has_prompt_folders(sub) for sub in d.iterdir())


def _tag_order(tags: Any) -> list[str]:
    from mmx.eval.benches.geneval.metadata import tag_order

    return tag_order(tags)


def _open(path: Path) -> tuple[Any, tuple[str, str]]:
    """The image as RGB, or None and (status, reason) when it is missing or unreadable."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not path.is_file():
        return None, ("missing", f"missing image {path.name}")
    try:
        with Image.open(path) as im:
            img = ImageOps.exif_transpose(im).convert("RGB")
            img.load()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        return None, ("unreadable", f"unreadable image {path.name}: {type(exc).__name__}")
    return img, ("ok", "")
