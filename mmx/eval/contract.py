"""The bench contract: what every ``mmx eval --bench NAME`` implements, and the defaults.

A bench is one folder under ``mmx/eval/benches/<name>/`` holding everything it owns
(data loading and generation, prompt wording, scoring, report sections, baselines)
plus one registry line. The runner (:mod:`mmx.eval.runner`), the report
(:mod:`mmx.eval.report`) and the CLI name no bench: they talk to this contract.

What a bench says and does, in the order the runner uses it:

``name``, ``version``, ``needs``, ``default_model``
    Its registry name, a version recorded with results, the one adapter capability it
    needs (``answer``, ``generate_images`` or ``embed``; see :mod:`mmx.adapters.base`) and
    the model ``mmx eval --bench NAME`` uses when no ``--model`` is given.
``__init__(data=None, split=None, seed=0, **options)``
    ``data`` is ``--data`` (``None``: the bench's offline default), ``split`` ``--split``.
``outputs_made_by() -> dict | None`` (optional)
    When ``data`` holds outputs made before the run (GenEval's image folder), what made them
    (``results.json``'s ``model_info``; its ``name`` labels the run): the runner then loads no
    model and refuses ``--model``. None (the default): a model is asked.
``load(progress) -> list[EvalSample]`` and ``skipped``
    The samples, in a fixed order; rows that could not be used are listed in
    ``skipped`` (the runner reports them; they are never silently dropped).
``select(samples, limit)``
    The first ``limit`` *items* (``limit_unit`` says what one is: e.g. one question in
    every script). Paired forms of an item are kept or dropped together.
``fingerprint(sample) -> str``
    A content hash of what the bench read for the sample (default: every field of the
    sample, bytes and :class:`~pathlib.Path` files by their content; see
    :func:`fingerprint_of`). The runner keeps it in the sample's record and scores the
    sample again when the data changed; generated images carry it too. A bench whose samples
    name files by path strings adds those files' content.
``prepare(model, samples)``
    Once, before predictions (reference baselines get the gold answers here).
``prefetch(model, batch)`` (optional)
    The next batch, handed over just before the current one is predicted, so a model can
    start on it while the current batch is answered (ocr-table reads its cards on worker
    threads). :class:`BenchBase` gives an ``answer`` model that has ``prefetch(requests)``
    the batch's requests and then predicts the batch with those same requests.
``predict(model, batch, ctx) -> list[output]``
    Ask the adapter. :class:`BenchBase` does it for every capability from
    :meth:`BenchBase.request`: strings for ``answer``; image files written under
    ``ctx.out`` (only those missing or drawn for other data, so a resumed run repeats
    nothing) for ``generate_images``; vectors in embedding shards for ``embed`` (the newest
    vector of an id is the one read).
``record(sample, output, ctx) -> dict``
    One ``samples.jsonl`` line; per-sample scores come from :meth:`BenchBase.score`.
``score_pool(records, ctx) -> records``
    Scores that need the whole pool (retrieval ranks each query against every item);
    runs once on the merged records. Default: the records as they are.
``aggregate(records) -> dict[str, float]``
    The flat metric map of ``results.json`` (``accuracy/E``, ``gap/E-H`` ...).
``score_fields``, ``subset_order``, ``report_sections(results, out)``, ``scoring_note``
    What the report and the terminal table show.
``data_arguments(parser)`` / ``make_data(args)`` (class methods, optional)
    The bench's data generator behind ``mmx data NAME``.

:class:`BenchBase` is generic over the bench's sample type (``BenchBase[GenevalSample]``), so
a bench's verbs take its own samples without loosening the contract's types.

A *composite* bench (:class:`CompositeBench`; lmms-eval's task groups are the model) is a
group of sub-benches, each an ordinary bench with its own capability, default adapter and
samples (:class:`BenchGroup`). The runner builds one adapter per group (the group's default,
or ``--model``: ``NAME`` serves every group whose capability it has, ``GROUP=NAME[,GROUP=NAME]``
targets groups and leaves the others on their defaults), asks each group's bench for its own
samples, and the composite bench records, aggregates and reports them all together.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from mmx.errors import InputError

if TYPE_CHECKING:
    from mmx.adapters.base import EmbedRequest, ImageRequest, ModelAdapter, VqaRequest

__all__ = ["Bench", "BenchBase", "BenchGroup", "CompositeBench", "EmbeddingStore", "EvalSample", "ImageStore",
           "RunContext", "fingerprint_of"]


@dataclass
class EvalSample:
    """What the runner needs of every sample; benches subclass it with their own fields."""

    id: str
    split: str = "test"
    #: the group a bench compares (a script, a language, a written form: E, H, HD ...)
    subset: str = ""
    category: str = ""
    #: shared by the paired forms of one item (``english-single-25`` / ``hindi-single-25``
    #: -> ``single-25``); empty: the sample is an item of its own
    pair: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    #: the group of a composite bench this sample belongs to (empty in a plain bench)
    group: str = ""

    @property
    def key(self) -> str:
        """Unique across splits (ids repeat across splits in some datasets)."""
        return f"{self.split}/{self.id}"

    @property
    def item(self) -> str:
        """The item this sample is one form of (what ``--limit`` counts)."""
        return f"{self.split}/{self.pair or self.id}"


def fingerprint_of(*values: Any) -> str:
    """A short content hash of ``values``: their canonical JSON (dataclasses by their fields,
    mappings with sorted keys), with bytes, :class:`~pathlib.Path` files (their content),
    images and arrays (their pixels or elements) reduced to SHA-256 digests. Equal data gives
    equal fingerprints in every process and on every machine; anything else is taken by its
    ``repr``."""
    text = json.dumps(_canonical(list(values)), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, Path):
        return {"path": str(value), "sha256": _file_sha256(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if callable(getattr(value, "tobytes", None)):  # PIL images, numpy arrays and scalars
        shape = getattr(value, "shape", None) or getattr(value, "size", None)
        kind = str(getattr(value, "dtype", None) or getattr(value, "mode", ""))
        return {"array": kind, "shape": list(shape) if shape else [], "sha256": hashlib.sha256(value.tobytes()).hexdigest()}
    return repr(value)


def _file_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:  # a missing file is part of the data as it is (a bench scores it missing)
        return None


class ImageStore:
    """Generated images as files beside ``samples.jsonl`` (``<out>/images/`` unless a bench
    lays them out otherwise by overriding :meth:`BenchBase.image_path`). Written through a
    temporary name and renamed, so a file that exists is whole; each PNG carries the
    fingerprint of the sample it was drawn for (text chunk ``mmx-fp``), so an image drawn for
    other data is never taken for this data's."""

    #: the PNG text key that holds the sample's fingerprint
    STAMP = "mmx-fp"

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, path: Path, image: Any, stamp: str = "") -> None:
        """Write ``image`` to ``path`` (replacing it), stamped with ``stamp``."""
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        if stamp:
            info.add_text(self.STAMP, stamp)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        image.save(tmp, format="PNG", pnginfo=info)
        os.replace(tmp, path)

    def holds(self, path: Path, stamp: str) -> bool:
        """Whether ``path`` is an image drawn for the sample whose fingerprint is ``stamp``."""
        if not path.is_file():
            return False
        from PIL import Image

        try:
            with Image.open(path) as im:  # reads the chunks before the pixels only
                return im.info.get(self.STAMP) == stamp
        except (OSError, ValueError):
            return False


