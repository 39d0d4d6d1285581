"""Reproducible speed and scale measurements (``python -m benchmarks``); ratios, not absolute times."""
