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



def _final(tmp_path, n, seed):
    import mmx.eval.benches.mmcric.generate as gen

    return tmp_path / "mmcric" / f"gen-v{gen.GENERATOR_VERSION}-n{n}-seed{seed}"


def _other_process_finishes(final: Path) -> None:
    final.mkdir(parents=True)
    (final / "from-the-other-process").write_text("x")
    (final / ".complete").write_text("ok\n")


def _fake_generate(out, n, seed, progress=None):
    Path(out).mkdir(parents=True)
    (Path(out) / "mine").write_text("y")


@pytest.mark.parametrize("when", ["during generation", "after its check"])
def test_default_data_never_deletes_a_set_another_process_finished(tmp_path, monkeypatch, when):
    """Two processes (torchrun ranks, pytest-xdist workers) generating the default set at once:
    whichever finishes second keeps the first one's complete set; it never deletes it."""
    import shutil

    import mmx.eval.benches.mmcric.generate as gen
    from mmx.eval.benches.mmcric.bench import MmcricBench

    monkeypatch.setenv("MMX_CACHE", str(tmp_path))
    bench = MmcricBench(n_matches=1)
    final = _final(tmp_path, 1, bench.seed)
    deleted_complete: list[str] = []
    real_rmtree = shutil.rmtree

    def generate(out, n, seed, progress=None):
        if when == "during generation":
            _other_process_finishes(final)
        _fake_generate(out, n, seed)

    def rmtree(path, *args, **kwargs):
        path = Path(path)
        if when == "after its check" and path == final and not final.exists():
            _other_process_finishes(final)  # the other process renames its set in just now
        if (path / ".complete").exists() and path == final:
            deleted_complete.append(str(path))
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(gen, "generate", generate)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    path = bench.default_data(progress=False)
    assert path == final and (path / ".complete").exists()
    assert deleted_complete == []
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial folder left behind
