"""mmx.hub: the pixel-budget rule, local folders and the offline error (no hub, no transformers)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from mmx.errors import InputError
from mmx.hub import ModelSource, locate_model, set_pixel_budget


class _SizeDict(dict):
    """transformers 5 keeps ``size`` in a dict subclass; the helper must keep its type."""


class _QwenKwargs:
    min_pixels: int
    max_pixels: int


class QwenLikeImageProcessor:
    """Declares a pixel budget through its accepted kwargs (transformers 5), as Qwen2-VL's."""

    valid_kwargs = _QwenKwargs

    def __init__(self) -> None:
        self.size = _SizeDict(shortest_edge=56 * 56, longest_edge=28 * 28 * 1280)
        self.merge_size = 2


class Qwen4LikeImageProcessor:
    """transformers 4 style: the budget is plain attributes."""

    def __init__(self) -> None:
        self.size = {"shortest_edge": 3136, "longest_edge": 1003520}
        self.min_pixels = 3136
        self.max_pixels = 1003520


class ClipLikeImageProcessor:
    """``size`` is an edge length in px (LLaVA's CLIP processor), not a pixel count."""

    def __init__(self) -> None:
        self.size = {"shortest_edge": 336}
        # a merge size alone does not make a pixel budget
        self.merge_size = 2


class Processor:
    def __init__(self, image_processor: Any) -> None:
        self.image_processor = image_processor


def test_budget_goes_into_size_and_keeps_its_type() -> None:
    proc = Processor(QwenLikeImageProcessor())
    applied, note = set_pixel_budget(proc, 28 * 28, 224 * 224)
    assert applied == {"min_pixels": 784, "max_pixels": 50176}
    assert note is None
    assert proc.image_processor.size == {"shortest_edge": 784, "longest_edge": 50176}
    assert type(proc.image_processor.size) is _SizeDict


def test_one_bound_keeps_the_other() -> None:
    ip = QwenLikeImageProcessor()
    applied, _ = set_pixel_budget(ip, max_pixels=10_000)  # the image processor itself
    assert applied == {"max_pixels": 10_000}
    assert ip.size == {"shortest_edge": 3136, "longest_edge": 10_000}


def test_transformers4_attributes_are_set_too() -> None:
    ip = Qwen4LikeImageProcessor()
    set_pixel_budget(Processor(ip), 1000, 2000)
    assert (ip.min_pixels, ip.max_pixels) == (1000, 2000)
    assert ip.size == {"shortest_edge": 1000, "longest_edge": 2000}


def test_processor_without_budget_is_left_alone_with_a_note() -> None:
    ip = ClipLikeImageProcessor()
    applied, note = set_pixel_budget(Processor(ip), max_pixels=1000, owner="--model DIR")
    assert applied == {}
    assert note == "--model DIR: max_pixels ignored: ClipLikeImageProcessor has no pixel budget"
    assert ip.size == {"shortest_edge": 336}


def test_nothing_asked_nothing_done() -> None:
    ip = ClipLikeImageProcessor()
    assert set_pixel_budget(Processor(ip)) == ({}, None)


@pytest.mark.parametrize("bad", [0, -5, 1.5, "784", True])
def test_bad_values_name_the_owner(bad: Any) -> None:
    with pytest.raises(InputError, match=r"^model\.model X: min_pixels must be a positive integer"):
        set_pixel_budget(Processor(QwenLikeImageProcessor()), bad, None, owner="model.model X")


def test_min_above_max_is_refused_and_nothing_changes() -> None:
    ip = QwenLikeImageProcessor()
    with pytest.raises(InputError, match=r"min_pixels \(5000\) is larger than max_pixels \(4000\)"):
        set_pixel_budget(ip, 5000, 4000)
    # also against the processor's own bound
    with pytest.raises(InputError, match="larger than max_pixels"):
        set_pixel_budget(ip, min_pixels=28 * 28 * 1281)
    assert ip.size == {"shortest_edge": 3136, "longest_edge": 1003520}


def test_local_folder_checks(tmp_path) -> None:
    with pytest.raises(InputError, match="no such local model folder"):
        locate_model(str(tmp_path / "missing"))
    with pytest.raises(InputError, match=r"a folder without config\.json"):
        locate_model(str(tmp_path))
    (tmp_path / "config.json").write_text("{}")
    source = locate_model(str(tmp_path))
    assert source.is_local and source.local_files_only and source.path == str(tmp_path)


def test_offline_error_says_how_to_pass_a_local_path() -> None:
    message = str(ModelSource("hf:org/name", "org/name", False, True).offline_error())
    assert "hf download org/name --local-dir DIR" in message
    assert "--model DIR" in message


def test_bad_hub_spec() -> None:
    with pytest.raises(InputError, match="write hf:ORG/NAME"):
        locate_model("hf:a/b/c")


def test_importing_hub_loads_neither_torch_nor_transformers() -> None:
    code = "import sys, mmx.hub; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_first_line_cuts_at_a_word() -> None:
    from mmx.errors import first_line

    text = "Failed to download file (model.bin) for org/repo. Last error: an error happened while trying"
    cut = first_line(RuntimeError(text + "\nsecond line"), 60)
    assert cut.endswith("…") and len(cut) <= 60
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] in " ,;:"  # a whole word, then the ellipsis
    assert first_line(RuntimeError("short\nmore")) == "short"
    assert first_line(RuntimeError("")) == "RuntimeError"
    assert first_line(ValueError("x" * 50), 10) == "x" * 9 + "…"  # one long word: cut, marked


def test_quiet_logging_silences_a_library_and_leaves_logging_as_it_was(capfd) -> None:
    import logging

    from mmx.hub import quiet_logging

    root = logging.getLogger()
    before = (list(root.handlers), logging.root.manager.disable)
    with quiet_logging():
        logging.error("Failed to download weights")  # open_clip's call: would install a root handler
        logging.getLogger("huggingface_hub").warning("retrying")
    assert (list(root.handlers), logging.root.manager.disable) == before
    assert capfd.readouterr().err == ""
