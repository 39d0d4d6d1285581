"""Replay: re-simulate a recorded exercise, verify it, branch it, sweep its continuations.

A run is fully determined by its scenario file (checked by sha256), seed, overrides, players and
the external inputs recorded as ``input.received`` records, so everything here works from the
event log alone plus the scenario file it names. Nothing in this package imports a UI or plotting
library. See docs/replay.md.
"""

from drillsim.replay.branch import BranchError, BranchResult, BranchSpec, plan_branch, run_branch
from drillsim.replay.source import ScenarioChanged, load_for_log
from drillsim.replay.verify import VerifyResult, verify_log

__all__ = ["BranchError", "BranchResult", "BranchSpec", "ScenarioChanged", "VerifyResult", "load_for_log",
           "plan_branch", "run_branch", "verify_log"]
