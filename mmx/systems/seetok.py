"""The SeeTok recipe: LoRA on a pretrained VLM that reads its instructions as pixels.

SeeTok ("See the Text", arXiv 2510.18840) renders each instruction with the
``seetok`` profile (7 px Noto text in 14 px strips, 224 px wide) and lets a
Qwen2.5-VL-style model read it: the user turn holds only the rendered images, the
assistant turn is the response text, and LoRA adapters on the language model are
the only weights trained. The images cost far fewer tokens than the subwords of the
same text; both counts are logged (``train/visual_tokens``, ``train/subword_tokens``).

``SeeTokLoraSystem`` is the LightningModule and ``InstructionDataModule`` feeds it
``{instruction, response}`` pairs from files or from a generated offline set. See
``configs/seetok_qwen2_5_vl_lora.yaml`` for the command and the expected result.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import numpy as np
import torch
from lightning.pytorch.utilities import rank_zero_info, rank_zero_warn
from torch.utils.data import DataLoader, Dataset

from mmx.errors import InputError
from mmx.systems.base import MmxSystem
from mmx.textio import read_jsonl

#: the language model's attention and MLP projections (Qwen2 / Llama names)
LM_PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
#: module names of vision towers and their projectors (Qwen2.5-VL: ``visual``, which
#: holds the merger; LLaVA: ``vision_tower`` + ``multi_modal_projector``)
VISION_PARTS = ("visual", "vision_tower", "vision_model", "multi_modal_projector")
#: Qwen2.5-VL's vision MLPs are also called gate/up/down_proj: the exclusion keeps
#: the adapters in the language model
DEFAULT_LORA: dict[str, Any] = {
    "r": 16,
    "lora_alpha": 32,
    "lora_dropout": 0.05,
    "target_modules": LM_PROJECTIONS,
    "exclude_modules": r".*\b(" + "|".join(VISION_PARTS) + r")\..*",
}
#: SeeTok's pixel budget: one 224 x 224 image at most, no upscaling of short strips
#: below one 28 x 28 merged token
MIN_PIXELS, MAX_PIXELS = 28 * 28, 224 * 224
ADAPTER_DIR = "adapter"


def _is_vision(name: str) -> bool:
    return any(part in VISION_PARTS for part in name.split("."))


class SeeTokLoraSystem(MmxSystem):
    """LoRA fine-tuning of a Qwen2.5-VL-style model on rendered instructions.

    Args:
        model: ``hf:ORG/NAME`` (offline: from the local hub cache) or a local folder
            that ``save_pretrained`` / ``hf download --local-dir`` wrote.
        profile, profile_overrides: the render profile of the instructions
            (``mmx list profiles``) and field overrides (e.g. ``{font_size: 9}``).
        cue: optional fixed text after the images in the user turn ("" = images only,
            as in SeeTok).
        lora: peft ``LoraConfig`` keywords merged over :data:`DEFAULT_LORA` (r 16,
            alpha 32, dropout 0.05, the LM's q/k/v/o/gate/up/down projections, the
            vision tower excluded).
        train_vision: also train the vision tower and its merger in full (default:
            frozen and without adapters).
        dtype: weights' dtype: ``auto`` (bfloat16 on a GPU that has it, float32
            on CPU), ``float32``, ``bfloat16``, ``float16``. LoRA weights stay float32.
        attn_implementation: e.g. ``sdpa`` or ``flash_attention_2`` (default: transformers').
        max_length: longest training sequence; longer responses are cut, a prompt
            longer than this is an error.
        min_pixels, max_pixels: the image processor's pixel budget per image.
        max_new_tokens: generation budget of ``predict``.
        gradient_checkpointing: trade compute for activation memory.
        lr, weight_decay, warmup_steps: AdamW with warm-up and cosine decay.
        revision, trust_remote_code: passed to ``from_pretrained``.
    """

    # a 3B base is ~7.5 GB: checkpoints keep the adapters (and a trained vision tower)
    # only, and the base weights reload from ``model``
    trainable_only_checkpoints = True

    def __init__(
        self,
        model: str = "hf:Qwen/Qwen2.5-VL-3B-Instruct",
        profile: str = "seetok",
        profile_overrides: dict[str, Any] | None = None,
        cue: str = "",
        lora: dict[str, Any] | None = None,
        train_vision: bool = False,
        dtype: str = "auto",
        attn_implementation: str | None = None,
        max_length: int = 1024,
        min_pixels: int | None = MIN_PIXELS,
        max_pixels: int | None = MAX_PIXELS,
        max_new_tokens: int = 64,
        gradient_checkpointing: bool = False,
        lr: float = 2e-4,
        weight_decay: float = 0.0,
        warmup_steps: int = 20,
        revision: str | None = None,
        trust_remote_code: bool = False,
    ) -> None:
        super().__init__(lr=lr, weight_decay=weight_decay, warmup_steps=warmup_steps)
        self.save_hyperparameters()
        from mmx.render import get_profile

        self.profile_overrides = dict(profile_overrides or {})
        self.profile = get_profile(profile, **self.profile_overrides)  # bad names fail here, not mid-run
        self.cue = cue
        if max_length < 2:
            raise InputError(f"model.max_length must be at least 2 (got {max_length})")
        if max_new_tokens < 1:
            raise InputError(f"model.max_new_tokens must be at least 1 (got {max_new_tokens})")
        self.max_length, self.max_new_tokens = max_length, max_new_tokens
        self.train_vision = train_vision
        self.processor, self.vlm = self._load(
            model, dtype, attn_implementation, min_pixels, max_pixels, revision, trust_remote_code
        )
        if gradient_checkpointing:
            # non-reentrant: works with frozen embeddings, no enable_input_require_grads needed
            self.vlm.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        self.vlm.config.use_cache = False
        from mmx.heads.vlm import apply_lora

        self.vlm = apply_lora(self.vlm, {**DEFAULT_LORA, **(lora or {})})
        self._freeze()
        # from_pretrained leaves eval mode, and Lightning keeps each module's mode
        self.vlm.train()
        tok = self.tokenizer
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        self.image_token_id = self._image_token_id()
        self._warned: set[str] = set()

    # -- loading ---------------------------------------------------------
    def _load(self, spec: str, dtype: str, attn: str | None, min_pixels: int | None,
              max_pixels: int | None, revision: str | None, trust_remote_code: bool) -> tuple[Any, Any]:
        from mmx.hub import (
            DTYPES,
            HfArgs,
            from_pretrained,
            import_transformers,
            locate_model,
            resolve_device,
            resolve_dtype,
            set_pixel_budget,
        )

        transformers = import_transformers()
        if dtype not in DTYPES:
            raise InputError(f"model.dtype={dtype!r} is not one of {', '.join(DTYPES)}")
        try:
            source = locate_model(spec, revision)
        except InputError as exc:  # its advice names eval's --model; here it is --model.model
            raise InputError(str(exc).replace("--model ", "--model.model ")) from None
        args = HfArgs(dtype=dtype, revision=revision, trust_remote_code=trust_remote_code)
        processor = from_pretrained(transformers.AutoProcessor, source, args, "processor")
        if not getattr(processor, "chat_template", None) or getattr(processor, "tokenizer", None) is None:
            raise InputError(
                f"model.model {spec}: its processor has no chat template or tokenizer, so the "
                f"instruction images and the response cannot be placed (use an instruct/chat checkpoint)"
            )
        _, note = set_pixel_budget(processor, min_pixels, max_pixels, owner=f"model.model {spec}")
        if note:
            rank_zero_warn(note)
        kwargs: dict[str, Any] = {"dtype": resolve_dtype(dtype, resolve_device("auto"))}
        if attn:
            kwargs["attn_implementation"] = attn
        vlm = from_pretrained(transformers.AutoModelForImageTextToText, source, args, "model", **kwargs)
        return processor, vlm

    def _freeze(self) -> None:
        """LoRA weights train; the base stays frozen; the vision tower trains in full
        only with ``train_vision``, and never carries adapters without it."""
        adapted_vision = sorted({n.split(".lora_")[0] for n, _ in self.vlm.named_parameters()
                                 if "lora_" in n and _is_vision(n)})
        if adapted_vision and not self.train_vision:
            raise InputError(
                f"model.lora puts adapters in the vision tower ({adapted_vision[0]}, ...) but "
                f"model.train_vision is false; exclude it (lora.exclude_modules) or set train_vision: true"
            )
        for name, p in self.vlm.named_parameters():
            p.requires_grad_("lora_" in name or (self.train_vision and _is_vision(name)))

    def _image_token_id(self) -> int:
        cfg = self.vlm.config
        for owner, key in ((self.processor, "image_token_id"), (cfg, "image_token_id"), (cfg, "image_token_index")):
            value = getattr(owner, key, None)
            if isinstance(value, int):
                return value
        raise InputError("model.model: cannot tell the image token id (neither the processor nor the config has it)")

    @property
    def tokenizer(self) -> Any:
        return self.processor.tokenizer

    def parameter_counts(self) -> dict[str, int]:
        """Total, trainable, LoRA and trainable-vision parameter counts."""
        counts = {"total": 0, "trainable": 0, "lora": 0, "vision_trainable": 0}
        for name, p in self.vlm.named_parameters():
            counts["total"] += p.numel()
            if p.requires_grad:
                counts["trainable"] += p.numel()
                counts["lora" if "lora_" in name else "vision_trainable"] += p.numel()
        return counts

    # -- batches ---------------------------------------------------------
    def render(self, instruction: str) -> list[Any]:
        """The rendered instruction as RGB PIL images (the render profile's layout)."""
        from mmx.render import render_text

        if not isinstance(instruction, str) or not instruction.strip():
            raise InputError(f"an instruction must be a non-empty string, got {instruction!r}")
        result = render_text(instruction, self.profile)
        if result.truncated:
            self._warn_once("truncated", f"render profile {self.profile.name!r} cut an instruction at "
                                         f"character {result.truncated_at}; use a profile that spills (seetok)")
        if result.missing_glyphs:
            self._warn_once("tofu", f"instructions have characters without a glyph (e.g. "
                                    f"{result.missing_glyphs[0]}); they are drawn as boxes")
        return [im if im.mode == "RGB" else im.convert("RGB") for im in result.images]

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            rank_zero_warn(message)

    def _user_turn(self, n_images: int) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "image"} for _ in range(n_images)]
        if self.cue:
            content.append({"type": "text", "text": self.cue})
        return {"role": "user", "content": content}

    def _prompt_inputs(self, instructions: list[str], padding_side: str) -> tuple[Any, list[list[Any]]]:
        images = [self.render(t) for t in instructions]
        prompts = [self.processor.apply_chat_template([self._user_turn(len(ims))], tokenize=False,
                                                      add_generation_prompt=True) for ims in images]
        inputs = self.processor(text=prompts, images=[im for ims in images for im in ims], padding=True,
                                padding_side=padding_side, return_tensors="pt")
        return inputs, images

    def _completion(self, n_images: int, response: str) -> str:
        """The chat template's assistant part after the generation prompt: the response
        and the end-of-turn token (trailing newlines are not predicted)."""
        user = self._user_turn(n_images)
        prompt = self.processor.apply_chat_template([user], tokenize=False, add_generation_prompt=True)
        full = self.processor.apply_chat_template(
            [user, {"role": "assistant", "content": [{"type": "text", "text": response}]}], tokenize=False
        )
        if not full.startswith(prompt):
            raise InputError("the chat template does not write a conversation as its generation prompt "
                             "followed by the answer, so response tokens cannot be told apart")
        return full[len(prompt):].rstrip()

    def encode(self, batch: list[dict[str, str]]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Model inputs (right-padded) and labels: -100 everywhere but the response
        tokens and the end-of-turn token after them."""
        for item in batch:
            if not isinstance(item.get("response"), str):
                raise InputError(f"a response must be a string, got {item.get('response')!r}")
        inputs, images = self._prompt_inputs([it["instruction"] for it in batch], "right")
        completions = [self._completion(len(ims), it["response"]) for ims, it in zip(images, batch)]
        answer_ids = self.tokenizer(completions, add_special_tokens=False)["input_ids"]
        ids, mask = inputs["input_ids"], inputs["attention_mask"].bool()
        # per-token extras (Qwen2.5-VL's mm_token_type_ids) grow with zeros like the ids
        extras = [k for k, v in inputs.items() if k not in ("input_ids", "attention_mask")
                  and torch.is_tensor(v) and v.shape[:2] == ids.shape]
        rows = []
        for i, answer in enumerate(answer_ids):
            prompt = ids[i][mask[i]]
            if len(prompt) >= self.max_length:
                raise InputError(
                    f"an instruction needs {len(prompt)} prompt tokens (images included), more than "
                    f"model.max_length={self.max_length}; raise max_length, lower max_pixels or shorten it"
                )
            answer = torch.tensor(answer[: self.max_length - len(prompt)], dtype=ids.dtype)
            rows.append((prompt, answer, {k: inputs[k][i][mask[i]] for k in extras}))
        length = max(len(p) + len(a) for p, a, _ in rows)
        out_ids = torch.full((len(rows), length), self.pad_id, dtype=ids.dtype)
        out_mask = torch.zeros((len(rows), length), dtype=inputs["attention_mask"].dtype)
        labels = torch.full((len(rows), length), -100, dtype=torch.long)
        out_extra = {k: torch.zeros((len(rows), length), dtype=inputs[k].dtype) for k in extras}
        for i, (prompt, answer, extra) in enumerate(rows):
            n, m = len(prompt), len(answer)
            out_ids[i, : n + m] = torch.cat([prompt, answer])
            out_mask[i, : n + m] = 1
            labels[i, n : n + m] = answer
            for k, v in extra.items():
                out_extra[k][i, :n] = v
        encoded = {k: v for k, v in inputs.items() if k not in ("input_ids", "attention_mask", *extras)}
        encoded.update(input_ids=out_ids, attention_mask=out_mask, **out_extra)
        return encoded, labels

    def _to_device(self, inputs: dict[str, Any]) -> dict[str, Any]:
        dtype = self.vlm.get_input_embeddings().weight.dtype
        return {k: (v.to(self.device, dtype) if k.startswith("pixel_values") else v.to(self.device))
                if torch.is_tensor(v) else v for k, v in inputs.items()}

    def token_counts(self, batch: list[dict[str, str]], input_ids: torch.Tensor) -> tuple[float, float]:
        """Mean visual tokens of the rendered instructions and mean subword tokens the
        instruction text would have cost with the model's own tokenizer."""
        visual = (input_ids == self.image_token_id).sum(1).float().mean().item()
        subword = self.tokenizer([it["instruction"] for it in batch], add_special_tokens=False)["input_ids"]
        return visual, float(np.mean([len(s) for s in subword]))

    def loss(self, batch: list[dict[str, str]]) -> tuple[torch.Tensor, torch.Tensor]:
        inputs, labels = self.encode(batch)
        out = self.vlm(**self._to_device(inputs), labels=labels.to(self.device), use_cache=False)
        return out.loss, inputs["input_ids"]

    @torch.no_grad()
    def generate(self, instructions: list[str]) -> list[str]:
        """Greedy responses to rendered ``instructions`` (left-padded batch)."""
        inputs, _ = self._prompt_inputs(instructions, "left")
        inputs = self._to_device(dict(inputs))
        out = self.vlm.generate(
            **inputs, do_sample=False, temperature=None, top_p=None, top_k=None,
            max_new_tokens=self.max_new_tokens, pad_token_id=self.pad_id, use_cache=True,
        )
        new = out[:, inputs["input_ids"].shape[1]:]
        return [t.strip() for t in self.tokenizer.batch_decode(new, skip_special_tokens=True)]

    # -- Lightning hooks -------------------------------------------------
    def on_fit_start(self) -> None:
        c = self.parameter_counts()
        rank_zero_info(
            f"SeeTok LoRA: {c['trainable']:,} trainable of {c['total']:,} parameters "
            f"({100 * c['trainable'] / max(c['total'], 1):.3f}%): LoRA {c['lora']:,}, "
            f"vision {c['vision_trainable']:,}; instructions rendered with profile {self.profile.name!r}"
        )

    def training_step(self, batch: list[dict[str, str]], batch_idx: int) -> torch.Tensor:
        loss, ids = self.loss(batch)
        visual, subword = self.token_counts(batch, ids)
        n = len(batch)
        self.log("train/loss", loss, prog_bar=True, batch_size=n)
        self.log("train/visual_tokens", visual, batch_size=n)
        self.log("train/subword_tokens", subword, batch_size=n)
        return loss

    def validation_step(self, batch: list[dict[str, str]], batch_idx: int) -> None:
        loss, _ = self.loss(batch)
        self.log("val/loss", loss, prog_bar=True, batch_size=len(batch), sync_dist=True)

    def predict_step(self, batch: list[dict[str, str]], batch_idx: int) -> list[dict[str, str]]:
        preds = self.generate([it["instruction"] for it in batch])
        return [{"instruction": it["instruction"], "response": it.get("response", ""), "prediction": p}
                for it, p in zip(batch, preds)]

    def on_fit_end(self) -> None:
        super().on_fit_end()
        log_dir = self.trainer.log_dir  # a collective under DDP: every rank must ask
        if self.trainer.is_global_zero and log_dir:
            self.save_adapter(os.path.join(log_dir, ADAPTER_DIR))

    def save_adapter(self, folder: str) -> str:
        """Write the peft adapter (``adapter_config.json``, ``adapter_model.safetensors``);
        with ``train_vision`` also ``vision_tower.safetensors`` (the base model's key
        names). Load with ``PeftModel.from_pretrained(base_model, folder)``."""
        os.makedirs(folder, exist_ok=True)
        self.vlm.save_pretrained(folder)
        if self.train_vision:
            from safetensors.torch import save_file

            base = self.vlm.get_base_model()
            state = {k: v.detach().cpu().contiguous() for k, v in base.state_dict().items() if _is_vision(k)}
            save_file(state, os.path.join(folder, "vision_tower.safetensors"))
        rank_zero_info(f"SeeTok LoRA adapter written to {folder}")
        return folder


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

SUFFIXES = (".jsonl", ".json", ".parquet", ".csv")

#: a few dozen everyday words per script for the generated instruction set
WORDS: dict[str, tuple[str, ...]] = {
    "latin": (
        "apple", "river", "stone", "light", "garden", "window", "music", "paper", "green", "silver",
        "morning", "yellow", "bridge", "forest", "winter", "summer", "planet", "doctor", "market",
        "island", "coffee", "letter", "mountain", "animal", "family", "orange", "pencil", "rabbit",
        "village", "button", "candle", "engine",
    ),
    "cyrillic": (
        "дом", "река", "солнце", "книга", "вода", "город", "лес", "окно", "небо", "друг", "время",
        "работа", "школа", "улица", "машина", "море", "гора", "песня", "ветер", "хлеб", "земля",
        "звезда", "птица", "зима", "лето", "утро", "вечер", "дорога", "сердце", "мама", "чай", "кошка",
    ),
    "devanagari": (
        "घर", "पानी", "किताब", "सूरज", "नदी", "शहर", "दोस्त", "समय", "काम", "स्कूल", "सड़क", "गाड़ी",
        "समुद्र", "पहाड़", "गीत", "हवा", "रोटी", "धरती", "तारा", "पक्षी", "सर्दी", "गर्मी", "सुबह", "शाम",
        "रास्ता", "दिल", "माँ", "फूल", "आकाश", "बादल", "चाय", "बिल्ली",
    ),
    "arabic": (
        "بيت", "ماء", "كتاب", "شمس", "نهر", "مدينة", "صديق", "وقت", "عمل", "مدرسة", "شارع", "سيارة",
        "بحر", "جبل", "أغنية", "ريح", "خبز", "أرض", "نجمة", "طائر", "شتاء", "صيف", "صباح", "مساء",
        "طريق", "قلب", "أم", "زهرة", "سماء", "قمر", "شاي", "قطة",
    ),
}  # fmt: skip
#: scripts whose words reverse and change case letter by letter (no combining marks)
CASED = ("latin", "cyrillic")
#: numeral systems of the comparison task (names of mmx.text.digits.DIGITS)
DIGITS = ("latin", "devanagari", "arabic_indic")
TASKS = ("repeat", "reverse_words", "reverse_letters", "count_words", "larger", "uppercase", "last_word")


def generate_instruction(rng: np.random.Generator) -> dict[str, str]:
    """One generated instruction whose answer needs the rendered instruction read."""
    from mmx.text.digits import write_digits

    task = TASKS[int(rng.integers(len(TASKS)))]
    scripts = CASED if task in ("reverse_letters", "uppercase") else tuple(WORDS)
    script = scripts[int(rng.integers(len(scripts)))]

    def words(lo: int, hi: int) -> list[str]:
        vocab = WORDS[script]
        return [vocab[int(i)] for i in rng.choice(len(vocab), int(rng.integers(lo, hi + 1)), replace=False)]

    if task == "repeat":
        phrase = " ".join(words(1, 3))
        item = (f"Repeat exactly: {phrase}", phrase)
    elif task == "reverse_words":
        w = words(3, 5)
        item = (f"Reverse the order of these words: {' '.join(w)}", " ".join(reversed(w)))
    elif task == "reverse_letters":
        w = words(1, 1)[0]
        item = (f"Write this word backwards: {w}", w[::-1])
    elif task == "count_words":
        w = words(2, 7)
        item = (f"How many words are in this line: {' '.join(w)}", str(len(w)))
    elif task == "larger":
        script = DIGITS[int(rng.integers(len(DIGITS)))]
        digits = int(rng.integers(1, 5))
        a, b = (int(x) for x in rng.choice(10**digits, 2, replace=False))
        sa, sb = write_digits(str(a), script), write_digits(str(b), script)
        item = (f"Which is larger, {sa} or {sb}?", sa if a > b else sb)
    elif task == "uppercase":
        w = words(1, 2)
        item = (f"Uppercase: {' '.join(w)}", " ".join(w).upper())
    else:
        w = words(2, 6)
        item = (f"What is the last word of: {' '.join(w)}", w[-1])
    return {"instruction": item[0], "response": item[1], "task": task, "script": script}


def generate_instructions(n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` distinct generated instructions, the same for the same ``seed``."""
    rng = np.random.default_rng([seed, 0x5EE])
    seen: set[str] = set()
    items: list[dict[str, str]] = []
    for _ in range(50 * n + 100):
        if len(items) == n:
            break
        item = generate_instruction(rng)
        if item["instruction"] not in seen:
            seen.add(item["instruction"])
            items.append(item)
    if len(items) < n:
        raise InputError(f"data.generated={n}: only {len(items)} distinct instructions could be generated")
    return items


def _read_file(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            return read_jsonl(path)
        if suffix == ".json":
            with open(path, encoding="utf-8") as f:
                try:
                    data = json.load(f)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
            if isinstance(data, dict) and isinstance(data.get("data"), list):
                data = data["data"]
            if not isinstance(data, list):
                raise InputError(f"{path}: expected a JSON list of objects (or {{\"data\": [...]}})")
            return data
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            try:
                return pq.read_table(path).to_pylist()
            except (pa.ArrowException, OSError) as exc:
                raise InputError(f"{path}: not a readable parquet file ({str(exc).splitlines()[0][:200]})") from None
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def read_instructions(path: str, columns: dict[str, str] | None = None) -> list[dict[str, str]]:
    """``{instruction, response}`` rows from a .jsonl / .json / .parquet / .csv file or a
    folder of them; ``columns`` names the file's columns for either key."""
    names = {"instruction": "instruction", "response": "response", **(columns or {})}
    unknown = sorted(set(names) - {"instruction", "response"})
    if unknown:
        raise InputError(f"data.columns: unknown key(s) {', '.join(unknown)}; use instruction and response")
    root = Path(os.path.expanduser(path))
    if not root.exists():
        raise InputError(f"data.path {path}: no such file or folder")
    if root.is_dir():
        files = sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"data.path {path}: the folder has no {' / '.join(SUFFIXES)} files")
    elif root.suffix.lower() not in SUFFIXES:
        raise InputError(f"data.path {path}: expected a {' / '.join(SUFFIXES)} file or a folder of them")
    else:
        files = [root]
    out: list[dict[str, str]] = []
    for file in files:
        rows = _read_file(file)
        for i, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise InputError(f"{file} row {i}: expected an object with columns, got {type(row).__name__}")
            missing = [v for v in names.values() if v not in row]
            if missing:
                hint = "" if columns else "; name yours with data.columns: {instruction: ..., response: ...}"
                raise InputError(f"{file}: missing column(s) {', '.join(map(repr, missing))} "
                                 f"(found: {', '.join(map(str, row)) or 'none'}){hint}")
            item = {}
            for key, col in names.items():
                value = row[col]
                if not isinstance(value, str):
                    raise InputError(f"{file} row {i}: column {col!r} holds {type(value).__name__} "
                                     f"{value!r}, not a string")
                item[key] = value
            if not item["instruction"].strip():
                raise InputError(f"{file} row {i}: empty instruction")
            out.append(item)
    if not out:
        raise InputError(f"data.path {path}: no rows")
    return out


class InstructionDataset(Dataset):
    def __init__(self, items: list[dict[str, str]]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict[str, str]:
        return self.items[index]


def collate(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Batches stay lists of dicts: the system renders and tokenizes them."""
    return list(items)


class InstructionDataModule(pl.LightningDataModule):
    """``{instruction, response}`` pairs for :class:`SeeTokLoraSystem`.

    Args:
        path: a .jsonl / .json / .parquet / .csv file, or a folder of them, with
            ``instruction`` and ``response`` columns; null = the generated set.
        columns: the file's names for them, e.g. ``{instruction: prompt, response: answer}``.
        generated: size of the generated offline set (used when ``path`` is null):
            repeat, reverse, count, compare and uppercase tasks over Latin, Cyrillic,
            Devanagari and Arabic words and numerals, distinct instructions only.
        val_fraction: share held out for validation (a seeded random split); 0 = none.
            ``predict`` runs on the validation rows, or on every row when there are none.
        batch_size, num_workers, seed: as usual.
    """

    def __init__(
        self,
        path: str | None = None,
        columns: dict[str, str] | None = None,
        generated: int = 0,
        val_fraction: float = 0.05,
        batch_size: int = 8,
        num_workers: int = 0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        if path is None and generated < 1:
            raise InputError("data: give data.path (a .jsonl / .json / .parquet / .csv file or folder) "
                             "or data.generated N for a generated instruction set")
        if path is not None and not os.path.exists(os.path.expanduser(path)):
            raise InputError(f"data.path {path}: no such file or folder")
        if not 0.0 <= val_fraction < 1.0:
            raise InputError(f"data.val_fraction must be in [0, 1) (got {val_fraction})")
        if batch_size < 1:
            raise InputError(f"data.batch_size must be >= 1 (got {batch_size})")
        self.path, self.columns, self.generated = path, columns, generated
        self.val_fraction, self.batch_size, self.num_workers, self.seed = val_fraction, batch_size, num_workers, seed
        self.train_items: list[dict[str, str]] = []
        self.val_items: list[dict[str, str]] = []

    def load(self) -> list[dict[str, str]]:
        if self.path is not None:
            return read_instructions(self.path, self.columns)
        return generate_instructions(self.generated, self.seed)

    def setup(self, stage: str | None = None) -> None:
        if self.train_items or self.val_items:
            return
        items = self.load()
        order = np.random.default_rng(self.seed).permutation(len(items))
        n_val = round(len(items) * self.val_fraction)
        if self.val_fraction > 0 and len(items) >= 2:
            n_val = min(max(n_val, 1), len(items) - 1)
        self.val_items = [items[i] for i in order[:n_val]]
        self.train_items = [items[i] for i in order[n_val:]]

    def _loader(self, items: list[dict[str, str]], shuffle: bool = False) -> DataLoader:
        return DataLoader(InstructionDataset(items), batch_size=self.batch_size, shuffle=shuffle,
                          collate_fn=collate, num_workers=self.num_workers,
                          persistent_workers=self.num_workers > 0)

    def train_dataloader(self) -> DataLoader:
        return self._loader(self.train_items, shuffle=True)

    def val_dataloader(self) -> DataLoader | list:
        return self._loader(self.val_items) if self.val_items else []

    def predict_dataloader(self) -> DataLoader:
        return self._loader(self.val_items or self.train_items)