class EmbeddingStore:
    """Embeddings cached in shards under ``<out>/embeddings/``: one ``.npz`` per batch and
    rank, holding the request ids and a float32 matrix. A shard is written whole (temporary
    name, then renamed) before the records that point at it, so a killed run loses at most
    the batch in flight and a rerun (another metric, a resumed run) encodes nothing twice."""

    def __init__(self, root: Path, rank: int = 0) -> None:
        self.root = root
        self.rank = rank
        self._index: dict[str, tuple[str, int]] | None = None

    def write(self, ids: Sequence[str], vectors: Any) -> str:
        """Store ``vectors`` (``[len(ids), dim]``) for ``ids``; returns the shard name."""
        import numpy as np

        arr = np.asarray(vectors, dtype=np.float32)
        if arr.ndim != 2 or arr.shape[0] != len(ids):
            raise ValueError(f"expected a [{len(ids)}, dim] array of embeddings, got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("embeddings contain NaN or infinity")
        self.root.mkdir(parents=True, exist_ok=True)
        # one sequence over every rank's shards: a later shard wins, whichever rank wrote the earlier one
        seq = 1 + max((_shard_order(p)[0] for p in self.root.glob("r*.npz")), default=-1)
        name = f"r{self.rank:05d}-{seq:06d}.npz"
        tmp = self.root / f".{name}.tmp.npz"
        np.savez(tmp, ids=np.asarray(list(ids), dtype=str), vectors=arr)
        os.replace(tmp, self.root / name)
        self._index = None
        return name

    def get(self, ids: Sequence[str]) -> Any:
        """The ``[len(ids), dim]`` matrix for ``ids`` (all must have been written); an id written
        more than once (its sample scored again after its data changed) gives its newest vector."""
        import numpy as np

        index = self._load_index()
        missing = [i for i in ids if i not in index]
        if missing:
            raise InputError(f"embeddings for {len(missing)} items are missing from {self.root} "
                             f"(first: {missing[0]!r}); rerun with --overwrite to encode again")
        by_shard: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for pos, i in enumerate(ids):
            shard, row = index[i]
            by_shard[shard].append((pos, row))
        out: Any = None
        for shard, pairs in by_shard.items():
            with np.load(self.root / shard) as z:
                vecs = z["vectors"]
            if out is None:
                out = np.empty((len(ids), vecs.shape[1]), dtype=np.float32)
            for pos, row in pairs:
                out[pos] = vecs[row]
        return out if out is not None else np.empty((0, 0), dtype=np.float32)

    def _load_index(self) -> dict[str, tuple[str, int]]:
        if self._index is None:
            import numpy as np

            index: dict[str, tuple[str, int]] = {}
            for path in sorted(self.root.glob("r*.npz"), key=_shard_order):
                with np.load(path) as z:
                    for row, i in enumerate(z["ids"].tolist()):
                        index[i] = (path.name, row)
            self._index = index
        return self._index


def _shard_order(path: Path) -> tuple[int, int]:
    """``r<rank>-<seq>.npz`` -> (seq, rank): the order shards were written in."""
    rank, _, seq = path.stem.removeprefix("r").partition("-")
    return (int(seq), int(rank)) if rank.isdigit() and seq.isdigit() else (-1, -1)


@dataclass
class RunContext:
    """Where a run keeps what it produces, and who this process is under ``torchrun``."""

    out: Path
    seed: int = 0
    rank: int = 0
    world: int = 1
    progress: bool = True

    @property
    def images(self) -> ImageStore:
        return ImageStore(self.out / "images")

    @property
    def embeddings(self) -> EmbeddingStore:
        return EmbeddingStore(self.out / "embeddings", self.rank)


@runtime_checkable
class Bench(Protocol):
    """The contract the runner, the report and the CLI rely on (see the module docstring)."""

    name: str
    version: str
    needs: str
    default_model: str
    limit_unit: str
    higher_is_better: Mapping[str, bool]
    skipped: list[str]

    def load(self, progress: bool = True) -> Sequence[EvalSample]: ...
    def describe_data(self) -> str: ...
    def describe(self) -> dict[str, Any]: ...
    def select(self, samples: Sequence[EvalSample], limit: int) -> list[EvalSample]: ...
    def prepare(self, model: ModelAdapter, samples: Sequence[EvalSample]) -> None: ...
    def predict(self, model: ModelAdapter, batch: Sequence[EvalSample], ctx: RunContext) -> list[Any]: ...
    def record(self, sample: EvalSample, output: Any, ctx: RunContext) -> dict[str, Any]: ...
    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]: ...
    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]: ...
    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]: ...


