"""wikimt end to end with a toy embedder on a tiny WikiMT-format file: exact scores, skips,
the embedding cache (zero re-encodes on rerun), bad files, --limit, the built-in default."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mmx.errors import InputError
from mmx.eval.benches.wikimt import ANCHORS, WikimtBench, random_mrr
from mmx.eval.metrics import random_retrieval_scores, retrieval_scores
from mmx.eval.runner import evaluate

from .conftest import N_TUNES, fixture_records

# a zero embedding ties with every tune: the first relevant tune ranks after all irrelevant ones
TIED_RR = {"Jazz": 1 / 4, "Pop": 1 / 5, "Folk": 1 / 6}
TIED_AP = {"Jazz": (1 / 4 + 2 / 5 + 3 / 6) / 3, "Pop": (1 / 5 + 2 / 6) / 2, "Folk": 1 / 6}


def _run(data: Path | None, out: Path, **kw):
    return evaluate("wikimt", "toy-music", data=None if data is None else str(data), out=out, progress=False, **kw)


def test_scores_by_hand(wikimt_file: Path, toy_music, tmp_path: Path) -> None:
    res = _run(wikimt_file, tmp_path / "run")
    m = res["metrics"]
    assert m["pool/t2m"] == N_TUNES and m["n/t2m"] == N_TUNES and m["n/m2t"] == N_TUNES
    for d in ("t2m", "m2t"):
        assert m[f"mrr/{d}"] == 1.0 and m[f"hit@1/{d}"] == 1.0 and m[f"clamp_mrr/{d}"] == 1.0
    # the toy knows English genre words only: en, de, fr queries name them; ru ... ja embed to zeros
    for lang in ("en", "de", "fr"):
        assert m[f"mrr/{lang}"] == 1.0 and m[f"map/{lang}"] == 1.0 and m[f"n/{lang}"] == 9
    for lang in ("ru", "hi", "ar", "zh", "ja"):
        assert m[f"mrr/{lang}"] == pytest.approx(np.mean(list(TIED_RR.values())))
        assert m[f"map/{lang}"] == pytest.approx(np.mean(list(TIED_AP.values())))
        assert m[f"mrr/{lang}/Pop"] == pytest.approx(1 / 5)
        assert m[f"gap/en-{lang}"] == pytest.approx(1 - np.mean(list(TIED_RR.values())))
        assert m[f"gap/en-{lang}/n_pairs"] == 9
        assert m[f"gap/en-{lang}/ci_lo"] <= m[f"gap/en-{lang}"] <= m[f"gap/en-{lang}/ci_hi"]
        assert m[f"gap_map/en-{lang}"] == pytest.approx(1 - np.mean(list(TIED_AP.values())))
    assert m["gap/en-de"] == 0.0
    # a zero query's first-ranked tune is the pool's first (jazz): it agrees with English on the jazz queries only
    assert m["agreement/en-ru"] == pytest.approx(3 / 9) and m["consistency/en-ru"] == 0.0
    assert m["agreement/en-de"] == 1.0 and m["consistency/en-de"] == 1.0
    floor = [random_retrieval_scores(N_TUNES, n) for n in (3, 2, 1)]  # jazz, pop, folk
    assert m["random_mrr/ru"] == pytest.approx(np.mean([f["mrr"] for f in floor]))
    assert m["random_map/en"] == pytest.approx(np.mean([f["map"] for f in floor]))
    assert m["random_mrr/t2m"] == pytest.approx(random_mrr(N_TUNES))
    # four malformed records are reported, not dropped silently
    skipped = next(n for n in res["notes"] if "skipped while loading" in n)
    assert skipped.startswith("4 rows skipped") and "missing or empty music" in skipped and "no music" in skipped
    anchor = next(n for n in res["notes"] if "anchors" in n)
    assert "CLaMP 3 0.4498" in anchor and "do not compare" in anchor
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "| CLaMP 3 (published) | 0.4498 |" in report and "Genre retrieval by query language" in report
    assert "Hit@10, Hit@100 count every target" in report


def test_bench_scores_equal_retrieval_scores_on_the_cached_embeddings(wikimt_file: Path, toy_music,
                                                                     tmp_path: Path) -> None:
    from mmx.eval.contract import EmbeddingStore

    res = _run(wikimt_file, tmp_path / "run")
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    store = EmbeddingStore(tmp_path / "run" / "embeddings")
    text = store.get([r["prediction"][0] for r in recs if r["subset"] == "t2m"])
    music = store.get([r["prediction"][0] for r in recs if r["subset"] == "m2t"])
    want = retrieval_scores(text @ music.T, np.arange(N_TUNES))
    assert res["metrics"]["mrr/t2m"] == pytest.approx(want["mrr"])
    assert res["metrics"]["hit@1/t2m"] == pytest.approx(want["hit@1"])


def test_music_is_passed_as_given(wikimt_file: Path, toy_music, tmp_path: Path, monkeypatch) -> None:
    got: dict[str, str] = {}
    orig = toy_music.embed

    def spy(self, requests):
        got.update({r.id: r.content for r in requests if r.modality == "music"})
        return orig(self, requests)

    monkeypatch.setattr(toy_music, "embed", spy)
    _run(wikimt_file, tmp_path / "run")
    abc = {f"music/{i:05d}": r["music"] for i, r in enumerate(fixture_records())
           if isinstance(r, dict) and "music" in r}
    assert got and all(got[k] == abc[k] for k in got)


def test_rerun_encodes_nothing_again(wikimt_file: Path, toy_music, tmp_path: Path, monkeypatch) -> None:
    first = _run(wikimt_file, tmp_path / "run")
    encoded = toy_music.calls
    assert encoded == 2 * N_TUNES + 8 * 9  # descriptions, lead sheets, 9 genre queries per language
    again = _run(wikimt_file, tmp_path / "run")
    assert toy_music.calls == encoded
    assert again["metrics"] == first["metrics"]
    # another metric on the same run: hit@2 appears, computed from the cache alone
    monkeypatch.setattr(WikimtBench, "ks", (1, 2))
    other = _run(wikimt_file, tmp_path / "run")
    assert toy_music.calls == encoded
    assert other["metrics"]["hit@2/t2m"] == 1.0 and "hit@10/t2m" not in other["metrics"]


def test_a_killed_run_resumes_without_re_encoding(wikimt_file: Path, toy_music, tmp_path: Path,
                                                  monkeypatch) -> None:
    orig = toy_music.embed
    state = {"batches": 0}

    def flaky(self, requests):
        state["batches"] += 1
        if state["batches"] == 3:
            raise RuntimeError("killed")
        return orig(self, requests)

    monkeypatch.setattr(toy_music, "embed", flaky)
    with pytest.raises(Exception, match="rerun the same command to resume"):
        _run(wikimt_file, tmp_path / "run")
    monkeypatch.setattr(toy_music, "embed", orig)
    before = toy_music.calls
    res = _run(wikimt_file, tmp_path / "run")
    assert toy_music.calls - before == 2 * N_TUNES + 8 * 9 - 8  # the two batches done are not asked again
    assert res["metrics"]["mrr/t2m"] == 1.0


def test_a_refused_tune_is_left_out_and_reported(wikimt_file: Path, toy_music, tmp_path: Path,
                                                 monkeypatch) -> None:
    orig = toy_music.embed

    def picky(self, requests):
        for r in requests:
            if r.modality == "music" and "tune-2 " in r.content:
                raise InputError(f"{r.id}: malformed ABC (unbalanced repeats)")
        return orig(self, requests)

    monkeypatch.setattr(toy_music, "embed", picky)
    res = _run(wikimt_file, tmp_path / "run")
    m = res["metrics"]
    assert m["pool/t2m"] == N_TUNES - 1 and m["mrr/t2m"] == 1.0 and m["n/t2m"] == N_TUNES
    note = next(n for n in res["notes"] if "refused" in n)
    assert note.startswith("1 samples refused by the model, left out (1 tunes out of both pools)")
    assert "malformed ABC (unbalanced repeats)" in note
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    bad = [r for r in recs if r.get("error")]
    assert [r["id"] for r in bad] == ["m2t-00002"] and len(recs) == 2 * N_TUNES + 8 * 9


def test_jsonl_gives_the_same_result(wikimt_file: Path, toy_music, tmp_path: Path) -> None:
    jl = tmp_path / "wikimusictext.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in fixture_records()), encoding="utf-8")
    a = _run(wikimt_file, tmp_path / "a")["metrics"]
    b = _run(jl, tmp_path / "b")["metrics"]
    assert a == b


@pytest.mark.parametrize(("content", "words"), [
    (None, "no such file"),
    ("", "is empty"),
    ("[{\"music\": ", "not valid JSON"),
    ("{\"a\": 1}", "found no samples .*missing or empty music, text, genre"),  # read as one JSON line
    ("nonsense\n", "neither a JSON list nor JSON lines"),
])
def test_bad_files_raise_one_clear_line(tmp_path: Path, toy_music, content, words: str) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=words):
        _run(path, tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_no_usable_record_is_a_clear_error(tmp_path: Path, toy_music) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps([{"title": "x"}]), encoding="utf-8")
    with pytest.raises(InputError, match=r"found no samples .*1 rows skipped"):
        _run(path, tmp_path / "run")


def test_limit_keeps_tunes_and_their_genres(wikimt_file: Path, toy_music, tmp_path: Path) -> None:
    res = _run(wikimt_file, tmp_path / "run", limit=2)
    m = res["metrics"]
    assert m["pool/t2m"] == 2 and m["n/t2m"] == 2
    assert m["n/en"] == 3 and "mrr/en/Pop" not in m  # the first two tunes are jazz
    assert m["mrr/ru"] == pytest.approx(1 / 1)  # jazz is the whole pool: nothing ranks above it


def test_builtin_default_runs_and_says_it_is_not_wikimt(toy_music, tmp_path: Path) -> None:
    res = _run(None, tmp_path / "run", limit=3)
    assert res["data"].startswith("built-in sample")
    assert any("not WikiMT" in n for n in res["notes"])
    assert res["metrics"]["n/t2m"] == 3


def test_tiny_note_once(wikimt_file: Path, toy_music, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("mmx.eval.benches.wikimt.bench.TINY_MODELS", ("toy-music",))
    res = _run(wikimt_file, tmp_path / "a", limit=2)
    assert sum("offline tiny model" in n for n in res["notes"]) == 1
    monkeypatch.setattr(toy_music, "notes", lambda self: ["toy-music is a tiny toy"], raising=False)
    res = _run(wikimt_file, tmp_path / "b", limit=2)
    assert sum("tiny" in n for n in res["notes"]) == 1  # the adapter's own note only


def test_tiny_model_is_named_plainly() -> None:
    lines = WikimtBench.report_sections(
        {"model": "music-tiny", "metrics": {"mrr/t2m": 0.1, "pool/t2m": 1010.0}}, Path("."))
    text = "\n".join(lines)
    assert "music-tiny is mmx's offline tiny model" in text
    assert "| **music-tiny** (this run) | 0.1000 |" in text
    other = "\n".join(WikimtBench.report_sections({"model": "clamp3", "metrics": {"mrr/t2m": 0.4}}, Path(".")))
    assert "offline tiny model" not in other


def test_anchors_and_random_baseline() -> None:
    assert ANCHORS == {"CLaMP": 0.2561, "CLaMP 2": 0.3438, "CLaMP 3": 0.4498}
    assert random_mrr(1000) == pytest.approx(0.0075, abs=5e-5)  # CLaMP 3: random MRR on 1,000 items ~ 0.0075
    assert random_mrr(1) == 1.0


def test_report_names_metrics_as_written(wikimt_file: Path, toy_music, tmp_path: Path) -> None:
    """Headings and columns spell the metrics' names (MRR, Hit@10, mAP), never "Mrr" or "hit@10"."""
    _run(wikimt_file, tmp_path / "run")
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "## MRR by subset\n" in report and "Mrr" not in report
    assert "| subset | n | MRR | Hit@1 | Hit@10 | Hit@100 | mAP |" in report
    assert "-%" not in report
