"""One lexicon-and-grammar module per language.

Each module defines ``CODE``, ``NAME`` (English), ``NATIVE`` (the language's own
name), ``VARIANTS`` (which of ``en-first``, ``en-second``, ``roman`` it offers) and:

- ``entry(cls) -> dict``: everything the grammar needs about one class: surface
  forms (keys listed in ``SG_FORMS`` and ``PL_FORMS``) and grammatical facts
  (gender, measure word, ...);
- ``lemma(e) -> str`` and ``counted(e, n) -> str``: the bare noun, and the noun as
  it stands after the numeral ``n`` (used when the noun is embedded in English);
- ``render(scene, entry, script) -> str``: the prompt for a scene, looking every
  class up through ``entry`` (so a code-mixed variant can swap the noun forms and
  keep the grammar); ``script`` is ``"native"`` or ``"roman"``.
"""
