"""mmx: cross-lingual and cross-script research toolkit for multimodal models.

Importing :mod:`mmx` is cheap: heavy dependencies (torch, transformers, the
shaping stack) load inside the subpackages that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
