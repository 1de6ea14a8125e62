"""xscript end to end: the reader on digits, per-family adapters, skips with notes, the music
family with a toy embedder, the report."""

from __future__ import annotations

import json
from typing import ClassVar

import numpy as np
import pytest

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.errors import InputError
from mmx.eval.runner import evaluate
from mmx.text.translit import transliterator_available


def test_digits_with_the_tiny_reader(tmp_path) -> None:
    res = evaluate("xscript", bench_args={"families": "digits", "n_numbers": 6}, out=tmp_path / "run",
                   progress=False)
    m = res["metrics"]
    assert res["model"] == "defaults" and res["bench_info"]["adapters"] == {"digits": "reader"}
    assert res["model_info"]["groups"]["digits"]["name"] == "reader"
    # trained on Latin, Devanagari and Arabic-Indic digits; never saw Bengali or Thai ones
    assert m["accuracy/digits:latin"] == 1.0 and m["accuracy/digits:devanagari"] == 1.0
    assert m["accuracy/digits:thai"] == 0.0 and m["gap/digits:latin-digits:thai"] == 1.0
    assert m["gap/digits:latin-digits:thai/n_pairs"] == 6
    assert "gap/digits:devanagari-digits:thai" not in m  # gaps are to the reference form only
    assert m["family_consistency/digits"] == 0.0 and m["n_items/digits"] == 6
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert len(recs) == 36 and {r["adapter"] for r in recs} == {"reader"}
    thai = next(r for r in recs if r["subset"] == "digits:thai")
    assert thai["text"] != thai["answer"] and thai["score"] == 0.0
    report = (tmp_path / "run" / "report.md").read_text()
    assert "## Per family" in report and "| digits | reading | reader | thai | 6 | 0.0 |" in report
    assert (tmp_path / "run" / "xscript_heatmap.png").is_file()


def test_another_model_serves_what_it_can_and_the_rest_is_skipped_with_a_note(tmp_path) -> None:
    res = evaluate("xscript", "majority", bench_args={"families": "digits+chinese", "n_numbers": 3,
                                                      "prompts_per_task": 1}, out=tmp_path / "run", progress=False)
    m = res["metrics"]
    assert "accuracy/digits:latin" in m and not any(k.startswith("accuracy/chinese") for k in m)
    note = next(n for n in res["notes"] if n.startswith("family chinese skipped"))
    assert "--model majority: it can answer" in note and "family chinese needs generate_images" in note
    assert "--model chinese=NAME" in note and "prompts_model=NAME" in note


def test_model_targets_one_family_and_the_others_keep_their_defaults(tmp_path) -> None:
    """``--model FAMILY=NAME``: the family gets NAME (and --model-args), the others their defaults."""
    res = evaluate("xscript", "digits=majority", bench_args={"families": "digits+chinese", "n_numbers": 3,
                                                             "prompts_per_task": 1,
                                                             "prompts_model": "shapes-oracle"},
                   out=tmp_path / "run", progress=False)
    assert res["bench_info"]["adapters"] == {"digits": "majority", "chinese": "shapes-oracle"}
    assert res["metrics"]["accuracy/chinese:hant"] == 1.0 and "accuracy/digits:latin" in res["metrics"]
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert {r["adapter"] for r in recs if r["family"] == "digits"} == {"majority"}
    with pytest.raises(InputError, match=r"no family 'digitz'; families: digits"):
        evaluate("xscript", "digitz=majority", bench_args={"families": "digits"}, out=tmp_path / "b", progress=False)
    with pytest.raises(InputError, match=r"--model digits=: write NAME or FAMILY=NAME\[,FAMILY=NAME\]"):
        evaluate("xscript", "digits=", bench_args={"families": "digits"}, out=tmp_path / "d", progress=False)
    with pytest.raises(InputError, match="--model chinese=majority: it can answer"):
        evaluate("xscript", "chinese=majority", bench_args={"families": "chinese"}, out=tmp_path / "c",
                 progress=False)
    assert not any((tmp_path / d).exists() for d in "bcd")


