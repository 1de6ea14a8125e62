"""``--model hf:ORG/NAME`` or ``--model DIR``: a transformers image-text-to-text model
(Qwen2.5-VL, LLaVA, ...) answering with greedy, batched, left-padded generation."""

from __future__ import annotations

from typing import Any

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.adapters.hf_common import chunks, describe_loaded, generate_answers, load_model
from mmx.errors import InputError
from mmx.hub import HfArgs, from_pretrained, import_transformers, locate_model, set_pixel_budget
from mmx.options import Count

__all__ = ["HfVlmModel"]


class HfVlmModel(ModelAdapter):
    """A Hugging Face vision-language model behind ``AutoProcessor`` and
    ``AutoModelForImageTextToText``, prompted through the processor's chat template.

    Model args: ``dtype`` (auto = bfloat16 on a GPU, float32 on CPU; float32|bfloat16|float16),
    ``device`` (auto|cpu|cuda|cuda:N),
    ``batch_size``, ``max_new_tokens``, ``attn_implementation``, ``min_pixels`` /
    ``max_pixels`` (image processors with a pixel budget, e.g. Qwen2-VL's),
    ``trust_remote_code``, ``revision``.
    """

    #: what ``**model_args`` may hold besides the pixel budget (mmx.options lists and checks them)
    kwargs_options = HfArgs

    def __init__(self, name: str, min_pixels: Count | None = None, max_pixels: Count | None = None,
                 **model_args: Any) -> None:
        args = HfArgs.parse(f"--model {name}", model_args)
        transformers = import_transformers()
        self.name = name
        self.args = args
        self.batch_size = args.batch_size
        self.source = locate_model(name, args.revision)
        self.processor = from_pretrained(transformers.AutoProcessor, self.source, args, "processor")
        if not getattr(self.processor, "chat_template", None):
            raise InputError(
                f"--model {name}: its processor has no chat template, so mmx cannot tell how to "
                f"place the images and the question (use an instruct/chat checkpoint, or add a "
                f"chat_template.jinja to the model folder)"
            )
        self._notes: list[str] = []
        self.pixels, note = set_pixel_budget(
            self.processor,
            min_pixels,
            max_pixels,
            owner=f"--model {name}",
        )
        if note:
            self._notes.append(note)
        self.model, self.device = load_model(
            transformers.AutoModelForImageTextToText, self.source, args
        )
        tokenizer = getattr(self.processor, "tokenizer", None)
        if tokenizer is not None and tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token  # batches need some pad token
        self.pad_token_id = None if tokenizer is None else tokenizer.pad_token_id

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        answers: list[str] = []
        for batch in chunks(requests, self.batch_size):
            answers.extend(self._answer_batch(batch))
        return answers

    def _answer_batch(self, requests: list[VqaRequest]) -> list[str]:
        conversations = [
            [
                {
                    "role": "user",
                    "content": [
                        *({"type": "image", "image": _rgb(image)} for image in r.images),
                        {"type": "text", "text": r.text()},
                    ],
                }
            ]
            for r in requests
        ]
        inputs = self.processor.apply_chat_template(
            conversations,
            add_generation_prompt=True,
            tokenize=True,
            return_dict=True,
            return_tensors="pt",
            # decoder-only generation needs left padding; right padding changes answers
            processor_kwargs={"padding": True, "padding_side": "left"},
        )
        return generate_answers(self.model, inputs, self.processor, self.args, self.pad_token_id)

    def notes(self) -> list[str]:
        return list(self._notes)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "baseline": False,
            **describe_loaded(self.source, self.model, self.device, self.args),
            **self.pixels,
        }


def _rgb(image: Any) -> Any:
    return image if image.mode == "RGB" else image.convert("RGB")
