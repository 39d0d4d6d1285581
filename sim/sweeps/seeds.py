"""Seeds for every run of a sweep, derived by key from one root seed (DESIGN §6).

``SeedSequence.spawn()`` is stateful (its counter travels with the object and survives pickling),
so the order in which runs are created, batched or retried could change their seeds. Here a run's
seed is a pure function of ``(root, point, replicate)``: ``SeedSequence(root, spawn_key=(SWEEP,
point, replicate))`` condensed to one 63-bit integer. That integer is what ``drillsim run --seed``
takes, so any single run of a sweep can be reproduced on its own.

With common random numbers (``crn``) the point is left out of the key: every point's replicate
*r* gets the same seed, and because the engine keys its random streams by entity and purpose
(``drillsim.rng.Streams``), the same incidents, delays and work times are drawn at every point wherever
the parameters do not change them. Differences between points then reflect the parameters, not
the luck of the draw.
"""

from __future__ import annotations

import numpy as np

from drillsim.rng import key_int

SWEEP = key_int("sweep")
DESIGN = key_int("design")


def run_seed(root: int, point: int, replicate: int, *, crn: bool = False) -> int:
    """The engine seed of one run (a non-negative 63-bit integer)."""
    key = (SWEEP, replicate) if crn else (SWEEP, point, replicate)
    state = np.random.SeedSequence(int(root), spawn_key=key).generate_state(1, np.uint64)
    return int(state[0]) >> 1


def design_rng(root: int, design: str) -> np.random.Generator:
    """The generator a sampling design (LHS, Sobol scrambling) draws from."""
    ss = np.random.SeedSequence(int(root), spawn_key=(DESIGN, key_int(design)))
    return np.random.Generator(np.random.PCG64(ss))
