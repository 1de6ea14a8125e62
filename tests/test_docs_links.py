"""Docstrings, comments and docs cite only files that exist in the repository.

Scanned: every tracked text file under mmx/, benchmarks/, experiments/, figures/,
configs/, docs/ and tests/, plus the top-level README.md and CONTRIBUTING.md. Checked:

- paths from the repository root (``docs/render.md``, ``mmx/render/speed.py``,
  ``assets/...``): the file or folder is tracked;
- relative Markdown links (``[x](img/a.png)``): resolved from the linking file;
- bare file names (``draw.py``, ``compression.md``) outside tests/: some tracked
  file has that name.

Allowed without a file, each for a stated reason: what a command writes at run
time (``runs/...``, ``results.json``, a path given to ``--out``), placeholders
(``configs/....yaml``, ``mmx/eval/benches/<name>/``, ``OUT.md``), and the
corpus outside the repository that measurements name (``../shared/...``).
"""

from __future__ import annotations

import io
import re
import subprocess
import token
import tokenize
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED_DIRS = ("mmx", "benchmarks", "experiments", "figures", "configs", "docs", "tests")
SCANNED_TOP = ("README.md", "CONTRIBUTING.md")
TEXT_SUFFIXES = (".py", ".md", ".yaml", ".yml", ".toml", ".txt")

#: file names that commands write at run time (the results contract, Lightning's and
#: Hugging Face's files), so a docstring may name them without the repo holding one
RUNTIME_NAMES = {
    "results.json", "samples.jsonl", "report.md", "run.json", "predictions.jsonl",
    "test_predictions.jsonl", "metrics.csv", "config.yaml", "hparams.yaml", "config.json",
    "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json", "generation_config.json",
    "adapter_config.json", "open_clip_config.json", "vocab.json", "merges.txt", "model_index.json",
    "strings.json",  # experiments/render_identity.py: its temporary list of test strings
    "manifest.json",  # mmx/eval/manifest.py: what drew a run's images/, written beside them
}
#: options whose value is a path a command writes
OUTPUT_OPTIONS = ("--out", "--plot", "--chart", "--local-dir", "--output")

ROOTED = re.compile(r"(?<![\w./-])((?:mmx|docs|benchmarks|experiments|figures|configs|assets|tests)/[\w./*<>{}-]*)")
BARE = re.compile(r"(?<![\w./-])([\w-]+\.(?:py|md|yaml|yml|json))\b")
MD_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def _tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [f for f in out.splitlines() if (ROOT / f).exists()]


TRACKED = _tracked()
FILES = set(TRACKED)
FOLDERS = {str(p) for f in TRACKED for p in PurePosixPath(f).parents if str(p) != "."}
NAMES = {PurePosixPath(f).name for f in TRACKED}


def _exists(ref: str) -> bool:
    ref = ref.rstrip("/")
    return ref in FILES or ref in FOLDERS


#: paths named as examples, never meant to exist in the tree: CONTRIBUTING's worked bench,
#: encoder and head (tests/test_contributing.py writes them into a copy of mmx) and a generic
#: package name
EXAMPLE_PATHS = frozenset({"mmx/eval/benches/sums/__init__.py", "mmx/eval/benches/sums/bench.py",
                           "mmx/encoders/byte_text.py", "mmx/heads/linear_probe.py", "mmx/pkg/__init__.py"})


def _placeholder(ref: str) -> bool:
    return any(c in ref for c in "*<>{}") or "...." in ref or "N/" in ref or ref in EXAMPLE_PATHS


def _is_output(line: str, start: int) -> bool:
    """A path given to an output option, on a command line or as its default."""
    before = line[:start].rstrip(" =`'\"")
    if before.endswith(OUTPUT_OPTIONS):
        return True
    options = "|".join(OUTPUT_OPTIONS)
    return bool(re.search(rf"add_argument\((['\"])({options})\1", line))


def _prose(path: str, text: str) -> list[str]:
    """The lines of ``text`` where a reference may stand: for Python only its
    comments and strings (``args.json`` in code is an attribute, not a file)."""
    if not path.endswith(".py"):
        return text.splitlines()
    lines = text.splitlines()
    kept = [[" "] * len(line) for line in lines]
    kinds = {token.STRING, token.COMMENT} | {getattr(token, "FSTRING_MIDDLE", -1)}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type not in kinds:
            continue
        (r0, c0), (r1, c1) = tok.start, tok.end
        for r in range(r0, r1 + 1):
            line = lines[r - 1]
            a = c0 if r == r0 else 0
            b = c1 if r == r1 else len(line)
            kept[r - 1][a:b] = line[a:b]
    return ["".join(chars) for chars in kept]


def _scanned() -> list[str]:
    this = Path(__file__).resolve().relative_to(ROOT).as_posix()  # it names missing files on purpose
    return [
        f for f in TRACKED
        if (f.split("/")[0] in SCANNED_DIRS or f in SCANNED_TOP) and f.endswith(TEXT_SUFFIXES) and f != this
    ]


def _broken(path: str) -> list[str]:
    problems = []
    text = (ROOT / path).read_text(encoding="utf-8")
    in_tests = path.startswith("tests/")
    for number, (line, prose) in enumerate(zip(text.splitlines(), _prose(path, text)), 1):
        where = f"{path}:{number}"
        for m in ROOTED.finditer(prose):
            ref = m.group(1).rstrip(".,:;)`'\"")
            if _placeholder(ref) or _is_output(line, m.start()) or _exists(ref):
                continue
            problems.append(f"{where}: {ref}")
        if path.endswith(".md"):
            for m in MD_LINK.finditer(prose):
                ref = m.group(1)
                if re.match(r"[a-z]+:", ref) or _placeholder(ref):
                    continue
                if not _exists(_normalize(f"{PurePosixPath(path).parent}/{ref}")):
                    problems.append(f"{where}: link {ref}")
        if in_tests:
            continue  # tests name the temporary files they write (p.yaml, slow.py ...)
        for m in BARE.finditer(prose):
            name = m.group(1)
            stem = name.rsplit(".", 1)[0]
            if name in NAMES or name in RUNTIME_NAMES or stem.isupper() or _is_output(line, m.start()):
                continue  # OUT.md, FILE.md: placeholders
            problems.append(f"{where}: {name}")
    return problems


def _normalize(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_cited_files_exist() -> None:
    problems = [p for path in _scanned() for p in _broken(path)]
    assert not problems, "cited but not in the repository:\n" + "\n".join(problems)


def test_the_scan_sees_real_references() -> None:
    """The scan is not vacuous: it finds references, and it flags a missing one."""
    assert len(_scanned()) > 50
    assert _exists("docs/render.md") and _exists("mmx/render/") and not _exists("docs/nothing.md")
    assert ROOTED.search("see docs/nothing.md for more").group(1) == "docs/nothing.md"
    assert _is_output("python x.py --out docs/prefill_time", len("python x.py --out "))
