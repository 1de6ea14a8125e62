"""Reading text that people hand to mmx (files, standard input)."""

from __future__ import annotations

from mmx.errors import InputError


def decode_utf8(data: bytes, source: str) -> str:
    """Strict UTF-8 decoding with a message that names the source and the bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4]
        kind = "an encoded surrogate (CESU-8/WTF-8 is not UTF-8)" if bad[:1] == b"\xed" and len(bad) > 1 and bad[1] >= 0xA0 else f"byte 0x{data[exc.start]:02x}"
        raise InputError(
            f"{source} is not valid UTF-8: {kind} at byte offset {exc.start}; "
            "convert it first, e.g. `iconv -f LATIN1 -t UTF-8`"
        ) from None
    return text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is not text
