"""Symbolic music as text: CLaMP 3's M3 patches from ABC notation and MIDI.

- :mod:`mmx.music.abc`: ABC (or MTF) text -> M3 patches of 64 ASCII codes
  (:func:`~mmx.music.abc.patchilize`), exactly as CLaMP 3's ``M3Patchilizer``;
  titles, composers, lyrics and voice names stripped from the music side
  (:func:`~mmx.music.abc.clean_abc`);
- :mod:`mmx.music.midi`: a MIDI file -> CLaMP 3's MTF text lines through mido;
- :mod:`mmx.music.corpus`: music21's bundled ABC tunes with descriptions written from
  their metadata, split by tune.

A low-level package beside :mod:`mmx.text`: no torch at import, nothing above it
imported. Import from the submodules.
"""
