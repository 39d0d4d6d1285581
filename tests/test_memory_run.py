"""Memory of ``drillsim run`` as users run it (``pytest -m bench``): records are not held, so memory stays flat.

Each run is the real command in a fresh process (:mod:`benchmarks.memory_run`); nothing is turned
off in the measured path. Before the record store, a run held every record as objects (~1 KB a
record) and its peak grew with the log's length (exponent ~1).
"""

from __future__ import annotations

import pytest

from benchmarks import memory_run

pytestmark = pytest.mark.bench


def test_run_memory_grows_sub_linearly_in_the_length_of_the_log() -> None:
    g = memory_run.growth((500, 5_000), report=False)
    short, long = g["rows"]
    assert long["records"] > 9 * short["records"], g  # ten times the simulated time, ten times the log
    # Measured 0.37 for 1,000 h → 10,000 h (187 → 444 MiB, 32k → 323k records): what grows is the
    # engine's own state per incident, not the records (with them kept as objects, exponent ~1).
    assert g["exponent"] < 0.5, g

