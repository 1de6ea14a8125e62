"""GenEval's files: metadata records, the image folder layout, ``results.jsonl`` and its summary.

- Metadata: one JSON object a line (``prompts/evaluation_metadata.jsonl``) with ``tag``,
  ``prompt``, ``include`` (``[{class, count, color?, position?}]``) and optional ``exclude``
  (``[{class, count}]``). :func:`read_metadata` checks every line and names the first bad
  one by its line number.
- Image folders (GenEval's generation layout): ``<dir>/<00000>/metadata.jsonl`` (the
  prompt's record) and ``<dir>/<00000>/samples/<0000>.png`` (also ``.jpg``, ``.jpeg``,
  ``.webp``). :func:`read_image_folder` finds each prompt's numbered images;
  :func:`images_per_prompt` infers how many each prompt has; :meth:`ImageFolder.expect`
  lists every image a prompt should have; missing and unreadable images are kept in the list
  (scored incorrect by the bench, never skipped: a generator cannot raise its score by
  dropping images). :func:`write_prompt_folder` writes the layout for generation.
- ``results.jsonl``: GenEval's columns (filename, tag, prompt, correct, reason, metadata as
  a JSON string, details as a JSON string), one image a line, which GenEval's
  summary script reads; :func:`summarize` computes what that script prints.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmx.errors import InputError
from mmx.textio import decode_utf8, iter_jsonl
from mmx.worlds.geneval import COLORS, RELATIONS, TAGS

__all__ = ["IMAGE_EXTENSIONS", "ImageFolder", "PromptFolder", "UnknownColorError", "images_per_prompt",
           "read_image_folder", "read_metadata", "read_metadata_indexed", "spec_key", "summarize",
           "validate_record", "write_prompt_folder", "write_results"]

#: image files read in a prompt's ``samples/`` (GenEval itself reads ``<digits>.png``)
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
_IMAGE = re.compile(r"^(\d+)(" + "|".join(re.escape(e) for e in IMAGE_EXTENSIONS) + r")$", re.IGNORECASE)
_LAYOUT = "<dir>/00000/metadata.jsonl and <dir>/00000/samples/0000.png"


class UnknownColorError(InputError):
    """A record in GenEval's format whose colour is not one of GenEval's ten (NeoBabel's
    Persian file has one: ``"color": "dog"``)."""


def validate_record(rec: Any, where: str) -> dict[str, Any]:
    """Check that ``rec`` is a GenEval metadata record; raise one :class:`InputError` line
    naming ``where`` (file and line) and what is wrong (:class:`UnknownColorError` when only a
    colour is outside GenEval's ten). Returns ``rec``."""
    def bad(why: str, kind: type[InputError] = InputError) -> InputError:
        return kind(f"{where}: not a GenEval metadata record: {why} (expected "
                    '{"tag": ..., "include": [{"class": ..., "count": ...}], "prompt": ...})')

    if not isinstance(rec, dict):
        raise bad(f"a JSON {type(rec).__name__}, not an object")
    for key in ("tag", "include", "prompt"):
        if key not in rec:
            raise bad(f"no {key!r}")
    if not isinstance(rec["tag"], str) or not rec["tag"]:
        raise bad("'tag' must be a non-empty string")
    if not isinstance(rec["prompt"], str):
        raise bad("'prompt' must be a string")
    inc = rec["include"]
    if not isinstance(inc, list) or not inc:
        raise bad("'include' must be a non-empty list")
    for i, req in enumerate(inc):
        _check_clause(req, f"include[{i}]", bad)
        unknown = set(req) - {"class", "count", "color", "position"}
        if unknown:
            raise bad(f"include[{i}] has unknown key(s) {', '.join(sorted(unknown))}")
        if "color" in req and not isinstance(req["color"], str):
            raise bad(f"include[{i}] colour must be a string, got {req['color']!r}")
        if "position" in req:
            pos = req["position"]
            if (not isinstance(pos, list) or len(pos) != 2 or pos[0] not in RELATIONS
                    or not isinstance(pos[1], int) or isinstance(pos[1], bool) or not 0 <= pos[1] < i):
                raise bad(f"include[{i}] position must be [relation, j] with relation one of "
                          f"{', '.join(RELATIONS)} and j an earlier include index, got {pos!r}")
    exc = rec.get("exclude", [])
    if not isinstance(exc, list):
        raise bad("'exclude' must be a list")
    for i, req in enumerate(exc):
        _check_clause(req, f"exclude[{i}]", bad)
        if set(req) - {"class", "count"}:
            raise bad(f"exclude[{i}] has unknown key(s) {', '.join(sorted(set(req) - {'class', 'count'}))}")
    # last, so that a record with only this fault can be set aside by a caller that wants to
    for i, req in enumerate(inc):
        if "color" in req and req["color"] not in COLORS:
            raise bad(f"include[{i}] colour {req['color']!r} is not one of GenEval's ({', '.join(COLORS)})",
                      UnknownColorError)
    return rec


def _check_clause(req: Any, name: str, bad: Any) -> None:
    if not isinstance(req, dict):
        raise bad(f"{name} must be an object")
    if not isinstance(req.get("class"), str) or not req["class"]:
        raise bad(f"{name} needs a 'class' string")
    c = req.get("count")
    if not isinstance(c, int) or isinstance(c, bool) or c < 1:
        raise bad(f"{name} needs a 'count' of at least 1, got {c!r}")


def read_metadata(path: str | Path, set_aside: list[str] | None = None) -> list[dict[str, Any]]:
    """The records of a GenEval metadata file, in order (blank lines are allowed). The first
    line that is not a GenEval record raises one :class:`InputError` naming its line. With
    ``set_aside`` (a list), a record whose only fault is a colour outside GenEval's ten is left
    out and its message appended there instead (GenEval itself would judge it incorrect on
    every image, whatever the image shows)."""
    return [r for _, r in read_metadata_indexed(path, set_aside)]


def read_metadata_indexed(path: str | Path, set_aside: list[str] | None = None) -> list[tuple[int, dict[str, Any]]]:
    """:func:`read_metadata` with each record's position among the file's records (GenEval's
    prompt folder number), which records set aside do not shift."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such metadata file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read it as UTF-8 text ({exc})") from None
    out = []
    for index, (n, rec) in enumerate(iter_jsonl(decode_utf8(data, str(p)), str(p))):
        try:
            out.append((index, validate_record(rec, f"{p} line {n}")))
        except UnknownColorError as exc:
            if set_aside is None:
                raise
            set_aside.append(str(exc))
    if not out:
        raise InputError(f"{p}: no metadata records")
    return out


def spec_key(rec: Mapping[str, Any]) -> str:
    """What a record asks, without its wording (tag, include, exclude): equal across languages."""
    return json.dumps({"tag": rec["tag"], "include": rec["include"], "exclude": rec.get("exclude", [])},
                      sort_keys=True)


@dataclass
class PromptFolder:
    """One prompt of an image folder: its number, its record, the numbered images found in its
    ``samples/`` (by number) and, once :meth:`ImageFolder.expect` has run, the paths of its
    images (those expected, whether they exist or not, then any others found)."""

    index: int
    metadata: dict[str, Any]
    images: list[Path] = field(default_factory=list)
    found: dict[int, Path] = field(default_factory=dict)
    #: where the prompt's images are (``<prompt>/samples``)
    samples: Path = Path()


@dataclass
class ImageFolder:
    root: Path
    prompts: list[PromptFolder]
    #: prompt numbers absent between 0 and the largest one found
    gaps: list[int] = field(default_factory=list)

    def expect(self, n_images: int) -> None:
        """List images ``0 .. n_images - 1`` of every prompt, found or not (a missing one is
        named with the folder's most common extension), then any further numbered images found
        (GenEval scores every numbered image)."""
        suffixes = Counter(p.suffix.lower() for f in self.prompts for p in f.found.values())
        ext = suffixes.most_common(1)[0][0] if suffixes else ".png"
        for f in self.prompts:
            wanted = [f.found.get(k, f.samples / f"{k:04d}{ext}") for k in range(n_images)]
            f.images = wanted + [f.found[k] for k in sorted(f.found) if k >= n_images]


def images_per_prompt(folders: Mapping[str, ImageFolder], root: Path, asked: int | None = None) -> int:
    """How many images each prompt has, read from the folders under ``root`` (their paths
    relative to ``root``, ``""`` for ``root`` itself -> folder): one more
    than the highest image number of a prompt (so a gap in the numbers is a missing image, not
    another count), the same for every prompt that has images. Prompts without images count as
    missing all of theirs. One :class:`InputError` line when no prompt has an image (saying
    what the prompt folders do hold) or, unless ``asked`` says how many (returned as it is),
    when prompts disagree (saying how)."""
    counts: dict[int, list[str]] = {}
    for name, f in folders.items():
        for p in f.prompts:
            if p.found:
                counts.setdefault(max(p.found) + 1, []).append(f"{name}/{p.index:05d}" if name else f"{p.index:05d}")
    if not counts:
        raise InputError(_nothing_found(folders, root))
    if asked is not None:
        return asked
    if len(counts) > 1:
        by = sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        parts = [f"{n} images in {len(ps)} prompt folders" if i == 0 else f"{n} in {len(ps)} ({', '.join(ps[:3])}"
                 f"{' ...' if len(ps) > 3 else ''})" for i, (n, ps) in enumerate(by)]
        raise InputError(f"{root}: prompt folders hold different numbers of images ({', '.join(parts)}); "
                         "pass --bench-args n_images=N to say how many every prompt should have (the missing ones "
                         "count as incorrect)")
    return next(iter(counts))


def _nothing_found(folders: Mapping[str, ImageFolder], root: Path) -> str:
    """What the prompt folders hold instead of numbered images, in one line."""
    files = sorted(p for f in folders.values() for pf in f.prompts
                   for p in pf.samples.parent.rglob("*") if p.is_file() and p.name != "metadata.jsonl")
    if files:
        kinds = Counter(p.suffix.lower() or "(no extension)" for p in files)
        what = ", ".join(f"{n} {k} file{'s' if n > 1 else ''}" for k, n in kinds.most_common())
        found = f"found {what} (first: {files[0].relative_to(root).as_posix()})"
    else:
        found = "found no image files in its prompt folders"
    return (f"{root}: no images in GenEval's layout: {found}; expected 00000/samples/0000.png, 0001.png ... "
            f"(numbered {', '.join(IMAGE_EXTENSIONS)} files in each prompt folder's samples/)")


def read_image_folder(root: str | Path, n_images: int | None = None) -> ImageFolder:
    """Read GenEval's layout under ``root``: every numbered sub-folder with its
    ``metadata.jsonl`` and the numbered images of its ``samples/`` (``<digits>`` plus one of
    :data:`IMAGE_EXTENSIONS`; two images with one number are an error). With ``n_images``,
    each prompt lists images ``0 .. n_images - 1`` whether they exist or not, plus any further
    numbered images found (:meth:`ImageFolder.expect`); without, call :func:`images_per_prompt`
    and ``expect`` yourself. A missing or invalid ``metadata.jsonl`` is an error."""
    r = Path(root)
    if not r.is_dir():
        raise InputError(f"{r}: no such image folder (expected GenEval's layout {_LAYOUT})")
    prompts = []
    for sub in sorted((d for d in r.iterdir() if d.is_dir() and d.name.isdigit()), key=lambda d: int(d.name)):
        meta = sub / "metadata.jsonl"
        if not meta.is_file():
            raise InputError(f"{meta}: missing; every prompt folder of GenEval's layout holds its metadata record")
        try:
            text = meta.read_text(encoding="utf-8")
            rec = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{meta} line 1: not a GenEval metadata record: not JSON ({exc})") from None
        validate_record(rec, f"{meta} line 1")
        samples = sub / "samples"
        found: dict[int, Path] = {}
        for f in sorted(samples.iterdir()) if samples.is_dir() else []:
            m = _IMAGE.match(f.name)
            if m and f.is_file():
                k = int(m.group(1))
                if k in found:
                    raise InputError(f"{samples}: two images numbered {k}: {found[k].name} and {f.name}; keep one")
                found[k] = f
        prompts.append(PromptFolder(int(sub.name), rec, found=found, samples=samples))
    if not prompts:
        raise InputError(f"{r}: no prompt folders (expected GenEval's layout {_LAYOUT})")
    have = {p.index for p in prompts}
    gaps = [i for i in range(max(have) + 1) if i not in have]
    folder = ImageFolder(r, prompts, gaps)
    if n_images is not None:
        folder.expect(n_images)
    return folder


def write_prompt_folder(root: str | Path, index: int, metadata: Mapping[str, Any]) -> Path:
    """Create ``<root>/<index:05d>/samples/`` and its ``metadata.jsonl`` (GenEval writes the
    record with ``json.dump``, one line); returns the prompt folder."""
    d = Path(root) / f"{index:05d}"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    meta = d / "metadata.jsonl"
    text = json.dumps(dict(metadata))
    if not meta.is_file() or meta.read_text(encoding="utf-8") != text:
        tmp = meta.with_name(".metadata.jsonl.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(meta)
    return d


def write_results(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write GenEval's ``results.jsonl`` (one image a line; the columns of GenEval's
    evaluation script); returns the number of lines."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = p.with_name(p.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            meta = r["metadata"] if isinstance(r["metadata"], str) else json.dumps(r["metadata"])
            det = r.get("details", "{}")
            fh.write(json.dumps({"filename": str(r["filename"]), "tag": r["tag"], "prompt": r["prompt"],
                                 "correct": bool(r["correct"]), "reason": r["reason"], "metadata": meta,
                                 "details": det if isinstance(det, str) else json.dumps(det)}) + "\n")
            n += 1
    tmp.replace(p)
    return n


def summarize(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What GenEval's summary script prints, from ``results.jsonl`` rows: images,
    prompts, share of correct images, share of prompts with at least one correct image, per
    tag (in order of first appearance) the mean over its images, and ``overall``, the
    unweighted mean of the tag means."""
    by_tag: dict[str, list[bool]] = {}
    by_prompt: dict[str, bool] = {}
    for r in rows:
        by_tag.setdefault(r["tag"], []).append(bool(r["correct"]))
        key = r["metadata"] if isinstance(r["metadata"], str) else json.dumps(r["metadata"])
        by_prompt[key] = by_prompt.get(key, False) or bool(r["correct"])
    tasks = {t: sum(v) / len(v) for t, v in by_tag.items()}
    n = sum(len(v) for v in by_tag.values())
    return {"images": n, "prompts": len(by_prompt),
            "correct_images": sum(sum(v) for v in by_tag.values()) / n if n else float("nan"),
            "correct_prompts": sum(by_prompt.values()) / len(by_prompt) if by_prompt else float("nan"),
            "tasks": tasks, "overall": sum(tasks.values()) / len(tasks) if tasks else float("nan")}


def tag_order(tags: Iterable[str]) -> list[str]:
    """``tags`` with GenEval's six first, in their order, then any others sorted."""
    found = set(tags)
    return [t for t in TAGS if t in found] + sorted(found - set(TAGS))
