"""MMCricBench-style cross-script scorecard VQA (``mmx eval --bench mmcric``): the bench class is
in :mod:`.bench`; the folder holds what it owns (loader, generator, prompt, baseline)."""

from mmx.eval.benches.mmcric.bench import MmcricBench
from mmx.eval.benches.mmcric.data import Sample

__all__ = ["MmcricBench", "Sample"]
