"""MIDI -> CLaMP 3's MTF text (MIDI Text Format): one line per message, through mido.

The first line is ``ticks_per_beat N``; then every message of the merged track, its
fields' values joined by spaces in mido's order (``note_on 0 0 60 64`` is type,
time, channel, note, velocity; a meta message's own fields come before its time:
``set_tempo 500000 0``), with non-ASCII escaped as ``unicode_escape`` writes it.
Meta messages that name or describe rather than play (text, copyright, track and
instrument names, lyrics, markers, cue markers, device names) are left out, as CLaMP
3's ``m3_compatible`` conversion does. :func:`mmx.music.abc.patchilize` takes the result.
"""

from __future__ import annotations

import os
from typing import Any

from mmx.deps import require
from mmx.errors import InputError, first_line

__all__ = ["MAX_MIDI_BYTES", "SKIPPED_META", "midi_to_mtf"]

#: meta messages that carry names and words, not music
SKIPPED_META = frozenset(
    {"text", "copyright", "track_name", "instrument_name", "lyrics", "marker", "cue_marker", "device_name"}
)
#: files above this size are refused: a real piece is well under 1 MB, and M3 reads at
#: most 512 patches of it anyway
MAX_MIDI_BYTES = 16 * 1024 * 1024


def _mido() -> Any:
    return require("mido", "MIDI input")


def _message_line(msg: Any) -> str:
    line = " ".join(str(v) for v in msg.dict().values())
    return line.strip().encode("unicode_escape").decode("utf-8")


def midi_to_mtf(source: str | os.PathLike[str] | bytes, max_bytes: int = MAX_MIDI_BYTES) -> str:
    """A MIDI file (a path or its bytes) as MTF lines joined by newlines.

    Raises:
        InputError: the file is missing, empty, larger than ``max_bytes``, not a MIDI
            file, or holds no message that plays (the message names which).
    """
    mido = _mido()
    if isinstance(source, (bytes, bytearray)):
        data, name = bytes(source), "MIDI bytes"
    else:
        name = os.fspath(source)
        if not os.path.isfile(name):
            raise InputError(f"{name}: no such MIDI file")
        size = os.path.getsize(name)
        if size > max_bytes:
            raise InputError(f"{name}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit for one piece; split it")
        with open(name, "rb") as f:
            data = f.read()
    if not data:
        raise InputError(f"{name}: empty file; give a standard MIDI file (.mid)")
    if len(data) > max_bytes:
        raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit for one piece; split it")
    import io

    try:
        mid = mido.MidiFile(file=io.BytesIO(data))
    except Exception as exc:  # mido raises OSError, EOFError, ValueError, KeyError... on bad files
        first = first_line(exc, 160)
        raise InputError(f"{name}: not a readable MIDI file ({first})") from None
    lines = [f"ticks_per_beat {mid.ticks_per_beat}"]
    playing = 0
    for msg in mid.merged_track:
        if msg.is_meta and msg.type in SKIPPED_META:
            continue
        playing += not msg.is_meta
        lines.append(_message_line(msg))
    if not playing:
        raise InputError(f"{name}: the MIDI file holds no note or controller message, nothing to encode")
    return "\n".join(lines)
