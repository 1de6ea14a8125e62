"""Cross-script consistency (``mmx eval --bench xscript``): the bench class is in :mod:`.bench`,
its families and how their forms are made in :mod:`.families`."""

from mmx.eval.benches.xscript.bench import XscriptBench, XscriptSample
from mmx.eval.benches.xscript.families import FAMILIES

__all__ = ["FAMILIES", "XscriptBench", "XscriptSample"]
