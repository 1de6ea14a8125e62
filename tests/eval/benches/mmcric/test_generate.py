"""`mmx data mmcric`: the real schema, paired ids, multi-image Tests, byte-identical for a seed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PIL import Image

from mmx.cli import main
from mmx.errors import InputError
from mmx.eval.benches.mmcric.data import COLUMNS, load
from mmx.eval.benches.mmcric.generate import generate


@pytest.fixture(scope="module")
def gen(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "a"
    generate(out, n=4, seed=7)
    return out


def test_schema_pairs_and_images(gen):
    for f in (gen / "data").glob("*.parquet"):
        assert tuple(pq.read_schema(f).names) == COLUMNS
    samples = load(str(gen))
    by_pair: dict = {}
    for s in samples:
        by_pair.setdefault((s.split, s.pair), {})[s.subset] = s
    assert all(set(v) == {"E", "H", "HD"} for v in by_pair.values())
    for group in by_pair.values():
        e, h = group["E"], group["H"]
        assert e.question == h.question and e.answer == h.answer and e.category == h.category
        assert len(e.images) == len(h.images) and e.images != h.images
        assert e.meta["format"] == h.meta["format"]
        if e.split == "test_multi":
            assert e.meta["format"] == "Test" and len(e.images) >= 1
        else:
            assert e.meta["format"] in ("T20", "ODI") and len(e.images) == 1
        img = Image.open(io.BytesIO(e.images[0]))
        assert img.width >= 600 and img.height >= 400
    assert {s.category for s in samples} == {"C1", "C2", "C3"}


def test_same_seed_same_bytes(gen, tmp_path):
    again = tmp_path / "b"
    generate(again, n=4, seed=7)
    for f in sorted(p.relative_to(gen) for p in gen.rglob("*") if p.is_file()):
        assert (gen / f).read_bytes() == (again / f).read_bytes(), f
    other = tmp_path / "c"
    generate(other, n=4, seed=8)
    assert (other / "meta.jsonl").read_bytes() != (gen / "meta.jsonl").read_bytes()


def test_subsets_option_and_bad_input(tmp_path):
    generate(tmp_path / "e", n=2, seed=1, subsets=("E",))
    assert {s.subset for s in load(str(tmp_path / "e"))} == {"E"}
    with pytest.raises(InputError, match="unknown"):
        generate(tmp_path / "x", n=2, subsets=("X",))
    with pytest.raises(InputError, match="at least 1"):
        generate(tmp_path / "x", n=0)


def test_cli_data(tmp_path, capsys):
    out = tmp_path / "d"
    assert main(["data", "mmcric", "--out", str(out), "--n", "2", "--seed", "3", "--no-progress"]) == 0
    assert "matches" in capsys.readouterr().out
    lines = [json.loads(x) for x in (out / "meta.jsonl").read_text().splitlines()]
    assert {d["digits"] for d in lines} == {"western", "devanagari"}
    assert main(["data", "mmcric", "--out", str(out), "--n", "2", "--no-progress"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["data", "mmcric", "--out", str(out), "--n", "2", "--subsets", "E,Q", "--overwrite", "--no-progress"]) == 2
    assert "unknown Q" in capsys.readouterr().err
