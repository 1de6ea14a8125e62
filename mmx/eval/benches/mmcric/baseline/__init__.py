"""mmcric's offline baseline, ``--model ocr-table``: OCR the scorecard images
(:mod:`.card_ocr`), rebuild their tables (:mod:`.tables`, into :mod:`.readcard`'s
classes), mend misread digits by the card's arithmetic (:mod:`.repair`) and compute
the answer from them (:mod:`.ocr_table`).

It sees only what a model sees (the images and the question text) and never
imports the bench's generator (``generate``, ``match``, ``questions``, ``draw``
and the drawing's ``card``, ``canvas``, ``templates``); it may read the shared
wording (:mod:`mmx.eval.benches.mmcric.wording`, :mod:`mmx.eval.benches.mmcric.phrasings`).
``tests/eval/test_layout.py`` enforces that.
"""
