"""mmcric's offline baseline, ``--model ocr-table``: OCR the scorecard images
(:mod:`.card_ocr`), rebuild their tables whatever the layout (:mod:`.tables`, with
its own scorecard words :mod:`.vocab` and line parsers :mod:`.lines`, into
:mod:`.readcard`'s classes), mend misread digits by the card's arithmetic
(:mod:`.repair`) and compute the answer from them (:mod:`.ocr_table`).

It sees only what a model sees (the images and the question text) and never
imports the bench's generator (``generate``, ``match``, ``questions``, ``draw``
and the drawing's ``card``, ``canvas``, ``templates``, nor its ``wording``,
``phrasings`` or ``lexicon``): ``tests/eval/test_layout.py`` and
``tests/eval/benches/mmcric/baseline/test_independent.py`` enforce that.
"""
