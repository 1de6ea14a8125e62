"""WikiMT music-text retrieval plus genre queries in eight languages (``mmx eval --bench wikimt``):
the bench class is in :mod:`.bench`."""

from mmx.eval.benches.wikimt.bench import ANCHORS, WikimtBench, WikimtSample, random_mrr

__all__ = ["ANCHORS", "WikimtBench", "WikimtSample", "random_mrr"]
