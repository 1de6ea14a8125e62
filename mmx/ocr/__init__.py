"""One OCR front end for mmx: rendered-line read-back (``mmx tokens``, the demo) and
whole-page reading (mmcric's ``ocr-table`` baseline) use the same engines.

* :mod:`mmx.ocr.tesseract`: tesseract in-process through ``tesserocr``, one API per
  (language, page-segmentation mode) per thread, OpenMP limited to one thread.
* :mod:`mmx.ocr.rapid`: RapidOCR engines, made once per process and lent out.
* :mod:`mmx.ocr.languages`: corpus codes to tesseract packs, which engine reads which script.
* :mod:`mmx.ocr.lines`: :func:`read_back` of one rendered line; :func:`cer` is
  :func:`mmx.text.distance.cer`, re-exported.
* :mod:`mmx.ocr.environment`: what can change a reading (CPU flags, engine versions,
  model files' hashes, the pinned settings), for ``results.json``.

Importing the package is cheap: the engines load on first use. A missing engine
or language pack raises :class:`~mmx.errors.MissingDependencyError` saying what
to install.
"""

from __future__ import annotations

from mmx.ocr.languages import ignores_spaces
from mmx.ocr.lines import ENGINES, available_engines, cer, engine_for, read_back

__all__ = ["ENGINES", "available_engines", "cer", "engine_for", "ignores_spaces", "read_back"]
