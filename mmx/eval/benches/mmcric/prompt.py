"""The words mmcric puts to a model: the bench owns its prompt (as lmms-eval tasks own
``doc_to_text``); adapters only wrap it in their chat format."""

from __future__ import annotations

#: The public MMCricBench harness wording (answers scored by normalised exact match).
PROMPT = "Answer precisely in 1-2 words, answer in digits when required.\n\nQuestion: {question}"


def format_prompt(question: str) -> str:
    """The full text instruction for one scorecard question."""
    return PROMPT.format(question=question)
