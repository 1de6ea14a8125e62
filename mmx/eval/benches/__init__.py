"""Benches: one module per benchmark (load, predict, score, aggregate, version)."""
