"""CLaMP 3's whole-piece music feature: pieces longer than M3's patch window are read in
segments of that window (the last one taken from the end of the piece) whose projected
features are averaged with weights equal to the patches each adds (CLaMP 3's
``extract_clamp3.py --get_global``). Tiny random-weight towers; the expected features are
computed here by hand from direct calls on slices of the patch sequence."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from mmx.music.abc import patchilize

TINY_XLMR = {
    "model_type": "xlm-roberta", "vocab_size": 512, "hidden_size": 32, "num_hidden_layers": 1,
    "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 130, "pad_token_id": 1,
}
WINDOW = 16
TINY_M3 = {"hidden_size": 32, "num_layers": 2, "num_heads": 2, "intermediate_size": 64, "max_patches": WINDOW}
REEL = "M:4/4\nL:1/8\nK:D\n|:DFAd fdAF|GBdg bgdB|ABcd efge|fdec d4:|\n"


def tune(n_bars: int, title: str = "") -> str:
    """A tune of ``n_bars`` different bars, four to a line: ``n_bars + 4`` patches (BOS,
    ``M:``, ``K:``, the bars, EOS) once cleaned."""
    notes = "CDEFGABcdefgab"
    bars = [f"{notes[i % 14]}{notes[(3 * i) % 14]}{notes[(5 * i + 1) % 14]}{i % 7 + 1}|" for i in range(n_bars)]
    lines = ["".join(bars[i : i + 4]) + "\n" for i in range(0, n_bars, 4)]
    head = f"X:1\nT:{title}\n" if title else ""
    return head + "M:4/4\nK:D\n" + "".join(lines)


@pytest.fixture(scope="module")
def net():
    from mmx.heads.clamp3 import Clamp3Model

    torch.manual_seed(0)
    return Clamp3Model(text_model=TINY_XLMR, hidden_size=24, m3=TINY_M3).eval()


def by_hand(net, text: str, clean: bool = True, normalize: bool = True) -> torch.Tensor:
    """CLaMP 3's rule written out: windows at 0, W, 2W, ...; the last replaced by the
    final W patches; weights W for every full window and the remainder for the last."""
    rows = torch.tensor(patchilize(text, 64, 10**9, clean=clean))
    n = len(rows)
    parts = [rows[s : s + WINDOW] for s in range(0, n, WINDOW)]
    parts[-1] = rows[-WINDOW:]
    weights = [WINDOW] * (n // WINDOW) + ([n % WINDOW] if n % WINDOW else [])
    with torch.no_grad():
        feats = [net.music_features(p[None], torch.ones(1, len(p), dtype=torch.bool))[0] for p in parts]
    total = sum(w * f for w, f in zip(weights, feats))
    return F.normalize(total / n, dim=-1) if normalize else total / n


@pytest.mark.parametrize("n_bars", [WINDOW * 3 + 5 - 4, WINDOW * 3 - 4, WINDOW + 1 - 4])
def test_long_piece_is_the_length_weighted_average_of_its_windows(net, n_bars) -> None:
    text = tune(n_bars)
    assert len(patchilize(text, 64, 10**9)) == n_bars + 4 > WINDOW
    got = net.embed_music([text])
    torch.testing.assert_close(got[0], by_hand(net, text), atol=1e-5, rtol=1e-5)
    # the feature CLaMP 3 saves is the average itself, before normalization
    raw = net.global_music_features([text])
    assert raw.dtype == torch.float32
    torch.testing.assert_close(raw[0], by_hand(net, text, normalize=False), atol=1e-5, rtol=1e-5)
    # not what reading the head alone gives
    head = net.embed_patches(*net.symbolic_model.patchilize([text]))
    assert not torch.allclose(got, head, atol=1e-3)


def test_short_piece_is_unchanged_and_batches_agree(net) -> None:
    today = net.embed_patches(*net.symbolic_model.patchilize([REEL]))
    torch.testing.assert_close(net.embed_music([REEL]), today, atol=1e-6, rtol=0)
    long = tune(WINDOW * 2 + 3)
    both = net.embed_music([long, REEL, tune(WINDOW - 6)])
    torch.testing.assert_close(both[0], net.embed_music([long])[0], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(both[1], today[0], atol=1e-5, rtol=1e-5)


def test_clean_strips_titles_and_clean_false_reads_them(net) -> None:
    titled, plain = tune(WINDOW * 2, title="A Long Title"), tune(WINDOW * 2)
    torch.testing.assert_close(net.embed_music([titled]), net.embed_music([plain]), atol=1e-6, rtol=0)
    torch.testing.assert_close(net.embed_music([titled], clean=True), net.embed_music([plain]), atol=1e-6, rtol=0)
    raw = net.embed_music([titled], clean=False)
    assert not torch.allclose(raw, net.embed_music([titled]), atol=1e-3)
    torch.testing.assert_close(raw[0], by_hand(net, titled, clean=False), atol=1e-5, rtol=1e-5)
    # a piece with nothing to strip reads the same either way
    torch.testing.assert_close(net.embed_music([plain], clean=False), net.embed_music([plain]), atol=1e-6, rtol=0)

