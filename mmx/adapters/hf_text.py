"""``--model text-only``: a text language model answers the question without the image,
to show how much a bench can be answered from priors alone."""

from __future__ import annotations

from typing import Any

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.adapters.hf_common import chunks, describe_loaded, generate_answers, load_model
from mmx.errors import InputError
from mmx.hub import HfArgs, from_pretrained, import_transformers, locate_model

__all__ = ["TextOnlyModel"]


class TextOnlyModel(ModelAdapter):
    """Reference baseline: ``AutoModelForCausalLM`` answers from the question alone, with the
    same prompt as the vision models, through the tokenizer's chat template when it has one.

    ``--model text-only --model-args model=hf:ORG/NAME`` (or ``model=DIR``), plus the
    generation args of ``hf:`` models: dtype, device, batch_size, max_new_tokens,
    attn_implementation, trust_remote_code, revision.
    """

    name = "text-only"
    is_baseline = True
    smoke_args = None  # needs a language model; tests/adapters/test_hf_vlm.py builds a tiny one
    #: what ``**model_args`` may hold (mmx.options lists and checks them before anything loads)
    kwargs_options = HfArgs

    def __init__(self, model: str | None = None, **model_args: Any) -> None:
        if not model:
            raise InputError(
                "the text-only baseline needs a text model: "
                "--model text-only --model-args model=hf:ORG/NAME (or model=DIR)"
            )
        self.args = HfArgs.parse("--model text-only", model_args)
        transformers = import_transformers()
        self.batch_size = self.args.batch_size
        self.source = locate_model(str(model), self.args.revision, option="--model-args model=")
        self.tokenizer = from_pretrained(
            transformers.AutoTokenizer, self.source, self.args, "tokenizer"
        )
        # we own this tokenizer object, so set the side once instead of per call
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None and self.tokenizer.eos_token is not None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        if self.tokenizer.pad_token is None and self.batch_size > 1:
            raise InputError(
                f"text-only: the tokenizer of {model!r} has no pad or eos token; use batch_size=1"
            )
        self.chat = bool(getattr(self.tokenizer, "chat_template", None))
        self.model, self.device = load_model(
            transformers.AutoModelForCausalLM, self.source, self.args
        )

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        answers: list[str] = []
        for batch in chunks(requests, self.batch_size):
            prompts = [r.text() for r in batch]
            if self.chat:
                inputs = self.tokenizer.apply_chat_template(
                    [[{"role": "user", "content": p}] for p in prompts],
                    add_generation_prompt=True,
                    tokenize=True,
                    return_dict=True,
                    padding=True,
                    return_tensors="pt",
                )
            else:
                inputs = self.tokenizer(prompts, padding=True, return_tensors="pt")
            answers.extend(
                generate_answers(
                    self.model, inputs, self.tokenizer, self.args, self.tokenizer.pad_token_id
                )
            )
        return answers

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "baseline": True,
            **describe_loaded(self.source, self.model, self.device, self.args),
            "chat_template": self.chat,
        }
