"""The drillsim version, recorded in every event log header (replay checks it)."""

__version__ = "0.3.0"
