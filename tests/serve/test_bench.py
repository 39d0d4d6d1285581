"""The multi-seat benchmark runs and measures (``pytest -m bench``; numbers are reported, not asserted as targets)."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks.serve_bench import measure

pytestmark = pytest.mark.bench


def test_the_serve_benchmark_measures_every_seat():
    r = asyncio.run(measure(seats=5, speed=3600, seconds=6, scenario="rainstorm-2023-07"))
    assert set(r["per_seat"]) == {"director", "screen", "t-bj-flood-hq", "t-zz-flood-hq", "t-hb-flood-hq"}
    assert r["inputs"] > 0 and r["rtt_median_ms"] is not None
    assert r["updates_min_per_s"] >= 1  # every seat's screen moved in every second
