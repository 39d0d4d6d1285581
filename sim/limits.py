"""Every bound drillsim puts on what it reads, writes or generates, in one place (docs/limits.md).

A limit is a promise in both directions: whatever a run writes, every reader accepts, and whatever
a reader refuses, no run could have written. So the scenario loader, the engine, the log writer,
the log reader and the sweeps take their numbers from here, and the documentation quotes them.
"""

from __future__ import annotations

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
"""Whole numbers a log, a sweep's results table and a seed can hold: 64-bit signed integers (what
orjson writes, pyarrow stores as ``int64`` and most JSON readers keep exact)."""

SEED_MAX = INT_MAX
"""Largest root seed (``--seed``, a scenario's ``seed:``, a branch's ``--continuation``)."""

MAX_LOG_BYTES = 4 * 2**30
"""Largest event log a reader opens (a 100,000-incident run writes about 1.1 GiB)."""

MAX_HEADER_BYTES = 64 * 2**20
"""Largest header line: the validated scenario as JSON plus the roster (a scenario file is at most
16 MiB, and at most 500,000 nodes once its aliases are expanded)."""

MAX_RECORD_BYTES = 2**20
"""Largest record line. The engine's largest records (an earthquake's damage by region, the final
levels of every agency) stay far below it."""

MAX_DEPTH = 100
"""Deepest nesting of objects and lists in a header or record (a scenario nests at most 64 levels;
records nest at most a few)."""

MAX_MINUTES = 100 * 366 * 24 * 60
"""Longest span of simulated time a log may hold, in minutes (100 years): a duration, and every time
and delay a record gives (an arrival, a deadline), so that each is a date a reader can show."""

MAX_TEXT = 10_000
"""Longest text a person types into a running exercise (a note, an ad-hoc inject's title or message),
in characters."""

MAX_MESSAGE = 2000
"""Longest message a seat sends to control (``drillsim serve``; a ``message`` input), in characters."""

MAX_OBJECTIVES = 200
"""Most objectives in a scenario or log header (exercises have a handful; scoring and the reports do
work for each)."""

MAX_INCIDENTS = 100_000
"""Most incidents one run may generate (scripted, generated, spawned and hazard incidents together)."""

MAX_PEOPLE = 1_000_000
"""Most people at risk in one incident (the engine draws each person's fate)."""

MAX_RECORDS = 5_000_000
"""Most records in one run's log (a 100,000-incident run writes about 3.4 million)."""

MAX_SWEEP_RUNS = 1_000_000
"""Most runs in one sweep (points x replicates), refused before any point is laid out."""
