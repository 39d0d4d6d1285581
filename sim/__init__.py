"""drillsim: tabletop-exercise and drill simulation for emergency management (桌面推演).

The public API, in the order data flows::

    from drillsim import load, Exercise, read_log, score_log, sweep
    loaded = load("rainstorm-2023-07", ["reporting.deadlines.county=30m"])   # scenario
    Exercise(loaded, seed=1, log_path="runs/x/events.jsonl").run()            # engine → event log
    log = read_log("runs/x/events.jsonl")                                     # the log, checked
    card = score_log(log)                                                     # HSEEP P/S/M/U
    df = sweep("mentougou-flash-flood", {"county-deadline": ("30m", "2h")})   # a parameter sweep

Everything here is imported on first use: ``import drillsim`` (and ``drillsim --help``) must not
import simpy, mesa, pydantic or pandas. Type checkers and editors see the real objects through the
``TYPE_CHECKING`` imports below; at run time :func:`__getattr__` imports the same names from the
same modules (:data:`_WHERE` is checked against them by ``tests/test_public_api.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from drillsim.version import __version__

if TYPE_CHECKING:
    from drillsim.engine import Exercise, InputRefused, Summary
    from drillsim.errors import InputError, Problem
    from drillsim.log import LogData, LogError, read_log
    from drillsim.replay.verify import VerifyResult, verify_log
    from drillsim.scenario.load import Loaded, load, load_text
    from drillsim.scenario.model import Scenario
    from drillsim.scoring import Scorecard, score, score_log
    from drillsim.sweeps.api import sweep

_WHERE: dict[str, str] = {
    "load": "drillsim.scenario.load",
    "load_text": "drillsim.scenario.load",
    "Loaded": "drillsim.scenario.load",
    "Scenario": "drillsim.scenario.model",
    "Exercise": "drillsim.engine",
    "InputRefused": "drillsim.engine",
    "Summary": "drillsim.engine",
    "read_log": "drillsim.log",
    "LogData": "drillsim.log",
    "LogError": "drillsim.log",
    "score": "drillsim.scoring",
    "score_log": "drillsim.scoring",
    "Scorecard": "drillsim.scoring",
    "verify_log": "drillsim.replay.verify",
    "VerifyResult": "drillsim.replay.verify",
    "sweep": "drillsim.sweeps.api",
    "InputError": "drillsim.errors",
    "Problem": "drillsim.errors",
}
"""Public name → the module that defines it."""

__all__ = [
    "Exercise",
    "InputError",
    "InputRefused",
    "Loaded",
    "LogData",
    "LogError",
    "Problem",
    "Scenario",
    "Scorecard",
    "Summary",
    "VerifyResult",
    "__version__",
    "load",
    "load_text",
    "read_log",
    "score",
    "score_log",
    "sweep",
    "verify_log",
]


def __getattr__(name: str) -> object:
    """Import a public name on first use (see the module docstring)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'drillsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
