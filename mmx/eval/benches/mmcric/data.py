"""MMCricBench data: the parquet schema of ``DIALab/MMCricBench``, read and written.

The real dataset keeps its rows in ``data/test_single-*.parquet`` and
``data/test_multi-*.parquet`` with columns ``id``, ``images`` (a list of
``{bytes, path}`` structs, the Hugging Face ``Image`` encoding), ``question``,
``answer``, ``category`` and ``subset``. Our generator writes exactly that, so
one loader serves both. Only pyarrow is needed for local files; ``hf:ORG/NAME``
goes through ``datasets``.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mmx.deps import require
from mmx.errors import InputError
from mmx.eval.contract import EvalSample
from mmx.textio import read_jsonl

SPLITS = ("test_single", "test_multi")
COLUMNS = ("id", "images", "question", "answer", "category", "subset")
REQUIRED = ("id", "images", "question", "answer", "category")
#: subset column values (any case) and id prefixes, to the short subset names
_SUBSET_NAMES = {"e": "E", "english": "E", "en": "E", "h": "H", "hindi": "H", "hi": "H",
                 "hd": "HD", "hindi_deva": "HD", "hindi-devanagari-digits": "HD"}
#: id prefixes per subset, in the order they must be tried (longest first)
ID_PREFIXES = (("hindi_deva-", "HD"), ("english-", "E"), ("hindi-", "H"))
SUBSET_PREFIX = {"E": "english", "H": "hindi", "HD": "hindi_deva"}


@dataclass
class Sample(EvalSample):
    """One question with its images (encoded bytes, decoded only when a model needs them).

    ``pair`` is the id without its subset prefix: ``english-single-25`` and
    ``hindi-single-25`` share ``single-25``, the item ``--limit`` counts."""

    question: str = ""
    answer: str = ""
    images: list[bytes] = field(default_factory=list)

    def pil_images(self):
        from PIL import Image

        out = []
        for b in self.images:
            im = Image.open(io.BytesIO(b))
            im.load()
            out.append(im.convert("RGB"))
        return out


def subset_of(value: object, id_: str) -> str | None:
    """Normalise the subset column; where missing or unknown, the id prefix decides."""
    if isinstance(value, str) and value.strip().lower() in _SUBSET_NAMES:
        return _SUBSET_NAMES[value.strip().lower()]
    for prefix, name in ID_PREFIXES:
        if id_.lower().startswith(prefix):
            return name
    return None


def pair_key(id_: str) -> str:
    for prefix, _ in ID_PREFIXES:
        if id_.lower().startswith(prefix):
            return id_[len(prefix):]
    return id_


@dataclass
class LoadReport:
    """What loading skipped and why, for the results notes."""

    skipped: list[str] = field(default_factory=list)

    def add(self, msg: str) -> None:
        self.skipped.append(msg)


def load(data: str, split: str | None = None, report: LoadReport | None = None) -> list[Sample]:
    """Samples from a local copy (folder or parquet file) or ``hf:ORG/NAME``.

    Both splits unless ``split`` names one. Rows with unreadable images or no
    subset are skipped and listed in ``report``.
    """
    report = report if report is not None else LoadReport()
    if split is not None and split not in SPLITS:
        raise InputError(f"--split {split!r} is not a split of MMCricBench; use one of {', '.join(SPLITS)}")
    splits = (split,) if split else SPLITS
    rows = _hf_rows(data[3:], splits) if data.startswith("hf:") else _local_rows(data, splits)
    meta = _sidecar_meta(data)
    samples = []
    for sp, row in rows:
        s = _sample(sp, row, report)
        if s is not None:
            s.meta = meta.get(s.id, {})
            samples.append(s)
    if not samples:
        which = split or " and ".join(SPLITS)
        raise InputError(f"{data}: no usable rows in {which}" + (f" ({len(report.skipped)} skipped: {report.skipped[0]})" if report.skipped else ""))
    return samples


def _local_rows(data: str, splits: Iterable[str]) -> list[tuple[str, dict]]:
    path = Path(data).expanduser()
    if not path.exists():
        raise InputError(f"--data {data}: no such file or folder. Give a local copy of DIALab/MMCricBench "
                         "(its folder with data/*.parquet), a folder made by `mmx data mmcric --out DIR`, or hf:DIALab/MMCricBench")
    files = _split_files(path)
    wanted = [(sp, f) for sp in splits for f in files.get(sp, [])]
    if not wanted:
        found = ", ".join(sorted(files)) or "no parquet files"
        raise InputError(f"--data {data}: no parquet file for {' or '.join(splits)} (found: {found}); "
                         "files are named like data/test_single-00000-of-00001.parquet")
    import pyarrow.parquet as pq

    rows: list[tuple[str, dict]] = []
    for sp, f in wanted:
        try:
            table = pq.read_table(f)
        except Exception as exc:  # pyarrow raises several types for damaged files
            raise InputError(f"{f}: not a readable parquet file ({exc})") from None
        missing = [c for c in REQUIRED if c not in table.column_names]
        if missing:
            raise InputError(f"{f}: wrong schema: missing column(s) {', '.join(missing)} "
                             f"(has {', '.join(table.column_names)}; MMCricBench needs {', '.join(COLUMNS)})")
        base = f.parent
        for row in table.to_pylist():
            row["_base"] = base
            rows.append((sp, row))
    return rows


def _split_files(path: Path) -> dict[str, list[Path]]:
    if path.is_file():
        candidates = [path]
    else:
        root = path / "data" if (path / "data").is_dir() else path
        candidates = sorted(root.glob("*.parquet"))
    out: dict[str, list[Path]] = {}
    for f in candidates:
        name = f.name
        for sp in sorted(SPLITS, key=len, reverse=True):
            if name.startswith(sp):
                out.setdefault(sp, []).append(f)
                break
        else:
            if path.is_file():  # a single file given by name: treat as test_single
                out.setdefault("test_single", []).append(f)
    return out


def _hf_rows(name: str, splits: Iterable[str]) -> list[tuple[str, dict]]:
    datasets = require("datasets", "--data hf:...")
    if not _hub_reachable(name):
        # without this, datasets retries every request for ~25 s before failing; offline it
        # answers from the local cache at once (or fails fast with the message below)
        import huggingface_hub.constants

        datasets.config.HF_HUB_OFFLINE = huggingface_hub.constants.HF_HUB_OFFLINE = True
    rows: list[tuple[str, dict]] = []
    for sp in splits:
        try:
            ds = datasets.load_dataset(name, split=sp)
        except Exception as exc:  # hub errors come in many types; one message for all
            raise InputError(
                f"--data hf:{name}: could not load split {sp} ({type(exc).__name__}: {str(exc)[:200]}). "
                f"Without a hub, download it where one is reachable (`hf download {name} --repo-type dataset "
                "--local-dir DIR`; older huggingface_hub: `huggingface-cli download ...`) and pass --data DIR") from None
        missing = [c for c in REQUIRED if c not in ds.column_names]
        if missing:
            raise InputError(f"hf:{name} {sp}: wrong schema: missing column(s) {', '.join(missing)}")
        seq = getattr(datasets, "List", None) or datasets.Sequence
        ds = ds.cast_column("images", seq(datasets.Image(decode=False)))
        for row in ds:
            rows.append((sp, dict(row)))
    return rows


def _hub_reachable(name: str) -> bool:
    """One quick request to the hub (10 s timeout); any answer, even an error status, counts."""
    from mmx.hub import hub_offline

    if hub_offline():
        return False
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    try:
        HfApi().dataset_info(name, timeout=10)
    except HfHubHTTPError:
        return True
    except Exception:  # DNS, refused connections, timeouts, proxies: unreachable
        return False
    return True


def _sample(split: str, row: dict, report: LoadReport) -> Sample | None:
    id_ = str(row.get("id"))
    subset = subset_of(row.get("subset"), id_)
    if subset is None:
        report.add(f"{id_}: subset {row.get('subset')!r} is neither English nor Hindi and the id has no english-/hindi- prefix")
        return None
    images: list[bytes] = []
    for k, img in enumerate(row.get("images") or []):
        b = _image_bytes(img, row.get("_base"))
        if b is None or not _readable(b):
            report.add(f"{id_}: image {k} is missing or unreadable")
            return None
        images.append(b)
    if not images:
        report.add(f"{id_}: no images")
        return None
    return Sample(id=id_, split=split, subset=subset, category=str(row.get("category")),
                  question=str(row.get("question")), answer=str(row.get("answer")).strip(),
                  images=images, pair=pair_key(id_))


def _image_bytes(img: object, base: Path | None) -> bytes | None:
    if isinstance(img, dict):
        if img.get("bytes"):
            return bytes(img["bytes"])
        p = img.get("path")
        if p and base is not None:
            for cand in (Path(p), base / p, base.parent / p):
                if cand.is_file():
                    return cand.read_bytes()
        return None
    if isinstance(img, (bytes, bytearray)):
        return bytes(img)
    return None


def _readable(b: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(b)) as im:
            im.verify()
        return True
    except Exception:  # PIL raises many types for broken files; all mean unreadable
        return False


def _sidecar_meta(data: str) -> dict[str, dict]:
    """Generated sets carry ``meta.jsonl`` (format, question type, template); the real set has none."""
    if data.startswith("hf:"):
        return {}
    p = Path(data).expanduser()
    f = (p if p.is_dir() else p.parent) / "meta.jsonl"
    if not f.is_file():
        f = (p.parent if p.is_dir() else p.parent.parent) / "meta.jsonl"
    if not f.is_file():
        return {}
    out = {}
    for d in read_jsonl(f, objects=True):
        out[d.pop("id")] = d
    return out


def write_split(path: str | os.PathLike, rows: list[dict]) -> None:
    """Write rows in the real schema, with the Hugging Face features metadata so
    ``datasets.load_dataset("parquet", ...)`` decodes ``images`` as images."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    image = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    schema = pa.schema([
        ("id", pa.string()), ("images", pa.list_(image)), ("question", pa.string()),
        ("answer", pa.string()), ("category", pa.string()), ("subset", pa.string()),
    ])
    features = {"info": {"features": {
        "id": {"dtype": "string", "_type": "Value"},
        "images": {"feature": {"_type": "Image"}, "_type": "List"},
        "question": {"dtype": "string", "_type": "Value"},
        "answer": {"dtype": "string", "_type": "Value"},
        "category": {"dtype": "string", "_type": "Value"},
        "subset": {"dtype": "string", "_type": "Value"},
    }}}
    schema = schema.with_metadata({b"huggingface": json.dumps(features).encode()})
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd", row_group_size=256)
