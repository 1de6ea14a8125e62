"""render_batch and RenderCollate: many texts at once, the same pixels as one by one."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from mmx.errors import InputError
from mmx.render import RenderCollate, render_batch, render_text

TEXTS = [
    "Hello, world!",
    "नमस्ते दुनिया, यह एक परीक्षण है।",
    "مرحبا بالعالم 123 والنسبة 45%",
    "שלום עולם",
    "你好，世界。日本語のテキスト。한국어 텍스트.",
    "ปู่ ฟี่ ญั้ ทำ กำ ค่ำ",
    "தமிழ் மொழி ஸ்ரீ",
    "Tiếng Việt có dấu",
    "emoji 👩‍👩‍👧 and \U000f0000 tofu",
    "",
    "   ",
    "tab\tand\ncontrol\x07 characters",
]


def _many() -> list[str]:
    return [f"{t} #{i}" if t.strip() else t for i in range(6) for t in TEXTS]


@pytest.mark.parametrize("profile", ["pixel", "seetok", "page"])
def test_batch_with_workers_equals_one_by_one(profile: str) -> None:
    texts = _many()
    got = render_batch(texts, profile, workers=2, chunksize=7)
    assert len(got) == len(texts)
    for text, res in zip(texts, got):
        ref = render_text(text, profile)
        assert res.text == text
        assert len(res.arrays) == len(ref.arrays)
        for a, b in zip(res.arrays, ref.arrays):
            assert a.dtype == b.dtype and np.array_equal(a, b), (profile, text)
        assert (res.ink_patches, res.visual_tokens, res.clipped, res.truncated) == (
            ref.ink_patches, ref.visual_tokens, ref.clipped, ref.truncated)
        assert len(res.rgb_arrays) == len(ref.rgb_arrays)
        assert all(np.array_equal(a, b) for a, b in zip(res.rgb_arrays, ref.rgb_arrays)), (profile, text)
        assert res.missing_glyphs == ref.missing_glyphs and res.control_chars == ref.control_chars


def test_batch_results_map_characters_to_patches() -> None:
    texts = [f"Hello नमस्ते مرحبا {i}" for i in range(40)]
    got = render_batch(texts, "pixel", workers=2, chunksize=8)
    ref = render_text(texts[-1], "pixel")
    assert got[-1].char_to_patch.tolist() == ref.char_to_patch.tolist()
    assert got[-1].offset_mapping == ref.offset_mapping
    assert (got[-1].char_to_patch >= 0).sum() > 10


def test_batch_in_process_and_order() -> None:
    texts = [str(i) * (i % 5 + 1) for i in range(30)]
    got = render_batch(texts, "pixel", workers=1)
    assert [r.text for r in got] == texts
    assert all(np.array_equal(r.arrays[0], render_text(t, "pixel").arrays[0]) for r, t in zip(got, texts))


def test_batch_rejects_bad_input() -> None:
    with pytest.raises(InputError, match=r"texts\[1\] must be a str"):
        render_batch(["ok", b"bytes"])
    with pytest.raises(InputError, match="workers"):
        render_batch(["ok"], workers=-1)
    with pytest.raises(InputError, match="chunksize"):
        render_batch(["ok"], chunksize=0)


def test_collate_is_picklable_and_pads_patches() -> None:
    torch = pytest.importorskip("torch")
    collate = pickle.loads(pickle.dumps(RenderCollate("pixel")))
    texts = ["short", "a much longer line of text that needs more patches", "नमस्ते"]
    batch = collate(texts)
    n = [render_text(t, "pixel").num_patches for t in texts]
    assert batch["patches"].shape == (3, max(n), 1, 16, 16)
    assert batch["patch_mask"].sum(dim=1).tolist() == n
    ref = render_text(texts[1], "pixel").to_tensor()
    assert torch.equal(batch["patches"][1, : n[1]], ref)
    assert batch["texts"] == texts


def test_collate_in_a_dataloader_with_worker_processes() -> None:
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader

    texts = _many()[:24]
    collate = RenderCollate("pixel")
    loaded = list(DataLoader(texts, batch_size=8, num_workers=2, collate_fn=collate))
    direct = [collate(texts[i : i + 8]) for i in range(0, 24, 8)]
    assert len(loaded) == 3
    for a, b in zip(loaded, direct):
        assert torch.equal(a["patches"], b["patches"]) and torch.equal(a["patch_mask"], b["patch_mask"])


def test_collate_rgb_profile_gives_three_channels_with_and_without_colour_glyphs() -> None:
    torch = pytest.importorskip("torch")
    texts = ["plain text", "emoji \U0001F600 in a line"]
    batch = RenderCollate("seetok")(texts)
    results = [render_text(t, "seetok") for t in texts]
    n = [r.num_patches for r in results]
    assert batch["patches"].shape == (2, max(n), 3, 14, 14)
    assert batch["ink_patches"].tolist() == [r.ink_patches for r in results]
    for i, r in enumerate(results):
        want = torch.from_numpy(np.stack([np.asarray(a, np.float32) for a in r.rgb_arrays])).div(255.0)
        got = batch["patches"][i, : n[i]]  # (N, 3, p, p), patches row by row
        h, w = r.arrays[0].shape
        img = got.reshape(h // 14, w // 14, 3, 14, 14).permute(0, 3, 1, 4, 2).reshape(h, w, 3)
        assert torch.equal(img, want[0])
