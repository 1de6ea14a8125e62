"""Where mmx's grammar-built GenEval prompts and NeoBabel's m-GenEval translations differ.

    python experiments/mgeneval_compare.py --neobabel DIR [--out docs/geneval_prompts_compare.md]

DIR holds NeoBabel's ``evaluation_metadata.jsonl`` (English) and
``evaluation_metadata_{chinese,dutch,french,hindi,persian}.jsonl`` (their repository's
``benchmarking/geneval/prompts/``). Records are aligned by spec (``tag`` + ``include``),
never by line: NeoBabel's Persian file is not line-aligned with English. The report
(Markdown, printed and optionally written) gives per language: alignment, how many
prompts agree, the most frequent word-level edits from ours to theirs, object nouns
(single-object prompts) where theirs lacks our word, and relation words (position
prompts) where theirs lacks ours, each with examples.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from mmx.errors import InputError
from mmx.worlds.prompts import render_prompt, specs

FILES = {"zh": "chinese", "nl": "dutch", "fr": "french", "hi": "hindi", "fa": "persian"}


def spec_key(rec: dict) -> str:
    return json.dumps({"tag": rec.get("tag"), "include": rec.get("include")}, sort_keys=True)


def load(path: Path) -> list[dict]:
    if not path.is_file():
        raise InputError(f"missing NeoBabel file {path}: pass the folder holding evaluation_metadata_*.jsonl")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{n}: not a JSON line ({err.msg})") from None
    return out


# Spelling variants that are not differences of wording: Devanagari nukta and
# chandrabindu/anusvara, Arabic-script diacritics (incl. the ezafe hamza ـهٔ), and
# Persian half-spaces.
_FOLD = str.maketrans({"\u093c": None, "\u0901": "\u0902", "\u200c": " ",
                       **{chr(c): None for c in (*range(0x064B, 0x0660), 0x0670)}})


def norm(text: str) -> str:
    """Case, final period and the spelling variants above folded away."""
    return " ".join(re.sub(r"[.。!]+$", "", text.strip()).casefold().translate(_FOLD).split())


def tokens(text: str, code: str) -> list[str]:
    # Chinese has no spaces: compare characters (opcodes then group runs of them)
    return list(text) if code == "zh" else text.split()


def edits(ours: str, theirs: str, code: str) -> list[tuple[str, str]]:
    a, b = tokens(norm(ours), code), tokens(norm(theirs), code)
    sep = "" if code == "zh" else " "
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return [(sep.join(a[i1:i2]) or "∅", sep.join(b[j1:j2]) or "∅") for op, i1, i2, j1, j2 in ops if op != "equal"]


def noun_forms(code: str, cls: str) -> list[str]:
    mod = importlib.import_module(f"mmx.worlds.prompts.langs.{code}")
    e = mod.entry(cls)
    return [e[k] for k in (*mod.SG_FORMS, *mod.PL_FORMS) if isinstance(e.get(k), str) and not k.startswith("r_")]


def _flat(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [w for v in value for w in _flat(v)] if isinstance(value, (list, tuple)) else []


def _native(code: str, value) -> list[str]:
    # Hindi and Persian keep (native, romanized) pairs: compare the native script only
    return _flat(value[0] if code in ("hi", "fa") else value)


def slot_words(code: str, spec: dict) -> dict[str, list[list[str]]]:
    """The generator's content words for a spec, as alternatives per slot: each
    object's noun forms, each colour's forms, the number, the relation."""
    mod = importlib.import_module(f"mmx.worlds.prompts.langs.{code}")
    slots: dict[str, list[list[str]]] = {"noun": [], "colour": [], "number": [], "relation": []}
    for clause in spec["include"]:
        slots["noun"].append(noun_forms(code, clause["class"]))
        if "color" in clause:
            forms = _native(code, mod.COLORS[clause["color"]])
            if code == "hi":  # the agreeing colours: पीला, पीली, पीले
                forms += [w[:-1] + end for w in forms if w.endswith("ा") for end in ("ी", "े")]
            if code == "zh":  # 红色 or the bare 红
                forms += [w[:-1] for w in forms if w.endswith("色")]
            slots["colour"].append(forms)
        if clause["count"] > 1:
            slots["number"].append(_native(code, mod.NUMBERS[clause["count"]]))
        if "position" in clause:
            slots["relation"].append([relation_word(code, clause["position"][0])])
    return slots


def relation_word(code: str, rel: str) -> str:
    mod = importlib.import_module(f"mmx.worlds.prompts.langs.{code}")
    word = mod.RELATIONS[rel]
    return word[0] if isinstance(word, tuple) else word


def compare(neobabel: Path, n_edits: int = 12, n_examples: int = 8) -> str:
    base = specs()
    ours_by_key = {spec_key(s): s for s in base}
    key_order = [spec_key(s) for s in base]
    lines = ["## Alignment (by spec: tag + include)", "",
             "| language | records | same spec as GenEval's line | specs matched | "
             "records whose spec is not GenEval's | GenEval specs missing | duplicated specs |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    english = load(neobabel / "evaluation_metadata.jsonl")
    en_ours = [render_prompt(s, "en") for s in base]
    en_same = sum(spec_key(r) == k and r.get("prompt") == p for r, k, p in zip(english, key_order, en_ours))
    per_lang: dict[str, dict] = {}
    for code, name in FILES.items():
        recs = load(neobabel / f"evaluation_metadata_{name}.jsonl")
        by_key: dict[str, list[str]] = defaultdict(list)
        for r in recs:
            by_key[spec_key(r)].append(r.get("prompt", ""))
        line_aligned = sum(spec_key(r) == k for r, k in zip(recs, key_order))
        foreign = [r for r in recs if spec_key(r) not in ours_by_key]
        missing = [k for k in key_order if k not in by_key]
        dups = sum(len(v) - 1 for v in by_key.values() if len(v) > 1)
        lines.append(f"| {name} ({code}) | {len(recs)} | {line_aligned} | {len(key_order) - len(missing)} | "
                     f"{len(foreign)} | {len(missing)} | {dups} |")
        per_lang[code] = {"by_key": by_key, "foreign": foreign, "missing": missing}
    lines += ["", f"English: {en_same}/553 of NeoBabel's English records equal the generator's spec and prompt "
              "at the same line.", ""]
    for code, d in per_lang.items():
        if d["missing"]:
            ex = [json.loads(k) for k in d["missing"][:3]]
            lines.append(f"- {FILES[code]}: GenEval specs with no record, e.g. "
                         + "; ".join(f"`{render_prompt(x, 'en')}`" for x in ex))
        if d["foreign"]:
            lines.append(f"- {FILES[code]}: records whose spec is not one of GenEval's, e.g. "
                         + "; ".join(f"`{r['tag']}` {[c['class'] for c in r['include']]}: {r.get('prompt')}"
                                     for r in d["foreign"][:3]))
    lines += ["", "## Agreement (first NeoBabel record per matched spec)", "",
              "| language | compared | identical | identical up to case, final period, spelling variants | differ |"
              " same content words | noun differs | colour differs | number differs | relation differs |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    details = []
    for code, d in per_lang.items():
        pairs = [(s, render_prompt(s, code), d["by_key"][k][0]) for k, s in ours_by_key.items() if k in d["by_key"]]
        same = sum(o == t for _, o, t in pairs)
        same_norm = sum(norm(o) == norm(t) for _, o, t in pairs)
        miss: Counter = Counter()
        content_same = 0
        for spec, _, t in pairs:
            lacking = {slot for slot, alts in slot_words(code, spec).items()
                       for forms in alts if not any(norm(f) in norm(t) for f in forms)}
            miss.update(lacking)
            content_same += not lacking
        lines.append(f"| {FILES[code]} ({code}) | {len(pairs)} | {same} | {same_norm} | {len(pairs) - same_norm} | "
                     f"{content_same} | {miss['noun']} | {miss['colour']} | {miss['number']} | {miss['relation']} |")
        ops: Counter = Counter()
        example: dict = {}
        for _, o, t in pairs:
            for op in set(edits(o, t, code)):
                ops[op] += 1
                example.setdefault(op, (o, t))
        sec = [f"### {FILES[code].capitalize()} ({code})", "", "Most frequent edits, ours -> NeoBabel's "
               "(number of prompts; one example each):", "", "| ours | NeoBabel | prompts | example (ours / NeoBabel) |",
               "|---|---|---:|---|"]
        for (a, b), n in ops.most_common(n_edits):
            o, t = example[(a, b)]
            sec.append(f"| {a} | {b} | {n} | {o} / {t} |")
        nouns = [(s, o, t) for s, o, t in pairs if s["tag"] == "single_object"
                 and not any(norm(f) in norm(t) for f in noun_forms(code, s["include"][0]["class"]))]
        sec += ["", f"Object nouns: {len(nouns)} of 80 single-object prompts lack the generator's noun"
                + (", e.g.:" if nouns else "."), ""]
        sec += [f"- {s['include'][0]['class']}: {o} / {t}" for s, o, t in nouns[:n_examples]]
        rel_rows = []
        for rel in ("left of", "right of", "above", "below"):
            pos = [(s, o, t) for s, o, t in pairs if s["tag"] == "position" and s["include"][1]["position"][0] == rel]
            word = relation_word(code, rel)
            lack = [(o, t) for _, o, t in pos if norm(word) not in norm(t)]
            rel_rows.append(f"| {rel} | {word} | {len(pos)} | {len(lack)} | "
                            + (f"{lack[0][0]} / {lack[0][1]}" if lack else "") + " |")
        sec += ["", "Relations (position prompts):", "", "| relation | generator's words | prompts | "
                "NeoBabel's lacks them | example (ours / NeoBabel) |", "|---|---|---:|---:|---|", *rel_rows, ""]
        details += sec
    return "\n".join([*lines, "", "## Differences per language", "", *details])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--neobabel", type=Path, required=True, help="folder with NeoBabel's evaluation_metadata*.jsonl")
    ap.add_argument("--out", type=Path, help="also write the Markdown report here")
    ap.add_argument("--edits", type=int, default=12, help="most frequent edits listed per language")
    args = ap.parse_args()
    report = compare(args.neobabel, n_edits=args.edits)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
