"""The runner hands a model the next batch before it asks for the current one (``prefetch``), so
ocr-table reads the next batch's cards while the current one is answered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.eval.runner import evaluate
from mmx.registry import models


class Ahead(ModelAdapter):
    """Answers "10" and logs what it was handed, in order."""

    name = "ahead"
    batch_size = 4
    log: ClassVar[list[tuple[str, list[str]]]] = []
    seen: ClassVar[dict[str, VqaRequest]] = {}

    def prefetch(self, requests: list[VqaRequest]) -> None:
        Ahead.log.append(("prefetch", [r.id for r in requests]))
        Ahead.seen.update((r.id, r) for r in requests)

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        Ahead.log.append(("answer", [r.id for r in requests]))
        # the requests of a prefetched batch are the very ones prefetch got (images decoded once)
        assert all(Ahead.seen.pop(r.id) is r for r in requests)
        return ["10"] * len(requests)


@pytest.fixture
def ahead() -> Iterator[type[Ahead]]:
    models.register("ahead", Ahead, capabilities=("answer",))
    Ahead.log, Ahead.seen = [], {}
    yield Ahead
    models.unregister("ahead")


def test_each_batch_is_prefetched_before_it_is_asked_and_the_next_before_that(ahead, tiny_set, tmp_path) -> None:
    res = evaluate("mmcric", "ahead", data=str(tiny_set), out=tmp_path / "run", progress=False)
    asked = [ids for verb, ids in ahead.log if verb == "answer"]
    assert res["n_samples"] == 18 and len(asked) == 5  # 18 samples in batches of 4
    expected: list[tuple[str, list[str]]] = [("prefetch", asked[0])]
    for k, ids in enumerate(asked):
        if k + 1 < len(asked):
            expected.append(("prefetch", asked[k + 1]))
        expected.append(("answer", ids))
    assert ahead.log == expected
    assert not ahead.seen


# --------------------------------------------------------------------------- ocr-table


def test_ocr_table_reads_prefetched_cards_on_its_workers_once(monkeypatch) -> None:
    pytest.importorskip("rapidocr")
    from PIL import Image

    from mmx.eval.benches.mmcric.baseline.ocr_table import OcrTableModel

    m = OcrTableModel(workers=2)
    read: list[tuple[bytes, str]] = []

    def fake_read(img: Any) -> str:
        import threading

        read.append((img.tobytes()[:1], threading.current_thread().name))
        return "card-" + img.tobytes()[:1].hex()

    monkeypatch.setattr(m, "_read", fake_read)
    monkeypatch.setattr(m, "_answer_all", lambda reqs, cards: ["+".join(c) for c in cards])
    a, b, c = (Image.new("L", (4, 4), v) for v in (1, 2, 3))
    first = [VqaRequest(id="1", question="q", images=[a]), VqaRequest(id="2", question="q", images=[a, b])]
    second = [VqaRequest(id="3", question="q", images=[Image.new("L", (4, 4), 2), c])]  # b's content again
    m.prefetch(first)
    m.prefetch(second)
    assert m.answer(first) == ["card-01", "card-01+card-02"]
    assert m.answer(second) == ["card-02+card-03"]
    # three distinct images, each read once, all on the worker threads
    assert sorted(x for x, _ in read) == [b"\x01", b"\x02", b"\x03"]
    assert all(name.startswith("ocr-table") for _, name in read)
    assert not m._pending and not any(m._keys)


def test_ocr_table_without_workers_reads_in_the_callers_thread(monkeypatch) -> None:
    pytest.importorskip("rapidocr")
    import threading

    from PIL import Image

    from mmx.eval.benches.mmcric.baseline.ocr_table import OcrTableModel

    m = OcrTableModel(workers=1)
    threads: list[str] = []
    monkeypatch.setattr(m, "_read", lambda img: threads.append(threading.current_thread().name) or "card")
    monkeypatch.setattr(m, "_answer_all", lambda reqs, cards: ["+".join(c) for c in cards])
    reqs = [VqaRequest(id="1", question="q", images=[Image.new("L", (4, 4), 1)])]
    m.prefetch(reqs)
    assert threads == []  # nothing started ahead
    assert m.answer(reqs) == ["card"] and threads == [threading.current_thread().name]


def test_ocr_table_read_ahead_off_starts_nothing_early(monkeypatch) -> None:
    pytest.importorskip("rapidocr")
    from PIL import Image

    from mmx.eval.benches.mmcric.baseline.ocr_table import OcrTableModel

    m = OcrTableModel(workers=2, read_ahead=False)
    read: list[int] = []
    monkeypatch.setattr(m, "_read", lambda img: read.append(1) or "card")
    monkeypatch.setattr(m, "_answer_all", lambda reqs, cards: ["+".join(c) for c in cards])
    reqs = [VqaRequest(id="1", question="q", images=[Image.new("L", (4, 4), 1)])]
    m.prefetch(reqs)
    assert read == [] and not m._pending
    assert m.answer(reqs) == ["card"] and read == [1]