S = TypeVar("S", bound=EvalSample)


class BenchBase(Generic[S]):
    """Defaults for the contract: a new bench sets ``name``/``needs``/``default_model``,
    implements :meth:`load`, :meth:`request` and :meth:`score`, and inherits the rest
    (prediction for every capability, records, per-subset means, paired cross-form gaps,
    the report). ``S`` is the bench's sample type."""

    name: ClassVar[str] = "bench"
    version: ClassVar[str] = "1"
    #: the adapter capability this bench needs: answer, generate_images or embed
    needs: ClassVar[str] = "answer"
    #: the model used when ``mmx eval`` gets no ``--model``
    default_model: ClassVar[str] = "majority"
    #: what one ``--limit`` counts
    limit_unit: ClassVar[str] = "item"
    #: per-sample record field -> (metric prefix, label) shown in reports; the first is the headline
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {"score": ("accuracy", "accuracy")}
    #: subsets in this order first (the first is the reference of the paired gaps)
    subset_order: ClassVar[tuple[str, ...]] = ()
    #: metric prefix -> higher is better; unknown prefixes count as higher-is-better
    higher_is_better: ClassVar[dict[str, bool]] = {"accuracy": True, "agreement": True, "consistency": True,
                                                   "gap": False}
    #: record fields that get their own per-subset breakdown (mmcric: ``format``)
    group_fields: ClassVar[tuple[str, ...]] = ()
    #: extra per-subset metrics (prefix -> label) shown beside the score fields in the report
    extra_subset_metrics: ClassVar[dict[str, str]] = {}
    #: scores are fractions shown as percentages (False: shown as they are, e.g. MRR)
    as_percent: ClassVar[bool] = True
    #: one line under the report saying how samples are scored
    scoring_note: ClassVar[str] = ""
    #: bootstrap resamples for paired gaps
    n_boot: ClassVar[int] = 2000
    #: bench options for the registry smoke test (a small offline run with the default model)
    smoke_args: ClassVar[dict[str, Any]] = {}

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0) -> None:
        self.data = data
        self.split = split
        self.seed = seed
        self.skipped: list[str] = []
        #: sample key -> the request :meth:`prefetch` built for it (taken by :meth:`predict`)
        self._ahead: dict[str, Any] = {}

    # --- load ---------------------------------------------------------------------------
    def load(self, progress: bool = True) -> Sequence[S]:
        """The samples, in a fixed order."""
        raise NotImplementedError

    def describe_data(self) -> str:
        """Where the samples came from, for results.json and the run's identity."""
        return self.data if self.data is not None else "built-in"

    def describe(self) -> dict[str, Any]:
        """What the bench is, for ``results.json`` (``bench_info``)."""
        return {"name": self.name, "version": self.version, "needs": self.needs, "limit_unit": self.limit_unit}

    def outputs_made_by(self) -> dict[str, Any] | None:
        """What made the outputs this bench scores as they are (``{"name", "args", "note", ...}``,
        results.json's ``model_info``), or None when a model is asked (the default)."""
        return None

    def select(self, samples: Sequence[S], limit: int) -> list[S]:
        """The samples of the first ``limit`` items (all forms of each), in load order."""
        items: dict[str, list[S]] = {}
        for s in samples:
            if s.item not in items:
                if len(items) == limit:
                    continue
                items[s.item] = []
            items[s.item].append(s)
        keep = {id(s) for group in items.values() for s in group}
        return [s for s in samples if id(s) in keep]

    def fingerprint(self, sample: S) -> str:
        """A content hash of what was read for ``sample``: when it differs from the one in the
        sample's record, the data changed and the runner scores the sample again. The default
        hashes every field of the sample (:func:`fingerprint_of`); override it to add the
        content of files a sample names by path strings."""
        return fingerprint_of(sample)

    # --- predict ------------------------------------------------------------------------
    def prepare(self, model: ModelAdapter, samples: Sequence[S]) -> None:
        """Called once before predictions; the default does nothing."""

    def prefetch(self, model: ModelAdapter, batch: Sequence[S]) -> None:
        """The runner hands over the next batch before it predicts the current one: an
        ``answer`` model with a ``prefetch(requests)`` method gets the batch's requests now
        (to start on them in the background), and :meth:`predict` asks with the same requests
        later (built once: a request holds decoded images). Other models: nothing happens."""
        ahead = getattr(model, "prefetch", None)
        if self.needs != "answer" or not callable(ahead):
            return
        requests = [self.request(s) for s in batch]
        # vars(): a bench whose __init__ skipped BenchBase's has no _ahead yet
        vars(self).setdefault("_ahead", {}).update((s.key, r) for s, r in zip(batch, requests, strict=True))
        ahead(requests)

    def request(self, sample: S) -> VqaRequest | ImageRequest | EmbedRequest | list[EmbedRequest]:
        """What to ask the adapter for ``sample`` (the type matches :attr:`needs`)."""
        raise NotImplementedError

    def image_path(self, ctx: RunContext, sample: S, index: int) -> Path:
        """Where image ``index`` generated for ``sample`` is kept."""
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in sample.id)
        return ctx.images.root / sample.split / safe / f"{index:04d}.png"

    def predict(self, model: ModelAdapter, batch: Sequence[S], ctx: RunContext) -> list[Any]:
        """Ask ``model`` for ``batch``: strings (answer), lists of image paths relative to
        the run folder (generate_images), or lists of embedding ids (embed)."""
        if self.needs == "answer":
            ahead = getattr(self, "_ahead", {})  # a bench whose __init__ skipped BenchBase's has none
            requests = [ahead.pop(s.key, None) or self.request(s) for s in batch]
            answers = model.answer(requests)  # type: ignore[arg-type]
            _check_count(model, answers, batch, "answers")
            return [str(a) for a in answers]
        if self.needs == "generate_images":
            return self._generate(model, batch, ctx)
        if self.needs == "embed":
            from mmx.adapters.base import EmbedRequest

            per_sample = [self.request(s) for s in batch]
            lists = [r if isinstance(r, list) else [r] for r in per_sample]
            flat = [r for rs in lists for r in rs if isinstance(r, EmbedRequest)]
            if len(flat) != sum(len(rs) for rs in lists):
                raise InputError(f"bench {self.name} needs embed, so request() must return EmbedRequests")
            vectors = model.embed(flat)
            _check_count(model, vectors, flat, "embeddings")
            ctx.embeddings.write([r.id for r in flat], vectors)
            return [[r.id for r in rs] for rs in lists]
        raise InputError(f"bench {self.name}: unknown capability {self.needs!r}")

    def _generate(self, model: ModelAdapter, batch: Sequence[S], ctx: RunContext) -> list[list[str]]:
        from mmx.adapters.base import ImageRequest

        requests = []
        for s in batch:
            r = self.request(s)
            if not isinstance(r, ImageRequest):
                raise InputError(f"bench {self.name} needs generate_images, so request() must return an "
                                 f"ImageRequest (got {type(r).__name__})")
            stamp = self.fingerprint(s)
            missing = tuple(k for k in r.wanted() if not ctx.images.holds(self.image_path(ctx, s, k), stamp))
            requests.append((s, r, missing, stamp))
        todo = [dataclasses.replace(r, indices=m) for _, r, m, _ in requests if m]
        images = model.generate_images(todo) if todo else []
        _check_count(model, images, todo, "image lists")
        made = iter(images)
        out = []
        for s, r, missing, stamp in requests:
            if missing:
                got = next(made)
                if len(got) != len(missing):
                    raise InputError(f"model {model.name} returned {len(got)} images for {len(missing)} asked")
                for k, img in zip(missing, got):
                    ctx.images.save(self.image_path(ctx, s, k), img, stamp)
            out.append([str(self.image_path(ctx, s, k).relative_to(ctx.out)) for k in r.wanted()])
        return out

    # --- score --------------------------------------------------------------------------
    def score(self, sample: S, output: Any) -> dict[str, Any]:
        """Per-sample scores; ``score`` is the headline."""
        raise NotImplementedError

    def sample_fields(self, sample: S) -> dict[str, Any]:
        """What every ``samples.jsonl`` line says of its sample: ``id``, ``split``, ``subset``,
        ``category``, ``pair``, and ``question`` / ``answer`` / ``prompt`` when the sample has them."""
        rec: dict[str, Any] = {"id": sample.id, "split": sample.split, "subset": sample.subset,
                               "category": sample.category, "pair": sample.pair or sample.id}
        for k in ("question", "answer", "prompt"):
            v = getattr(sample, k, None)
            if isinstance(v, str):
                rec[k] = v
        return rec

    def record(self, sample: S, output: Any, ctx: RunContext) -> dict[str, Any]:
        """The ``samples.jsonl`` line of ``sample``."""
        rec = self.sample_fields(sample)
        rec["prediction"] = output
        rec.update(self.score(sample, output))
        return rec

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Scores that need every record at once (default: none)."""
        return records

    # --- aggregate ----------------------------------------------------------------------
    def subsets_in(self, records: Sequence[dict[str, Any]]) -> list[str]:
        found = {r["subset"] for r in records}
        return [s for s in self.subset_order if s in found] + sorted(found - set(self.subset_order))

    def record_groups(self, records: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """The records by ``subset``, by ``subset/category`` and by ``subset/FIELD/value`` for
        each of :attr:`group_fields`: the groups every per-group mean is taken over."""
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            groups[r["subset"]].append(r)
            if r.get("category"):
                groups[f"{r['subset']}/{r['category']}"].append(r)
            for k in self.group_fields:
                if r.get(k):
                    groups[f"{r['subset']}/{k}/{r[k]}"].append(r)
        return groups

    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Means of every score field per subset and per subset/category, then for each pair
        of subsets the paired gap of the headline score (bootstrap 95% CI), agreement of the
        predictions and consistency of correctness."""
        from mmx.eval.metrics import paired_agreement, paired_consistency, paired_gap

        metrics: dict[str, float] = {"n_samples": float(len(records))}
        groups = self.record_groups(records)
        for key in sorted(groups):
            rs = groups[key]
            for fld, (prefix, _) in self.score_fields.items():
                metrics[f"{prefix}/{key}"] = mean(r[fld] for r in rs if r.get(fld) is not None)
            metrics[f"n/{key}"] = float(len(rs))
        head = next(iter(self.score_fields))
        subsets = self.subsets_in(records)
        for i, a in enumerate(subsets):
            for b in subsets[i + 1:]:
                sa = {r["pair"]: r[head] for r in groups[a]}
                sb = {r["pair"]: r[head] for r in groups[b]}
                if not sa.keys() & sb.keys():
                    continue
                g = paired_gap(sa, sb, n_boot=self.n_boot, seed=self.seed)
                metrics[f"gap/{a}-{b}"] = g["gap"]
                metrics[f"gap/{a}-{b}/ci_lo"] = g["lo"]
                metrics[f"gap/{a}-{b}/ci_hi"] = g["hi"]
                metrics[f"gap/{a}-{b}/n_pairs"] = float(g["n"])
                metrics[f"agreement/{a}-{b}"] = paired_agreement(
                    {r["pair"]: _as_text(r.get("prediction")) for r in groups[a]},
                    {r["pair"]: _as_text(r.get("prediction")) for r in groups[b]})
                metrics[f"consistency/{a}-{b}"] = paired_consistency(sa, sb)
                cats = sorted({r["category"] for r in groups[a]} & {r["category"] for r in groups[b]} - {""})
                for c in cats:
                    ca = {r["pair"]: r[head] for r in groups[a] if r["category"] == c}
                    cb = {r["pair"]: r[head] for r in groups[b] if r["category"] == c}
                    pairs = ca.keys() & cb.keys()
                    metrics[f"gap/{a}-{b}/{c}"] = mean(ca[k] - cb[k] for k in pairs)
        return metrics

    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]:
        """Caveats about these records for ``results.json`` and the terminal (default: none)."""
        return []

    # --- report -------------------------------------------------------------------------
    @classmethod
    def report_sections(cls, results: dict[str, Any], out: Path) -> list[str]:
        """Extra markdown the bench adds to ``report.md`` after the standard tables; plots it
        links go into ``out`` (the run folder) beside ``report.md``."""
        return []

    # --- data generator (``mmx data NAME``) ----------------------------------------------
    #: whether ``mmx data NAME`` can make this bench's data
    has_generator: ClassVar[bool] = False

    @classmethod
    def data_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add the generator's options (``--out`` and ``--seed`` are there already)."""

    @classmethod
    def make_data(cls, args: argparse.Namespace) -> str:
        """Write the bench's data under ``args.out``; returns a one-line summary."""
        raise InputError(f"bench {cls.name} has no data generator")


