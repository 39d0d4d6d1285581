"""JSON Schema of the scenario format, for editors (VS Code YAML, JetBrains) to complete and check."""

from __future__ import annotations

from typing import Any

from drillsim.scenario.model import Scenario
from drillsim.units import DURATION_HINT


def json_schema() -> dict[str, Any]:
    """The scenario JSON Schema (draft 2020-12).

    pydantic describes a fixed distribution as ``{fixed: value}``; authors mostly write the bare
    value (``delay: 30m``), so the export widens those definitions to accept either form.
    """
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://drillsim.example/schema/scenario-1.json"
    schema["title"] = "drillsim scenario (format 1)"
    defs = schema.get("$defs", {})
    for name, bare in (("DurationFixed", {"type": ["string", "number"], "description": DURATION_HINT}),
                       ("CountFixed", {"type": "number", "minimum": 0})):
        if name in defs:
            defs[name] = {"anyOf": [bare, defs[name]]}
    return schema