def test_unknown_family_and_options(tmp_path) -> None:
    with pytest.raises(InputError, match=r"unknown family hindi \(did you mean 'hindustani'\?\); families: digits, scorecards"):
        evaluate("xscript", bench_args={"families": "hindi"}, out=tmp_path / "a", progress=False)
    with pytest.raises(InputError, match="n_numbers must be a positive integer, not 0"):
        evaluate("xscript", bench_args={"n_numbers": 0}, out=tmp_path / "b", progress=False)
    with pytest.raises(InputError, match="takes no --data"):
        evaluate("xscript", data=str(tmp_path), out=tmp_path / "c", progress=False)
    assert not (tmp_path / "a").exists()


def test_prompt_families_default_to_the_shipped_t2i_head() -> None:
    """The prompt families measure a model by default (the shipped ``mmx-t2i`` head); the
    ``shapes-oracle``, which draws from the GenEval record and scores 100% by construction, is the
    plumbing check one asks for with ``prompts_model=shapes-oracle``."""
    from mmx.eval.benches.xscript.bench import XscriptBench
    from mmx.eval.benches.xscript.families import FAMILIES

    prompts = [f for f in FAMILIES.values() if f.kind == "prompts"]
    assert prompts and all(f.default_model == "mmx-t2i" for f in prompts)
    bench = XscriptBench(families="hindustani+chinese")
    assert {bench.family_model(f) for f in prompts} == {"mmx-t2i"}
    oracle = XscriptBench(families="hindustani+chinese", prompts_model="shapes-oracle")
    assert {oracle.family_model(f) for f in prompts} == {"shapes-oracle"}


def test_prompt_family_goes_through_geneval(tmp_path) -> None:
    res = evaluate("xscript", bench_args={"families": "chinese", "prompts_per_task": 1,
                                          "prompts_model": "shapes-oracle"}, out=tmp_path / "run",
                   progress=False)
    m = res["metrics"]
    assert res["bench_info"]["adapters"] == {"chinese": "shapes-oracle"}
    assert m["n/chinese:hant"] == 6 and m["accuracy/chinese:hant"] == 1.0
    assert any("draws every image from the prompt's GenEval record" in n for n in res["notes"])
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    hant = next(r for r in recs if r["subset"] == "chinese:hant")
    assert hant["metadata"]["prompt"] == hant["text"] and (tmp_path / "run" / hant["prediction"][0]).is_file()
    # the GenEval judge saw the same detections in every form: agreement is total
    assert m["family_agreement/chinese"] == 1.0


# --- music with a toy embedder ------------------------------------------------------------
class ToyMusic(ModelAdapter):
    """Embeds a tune as the one-hot of its pool index; a description by finding the tune it
    describes (Cyrillic only unless ``latin=True``, so a script-blind model can be simulated)."""

    name = "toy-music"
    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    batch_size = 8

    def __init__(self, latin: bool = True) -> None:
        from mmx.eval.benches.xscript import music
        from mmx.text.alphabets import kazakh_cyrillic, serbian_cyrillic

        self.pool = music.tunes(0)
        self.latin = latin
        self.index: dict[str, int] = {}
        for i, t in enumerate(self.pool):
            for d in (music.serbian_description(t), music.kazakh_description(t)):
                self.index[d] = i
                if latin:
                    self.index[serbian_cyrillic(d)] = i  # no-op on Cyrillic: keeps lookups simple
        self.back = (serbian_cyrillic, kazakh_cyrillic)

    def embed(self, requests: list[EmbedRequest]) -> np.ndarray:
        out = np.full((len(requests), len(self.pool)), 0.01, dtype=np.float32)
        for k, r in enumerate(requests):
            if r.modality == "music":
                out[k, next(i for i, t in enumerate(self.pool) if t.abc == r.content)] = 1
                continue
            texts = [r.content] + ([f(r.content) for f in self.back] if self.latin else [])
            hit = next((self.index[t] for t in texts if t in self.index), None)
            if hit is not None:
                out[k, hit] = 1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def toy_music(monkeypatch):
    from mmx.registry import models

    models.register("toy-music", ToyMusic, "test", capabilities=("embed",))
    yield
    models.unregister("toy-music")


