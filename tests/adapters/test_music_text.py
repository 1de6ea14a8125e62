"""The music-text embed adapters: ``music-tiny`` (shipped weights, run folders) and
``clamp3`` (CLaMP 3's state-dict layout at tiny sizes, built here)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mmx.adapters import create_model
from mmx.adapters.base import EmbedRequest
from mmx.errors import InputError

JIG = "X:1\nT:The Test Jig\nM:6/8\nL:1/8\nK:G\n|:GAB c2d|e3 d2B|GAB c2A|B3 G3:|\n"
REEL = "M:4/4\nL:1/8\nK:D\n|:DFAd fdAF|GBdg bgdB|ABcd efge|fdec d4:|\n"
MTF = "ticks_per_beat 480\nset_tempo 0 500000\nnote_on 0 0 60 80\nnote_on 480 0 60 0\nend_of_track 0"

TINY_XLMR = {
    "model_type": "xlm-roberta", "vocab_size": 512, "hidden_size": 32, "num_hidden_layers": 1,
    "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 130, "pad_token_id": 1,
}
TINY_M3 = {"hidden_size": 32, "num_layers": 2, "num_heads": 2, "intermediate_size": 64, "max_patches": 64}


@pytest.fixture(scope="module")
def tiny() -> object:
    return create_model("music-tiny", "embed")


def test_embed_rows_are_unit_float32_in_request_order(tiny) -> None:
    reqs = [EmbedRequest("t0", "text", "A jig in G major"), EmbedRequest("m0", "music", JIG),
            EmbedRequest("m1", "music", REEL), EmbedRequest("t1", "text", "Ein Reel in D-Dur"),
            EmbedRequest("m2", "music", MTF)]
    out = tiny.embed(reqs)
    assert out.dtype == np.float32 and out.shape == (5, tiny.dim)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    # each row is its request's alone: the same items embedded one by one agree
    for i, r in enumerate(reqs):
        np.testing.assert_allclose(tiny.embed([r])[0], out[i], atol=1e-5)
    assert not np.allclose(out[1], out[2])


def test_title_lines_do_not_reach_the_music_side(tiny) -> None:
    a = tiny.embed([EmbedRequest("a", "music", JIG)])
    b = tiny.embed([EmbedRequest("b", "music", JIG.replace("The Test Jig", "Another Name Entirely"))])
    np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    ("req", "needle"),
    [
        (EmbedRequest("img-1", "image", "x"), "modality 'image'"),
        (EmbedRequest("num-2", "text", 42), "must be a string"),
        (EmbedRequest("empty-3", "music", ""), "empty"),
        (EmbedRequest("head-4", "music", "M:4/4\nK:G\n"), "no tune body"),
    ],
)
def test_bad_requests_name_their_id(tiny, req, needle) -> None:
    with pytest.raises(InputError, match=needle) as err:
        tiny.embed([EmbedRequest("ok", "text", "fine"), req])
    assert repr(req.id) in str(err.value)


def test_describe_fingerprints_the_weights(tiny, tmp_path) -> None:
    from mmx.systems.music_text import MusicTextSystem

    about = tiny.describe()
    assert about["capabilities"] == ["embed"] and len(about["weights"]) == 12
    torch.manual_seed(3)
    MusicTextSystem(music=TINY_M3, embed_dim=16).export(str(tmp_path / "a"))
    other = create_model("music-tiny", "embed", model=str(tmp_path / "a")).describe()
    assert other["weights"] != about["weights"]  # caches keyed by describe() see new weights


def test_empty_request_list(tiny) -> None:
    assert tiny.embed([]).shape == (0, tiny.dim)


def test_run_dir_loads_the_newest_export(tmp_path) -> None:
    from mmx.systems.music_text import MusicTextSystem

    torch.manual_seed(1)
    system = MusicTextSystem(music=TINY_M3, embed_dim=16)
    system.export(str(tmp_path / "version_0"))
    (tmp_path / "version_1").mkdir()  # a run that stopped before exporting is skipped
    model = create_model("music-tiny", "embed", model=str(tmp_path))
    assert model.dim == 16 and model.source.endswith("version_0")
    ref = system.eval().embed_music([REEL])
    got = model.embed([EmbedRequest("r", "music", REEL)])
    np.testing.assert_allclose(got[0], ref[0].numpy(), atol=1e-5)


def test_run_dir_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="no such run folder"):
        create_model("music-tiny", "embed", model=str(tmp_path / "nope"))
    with pytest.raises(InputError, match="version_N"):
        create_model("music-tiny", "embed", model=str(tmp_path))


# -- CLaMP 3 --------------------------------------------------------------------------


def _clamp3_file(tmp_path, **change) -> str:
    from mmx.heads.clamp3 import Clamp3Model

    torch.manual_seed(0)
    net = Clamp3Model(text_model=TINY_XLMR, hidden_size=24, m3=TINY_M3)
    state = net.state_dict()
    # CLaMP 3's files also hold its audio tower; the loader must accept and skip it
    state["audio_proj.weight"] = torch.zeros(24, 8)
    state["audio_model.embeddings.position_embeddings.weight"] = torch.zeros(4, 8)
    state.update(change)
    path = tmp_path / "clamp3_tiny.pth"
    torch.save({"model": state, "epoch": 1}, path)
    return str(path), net


def test_clamp3_layout_keys() -> None:
    from mmx.heads.clamp3 import Clamp3Model

    keys = set(Clamp3Model(text_model=TINY_XLMR, hidden_size=24, m3=TINY_M3).state_dict())
    assert {"symbolic_model.patch_embedding.weight", "symbolic_model.patch_embedding.bias",
            "symbolic_proj.weight", "symbolic_proj.bias", "text_proj.weight", "text_proj.bias",
            "symbolic_model.base.embeddings.position_embeddings.weight",
            "symbolic_model.base.encoder.layer.1.attention.self.query.weight",
            "text_model.embeddings.word_embeddings.weight"} <= keys
    prefixes = {k.split(".")[0] for k in keys}
    assert prefixes == {"symbolic_model", "symbolic_proj", "text_model", "text_proj"}


def test_clamp3_loads_key_for_key_and_embeds(tmp_path) -> None:
    path, net = _clamp3_file(tmp_path)
    model = create_model("clamp3", "embed", model=path, text_model=TINY_XLMR)
    assert model.dim == 24 and model.max_patches == 64
    out = model.embed([EmbedRequest("t", "text", "a cheerful jig"), EmbedRequest("m", "music", REEL)])
    np.testing.assert_allclose(out[1], net.eval().embed_music([REEL])[0].numpy(), atol=1e-5)
    np.testing.assert_allclose(out[0], net.embed_texts(["a cheerful jig"])[0].numpy(), atol=1e-5)


def test_clamp3_folder_holding_the_pth(tmp_path) -> None:
    _clamp3_file(tmp_path)
    model = create_model("clamp3", "embed", model=str(tmp_path), text_model=TINY_XLMR)
    assert model.embed([EmbedRequest("m", "music", JIG)]).shape == (1, 24)


def test_clamp3_wrong_keys_list_first_missing_and_unexpected(tmp_path) -> None:
    from mmx.heads.clamp3 import load_clamp3

    path, _ = _clamp3_file(tmp_path)
    state = torch.load(path, weights_only=True)["model"]
    state["symbolic_projection.weight"] = state.pop("symbolic_proj.weight")
    torch.save({"model": state}, path)
    with pytest.raises(InputError) as err:
        load_clamp3(path, text_model=TINY_XLMR)
    msg = str(err.value)
    assert "not CLaMP 3's layout" in msg
    # the size reader needs symbolic_proj first; rename a key it does not read instead
    state["symbolic_proj.weight"] = state.pop("symbolic_projection.weight")
    state["text_projection.bias"] = state.pop("text_proj.bias")
    torch.save({"model": state}, path)
    with pytest.raises(InputError) as err:
        load_clamp3(path, text_model=TINY_XLMR)
    msg = str(err.value)
    assert "1 missing (first: text_proj.bias)" in msg and "1 unexpected (first: text_projection.bias)" in msg


def test_clamp3_needs_weights(tmp_path) -> None:
    with pytest.raises(InputError, match="model=PATH"):
        create_model("clamp3", "embed")
    with pytest.raises(InputError, match="no such file"):
        create_model("clamp3", "embed", model=str(tmp_path / "missing.pth"))
    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="not a readable"):
        create_model("clamp3", "embed", model=str(bad))


def test_clamp3_hub_id_offline_is_one_clear_error(monkeypatch) -> None:
    from mmx.heads.clamp3 import load_clamp3

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError, match="cannot get CLaMP 3's weights from the hub"):
        load_clamp3("no-such-org/no-such-clamp3", text_model=TINY_XLMR)


# -- whole pieces (CLaMP 3's segments) and clean= ------------------------------------


def long_tune(n_bars: int = 150) -> str:
    """A tune longer than a 64-patch window: ``n_bars + 4`` patches once cleaned."""
    notes = "CDEFGABcdefgab"
    bars = [f"{notes[i % 14]}{notes[(3 * i) % 14]}{notes[(5 * i + 1) % 14]}{i % 7 + 1}|" for i in range(n_bars)]
    return "X:7\nT:A Long Title\nM:4/4\nK:D\n" + "".join("".join(bars[i : i + 4]) + "\n" for i in range(0, n_bars, 4))


def by_hand(window_features, text: str, window: int = 64, clean: bool = True) -> np.ndarray:
    """CLaMP 3's whole-piece feature written out (see tests/heads/test_clamp3_whole_piece.py)."""
    from mmx.music.abc import patchilize

    rows = torch.tensor(patchilize(text, 64, 10**9, clean=clean))
    n = len(rows)
    parts = [rows[s : s + window] for s in range(0, n, window)]
    parts[-1] = rows[-window:]
    weights = [window] * (n // window) + ([n % window] if n % window else [])
    with torch.no_grad():
        feats = [window_features(p[None], torch.ones(1, len(p), dtype=torch.bool))[0] for p in parts]
    total = sum(w * f for w, f in zip(weights, feats)) / n
    return torch.nn.functional.normalize(total, dim=-1).numpy()


def test_music_tiny_reads_the_whole_piece(tiny) -> None:
    sys_ = tiny.backend
    text = long_tune()
    got = tiny.embed([EmbedRequest("a", "music", REEL), EmbedRequest("b", "music", text)])
    want = by_hand(lambda p, m: sys_.head.proj_a(sys_.music_features(p, m)), text)
    np.testing.assert_allclose(got[1], want, atol=1e-5)
    np.testing.assert_allclose(got[0], tiny.embed([EmbedRequest("a", "music", REEL)])[0], atol=1e-6)
    np.testing.assert_allclose(sys_.embed_music([text])[0].numpy(), want, atol=1e-5)


def test_clean_false_reads_titles_from_the_command_line_option(tiny) -> None:
    raw = create_model("music-tiny", "embed", clean="false")  # --model-args clean=false
    assert raw.clean is False and raw.describe()["clean"] is False and tiny.describe()["clean"] is True
    titled, plain = long_tune(), long_tune().replace("X:7\nT:A Long Title\n", "")
    a = raw.embed([EmbedRequest("t", "music", titled), EmbedRequest("p", "music", plain)])
    b = tiny.embed([EmbedRequest("t", "music", titled), EmbedRequest("p", "music", plain)])
    assert not np.allclose(a[0], b[0], atol=1e-3)  # the title reaches the music side
    np.testing.assert_allclose(a[1], b[1], atol=1e-6)  # nothing to strip: the same
    np.testing.assert_allclose(b[0], b[1], atol=1e-6)


def test_clamp3_reads_the_whole_piece_and_passes_clean(tmp_path) -> None:
    path, net = _clamp3_file(tmp_path)
    net.eval()
    text = long_tune()
    for clean in (True, False):
        model = create_model("clamp3", "embed", model=path, text_model=TINY_XLMR, clean=clean)
        got = model.embed([EmbedRequest("m", "music", text), EmbedRequest("r", "music", REEL)])
        np.testing.assert_allclose(got[0], by_hand(net.music_features, text, clean=clean), atol=1e-5)
        np.testing.assert_allclose(got[0], net.embed_music([text], clean=clean)[0].numpy(), atol=1e-5)
        np.testing.assert_allclose(got[1], net.embed_music([REEL])[0].numpy(), atol=1e-5)
