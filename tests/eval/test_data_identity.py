"""The data's identity is part of the run's identity, per item: a rerun after the data changed
rescores what changed (and only that), never reports old numbers for new data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.eval.contract import BenchBase, EmbeddingStore, EvalSample
from mmx.eval.runner import evaluate

NOT_LOADED = "model not loaded"


@dataclass
class Line(EvalSample):
    question: str = ""
    answer: str = ""


class FileQa(BenchBase[Line]):
    """Questions read from a JSON-lines file (``--data``): ``say N`` is answered ``N``."""

    name = "file-qa"
    default_model = "echo"

    def load(self, progress: bool = True) -> list[Line]:
        rows = [json.loads(x) for x in Path(str(self.data)).read_text(encoding="utf-8").splitlines()]
        return [Line(id=r["id"], subset=r["subset"], pair=r["pair"], question=r["q"], answer=r["a"]) for r in rows]

    def request(self, sample: Line) -> VqaRequest:  # type: ignore[override]
        return VqaRequest(id=sample.id, question=sample.question)

    def score(self, sample: Line, output: Any) -> dict[str, Any]:  # type: ignore[override]
        return {"score": float(output == sample.answer)}


class Echo(ModelAdapter):
    """Answers the last word of the question; remembers what it was asked."""

    name = "echo"
    batch_size = 2
    asked: ClassVar[list[str]] = []

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        Echo.asked += [r.id for r in requests]
        return [r.question.split()[-1] for r in requests]


@pytest.fixture
def file_qa(tmp_path: Path):
    from mmx.registry import benches, models

    benches.register("file-qa", FileQa, "test bench: questions from a file", needs="answer")
    models.register("echo", Echo, "test adapter: echoes the last word", capabilities=("answer",))
    Echo.asked.clear()
    data = tmp_path / "qa.jsonl"
    _write(data, {})
    yield data
    benches.unregister("file-qa")
    models.unregister("echo")


def _rows(edits: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for k in range(3):
        for subset in ("a", "b"):
            sid = f"{subset}-{k}"
            rows.append({"id": sid, "subset": subset, "pair": str(k), "q": edits.get(sid, f"say {k}"), "a": str(k)})
    return rows


def _write(path: Path, edits: dict[str, str]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows(edits)), encoding="utf-8")


def _lines(out: Path) -> dict[str, str]:
    text = (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    by_id = {json.loads(x)["id"]: x for x in text}
    assert len(by_id) == len(text), "a sample is recorded twice"
    return by_id


def test_rerun_rescores_only_the_items_whose_data_changed(file_qa: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    assert first["metrics"]["accuracy/b"] == 1.0
    recs = {k: json.loads(v) for k, v in _lines(out).items()}
    assert all(isinstance(r["fp"], str) and len(r["fp"]) >= 12 for r in recs.values())
    fp0 = first["config"]["data_fingerprint"]
    assert json.loads((out / "run.json").read_text())["data_fingerprint"] == fp0

    Echo.asked.clear()
    same = evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    assert Echo.asked == [] and NOT_LOADED in same["model_info"]["note"]
    assert same["config"]["data_fingerprint"] == fp0 and not [n for n in same["notes"] if "changed" in n]

    before = _lines(out)
    _write(file_qa, {"b-1": "say 9"})
    again = evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    assert Echo.asked == ["b-1"]
    after = _lines(out)
    assert set(after) == set(before)
    assert {k for k in after if after[k] != before[k]} == {"b-1"}
    rec = json.loads(after["b-1"])
    assert rec["question"] == "say 9" and rec["prediction"] == "9" and rec["score"] == 0.0
    assert rec["fp"] != json.loads(before["b-1"])["fp"]
    assert again["metrics"]["accuracy/b"] == pytest.approx(2 / 3) and again["metrics"]["accuracy/a"] == 1.0
    assert NOT_LOADED not in json.dumps(again)
    note = next(n for n in again["notes"] if "data changed" in n)
    assert note.startswith("1 sample scored again") and "b-1" in note
    assert again["config"]["data_fingerprint"] != fp0
    assert json.loads((out / "run.json").read_text())["data_fingerprint"] == again["config"]["data_fingerprint"]


def test_records_without_a_fingerprint_are_scored_again(file_qa: Path, tmp_path: Path) -> None:
    """Records written before fingerprints existed cannot be checked against the data: rescored."""
    out = tmp_path / "run"
    evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    old = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    (out / "samples.jsonl").write_text("".join(json.dumps({k: v for k, v in r.items() if k != "fp"}) + "\n"
                                               for r in old))
    run = json.loads((out / "run.json").read_text())
    del run["data_fingerprint"]
    (out / "run.json").write_text(json.dumps(run))  # a run.json of an older version: not refused
    Echo.asked.clear()
    res = evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    assert sorted(Echo.asked) == sorted(r["id"] for r in old)
    assert len(_lines(out)) == 6 and res["n_samples"] == 6
    assert any(n.startswith("6 samples scored again") for n in res["notes"])


def test_a_stale_record_in_a_rank_part_is_dropped(file_qa: Path, tmp_path: Path) -> None:
    """Records of a killed torchrun run live in parts/: a stale one there never wins the merge."""
    out = tmp_path / "run"
    evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    (out / "parts").mkdir()
    (out / "samples.jsonl").rename(out / "parts" / "samples-r00001.jsonl")
    _write(file_qa, {"a-2": "say 7"})
    Echo.asked.clear()
    res = evaluate("file-qa", data=str(file_qa), out=out, progress=False)
    assert Echo.asked == ["a-2"]
    assert json.loads(_lines(out)["a-2"])["question"] == "say 7" and not (out / "parts").exists()
    assert res["metrics"]["accuracy/a"] == pytest.approx(2 / 3)


def test_a_new_limit_or_model_is_still_refused(file_qa: Path, tmp_path: Path) -> None:
    """Only the data's fingerprint may differ from run.json: other options keep their guard."""
    from mmx.errors import InputError

    out = tmp_path / "run"
    evaluate("file-qa", data=str(file_qa), out=out, limit=2, progress=False)
    _write(file_qa, {"a-0": "say 5"})
    with pytest.raises(InputError, match="different limit"):
        evaluate("file-qa", data=str(file_qa), out=out, limit=1, progress=False)


