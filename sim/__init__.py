"""drillsim's engine: scenario format, simulation, event log. No UI and no plotting here.

Public API::

    from drillsim import load, Exercise, read_log
    loaded = load("rainstorm-2023-07", ["reporting.deadlines.county=30m"])
    Exercise(loaded, seed=1, log_path="runs/x/events.jsonl").run()
    log = read_log("runs/x/events.jsonl")
"""

from drillsim.version import __version__

__all__ = ["Exercise", "__version__", "load", "read_log"]


def __getattr__(name: str) -> object:
    # Lazy: `import sim` (and `drillsim --help`) must not import simpy, mesa or pydantic.
    if name == "load":
        from drillsim.scenario import load

        return load
    if name == "Exercise":
        from drillsim.engine import Exercise

        return Exercise
    if name == "read_log":
        from drillsim.log import read_log

        return read_log
    raise AttributeError(name)
