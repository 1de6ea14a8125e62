"""The Music tab: a query in any language finds tunes in a small index of music21's ABC corpus.

The index is a fixed selection of tunes from the ABC collections music21 ships (O'Neill's
1850, Ryan's Mammoth, the Essen folksong collection's German and Chinese songs, the
Nottingham database): :data:`INDEX`. Its music embeddings are made by the music-text model
(:data:`MODEL`, an ``embed`` adapter) on first use and cached under ``<cache>/demo/music/``
(``$MMX_CACHE``, see :func:`mmx.render.fonts.cache_dir`), keyed by the model and the
selection, so later starts load them at once. A query is embedded by the same model and the
tunes are ranked by cosine similarity (the model sees each tune's music without the header
fields that describe it in words: :attr:`CorpusTune.music`); the tab shows the top ones with their scores, the ABC
of one and its piano roll.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mmx.demo.inputs import MAX_QUESTION_CHARS, check_number, check_text, clear_on_error
from mmx.deps import require
from mmx.errors import InputError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.inputs import Server
    from mmx.demo.state import DemoModels

#: the tab's title and one line on what it does (the page header and `mmx demo --help` list them)
TITLE = "Music"
SUMMARY = "a query in any language finds tunes in a small index of music21's ABC corpus"

__all__ = ["EXAMPLES", "INDEX", "MODEL", "CorpusTune", "MusicIndex", "MusicView", "build", "corpus_tunes",
           "piano_roll", "search_view"]

#: the music-text adapter the tab uses (``mmx list models``: capability embed), and its options
MODEL = "music-tiny"
MODEL_ARGS: dict[str, Any] = {}
#: (music21 corpus file, tunes taken from its start): a fixed, varied selection
INDEX: tuple[tuple[str, int], ...] = (
    ("oneills1850/0001-0050.abc", 40),
    ("essenFolksong/altdeu10.abc", 40),
    ("essenFolksong/han1.abc", 40),
    ("nottingham-dataset/reelsa-c.abc", 2),
    ("miscFolk/americanfifeopus.abc", 20),
    ("ryansMammoth", 30),  # a folder of one-tune files: the first 30 by name
)
#: most results one query shows
MAX_RESULTS = 20
#: example queries in several languages and scripts
EXAMPLES = (
    ("English", "a lively Irish reel in D major"),
    ("German", "ein langsames deutsches Volkslied"),
    ("Chinese", "中国北方的民歌"),
    ("Russian", "быстрый танец в размере 6/8"),
    ("Hindi", "धीमी लोक धुन"),
    ("Arabic", "لحن شعبي بطيء"),
)

CSS = """
#music-abc textarea { font-family: ui-monospace, monospace; font-size: 0.85em; }
#music-query textarea { unicode-bidi: plaintext; }
"""


#: ABC information fields that describe a tune in words (area, book, discography, file, group,
#: history, notes, origin, rhythm, source, transcriber): the model gets the music without them
WORDS_FIELDS = frozenset("ABDFGHNORSZ")


@dataclass(frozen=True)
class CorpusTune:
    """One tune of the index: where it came from, its header facts and its ABC."""

    id: str
    collection: str
    title: str
    origin: str
    kind: str
    key: str
    metre: str
    abc: str

    @property
    def music(self) -> str:
        """The ABC the model embeds: without the fields that say in words what the tune is
        (:data:`WORDS_FIELDS`) or comments, so a query matches the music, not a collector's
        note; titles and lyrics are left to the encoder, which strips them as CLaMP 3 does."""
        keep = []
        for line in self.abc.splitlines(keepends=True):
            s = line.lstrip()
            if (len(s) > 1 and s[1] == ":" and s[0] in WORDS_FIELDS) or (s.startswith("%") and not s.startswith("%%")):
                continue
            keep.append(line)
        return "".join(keep)


def _field(abc: str, name: str) -> str:
    m = re.search(rf"^{name}:\s*(.*?)\s*$", abc, flags=re.M)
    return m.group(1).rstrip("]").strip() if m else ""


def _split_tunes(text: str) -> list[str]:
    """The tunes of one ABC file: each starts at an ``X:`` line; text before the first is dropped."""
    parts = re.split(r"(?m)^(?=X:)", text)
    return [p.strip() + "\n" for p in parts if p.startswith("X:") and re.search(r"(?m)^K:", p)]


@lru_cache(maxsize=1)
def corpus_tunes() -> tuple[CorpusTune, ...]:
    """The index's tunes, read from music21's installed corpus (:data:`INDEX`)."""
    common = require("music21.common", "the Music tab")
    root = Path(common.getCorpusFilePath())  # the corpus folder, wherever music21 is installed
    out: list[CorpusTune] = []
    for name, n in INDEX:
        path = root / name
        if path.is_dir():
            texts = [(f"{name}/{p.stem}", p.read_text(encoding="latin-1")) for p in sorted(path.glob("*.abc"))[:n]]
            tunes = [(label, t) for label, text in texts for t in _split_tunes(text)[:1]]
        elif path.is_file():
            tunes = [(f"{name}#{i}", t) for i, t in enumerate(_split_tunes(path.read_text(encoding="latin-1"))[:n])]
        else:
            continue  # an older music21 without this collection: the index is smaller
        for label, abc in tunes:
            out.append(CorpusTune(id=label, collection=name.split("/")[0], title=_field(abc, "T") or "(untitled)",
                                  origin=_field(abc, "O"), kind=_field(abc, "R"), key=_field(abc, "K"),
                                  metre=_field(abc, "M"), abc=abc))
    if not out:
        raise InputError(f"none of the index's files were found in music21's corpus at {root}")
    return tuple(out)


class MusicIndex:
    """The index's embeddings for one model, built on first use and cached on disk."""

    def __init__(self, model: str = MODEL, model_args: dict[str, Any] | None = None, adapter: Any = None,
                 cache: Path | None = None) -> None:
        self.model = model
        self.model_args = dict(model_args or {})
        self._adapter = adapter
        self._cache = cache
        self._vectors: Any = None
        self.built_note = ""
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._vectors is not None

    def available(self) -> str:
        """Empty when the model can be used, else what to do."""
        if self._adapter is not None:
            return ""
        from mmx.registry import models

        if self.model in models and "embed" in models.info(self.model).get("capabilities", ()):
            return ""
        return (f"No music-text model: the Music tab needs the `{self.model}` adapter (mmx's tiny music-text "
                "model), which is not registered in this installation.")

    def adapter(self) -> Any:
        if self._adapter is None:
            why = self.available()
            if why:
                raise InputError(why)
            from mmx.adapters import create_model

            self._adapter = create_model(self.model, "embed", **self.model_args)
        return self._adapter

    def cache_file(self) -> Path:
        """Where this model's index embeddings are kept."""
        if self._cache is None:
            from mmx.render.fonts import cache_dir

            self._cache = cache_dir() / "demo" / "music"
        adapter = self.adapter()
        describe = getattr(adapter, "describe", None)
        about = describe() if callable(describe) else {}
        key = json.dumps({"model": self.model, "args": self.model_args, "about": about, "index": INDEX,
                          "tunes": [t.id for t in corpus_tunes()]}, sort_keys=True, default=str)
        slug = re.sub(r"[^A-Za-z0-9_.-]", "_", self.model)[:40]
        return self._cache / f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:12]}.npz"

    def vectors(self) -> Any:
        """The ``[tunes, dim]`` unit-length music embeddings (encoded now, or read from the cache)."""
        import numpy as np

        with self._lock:
            if self._vectors is not None:
                return self._vectors
            tunes = corpus_tunes()
            path = self.cache_file()
            t0 = time.perf_counter()
            if path.exists():
                with np.load(path) as z:
                    if z["ids"].tolist() == [t.id for t in tunes]:
                        self._vectors = z["vectors"]
                        self.built_note = f"index: {len(tunes)} tunes, embeddings read from the cache {path}"
                        return self._vectors
            from mmx.adapters.base import EmbedRequest

            adapter = self.adapter()
            bs = max(1, int(getattr(adapter, "batch_size", 16)))
            parts = []
            for i in range(0, len(tunes), bs):
                chunk = tunes[i:i + bs]
                parts.append(np.asarray(adapter.embed([EmbedRequest(t.id, "music", t.music) for t in chunk]),
                                        dtype=np.float32))
            vecs = _unit(np.concatenate(parts))
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.stem}.tmp.npz")
            np.savez(tmp, ids=np.asarray([t.id for t in tunes], dtype=str), vectors=vecs)
            tmp.replace(path)
            self._vectors = vecs
            self.built_note = (f"index: {len(tunes)} tunes encoded by {self.model} in "
                               f"{time.perf_counter() - t0:.1f} s (first use), cached in {path}")
            return vecs

    def search(self, query: str, k: int) -> list[tuple[CorpusTune, float]]:
        """The ``k`` tunes most similar to ``query``, best first, with their cosine similarity."""
        import numpy as np

        from mmx.adapters.base import EmbedRequest

        vecs = self.vectors()
        q = _unit(np.asarray(self.adapter().embed([EmbedRequest("query", "text", query)]), dtype=np.float32))
        scores = (vecs @ q[0]).astype(np.float64)
        order = np.argsort(-scores, kind="stable")[:k]  # stable: equal scores keep index order
        tunes = corpus_tunes()
        return [(tunes[i], float(scores[i])) for i in order]


