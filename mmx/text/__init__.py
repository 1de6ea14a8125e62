"""Text utilities shared by the renderer, the reader, the benches and OCR.

- :mod:`mmx.text.digits`: decimal digit systems; any script's digits to ASCII, ASCII
  digits written in one system;
- :mod:`mmx.text.scripts`: the script of a character and of a string;
- :mod:`mmx.text.translit`: romanization of Devanagari names, cross-script name matching, and
  :func:`~mmx.text.translit.name_key` (one key per romanization of a name, for scoring);
- :mod:`mmx.text.alphabets`: one language in two alphabets: Serbian and Kazakh Cyrillic <->
  Latin, Chinese Simplified <-> Traditional (OpenCC), Devanagari -> ISO 15919 and Urdu;
- :mod:`mmx.text.distance`: edit distance and the one character error rate.

The bottom of the house: nothing here imports another mmx package but
:mod:`mmx.errors`, nor torch or numpy. Import from the submodules (this package
imports none of them, so each caller pays only for what it uses).
"""
