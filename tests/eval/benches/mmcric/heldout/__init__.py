"""A second test-only family of mmcric scorecard layouts and question phrasings (issue 26),
sealed: made apart from the ``ocr-table`` baseline and not looked at while it is tuned, so
that its score says whether the baseline reads scorecards it never saw. Nothing under
``mmx/`` imports it (a test checks)."""
