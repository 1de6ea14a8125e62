"""The Draw tab: images for a prompt, the judge's verdict for generated prompts, bad input,
and the small export it loads (``T2ISystem.export_small``)."""

from __future__ import annotations

import pytest
import torch

from mmx.demo.tabs import t2i
from mmx.errors import InputError


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A random-weight tiny system, exported as the shipped head is, loaded as the tab does."""
    from mmx.systems.t2i import T2ISystem

    torch.manual_seed(0)
    system = T2ISystem(head={"name": "t2i", "cross_attention_dim": 16, "block_out_channels": [8, 16],
                             "attention_head_dim": 2, "norm_num_groups": 4, "pixel_unshuffle": 2},
                       image_size=32, sample_steps=2)
    folder = tmp_path_factory.mktemp("t2i_small")
    system.export_small(str(folder))
    loaded = t2i.load_t2i_model(str(folder))
    # the small export holds the average as the weights: the loaded system draws what the original's average draws
    ref = system.generate(["a photo of a red circle"], [3])[0]
    got = loaded.adapter.system.generate(["a photo of a red circle"], [3])[0]
    assert list(ref.getdata()) == list(got.getdata())
    return loaded


def test_a_generated_prompt_is_judged_per_image(model) -> None:
    label, prompt = t2i.examples()[2]
    assert label == "Hindi"
    view = t2i.draw_view(model, prompt, 2, 5)
    assert len(view.images) == 2 and view.images[0].width == t2i.SHOW_PX
    assert "GenEval prompt (hi), task color_attr" in view.details
    assert view.details.count("image ") == 2 and ("correct" in view.details)


def test_a_free_prompt_has_no_verdict(model) -> None:
    view = t2i.draw_view(model, "a cat on a sofa", 1, 0)
    assert "no verdict" in view.details and len(view.images) == 1


def test_every_language_and_variant_is_known() -> None:
    labels = {label for _, label in t2i.generated_prompts().values()}
    assert {"en", "zh", "hi", "fa", "hi-roman", "fr-en-first"} <= labels


def test_bad_input(model) -> None:
    with pytest.raises(InputError, match="prompt"):
        t2i.draw_view(model, "   ", 1, 0)
    with pytest.raises(InputError, match="images must lie between 1 and 8"):
        t2i.draw_view(model, "a red circle", 50, 0)
    with pytest.raises(InputError, match="no text-to-image model is loaded"):
        t2i.draw_view(None, "a red circle", 1, 0)
