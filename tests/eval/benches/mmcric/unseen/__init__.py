"""A test-only family of mmcric scorecard layouts and question phrasings the ``ocr-table``
baseline never saw (issue 26): held-out-style data that says whether a reader reads
scorecards or knows its generator. Nothing under ``mmx/`` imports it (a test checks)."""