def test_the_newest_embedding_of_an_id_wins_across_ranks(tmp_path: Path) -> None:
    """A rescored sample's vector is written again (maybe by another rank than the first time)."""
    root = tmp_path / "embeddings"
    EmbeddingStore(root, rank=1).write(["q/a", "q/b"], np.array([[1, 0], [0, 1]]))
    EmbeddingStore(root, rank=0).write(["q/a"], np.array([[0, 5]]))
    got = EmbeddingStore(root, rank=0).get(["q/a", "q/b"])
    assert got.tolist() == [[0, 5], [0, 1]]
    EmbeddingStore(root, rank=1).write(["q/b"], np.array([[7, 7]]))
    assert EmbeddingStore(root).get(["q/a", "q/b"]).tolist() == [[0, 5], [7, 7]]


def test_fingerprints_hash_bytes_and_files_by_content(tmp_path: Path) -> None:
    @dataclass
    class Card(EvalSample):
        images: list[bytes] | None = None
        path: Path | None = None

    f = tmp_path / "card.png"
    f.write_bytes(b"one")
    b = FileQa()
    a = b.fingerprint(Card(id="x", images=[b"\x89PNG"], path=f))
    assert a == b.fingerprint(Card(id="x", images=[b"\x89PNG"], path=f))
    assert a != b.fingerprint(Card(id="x", images=[b"\x89PNH"], path=f))
    f.write_bytes(b"two")
    assert a != b.fingerprint(Card(id="x", images=[b"\x89PNG"], path=f))


def test_mmcric_generated_default_keeps_its_fingerprints(tmp_path: Path) -> None:
    """The offline default (a generated, cached set): the same command again reuses everything."""
    args = {"bench_args": {"n_matches": 1}, "limit": 2, "out": tmp_path / "run", "progress": False}
    first = evaluate("mmcric", "majority", **args)
    again = evaluate("mmcric", "majority", **args)
    assert NOT_LOADED in again["model_info"]["note"]
    assert again["config"]["data_fingerprint"] == first["config"]["data_fingerprint"]
    assert again["metrics"] == first["metrics"] and not [n for n in again["notes"] if "changed" in n]
