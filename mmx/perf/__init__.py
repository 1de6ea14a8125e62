"""Compute and speed accounting behind ``mmx bench``: analytic prefill FLOPs of Qwen2.5-VL-style
models, subword text against the same text rendered (:mod:`mmx.perf.flops`).

The renderer's own speed method stays with the renderer (:mod:`mmx.render.speed`), which
times its internals. Nothing here is imported by evaluation or training code paths.
"""
