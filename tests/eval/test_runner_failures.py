"""Requests that fail for good (mmx.eval.failures): the runner keeps the answered samples of a
batch, leaves the failed ones out of samples.jsonl, lists them in results.json, marks the metrics
partial, exits 1, and a rerun asks for exactly those. A toy adapter stands in for an API adapter
(no server, no openai package)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.cli import main
from mmx.errors import RequestsFailed
from mmx.registry import models


class Flaky(ModelAdapter):
    """Answers "10", except for the ids in ``failing``; the answered ones of a failed batch are
    replayed from memory, as the openai adapter does."""

    name = "flaky"
    batch_size = 4
    failing: ClassVar[set[str]] = set()
    asked: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self._memo: dict[str, str] | None = None

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        if self._memo is not None:
            bad = {r.id: "HTTP 503: busy" for r in requests if r.id not in self._memo}
            if bad:
                raise RequestsFailed("failed again", bad)
            return [self._memo[r.id] for r in requests]
        Flaky.asked += [r.id for r in requests]
        answers = {r.id: "10" for r in requests if r.id not in Flaky.failing}
        failed = {r.id: "HTTP 503: busy" for r in requests if r.id in Flaky.failing}
        if failed:
            raise RequestsFailed(f"{len(failed)} failed", failed, replay=lambda: self._replaying(answers))
        return [answers[r.id] for r in requests]

    @contextlib.contextmanager
    def _replaying(self, answers: dict[str, str]) -> Iterator[None]:
        self._memo = answers
        try:
            yield
        finally:
            self._memo = None


@pytest.fixture
def flaky() -> Iterator[type[Flaky]]:
    models.register("flaky", Flaky, capabilities=("answer",))
    Flaky.failing, Flaky.asked = set(), []
    yield Flaky
    models.unregister("flaky")


def _run(tiny_set: Any, out: Any) -> int:
    return main(["eval", "--bench", "mmcric", "--model", "flaky", "--data", str(tiny_set), "--out", str(out),
                 "--no-progress"])


def test_failed_samples_are_listed_not_scored_and_a_rerun_asks_for_exactly_them(flaky, tiny_set, tmp_path, capsys):
    out = tmp_path / "run"
    flaky.failing = {"english-single-1", "hindi-multi-0"}
    assert _run(tiny_set, out) == 1
    assert "2 samples have no answer" in capsys.readouterr().err
    ids = [json.loads(x)["id"] for x in (out / "samples.jsonl").read_text().splitlines()]
    assert len(ids) == 16 and not set(ids) & flaky.failing
    res = json.loads((out / "results.json").read_text())
    assert res["partial"] is True and res["n_failed"] == 2 and res["n_samples"] == 16
    assert {(f["id"], f["reason"]) for f in res["failed"]} == {(i, "HTTP 503: busy") for i in flaky.failing}
    assert res["notes"][0].startswith("PARTIAL: 2 of 18 samples") and not (out / "parts").exists()
    assert len(flaky.asked) == 18 == len(set(flaky.asked))  # each asked once: the batch was replayed from memory
    flaky.failing, flaky.asked = set(), []
    assert _run(tiny_set, out) == 0
    assert sorted(flaky.asked) == ["english-single-1", "hindi-multi-0"]
    res = json.loads((out / "results.json").read_text())
    assert res["partial"] is False and res["failed"] == [] and res["n_samples"] == 18
    ids = [json.loads(x)["id"] for x in (out / "samples.jsonl").read_text().splitlines()]
    assert len(ids) == 18 == len(set(ids))


def test_a_new_run_whose_every_request_fails_leaves_no_folder(flaky, tiny_set, tmp_path, capsys):
    flaky.failing = {f"{p}-{k}-{i}" for p in ("english", "hindi") for k in ("single", "multi") for i in range(6)}
    assert _run(tiny_set, tmp_path / "run") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "every request failed (18 samples; first: HTTP 503: busy)" in err
    assert not (tmp_path / "run").exists()
