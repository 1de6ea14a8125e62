"""Small MMCricBench-schema datasets built in the tests (no drawing, no OCR), and how the suite
shares the cores under pytest-xdist (``make test``: ``-n auto --dist loadfile``)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from mmx.eval.benches.mmcric.data import write_split

#: BLAS / OpenMP pools of one thread in each xdist worker (and the processes its tests start):
#: the workers already fill the cores, and OpenMP threads of two processes on one core spin
#: while they wait for each other instead of working.
WORKER_THREADS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):  # set before any test imports torch (it reads them once)
        for name in WORKER_THREADS:
            os.environ.setdefault(name, "1")


def png(color: int = 200, size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (color, color, color)).save(buf, "PNG")
    return buf.getvalue()


def make_rows(n_pairs: int, kind: str = "single", subsets=(("english", "E"), ("hindi", "H"))) -> list[dict]:
    rows = []
    for k in range(n_pairs):
        for prefix, s in subsets:
            rows.append({"id": f"{prefix}-{kind}-{k}", "images": [{"bytes": png(100 + k), "path": None}],
                         "question": f"How many runs did player {k} score?", "answer": str(10 + k % 3),
                         "category": f"C{1 + k % 3}", "subset": s})
    return rows


def write_dataset(root: Path, n_single: int = 6, n_multi: int = 3, rows_single=None) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    write_split(root / "data" / "test_single-00000-of-00001.parquet", rows_single or make_rows(n_single))
    if n_multi:
        write_split(root / "data" / "test_multi-00000-of-00001.parquet", make_rows(n_multi, "multi"))
    return root


@pytest.fixture
def tiny_set(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "set")
