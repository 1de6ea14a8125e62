"""MIDI -> MTF lines through mido, and the bad files."""

from __future__ import annotations

import io

import mido
import pytest

from mmx.errors import InputError
from mmx.music.abc import patchilize
from mmx.music.midi import midi_to_mtf


def midi_bytes(notes: bool = True) -> bytes:
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name="Piano", time=0))
    track.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
    if notes:
        track.append(mido.Message("program_change", program=41, time=0))
        track.append(mido.Message("note_on", note=60, velocity=80, time=0))
        track.append(mido.Message("note_off", note=60, velocity=0, time=480))
    track.append(mido.MetaMessage("end_of_track", time=0))
    mid.tracks.append(track)
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def test_mtf_lines(tmp_path) -> None:
    path = tmp_path / "a.mid"
    path.write_bytes(midi_bytes())
    mtf = midi_to_mtf(path)
    assert mtf.splitlines() == [
        "ticks_per_beat 480",
        "set_tempo 500000 0",  # track_name is a name, not music: left out (meta: fields, then time)
        "program_change 0 0 41",
        "note_on 0 0 60 80",
        "note_off 480 0 60 0",
        "end_of_track 0",
    ]
    assert midi_to_mtf(midi_bytes()) == mtf
    rows = patchilize(mtf)  # the program is cleaned to 0, like CLaMP 3's remove_instrument_info
    assert "program_change 0 0 0" in "".join(chr(c) for r in rows for c in r if c > 3)


def test_bad_midi_files(tmp_path) -> None:
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        midi_to_mtf(empty)
    junk = tmp_path / "junk.mid"
    junk.write_bytes(b"RIFF this is not midi at all")
    with pytest.raises(InputError, match="not a readable MIDI"):
        midi_to_mtf(junk)
    truncated = tmp_path / "cut.mid"
    truncated.write_bytes(midi_bytes()[:30])
    with pytest.raises(InputError, match="not a readable MIDI"):
        midi_to_mtf(truncated)
    with pytest.raises(InputError, match="larger than"):
        midi_to_mtf(midi_bytes(), max_bytes=20)
    with pytest.raises(InputError, match="no such MIDI"):
        midi_to_mtf(tmp_path / "missing.mid")
    with pytest.raises(InputError, match="no note"):
        midi_to_mtf(midi_bytes(notes=False))
