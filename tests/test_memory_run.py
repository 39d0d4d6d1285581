"""Memory of ``drillsim run`` as users run it (``pytest -m bench``): records are not held, so memory stays flat.

Each run is the real command in a fresh process (:mod:`benchmarks.memory_run`); nothing is turned
off in the measured path. Before the record store, a run held every record as objects (~1 KB a
record, ~4x the log's bytes) on top of the engine's own state.
"""

from __future__ import annotations

import pytest

from benchmarks import memory_run

pytestmark = pytest.mark.bench


def test_run_memory_grows_sub_linearly_in_the_length_of_the_log() -> None:
    g = memory_run.growth((500, 5_000), report=False)
    short, long = g["rows"]
    assert long["records"] > 9 * short["records"], g  # ten times the simulated time, ten times the log
    # Measured 0.37 for 1,000 h → 10,000 h (187 → 444 MiB, 32k → 323k records; 0.48 with the
    # records kept as objects): what still grows is the engine's own state per incident.
    assert g["exponent"] < 0.45, g


def test_scoring_a_run_adds_a_fraction_of_its_log_to_what_the_engine_holds() -> None:
    scenario = memory_run.mmc_scenario(5_000)
    run = memory_run.run_peak(scenario, report=False)
    engine = memory_run.engine_peak(scenario)
    # Records kept as objects would add ~4x the log's bytes (160k records, ~26 MiB of log: ~100 MiB).
    assert run["peak_mib"] - engine < 0.5 * run["log_mib"] + 25, (run, engine)