def _unit(v: Any) -> Any:
    import numpy as np

    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def piano_roll(abc: str, width: int = 900, height: int = 280) -> Image.Image:
    """A piano-roll picture of ``abc`` (music21 reads it; one bar per note, time across, pitch up)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    try:
        from music21 import converter

        score = converter.parse(abc, format="abc")
        notes = []
        for n in score.flatten().notes:
            for p in getattr(n, "pitches", ()):
                notes.append((float(n.offset), float(n.quarterLength) or 0.25, int(p.midi)))
    except Exception as exc:  # music21 raises many types on malformed ABC; the picture is optional
        raise InputError(f"music21 cannot read this tune's ABC for the piano roll ({type(exc).__name__})") from None
    if not notes:
        raise InputError("this tune has no notes to draw")
    fig, ax = plt.subplots(figsize=(width / 100, height / 100), dpi=100)
    for start, dur, midi in notes:
        ax.add_patch(plt.Rectangle((start, midi - 0.4), max(dur, 0.05), 0.8, color="#3b6ea5"))
    lo, hi = min(m for *_, m in notes), max(m for *_, m in notes)
    ax.set_xlim(0, max(s + d for s, d, _ in notes))
    ax.set_ylim(lo - 2, hi + 2)
    ax.set_xlabel("time (quarter notes)")
    ax.set_ylabel("MIDI pitch")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    buf.seek(0)
    with Image.open(buf) as im:
        return im.convert("RGB")


@dataclass
class MusicView:
    """What the Music tab shows."""

    rows: list[list[Any]]
    abc: str
    roll: Image.Image | None
    details: str


def search_view(index: MusicIndex, query: object, k: object = 5, show: object = 1) -> MusicView:
    """The top ``k`` tunes for ``query`` (any language); the ABC and piano roll of result ``show``."""
    text = check_text(query, "query", MAX_QUESTION_CHARS)
    k = int(check_number(k, "number of results", 1, MAX_RESULTS, integer=True))
    show = int(check_number(show, "result to show", 1, MAX_RESULTS, integer=True))
    if show > k:
        raise InputError(f"result to show is {show}, but only {k} results are asked for")
    t0 = time.perf_counter()
    hits = index.search(text, k)
    rows = [[i, round(s, 4), t.title, t.collection, t.kind or t.origin, t.key, t.metre]
            for i, (t, s) in enumerate(hits, 1)]
    tune, score = hits[show - 1]
    facts = [f"model: {index.model}", index.built_note,
             f"result {show}: {tune.title} ({tune.id}), cosine similarity {score:.4f}",
             f"took {time.perf_counter() - t0:.2f} s"]
    try:
        roll = piano_roll(tune.abc)
    except InputError as exc:
        roll = None
        facts.append(f"no piano roll: {exc}")
    return MusicView(rows, tune.abc, roll, "\n".join(f for f in facts if f))


# --------------------------------------------------------------------------- the tab

HEADERS = ["rank", "score", "title", "collection", "type / origin", "key", "metre"]


def build(models: DemoModels, server: Server) -> None:
    """The Music tab (API ``/music``), inside the Blocks being built."""
    import gradio as gr

    index = MusicIndex(MODEL, MODEL_ARGS)
    missing = index.available()
    with gr.Tab(TITLE, id="music"):
        gr.Markdown(missing or (
            f"Describe a tune in any language; **{MODEL}** ranks the tunes of a small index made from "
            "music21's ABC corpus (Irish, German, Chinese, American and Scottish folk tunes). The first "
            "search encodes the index (cached afterwards)."), elem_id="music-help")
        with gr.Row():
            with gr.Column(scale=2):
                query = gr.Textbox(EXAMPLES[0][1], label="Query (any language)", lines=2, elem_id="music-query")
                gr.Examples([[q] for _, q in EXAMPLES], inputs=[query], example_labels=[n for n, _ in EXAMPLES],
                            label="Queries in several languages", examples_per_page=len(EXAMPLES))
                k = gr.Slider(1, MAX_RESULTS, value=5, step=1, label="Results")
                show = gr.Number(1, label="Show the ABC and piano roll of result", precision=0, minimum=1,
                                 maximum=MAX_RESULTS)
                btn = gr.Button("Search", variant="primary", elem_id="music-button", interactive=not missing)
            with gr.Column(scale=3):
                table = gr.Dataframe(headers=HEADERS, label="Top tunes", interactive=False, elem_id="music-table")
                roll = gr.Image(label="Piano roll", type="pil", format="png", interactive=False,
                                elem_id="music-roll")
                abc = gr.Textbox(label="ABC", lines=8, interactive=False, elem_id="music-abc")
                details = gr.Textbox(label="Details", lines=4, interactive=False, elem_id="music-details")

    def search(q: str, k: float, show: float, progress=gr.Progress()):  # noqa: B008
        if not index.ready and not index.available():
            progress(0, desc=f"first use: encoding {len(corpus_tunes())} tunes of music21's corpus "
                     "into the index (cached afterwards)")
        else:
            progress(0, desc="searching")
        view = server.run("Searching the tunes", search_view, index, q, k, show)
        return view.rows, view.roll, view.abc, view.details

    clear_on_error(btn.click(search, [query, k, show], [table, roll, abc, details], api_name="music"),
                   [table, roll, abc, details])

