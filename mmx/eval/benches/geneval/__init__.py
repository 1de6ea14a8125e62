"""Multilingual GenEval (``mmx eval --bench geneval``): the bench class is in :mod:`.bench`.

GenEval's judge, the shapes world and the prompt generator are shared with training and
live in :mod:`mmx.worlds`; ``from mmx.eval.benches.geneval import judge`` keeps working,
and so do the old module paths ``...geneval.protocol``, ``.shapes`` and ``.prompts`` (for
one release, with a ``DeprecationWarning``).
"""

from mmx.compat import alias_modules
from mmx.eval.benches.geneval.bench import GenevalBench, GenevalSample
from mmx.worlds.geneval import COLORS, TAGS, judge

__all__ = ["COLORS", "TAGS", "GenevalBench", "GenevalSample", "judge"]

alias_modules("mmx.eval.benches.geneval",
              {"protocol": "mmx.worlds.geneval", "shapes": "mmx.worlds.shapes", "prompts": "mmx.worlds.prompts"})
