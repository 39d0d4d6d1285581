"""The scenario format: load YAML into a validated, immutable :class:`Scenario`.

Public surface: :func:`load`, :func:`load_text`, :class:`Loaded`, :class:`Scenario`, :func:`json_schema`.
"""

from drillsim.scenario.load import Loaded, load, load_text, resolve
from drillsim.scenario.model import Scenario
from drillsim.scenario.schema_export import json_schema

__all__ = ["Loaded", "Scenario", "json_schema", "load", "load_text", "resolve"]