def test_music_family_with_a_toy_embedder(tmp_path, toy_music) -> None:
    args = {"families": "serbian+kazakh", "music_model": "toy-music"}
    res = evaluate("xscript", bench_args=args, out=tmp_path / "run", progress=False)
    m = res["metrics"]
    assert m["accuracy/serbian:cyrl"] == 1.0 and m["accuracy/serbian:latn"] == 1.0
    assert m["mrr/kazakh:latn"] == 1.0 and m["n/kazakh:latn"] == 30 and m["n/kazakh:cyrl"] == 40
    assert m["skipped/kazakh"] == 10 and m["gap/serbian:cyrl-serbian:latn"] == 0.0
    assert res["notes"][0].startswith("10 rows skipped while loading: kazakh:latn tune")
    assert "вальс" in res["notes"][0]
    assert len(list((tmp_path / "run" / "embeddings").glob("*.npz"))) >= 2  # queries and the pool, cached


def test_music_family_sees_a_script_blind_model(tmp_path, toy_music, monkeypatch) -> None:
    monkeypatch.setattr(ToyMusic.__init__, "__defaults__", (False,))
    res = evaluate("xscript", bench_args={"families": "serbian", "music_model": "toy-music"}, out=tmp_path / "run",
                   progress=False)
    m = res["metrics"]
    assert m["accuracy/serbian:cyrl"] == 1.0 and m["accuracy/serbian:latn"] < 0.1
    assert m["gap/serbian:cyrl-serbian:latn"] > 0.9 and m["gap/serbian:cyrl-serbian:latn/ci_lo"] > 0.8
    assert m["family_consistency/serbian"] < 0.1


def test_music_family_refuses_an_adapter_that_is_not_registered(tmp_path) -> None:
    """A ``*_model`` someone named is theirs to fix: refused before any work, never skipped quietly."""
    with pytest.raises(InputError, match=r"family serbian: unknown model 'no-such-model'.*music_model=NAME"):
        evaluate("xscript", bench_args={"families": "digits+serbian", "n_numbers": 2, "music_model": "no-such-model"},
                 out=tmp_path / "run", progress=False)
    assert not (tmp_path / "run").exists()


def test_families_of_one_capability_take_a_model_of_that_capability(tmp_path, toy_music) -> None:
    res = evaluate("xscript", "toy-music", bench_args={"families": "serbian"}, out=tmp_path / "run", progress=False)
    assert res["model"] == "toy-music" and res["metrics"]["accuracy/serbian:latn"] == 1.0
    with pytest.raises(InputError, match="cannot serve bench xscript"):
        evaluate("xscript", "toy-music", bench_args={"families": "digits"}, out=tmp_path / "b", progress=False)


# --- passages with a toy reader of notices -------------------------------------------------
class ToyNoticeReader(ModelAdapter):
    """Knows every passage's answer (``ANSWERS``, filled by the test); reads Cyrillic-script
    questions only unless ``latin=True``, and answers names in their Latin spelling."""

    name = "toy-notices"
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer"})
    batch_size = 16
    ANSWERS: ClassVar[dict[str, str]] = {}

    def __init__(self, latin: bool = True) -> None:
        self.latin = latin

    def answer(self, requests):  # type: ignore[no-untyped-def]
        from mmx.text.alphabets import serbian_latin

        out = []
        for r in requests:
            assert r.images and r.question in r.text()
            if not self.latin and not any("\u0400" <= c <= "\u04ff" for c in r.question):
                out.append("?")  # cannot read a question without Cyrillic letters
                continue
            out.append(serbian_latin(self.ANSWERS[r.id]) + ".")
        return out


@pytest.fixture
def toy_notices():
    from mmx.eval import create_bench
    from mmx.registry import models

    b = create_bench("xscript", families="serbian_passages", n_passages=8)
    ToyNoticeReader.ANSWERS = {s.id: s.answer for s in b.load(False)}
    models.register("toy-notices", ToyNoticeReader, "test", capabilities=("answer",))
    yield
    models.unregister("toy-notices")