@dataclass
class BenchGroup:
    """One group of a :class:`CompositeBench`: a sub-bench with its own samples, capability and
    default adapter (lmms-eval's ``group:`` with its ``task:`` list is the model)."""

    #: the group's name: ``--model NAME=ADAPTER`` targets it, samples carry it in ``group``
    name: str
    #: the sub-bench that loads, asks and records the group's samples (an ordinary bench)
    bench: BenchBase[Any]
    #: the adapter used when ``--model`` names none for this group; empty: no offline default
    default_model: str = ""
    #: adapters made for one bench (``benches=(...)`` at registration) may serve this group when
    #: they are made for this bench (xscript's scorecards group is an mmcric bench)
    serves_as: str = ""
    #: what to say when the group has no usable default (how to give it an adapter)
    hint: str = ""
    #: the modalities the group's embed requests carry (empty: not said); an adapter that
    #: declares fewer (``embeds=`` at registration) cannot serve the group
    embeds: tuple[str, ...] = ()

    @property
    def needs(self) -> str:
        return self.bench.needs


class CompositeBench(BenchBase[S]):
    """A bench made of groups (:class:`BenchGroup`), each with its own capability and default
    adapter. A composite bench implements :meth:`groups`; loading, asking and recording go
    through each group's bench, while :meth:`aggregate`, :meth:`notes` and the report see every
    record at once. The runner (:func:`mmx.eval.runner.evaluate`) chooses the adapters and tells
    the bench through :meth:`serve_groups`; a group without one is skipped: its samples are
    recorded with ``prediction`` and ``score`` None and the reason, never dropped."""

    #: ``mmx list`` / results: composite benches have no single default adapter
    default_model: ClassVar[str] = "defaults"
    #: what a group is called in notes (xscript: family)
    group_label: ClassVar[str] = "group"
    #: the record field that names a record's group
    group_field: ClassVar[str] = "group"

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0) -> None:
        super().__init__(data, split, seed)
        #: group -> the adapter serving it (set by :meth:`serve_groups`)
        self.adapters: dict[str, ModelAdapter] = {}
        #: group -> why it has no adapter
        self.group_skips: dict[str, str] = {}

    def groups(self) -> list[BenchGroup]:
        """The selected groups, in order."""
        raise NotImplementedError

    def group(self, name: str) -> BenchGroup:
        """The group called ``name``."""
        for g in self.groups():
            if g.name == name:
                return g
        label = self.group_label
        plural = label[:-1] + "ies" if label.endswith("y") else label + "s"
        raise InputError(f"bench {self.name} has no {label} {name!r}; {plural}: "
                         f"{', '.join(g.name for g in self.groups())}")

    def load(self, progress: bool = True) -> Sequence[S]:
        """Every group's samples, group by group, each tagged with its group."""
        out: list[S] = []
        for g in self.groups():
            part = list(g.bench.load(progress))
            for s in part:
                s.group = g.name
            self.skipped += g.bench.skipped
            out += part
        return out

    def serve_groups(self, adapters: Mapping[str, ModelAdapter], skips: Mapping[str, str]) -> None:
        """The runner's choice: the adapter of each served group, and why the others have none."""
        self.adapters = dict(adapters)
        self.group_skips = dict(skips)

    def prepare(self, model: ModelAdapter, samples: Sequence[S]) -> None:
        """Each group prepares its own samples with its own adapter (see :meth:`prepare_groups`)."""

    def prepare_groups(self, samples: Sequence[S]) -> None:
        """Call every served group's ``prepare`` with its adapter and its share of ``samples``."""
        by_group: dict[str, list[S]] = defaultdict(list)
        for s in samples:
            by_group[s.group].append(s)
        for name, part in by_group.items():
            if name in self.adapters:
                self.group(name).bench.prepare(self.adapters[name], part)

    def prefetch(self, model: ModelAdapter, batch: Sequence[S]) -> None:
        """``batch`` (all of one group) handed to that group's bench, when the group is served."""
        if batch and batch[0].group in self.adapters:
            self.group(batch[0].group).bench.prefetch(model, batch)

    def predict(self, model: ModelAdapter, batch: Sequence[S], ctx: RunContext) -> list[Any]:
        """``batch`` (all of one group) asked through that group's bench; None for a skipped group."""
        g = self.group(batch[0].group)
        if g.name not in self.adapters:
            return [None] * len(batch)
        return list(g.bench.predict(model, batch, ctx))

    def record(self, sample: S, output: Any, ctx: RunContext) -> dict[str, Any]:
        """:meth:`group_record`, with the group named in :attr:`group_field`."""
        rec = self.group_record(sample, output, ctx)
        rec.setdefault(self.group_field, sample.group)
        return rec

    def group_record(self, sample: S, output: Any, ctx: RunContext) -> dict[str, Any]:
        """The group bench's record; a skipped group's sample gets ``prediction``/``score`` None and why."""
        if output is None and sample.group not in self.adapters:
            why = self.group_skips.get(sample.group, "no adapter")
            rec = self.sample_fields(sample)
            rec.update(prediction=None, score=None, skipped=f"{self.group_label} {sample.group}: {why}")
            return rec
        return self.group(sample.group).bench.record(sample, output, ctx)

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Each group's pool scores over its own records (records keep their order)."""
        by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            by_group[str(r.get(self.group_field, ""))].append(r)
        for g in self.groups():
            if by_group.get(g.name):
                g.bench.score_pool(by_group[g.name], ctx)
        return records


def mean(values: Any) -> float:
    """The mean of ``values``; NaN when there are none."""
    vals = [float(v) for v in values]
    return float(sum(vals) / len(vals)) if vals else math.nan


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _check_count(model: ModelAdapter, got: Any, asked: Sequence[Any], what: str) -> None:
    if len(got) != len(asked):
        raise InputError(f"model {model.name} returned {len(got)} {what} for {len(asked)} requests")
