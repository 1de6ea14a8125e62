"""Loading the real MMCricBench schema: subsets, splits, bad files and rows."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mmx.errors import InputError
from mmx.eval.benches.mmcric.data import COLUMNS, LoadReport, load, pair_key, subset_of
from tests.conftest import make_rows, png, write_dataset


def test_loads_both_splits_and_pairs(tiny_set):
    samples = load(str(tiny_set))
    assert {s.split for s in samples} == {"test_single", "test_multi"}
    assert len(samples) == 2 * (6 + 3)
    pairs = {}
    for s in samples:
        pairs.setdefault((s.split, s.pair), set()).add(s.subset)
    assert all(v == {"E", "H"} for v in pairs.values())
    assert load(str(tiny_set), split="test_multi")[0].split == "test_multi"
    img = samples[0].pil_images()[0]
    assert img.mode == "RGB" and img.size == (40, 30)


@pytest.mark.parametrize(("value", "id_", "want"), [
    ("E", "x", "E"), ("english", "x", "E"), ("HINDI", "x", "H"), ("h", "x", "H"),
    (None, "english-single-3", "E"), ("", "hindi-multi-1", "H"), ("??", "hindi_deva-single-2", "HD"),
    (None, "other-1", None),
])
def test_subset_rule(value, id_, want):
    assert subset_of(value, id_) == want


def test_pair_key():
    assert pair_key("english-single-25") == pair_key("hindi-single-25") == "single-25"
    assert pair_key("hindi_deva-single-25") == "single-25"


def test_missing_subset_column_uses_id_prefix(tmp_path):
    rows = make_rows(2)
    table = pa.Table.from_pylist(rows).drop_columns(["subset"])
    (tmp_path / "data").mkdir()
    pq.write_table(table, tmp_path / "data" / "test_single-00000-of-00001.parquet")
    samples = load(str(tmp_path))
    assert [s.subset for s in samples] == ["E", "H", "E", "H"]


def test_bad_rows_are_reported_and_skipped(tmp_path):
    rows = make_rows(3)
    rows[0]["images"] = [{"bytes": b"not an image", "path": None}]
    rows[1]["subset"] = "klingon"
    rows[1]["id"] = "klingon-single-0"
    write_dataset(tmp_path, rows_single=rows, n_multi=0)
    report = LoadReport()
    samples = load(str(tmp_path), report=report)
    assert len(samples) == 4
    assert any("unreadable" in m for m in report.skipped) and any("klingon" in m for m in report.skipped)


def test_wrong_schema_names_missing_columns(tmp_path):
    (tmp_path / "data").mkdir()
    pq.write_table(pa.table({"id": ["a"], "question": ["q"]}), tmp_path / "data" / "test_single-0.parquet")
    with pytest.raises(InputError, match=r"missing column.*images.*answer.*category"):
        load(str(tmp_path))


def test_missing_path_and_empty_split(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load(str(tmp_path / "nope"))
    write_dataset(tmp_path / "s", n_multi=0)
    with pytest.raises(InputError, match="test_multi"):
        load(str(tmp_path / "s"), split="test_multi")
    with pytest.raises(InputError, match="not a split"):
        load(str(tmp_path / "s"), split="train")
    (tmp_path / "e" / "data").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(make_rows(1))[:0], tmp_path / "e" / "data" / "test_single-0.parquet")
    with pytest.raises(InputError, match="no usable rows"):
        load(str(tmp_path / "e"))


def test_not_parquet(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "test_single-0.parquet").write_bytes(b"garbage")
    with pytest.raises(InputError, match="not a readable parquet"):
        load(str(tmp_path))


def test_written_schema_is_the_real_one_and_datasets_decodes_images(tiny_set):
    f = tiny_set / "data" / "test_single-00000-of-00001.parquet"
    schema = pq.read_schema(f)
    assert tuple(schema.names) == COLUMNS
    datasets = pytest.importorskip("datasets")
    ds = datasets.load_dataset("parquet", data_files=str(f), split="train")
    assert ds[0]["images"][0].size == (40, 30)


def test_image_given_by_relative_path(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "img.png").write_bytes(png())
    rows = make_rows(1)
    for r in rows:
        r["images"] = [{"bytes": None, "path": "img.png"}]
    write_dataset(tmp_path, rows_single=rows, n_multi=0)
    assert len(load(str(tmp_path))) == 2


def test_hub_dataset_offline_says_how_to_pass_a_local_copy(monkeypatch):
    pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError, match=r"hf download DIALab/MMCricBench.*--data DIR"):
        load("hf:DIALab/MMCricBench", split="test_single")


@pytest.mark.parametrize(("line", "why"), [('{"id": "x"', "not JSON"), ("[1]", "expected a JSON object per line")])
def test_bad_sidecar_meta_line_is_one_clear_error(tiny_set, line, why):
    meta = tiny_set / "meta.jsonl"
    meta.write_text(json.dumps({"id": "english-single-0", "format": "table"}) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(str(tiny_set))
    assert str(info.value).startswith(f"{meta} line 2: {why}")
