"""The one place drillsim touches simpy's clock directly, and why.

``Exercise.advance(until)`` must end with the clock *exactly* at ``until``: a replay applies each
recorded input at its logged time, so a clock one ulp short of it would make a console wait forever
for ``now >= until``, or apply the input at a time the log cannot write. simpy only moves the clock
by processing an event scheduled ``delay`` after ``now`` (``Environment.schedule``, ``run(until=)``),
and ``now + (until - now)`` can round to one ulp below ``until``. There is no public way to schedule at
an absolute time or to set the clock, so :func:`settle` writes simpy's clock attribute itself —
only forward, only by a rounding error, and only once every event at or before ``until`` has been
processed (nothing can happen in between). ``tests/test_simclock.py`` fails if a simpy release
stops keeping the clock in that attribute.
"""

from __future__ import annotations

import math

import simpy

CLOCK_ATTRIBUTE = "_now"
"""Where ``simpy.Environment`` keeps ``now`` (simpy 4: ``Environment.now`` returns ``self._now``)."""


def settle(env: simpy.Environment, until: float) -> None:
    """Set the clock to ``until``, which must be at most a rounding error ahead of ``env.now``.

    Raises:
        ValueError: ``until`` is behind the clock or more than a rounding error ahead of it (a caller
            that skipped events would corrupt the simulation).
    """
    now = env.now
    if until < now or until - now > 1e-9 * max(1.0, abs(until)) + 4 * math.ulp(until):
        raise ValueError(f"the clock at {now!r} cannot be settled to {until!r} (only forward by a rounding error)")
    setattr(env, CLOCK_ATTRIBUTE, until)
