"""A tiny WikiMT-format file and a toy music-text embedder for the wikimt tests."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.eval.benches.wikimt.queries import GENRES

N_TUNES = 6
#: genres of the fixture's six good tunes
FIXTURE_GENRES = ("Jazz", "Jazz", "Pop", "Folk", "Pop", "Jazz")


def _abc(k: int, genre: str) -> str:
    return f"X:1\nT:Tune {k}\nL:1/8\nM:4/4\nK:C\n% tune-{k} {genre}\nC D E F | G A B c |]"


def fixture_records() -> list[object]:
    good = [{"title": f"Tune {k}", "artist": "A", "genre": g, "music": _abc(k, g),
             "text": f"Description of tune-{k}, a {g.lower()} standard."} for k, g in enumerate(FIXTURE_GENRES)]
    bad: list[object] = [
        {"title": "no music", "artist": "A", "genre": "Pop", "text": "x"},
        {"title": "empty text", "artist": "A", "genre": "Pop", "music": _abc(9, "Pop"), "text": "  "},
        {"title": "headers only", "artist": "A", "genre": "Pop", "music": "X:1\nT:t\nK:C\n", "text": "y"},
        "not a record",
    ]
    return good[:3] + bad[:2] + good[3:] + bad[2:]


@pytest.fixture
def wikimt_file(tmp_path: Path) -> Path:
    path = tmp_path / "wikimusictext.json"
    path.write_text(json.dumps(fixture_records(), ensure_ascii=False), encoding="utf-8")
    return path


class ToyMusicText(ModelAdapter):
    """Dims 0..15: the ``tune-K`` marker in a description or an ABC comment; dims 16..23: an
    English genre word (any case). Everything else embeds to zeros (ties with everything)."""

    name = "toy-music"
    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    batch_size = 4
    calls = 0
    seen: ClassVar[list[str]] = []

    def embed(self, requests: list[EmbedRequest]) -> np.ndarray:
        ToyMusicText.calls += len(requests)
        out = np.zeros((len(requests), 16 + len(GENRES)), dtype=np.float32)
        for i, r in enumerate(requests):
            ToyMusicText.seen.append(r.modality)
            m = re.search(r"tune-(\d+)", r.content)
            if m:
                out[i, int(m.group(1))] = 1
            for j, g in enumerate(GENRES):
                if re.search(rf"(?<![a-z]){re.escape(g.lower())}(?![a-z])", r.content.lower()):
                    out[i, 16 + j] = 1
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norm > 0, norm, 1)


@pytest.fixture
def toy_music():
    from mmx.registry import models

    models.register("toy-music", ToyMusicText, "test adapter: marker embeddings", capabilities=("embed",))
    ToyMusicText.calls = 0
    ToyMusicText.seen.clear()
    yield ToyMusicText
    models.unregister("toy-music")
