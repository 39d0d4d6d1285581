"""Which records a critical task looks at: the task's ``scope`` applied through the log's roster.

An empty scope field means "all". Regions match themselves and everything under them in the
region tree (``regions: [mentougou]`` covers incidents in its towns and villages); team ids match
their numbered copies (``mtg-fire`` covers ``mtg-fire-01`` …).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.scoring.view import LogView

SCOPE_FIELDS = (
    "agencies",
    "regions",
    "levels",
    "team_kinds",
    "teams",
    "incident_kinds",
    "injects",
    "decisions",
    "hazards",
    "task_kinds",
)


class ScopeFilter:
    """Predicates for one task's scope over one log."""

    def __init__(self, scope: Mapping[str, Any] | None, view: LogView) -> None:
        scope = scope or {}
        self.view = view
        self.fields: dict[str, frozenset[str]] = {
            name: frozenset(str(v) for v in (scope.get(name) or ())) for name in SCOPE_FIELDS
        }

    def used(self) -> list[str]:
        """Names of the non-empty scope fields."""
        return [name for name, values in self.fields.items() if values]

    def _in(self, name: str, value: Any) -> bool:
        values = self.fields[name]
        return not values or value in values

    def agency(self, agency: str | None) -> bool:
        """True if the agency is in scope."""
        return self._in("agencies", agency)

    def region(self, region: str | None) -> bool:
        """True if the region is in scope or lies under a region in scope."""
        values = self.fields["regions"]
        if not values:
            return True
        return any(r in values for r in self.view.ancestors(region))

    def level(self, level: str | None) -> bool:
        """True if the administrative level (village … nation) is in scope."""
        return self._in("levels", level)

    def team(self, team: str | None) -> bool:
        """True if the team (by id, scenario group or kind) is in scope."""
        teams = self.fields["teams"]
        if teams and team not in teams and self.view.team_group(team) not in teams:
            return False
        return self._in("team_kinds", self.view.team_kind(team))

    def teams_limited(self) -> bool:
        """True when the scope names teams or team kinds."""
        return bool(self.fields["teams"] or self.fields["team_kinds"])

    def incident(self, incident: str | None) -> bool:
        """True if the incident's kind and region are in scope."""
        occurred = self.view.incidents.get(incident) if incident else None
        data = occurred.data if occurred is not None else {}
        if self.fields["incident_kinds"] and data.get("kind") not in self.fields["incident_kinds"]:
            return False
        if self.fields["hazards"] and data.get("source") not in self.fields["hazards"]:
            return False
        return self.region(data.get("region"))

    def task_kind(self, kind: str | None) -> bool:
        """True if the task kind (rescue, work, evacuate, cordon …) is in scope."""
        return self._in("task_kinds", kind)

    def inject(self, inject: str | None) -> bool:
        """True if the inject is in scope."""
        return self._in("injects", inject)

    def decision(self, decision: str | None) -> bool:
        """True if the decision point is in scope."""
        return self._in("decisions", decision)

    def hazard(self, hazard: str | None) -> bool:
        """True if the hazard is in scope."""
        return self._in("hazards", hazard)

    def region_agencies(self, region: str | None) -> bool:
        """True when no agency is named, or a named agency sits in ``region``."""
        agencies = self.fields["agencies"]
        if not agencies:
            return True
        return any(self.view.agency_region(a) == region for a in agencies)
