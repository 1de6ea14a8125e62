"""A second English template set: the same specs in words GenEval's templates never use.

The generator's English (:mod:`mmx.worlds.prompts.langs.en`, GenEval's own templates) is the only
wording a head trained on its captions has read. These templates say the same scene differently
(another frame, the colour after the noun, "exactly" before a count, "to the left of"), so a
model that follows meaning rather than one sentence pattern should lose little on them:

==============  ====================================================  ===========================================
task            GenEval (training)                                    paraphrase (never trained on)
==============  ====================================================  ===========================================
single_object   a photo of a star                                     a picture showing a star
two_object      a photo of a star and a circle                        a picture showing a star next to a circle
counting        a photo of three stars                                a picture showing exactly three stars
colors          a photo of a red star                                 a picture showing a star that is red
position        a photo of a star left of a circle                    a picture in which a star is to the left of
                                                                      a circle
color_attr      a photo of a red star and a blue circle               a picture showing a star that is red next to
                                                                      a circle that is blue
==============  ====================================================  ===========================================

``mmx eval --bench geneval --bench-args templates=both`` scores them beside GenEval's (subset
``en-paraphrase``, paired by spec with ``en``).
"""

from __future__ import annotations

from ._scene import Obj, scene
from .langs.en import NUMBERS, make_plural, with_article

#: the subset (and folder) name of English prompts in these templates
NAME = "en-paraphrase"

_RELATIONS = {"left of": "to the left of", "right of": "to the right of", "above": "above", "below": "below"}


def _np(o: Obj) -> str:
    if o.count != 1:
        return f"exactly {NUMBERS[o.count]} {make_plural(o.cls)}"
    noun = with_article(o.cls)
    return f"{noun} that is {o.color}" if o.color else noun


def render_paraphrase(spec: dict) -> str:
    """The English prompt of a GenEval spec in the paraphrase templates (table above)."""
    sc = scene(spec)
    o = sc.objects
    if sc.tag == "position":
        return f"a picture in which {_np(o[0])} is {_RELATIONS[sc.relation]} {_np(o[1])}"
    return "a picture showing " + " next to ".join(_np(x) for x in o)