def test_passages_accept_any_spelling_and_see_a_script_blind_reader(tmp_path, toy_notices, monkeypatch) -> None:
    args = {"families": "serbian_passages", "n_passages": 8}
    res = evaluate("xscript", "toy-notices", bench_args=args, out=tmp_path / "a", progress=False)
    m = res["metrics"]
    # names asked in Cyrillic and answered in Latin still count; the same answer in both forms
    assert m["accuracy/serbian_passages:cyrl"] == 1.0 and m["accuracy/serbian_passages:latn"] == 1.0
    assert m["agreement/serbian_passages:cyrl-serbian_passages:latn"] == 1.0
    monkeypatch.setattr(ToyNoticeReader.__init__, "__defaults__", (False,))
    res = evaluate("xscript", "toy-notices", bench_args=args, out=tmp_path / "b", progress=False)
    m = res["metrics"]
    assert m["accuracy/serbian_passages:cyrl"] == 1.0 and m["accuracy/serbian_passages:latn"] == 0.0
    assert m["gap/serbian_passages:cyrl-serbian_passages:latn"] == 1.0
    assert m["family_consistency/serbian_passages"] == 0.0


def test_passages_have_no_offline_default(tmp_path) -> None:
    res = evaluate("xscript", bench_args={"families": "digits+chinese_passages", "n_numbers": 2, "n_passages": 2},
                   out=tmp_path / "run", progress=False)
    note = next(n for n in res["notes"] if n.startswith("family chinese_passages skipped"))
    assert "no offline adapter answers questions about passages" in note and "passages_model=NAME" in note
    again = evaluate("xscript", bench_args={"families": "digits+chinese_passages", "n_numbers": 2, "n_passages": 2},
                     out=tmp_path / "run", progress=False)  # resumed: nothing asked, the records say why
    assert note in again["notes"] and again["metrics"] == res["metrics"]


@pytest.mark.skipif(not transliterator_available(), reason="needs indic-transliteration")
def test_passages_report_translit_scores_and_error_kinds(tmp_path) -> None:
    """A reader that reads every notice right but writes names and places in its own
    romanization (Raahul, Seema -> Sima, Dillee): strict match rejects them, translit does not."""
    from mmx.eval import create_bench
    from mmx.eval.metrics import ERROR_KINDS

    variant = {"Rahul": "Raahul", "Seema": "Sima", "Amit": "Ameet", "Priya": "Priyaa", "Dilli": "Dillee",
               "Mumbai": "Mumbaee", "Patna": "Patnaa", "Jaipur": "Jaypur"}
    bench = create_bench("xscript", families="hindustani_passages", n_passages=8)
    fam = bench.groups()[0].bench
    samples = bench.load(False)
    informal = {s.pair: s.answer for s in samples if s.form == "informal"}
    records = []
    for s in samples:
        wrong_time = s.form == "urdu" and s.category == "time"  # one reading error: a time off
        pred = "23:59" if wrong_time else variant.get(informal[s.pair], s.answer)
        records.append({"subset": s.subset, "pair": s.pair, "family": s.family, "prediction": pred,
                        **fam.score(s, pred)})
    m = bench.aggregate(records)
    names = sum(s.category in ("name", "place") for s in samples if s.form == "deva")
    assert names == 4
    for form in ("deva", "iso15919", "informal", "urdu", "mix_en_second"):
        key = f"hindustani_passages:{form}"
        assert m[f"errors/spelling/{key}"] == 4 and m[f"accuracy/{key}"] == pytest.approx((8 - 4 - _wrong_times(form)) / 8)
        assert m[f"accuracy_translit/{key}"] == pytest.approx((8 - _wrong_times(form)) / 8)
        assert sum(m[f"errors/{k}/{key}"] for k in ERROR_KINDS) == 8
    assert m["errors/wrong_number/hindustani_passages:urdu"] == 2
    pair = "hindustani_passages:deva-hindustani_passages:urdu"
    assert m[f"gap/{pair}"] == pytest.approx(0.25) and m[f"gap_translit/{pair}"] == pytest.approx(0.25)
    pair = "hindustani_passages:deva-hindustani_passages:informal"
    assert m[f"gap_translit/{pair}"] == 0.0 and m[f"gap_translit/{pair}/n_pairs"] == 8
    lines = "\n".join(bench.report_sections({"metrics": m, "bench_info": {}}, tmp_path))
    assert "| hindustani_passages:urdu | 8 | 25.0 | 75.0 | 2 | 4 | 0 | 2 | 0 | - |" in lines


def _wrong_times(form: str) -> int:
    """Time questions answered wrong in ``form`` by the reader of the test above."""
    return 2 if form == "urdu" else 0
