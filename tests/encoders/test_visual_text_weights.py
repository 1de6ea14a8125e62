"""The visual_text encoder's weights: the shipped pretrained encoder, saved folders, and
the clear errors for weights that are not this encoder's."""

from __future__ import annotations

import json

import pytest
import torch

from mmx.encoders import create_encoder
from mmx.encoders.visual_text import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    VisualTextEncoder,
    save_visual_text,
    shipped_dir,
)
from mmx.errors import InputError
from tests.helpers.visual_text import TINY_VISUAL_TEXT

# the helpers' tiny encoder of the shipped kind, narrower and with the conv stem of the shipped one
TINY = {**TINY_VISUAL_TEXT, "out_dim": 24, "max_images": 2, "stem": "conv"}


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> tuple[VisualTextEncoder, str]:
    torch.manual_seed(0)
    enc = VisualTextEncoder(**TINY).eval()
    folder = str(tmp_path_factory.mktemp("vt") / "enc")
    save_visual_text(enc, folder, dtype=torch.float32, meta={"description": "a test encoder"})
    return enc, folder


def test_a_saved_folder_loads_back_to_the_same_vectors(saved) -> None:
    enc, folder = saved
    again = create_encoder("visual_text", weights=folder).eval()
    texts = ["नमस्ते दुनिया", "hello", "مرحبا بالعالم"]
    with torch.no_grad():
        torch.testing.assert_close(again(texts).pooled, enc(texts).pooled)
    assert again.weights.startswith("pretrained: a test encoder")
    assert again.config == enc.config


def test_float16_export_is_half_the_size_and_close(saved, tmp_path) -> None:
    enc, _ = saved
    save_visual_text(enc, str(tmp_path / "half"))
    again = create_encoder("visual_text", weights=str(tmp_path / "half")).eval()
    with torch.no_grad():
        cos = torch.nn.functional.cosine_similarity(again(["hello world"]).pooled, enc(["hello world"]).pooled)
    assert float(cos) > 0.999


def test_shipped_encoder_loads_with_no_arguments() -> None:
    if not (shipped_dir() / WEIGHTS_FILE).is_file():
        pytest.fail("mmx/assets/visual_text/model.safetensors is missing: the pretrained encoder must ship")
    enc = create_encoder("visual_text")
    assert enc.weights.startswith("pretrained: ") and "mmx/assets/visual_text" in enc.weights
    out = enc(["The cat sleeps.", "बिल्ली सोती है।"])
    assert out.pooled.shape == (2, 384)
    torch.testing.assert_close(out.pooled.norm(dim=-1), torch.ones(2))
    assert (shipped_dir() / WEIGHTS_FILE).stat().st_size <= 30 * 1024 * 1024
    meta = json.loads((shipped_dir() / CONFIG_FILE).read_text(encoding="utf-8"))
    assert meta["recipe_commit"] and (shipped_dir() / "README.md").is_file()


def test_shape_arguments_or_random_give_random_init() -> None:
    enc = create_encoder("visual_text", **VisualTextEncoder.tiny_config())
    assert "random" in enc.weights
    enc = create_encoder("visual_text", weights="random", **TINY)
    assert "random" in enc.weights


def test_weights_of_another_width_are_refused_by_name(saved, tmp_path) -> None:
    _, folder = saved
    wider = VisualTextEncoder(**{**TINY, "out_dim": 48})
    other = tmp_path / "other"
    save_visual_text(wider, str(other))
    # the other encoder's weights under this encoder's description
    (other / CONFIG_FILE).write_text((__import__("pathlib").Path(folder) / CONFIG_FILE).read_text(), encoding="utf-8")
    with pytest.raises(InputError, match=r"not this encoder's architecture.*shape merger"):
        create_encoder("visual_text", weights=str(other))


def test_bad_weights_arguments_say_what_to_pass(saved, tmp_path) -> None:
    _, folder = saved
    with pytest.raises(InputError, match="neither 'auto', 'pretrained', 'random' nor an existing folder"):
        create_encoder("visual_text", weights=str(tmp_path / "nowhere"))
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / WEIGHTS_FILE).write_bytes(b"not safetensors")
    with pytest.raises(InputError, match=r"mmx_encoder\.json"):
        create_encoder("visual_text", weights=str(junk))
    (junk / CONFIG_FILE).write_text(json.dumps({"encoder": "visual_text", **{k: TINY[k] for k in ("profile", "vit", "out_dim")}}))
    with pytest.raises(InputError, match=r"cannot read .* as safetensors"):
        create_encoder("visual_text", weights=str(junk))
    with pytest.raises(InputError, match="differs from the weights' own"):
        create_encoder("visual_text", weights=folder, out_dim=99)


def test_sliced_positions_do_not_depend_on_the_batch(saved) -> None:
    enc, _ = saved
    with torch.no_grad():
        alone = enc(["short"]).pooled
        with_long = enc(["short", "a much longer string that wraps over several rows " * 3]).pooled[:1]
    torch.testing.assert_close(alone, with_long, atol=1e-5, rtol=1e-4)


def test_edge_inputs_empty_long_and_unassigned(saved) -> None:
    enc, _ = saved
    with torch.no_grad():
        out = enc(["", "x"])
    assert torch.isfinite(out.pooled).all()
    with pytest.raises(InputError, match=r"text 0 .* needs \d+ images .* raise max_images or shorten"):
        enc(["word " * 600])
    with torch.no_grad():
        enc(["a\u0378b"])  # an unassigned code point: drawn as tofu and reported
    missing = enc.missing_glyphs()
    assert [m.codepoint for m in missing[0]] == [0x0378]


def test_bad_shape_arguments_are_one_clear_error() -> None:
    with pytest.raises(InputError, match="stem='pixel' is not 'linear' or 'conv'"):
        VisualTextEncoder(**{**TINY, "stem": "pixel"})
    with pytest.raises(InputError, match="position='middle' is not 'canvas' or 'slice'"):
        VisualTextEncoder(**{**TINY, "position": "middle"})
    with pytest.raises(InputError, match="max_images=0 must be at least 1"):
        VisualTextEncoder(**{**TINY, "max_images": 0})
    with pytest.raises(InputError, match="power-of-two patch size"):
        VisualTextEncoder(profile="seetok", vit=TINY["vit"], stem="conv")  # 14 px patches
