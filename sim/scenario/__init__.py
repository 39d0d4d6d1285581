"""The scenario format: load YAML into a validated, immutable :class:`Scenario`.

Public surface: :func:`load`, :func:`load_text`, :class:`Loaded`, :class:`Scenario`, :func:`json_schema`.
"""

from sim.scenario.load import Loaded, load, load_text, resolve
from sim.scenario.model import Scenario
from sim.scenario.schema_export import json_schema

__all__ = ["Loaded", "Scenario", "json_schema", "load", "load_text", "resolve"]
