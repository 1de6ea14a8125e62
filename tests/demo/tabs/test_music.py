"""The Music tab: the corpus index, search with a toy embedder, the embedding cache, the
piano roll, bad input, its ``/music`` API and a browser run."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from PIL import Image

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.demo.tabs import music
from mmx.errors import InputError

from ..conftest import free_port


class TrigramEmbedder(ModelAdapter):
    """Character 3-grams hashed into 256 dims (crc32: the same in every process); counts requests."""

    name = "toy-trigrams"
    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    batch_size = 32
    seen: ClassVar[list[str]] = []

    def embed(self, requests: list[EmbedRequest]) -> np.ndarray:
        out = np.zeros((len(requests), 256), dtype=np.float32)
        for i, r in enumerate(requests):
            TrigramEmbedder.seen.append(r.modality)
            t = r.content.lower()
            for j in range(len(t) - 2):
                out[i, zlib.crc32(t[j:j + 3].encode()) % 256] += 1
        n = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(n > 0, n, 1)


@pytest.fixture
def index(tmp_path: Path) -> music.MusicIndex:
    TrigramEmbedder.seen.clear()
    return music.MusicIndex("toy-trigrams", adapter=TrigramEmbedder(), cache=tmp_path / "cache")


def test_corpus_index_is_varied_real_abc() -> None:
    tunes = music.corpus_tunes()
    assert len(tunes) >= 150 and len({t.id for t in tunes}) == len(tunes)
    assert {"oneills1850", "essenFolksong", "ryansMammoth", "miscFolk"} <= {t.collection for t in tunes}
    assert all(t.abc.startswith("X:") and "\nK:" in "\n" + t.abc for t in tunes)
    han = [t for t in tunes if t.origin.startswith("China")]
    assert han and all(t.title for t in han)


def test_the_model_gets_the_music_without_words_about_it() -> None:
    tune = next(t for t in music.corpus_tunes() if t.origin.startswith("China"))
    assert "\nO:" in tune.abc and "\nN:" in tune.abc
    kept = tune.music
    assert "China" not in kept and "\nN:" not in kept and "\nR:" not in kept
    assert "\nK:" in kept and "\nM:" in kept and kept.startswith("X:")
    body = tune.abc.split("\nK:", 1)[1].split("\n", 1)[1]
    assert kept.endswith(body)


def test_search_ranks_by_cosine_and_shows_the_chosen_tune(index) -> None:
    tunes = music.corpus_tunes()
    target = min(tunes, key=lambda t: len(t.music))
    view = music.search_view(index, target.music, 4, 1)  # a tune's own music finds itself first
    assert [r[0] for r in view.rows] == [1, 2, 3, 4]
    assert view.rows[0][2] == target.title and view.rows[0][1] == pytest.approx(1.0, abs=1e-4)
    scores = [r[1] for r in view.rows]
    assert scores == sorted(scores, reverse=True)
    assert view.abc == target.abc
    assert isinstance(view.roll, Image.Image) and view.roll.width >= 600
    assert "encoded by toy-trigrams" in view.details and "first use" in view.details
    second = music.search_view(index, "ein Volkslied", 3, 3)
    assert second.abc == next(t.abc for t in tunes if t.title == second.rows[2][2])
    assert TrigramEmbedder.seen.count("music") == len(tunes)  # the index was encoded once


def test_index_embeddings_are_cached_on_disk(index, tmp_path: Path) -> None:
    first = music.search_view(index, "a reel", 5)
    again = music.MusicIndex("toy-trigrams", adapter=TrigramEmbedder(), cache=tmp_path / "cache")
    TrigramEmbedder.seen.clear()
    view = music.search_view(again, "a reel", 5)
    assert TrigramEmbedder.seen == ["text"]  # only the query: the tunes came from the cache
    assert "read from the cache" in view.details and view.rows == first.rows
    assert len(list((tmp_path / "cache").glob("toy-trigrams-*.npz"))) == 1


def test_piano_roll_and_bad_abc() -> None:
    img = music.piano_roll("X:1\nM:4/4\nL:1/4\nK:C\nC D E F | G A B c |]")
    arr = np.asarray(img)
    assert img.size == (900, 280) and (arr < 200).any()  # something is drawn
    with pytest.raises(InputError, match="no notes"):
        music.piano_roll("X:1\nK:C\n")


@pytest.mark.parametrize(("query", "k", "show", "words"), [
    ("", 5, 1, "query is empty"),
    ("x" * 501, 5, 1, "query is 501 characters long"),
    ("reel", 0, 1, "number of results must be from 1 to 20"),
    ("reel", 3, 4, "result to show is 4, but only 3"),
    ("reel", 2.5, 1, "whole number"),
])
def test_bad_input_is_one_clear_line(index, query, k, show, words: str) -> None:
    with pytest.raises(InputError, match=words):
        music.search_view(index, query, k, show)


def test_without_a_music_model_the_tab_says_what_to_do() -> None:
    idx = music.MusicIndex("no-such-music-model")
    assert "No music-text model" in idx.available()
    with pytest.raises(InputError, match="No music-text model"):
        music.search_view(idx, "a reel")


def test_music_api_with_the_shipped_model(client, demo_server, tmp_path, monkeypatch) -> None:
    """The shared demo, as `mmx demo` starts it: /music ranks the index with music-tiny (the
    shipped weights), its embeddings cached under $MMX_CACHE (the server runs in this process)."""
    monkeypatch.setenv("MMX_CACHE", str(tmp_path))
    table, _roll, abc, details = client.predict("a reel in D major from Ireland", 3, 1, api_name="/music")
    rows = table["data"]
    assert len(rows) == 3 and [r[0] for r in rows] == [1, 2, 3]
    scores = [float(r[1]) for r in rows]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= x <= 1.0 for x in scores)
    assert abc.startswith("X:") and "cosine similarity" in details
    assert list(tmp_path.rglob("*.npz")), "the index embeddings are not cached under MMX_CACHE"


@pytest.fixture(scope="module")
def toy_app(tmp_path_factory: pytest.TempPathFactory):
    """The app with the Music tab alone, on the toy embedder, caching under a temporary folder."""
    pytest.importorskip("gradio")
    mp = pytest.MonkeyPatch()
    mp.setenv("MMX_CACHE", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("gradio")))
    from mmx.demo import app
    from mmx.demo.state import DemoModels
    from mmx.registry import models

    models.register("toy-trigrams", TrigramEmbedder, "test adapter", capabilities=("embed",))
    mp.setattr(music, "MODEL", "toy-trigrams")
    mp.setattr(app, "TABS", (music,))
    demo = app.build_app(DemoModels(), timeout=120, queue_size=4)
    url = app.launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
    try:
        yield url
    finally:
        demo.close()
        models.unregister("toy-trigrams")
        mp.undo()


def test_music_api(toy_app) -> None:
    gradio_client = pytest.importorskip("gradio_client")
    client = gradio_client.Client(toy_app, verbose=False)
    table, roll, abc, details = client.predict("a lively Irish reel", 3, 2, api_name="/music")
    rows = table["data"]
    assert len(rows) == 3 and [r[0] for r in rows] == [1, 2, 3]
    assert abc.startswith("X:") and f"result 2: {rows[1][2]}" in details
    with Image.open(roll) as im:
        assert im.width >= 600


def test_music_in_the_browser(toy_app, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from ..test_browser import browser_page

    with browser_page(toy_app, 90_000, height=1100) as page:
        box = page.locator("#music-query textarea")
        box.fill("")
        box.press_sequentially("中国北方的民歌")
        page.locator("#music-button").click()
        details = page.locator("#music-details textarea")
        sync_api.expect(details).to_have_value(re.compile("cosine similarity"), timeout=90_000)
        sync_api.expect(page.locator("#music-table")).to_contain_text("essenFolksong")
        img = page.locator("#music-roll img")
        sync_api.expect(img).to_be_visible()
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())
        assert page.locator("#music-abc textarea").input_value().startswith("X:")
        page.screenshot(path=str(tmp_path / "music.png"), full_page=True)
