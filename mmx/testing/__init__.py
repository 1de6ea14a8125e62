"""Tiny random-weight models of real architectures, built offline, for tests and benchmark smoke runs.

Each builder saves a folder that the real loading path reads (``from_pretrained(folder)``, an
open_clip model folder), with real processors and configs aligned as the released models
require, so that tests and ``benchmarks/`` exercise mmx's adapters without a download:

- :mod:`mmx.testing.vlm`: Qwen2.5-VL (tiny for tests; real-size for speed, with the real
  vocabulary), LLaVA and text-only Qwen2;
- :mod:`mmx.testing.diffusers`: a Stable Diffusion pipeline of given sizes (tiny, SD-1.5's);
- :mod:`mmx.testing.detectors`: GenEval's detectors (Mask2Former, OWLv2) and colour CLIP.

The weights are random: outputs are noise, fit for checking plumbing, shapes and speed only.
Nothing else in mmx imports this package (it is the top layer of ``tests/test_package_order.py``).
"""
