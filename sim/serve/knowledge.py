"""What a seat may see: the records its roles would know through the reporting chain, derived from the records.

Observers, evaluators and controllers see every record. A player seat plays one or more agencies;
each agency sits at its region's office. From the log alone, the seat knows:

* its **own** things: its agencies, their offices (regions), the **area** below those offices and
  the **teams** based in that area (plus support teams that arrive for its agencies);
* an **incident** once it reached one of its offices: detected there, a report received there, a
  whistle called to one of its agencies, or one of its own teams sent to it. The incident's
  ``incident.occurred`` record is held back until then and released at that moment; what happens
  to it afterwards reaches the seat through reports (its closure with the final report 核报, or at
  once when its own team did the rescue);
* **injects** addressed to its agencies or teams (or everyone), **decisions** of its roles, its own
  inputs and messages;
* **response levels** of agencies in its line (its offices, the regions above them and below
  them): a superior's declaration is sent down, a subordinate's reported up;
* **hazard observations** in its area (rivers, fire spread, floods cleared, communications and
  roads), warnings issued for its line, earthquakes (published at once by the network) and the
  declaration that an earthquake's search is complete (announced to everyone);
* anything else that names one of its agencies, offices or teams as actor, subject, recipient or
  region.

Everything else is not sent: another province's incidents, injects for other agencies, the MSEL's
future, other roles' decisions, scoring. :meth:`Knowledge.header` gives the seat's view of the log
header (no scenario injects, decisions, doctrine or scoring tasks, only its own teams).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.log import Row

ALWAYS = frozenset({"exercise.started", "exercise.ended", "quake.occurred", "quake.aftershock",
                    "quake.search_ended"})
INCIDENT_TEAM_KINDS = frozenset({"team.dispatched", "team.on_scene", "rescue.started", "rescue.completed",
                                 "team.mishap", "team.progress"})
AREA_SUBJECT_KINDS = frozenset({"comms.lost", "comms.restored", "road.cut", "road.restored", "flood.cleared",
                                "fire.crossed"})
AREA_ACTOR_KINDS = frozenset({"hazard.river"})
HEADER_KEYS = ("format", "drillsim", "scenario", "seed", "start", "duration", "hazard", "players", "seats")
DEFINITION_KEYS = ("id", "version", "title", "description", "start", "duration", "hazard", "regions", "agencies")


class Knowledge:
    """Decides, record by record in log order, what one seat learns (see the module docstring).

    Args:
        header: The log header's data (roster and definition).
        roles: The seat's agencies.
        seat: The seat's id (its own inputs and messages are shown to it).
        everything: See every record (observers, evaluators, controllers).
    """

    def __init__(self, header: Mapping[str, Any], roles: tuple[str, ...], seat: str, *, everything: bool) -> None:
        self.everything = everything
        self.seat = seat
        self._header = header
        roster = header.get("roster") or {}
        regions: Mapping[str, Any] = roster.get("regions") or {}
        agencies: Mapping[str, Any] = roster.get("agencies") or {}
        self.agencies = frozenset(roles)
        self.offices: frozenset[str] = frozenset(
            str(region) for a in roles if (region := (agencies.get(a) or {}).get("region")) is not None)
        children: dict[str, list[str]] = {}
        for key, region in regions.items():
            parent = (region or {}).get("parent")
            if parent is not None:
                children.setdefault(parent, []).append(key)
        area: set[str] = set()
        todo = list(self.offices)
        while todo:
            here = todo.pop()
            if here not in area:
                area.add(here)
                todo.extend(children.get(here, ()))
        above: set[str] = set()
        for office in self.offices:
            node = (regions.get(office) or {}).get("parent")
            while node is not None and node not in above:
                above.add(node)
                node = (regions.get(node) or {}).get("parent")
        self.area = frozenset(area)
        self.line = frozenset(area | above)
        self.line_agencies = frozenset(a for a, spec in agencies.items() if (spec or {}).get("region") in self.line)
        self.teams: set[str] = {t for t, spec in (roster.get("teams") or {}).items()
                                if (spec or {}).get("base") in self.area}
        self.known: set[str] = set()
        self._held: dict[str, Row] = {}
        self._closing: dict[str, Row] = {}
        self._own = self.agencies | self.offices

    # -- the seat's header --------------------------------------------------------------------------

    def header(self) -> dict[str, Any]:
        """The log header as the seat may see it (all of it for seats that see everything)."""
        h = self._header
        if self.everything:
            return dict(h)
        roster = h.get("roster") or {}
        definition = h.get("definition") or {}
        teams = {k: v for k, v in (roster.get("teams") or {}).items() if k in self.teams}
        groups = {v.get("group") for v in teams.values()}
        mine = {k: v for k, v in (definition.get("teams") or {}).items() if k in groups}
        out = {k: h[k] for k in HEADER_KEYS if k in h}
        out["roster"] = {"regions": roster.get("regions") or {}, "agencies": roster.get("agencies") or {},
                         "teams": teams}
        defn = {k: definition[k] for k in DEFINITION_KEYS if k in definition}
        defn["teams"] = mine
        # which agencies hold a response level (public); not the rules behind them
        defn["response"] = {k: {} for k in (definition.get("response") or {})}
        out["definition"] = defn
        return out

    # -- records ----------------------------------------------------------------------------------------

    def feed(self, rec: Row) -> list[Row]:
        """The records the seat learns from ``rec`` (usually ``[rec]`` or ``[]``; a held record may come first)."""
        if self.everything:
            return [] if rec[2] == "log.header" else [rec]
        kind = rec[2]
        if kind == "incident.occurred":
            subject = rec[4]
            if subject is None:
                return []
            if subject in self.known:
                return [rec]
            self._held[subject] = rec
            return []
        out: list[Row] = []
        if self._visible(rec, out):
            out.append(rec)
        return out

    def _learn(self, incident: str | None, out: list[Row]) -> None:
        """The incident reached the seat: release what was held about it (before the record that told it)."""
        if incident is None or incident in self.known:
            return
        self.known.add(incident)
        held = self._held.pop(incident, None)
        if held is not None:
            out.append(held)

    def _visible(self, rec: Row, out: list[Row]) -> bool:
        _t, _seq, kind, actor, subject, data = rec
        if kind in ALWAYS:
            return True
        own, teams = self._own, self.teams
        if kind == "report.received":
            if actor in self.offices:
                self._learn(subject, out)
                if data.get("type") == "final" and subject is not None and subject in self._closing:
                    out.append(self._closing.pop(subject))
                return True
            return False
        if kind in ("incident.detected", "incident.missed", "rescue.queued"):
            if actor in self.offices:
                if kind != "incident.missed":
                    self._learn(subject, out)
                return True
            return False
        if kind in INCIDENT_TEAM_KINDS:
            if actor in teams:
                self._learn(subject, out)
                return True
            return False
        if kind == "incident.closed":
            if subject not in self.known:
                return False
            if actor in self.offices or data.get("team") in teams:
                return True
            self._closing[str(subject)] = rec  # it reaches the seat with the final report (核报)
            return False
        if kind == "incident.unresolved":
            return subject in self.known
        if kind == "whistle.called":
            departments = data.get("departments") or ()
            if actor in self.offices or any(d in self.agencies for d in departments):
                self._learn(subject, out)
                return True
            return False
        if kind == "inject.delivered":
            to = data.get("to") or ()
            return any(x in self.agencies or x in teams or x == "all" for x in to)
        if kind in ("inject.skipped", "note.added"):
            return False
        if kind == "report.sent":
            return actor in self.offices
        if kind in ("decision.opened", "decision.made"):
            return actor in self.agencies
        if kind in ("input.received", "message.sent"):
            return actor == self.seat
        if kind == "level.changed":
            return subject in self.line_agencies
        if kind == "response.triggered":
            return actor in self.line_agencies
        if kind == "role.changed":
            return subject in self.agencies
        if kind in AREA_SUBJECT_KINDS:
            return subject in self.area or actor in self.area
        if kind in AREA_ACTOR_KINDS:
            return actor in self.area
        if kind in ("fire.state", "fire.crown"):
            return subject in self.area or any(r in self.area for r in (data.get("regions") or {}))
        if kind == "hazard.warning":
            return data.get("region") in self.line
        if kind == "team.tasked" and subject in teams:
            self._learn(data.get("incident"), out)
            return True
        if kind == "team.activated":
            return subject in teams or actor in self.agencies
        if kind == "border.support_arrived" and subject in self.agencies:
            teams.update(t for t in data.get("teams") or () if isinstance(t, str))
            return True
        if actor in own or subject in own or actor in teams or subject in teams:
            return True
        to = data.get("to")
        if isinstance(to, str):
            to = (to,)
        if isinstance(to, list | tuple) and any(x in own or x in teams for x in to):
            return True
        return any(data.get(k) in own for k in ("region", "agency", "for"))
