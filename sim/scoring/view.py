"""A read-only index of an event log up to a moment: what scoring and reports look things up in.

Built once per scoring call from the header and the records (``Record`` named tuples, the plain
tuples the engine keeps in memory, or a :class:`~drillsim.logstore.RecordStore` whose compressed
kinds it reads in place). It never touches engine state: names, the region tree, team
kinds and the scenario's objectives all come from the header (roster and ``definition``), so a log
file is scored the same way on any machine, long after the run.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from drillsim.levels import admin_rank
from drillsim.log import END_KIND, HEADER_KIND, Record
from drillsim.logstore import RecordStore
from drillsim.scoring.text import Text, incident_label
from drillsim.text import both


class LogView:
    """Records up to ``until`` (all when None), grouped by kind, with the header's lookups.

    Attributes:
        header: The header's data (roster, definition, start, seed, ...).
        records: Records with ``t <= until``, in log order.
        horizon: The time scored to: ``until``, else the end of the exercise, else the last record.
        final: True when the exercise had ended by the horizon (no more records will come).
    """

    def __init__(
        self, header: dict[str, Any], records: Iterable[Sequence[Any]] | RecordStore, until: float | None = None
    ) -> None:
        self.header = header
        self._store: RecordStore | None = None
        if isinstance(records, RecordStore) and (until is None or records.final is None or records.final.t <= until):
            # The compact path (``run``, ``report``, and a live console scoring "so far", whose cut is
            # at or after its last record): read the store's kinds in place, decoding as metrics walk
            # them; nothing is copied (docs/design.md, "Memory").
            self._store = records
            self.records: Sequence[Record] = records.records()
            final = records.final
            self.final = final is not None and final.kind == END_KIND
            if until is not None:
                self.horizon = float(until)
            else:
                self.horizon = float(final.t) if final is not None else 0.0
            self.by_kind: dict[str, Sequence[Record]] = {k: records.kind(k) for k in records.kinds()}
            self._seqs: list[int] = []
        else:
            recs: list[Record] = []
            for r in records:
                rec = r if isinstance(r, Record) else Record(*r)
                if rec.kind == HEADER_KIND:
                    continue
                if until is not None and rec.t > until:
                    break
                recs.append(rec)
            self.records = recs
            self._seqs = [r.seq for r in recs]
            grouped: dict[str, list[Record]] = {}
            for rec in recs:
                grouped.setdefault(rec.kind, []).append(rec)
            self.by_kind = dict(grouped)
            ended = grouped.get(END_KIND)
            self.final = bool(ended)
            if until is not None:
                self.horizon = float(until)
            elif ended:
                self.horizon = float(ended[-1].t)
            else:
                self.horizon = float(recs[-1].t) if recs else 0.0
        roster = header.get("roster") or {}
        self.regions: dict[str, dict[str, Any]] = roster.get("regions") or {}
        self.agencies: dict[str, dict[str, Any]] = roster.get("agencies") or {}
        self.teams: dict[str, dict[str, Any]] = roster.get("teams") or {}
        self.definition: dict[str, Any] = header.get("definition") or {}
        self._defined: dict[str, Text] | None = None
        self._incidents: dict[str | None, Record] | None = None
        self._names: dict[str | None, Text] = {}
        self._memo: dict[str, Any] = {}

    @property
    def incidents(self) -> dict[str | None, Record]:
        """``incident.occurred`` by incident id (looked up by records' subjects); built on first use."""
        if self._incidents is None:
            self._incidents = {r.subject: r for r in self.kind("incident.occurred") if r.subject is not None}
        return self._incidents

    # -- records -------------------------------------------------------------------------------

    def kind(self, *kinds: str) -> Sequence[Record]:
        """Records of the given kinds, in log order (from a store: a lazy sequence, walked block by block)."""
        if self._store is not None:
            return self._store.kind(*kinds)
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        out = [r for k in kinds for r in self.by_kind.get(k, [])]
        out.sort(key=lambda r: r.seq)
        return out

    def after(self, seq: int) -> Iterator[Record]:
        """Records after ``seq``, in log order."""
        if self._store is not None:
            return self._store.records().after(seq)
        pos = bisect_right(self._seqs, seq)
        return (self.records[i] for i in range(pos, len(self.records)))

    @property
    def start(self) -> datetime | None:
        """The scenario's start as a date-time (from the header)."""
        text = self.header.get("start")
        try:
            return datetime.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            return None

    def wall(self, t: float) -> datetime | None:
        """Wall-clock time of a simulated minute."""
        start = self.start
        return start + timedelta(minutes=t) if start is not None else None

    # -- names ---------------------------------------------------------------------------------

    def name(self, key: str | None) -> Text:
        """A person-readable name for a region, agency, team, incident, inject or decision id.

        Kept per key (the header and the records do not change under a view): a metric names the
        same region or incident in thousands of evidence lines. The dict returned is shared: read it.
        """
        named = self._names.get(key)
        if named is None:
            named = self._names[key] = self._name(key)
        return named

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per view: what several metrics derive alike (e.g. requests matched to deliveries).

        Why: each metric walks the records it needs again (and, on a stored log, decodes them
        again); two metrics of the same family share the walk this way. The value is shared: read it.
        Scoring forgets it after each objective (:meth:`forget`), so what it holds (decoded records)
        is not kept through the whole scorecard.
        """
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def forget(self) -> None:
        """Drop what :meth:`memo` keeps."""
        self._memo.clear()

    def _name(self, key: str | None) -> Text:
        if key is None:
            return {"en": "—", "zh": "—"}
        for pool in (self.agencies, self.regions, self.teams):
            entry = pool.get(key)
            if entry and isinstance(entry.get("name"), dict):
                name = dict(entry["name"])
                if pool is self.teams and entry.get("group") != key:
                    suffix = (
                        key[len(entry.get("group", "")) :] if key.startswith(str(entry.get("group"))) else ""
                    )
                    name = {lang: f"{v}{suffix}" for lang, v in name.items()}
                return _both(name, key)
        named = self._defined_name(key)
        if named is not None:
            return named
        inc = self.incidents.get(key)
        if inc is not None:
            data = inc.data
            named = _both(data["name"], key) if isinstance(data.get("name"), dict) else None
            return incident_label(key, named, self.name(data.get("region")))
        return {"en": key, "zh": key}

    def _defined_name(self, key: str) -> Text | None:
        """Names of rivers, fires, desks, storage areas, depots, items and scripted incidents (not in the roster)."""
        if self._defined is None:
            self._defined = defined_names(self.definition)
        return self._defined.get(key)

    # -- region tree ---------------------------------------------------------------------------

    def parent(self, region: str | None) -> str | None:
        """The parent region id (None at the top or when unknown)."""
        entry = self.regions.get(region) if region else None
        return entry.get("parent") if entry else None

    def ancestors(self, region: str | None) -> list[str]:
        """The region and every region above it, bottom-up."""
        out: list[str] = []
        while region is not None and region not in out and len(out) < 16:
            out.append(region)
            region = self.parent(region)
        return out

    def region_level(self, region: str | None) -> str | None:
        """Administrative level (village … nation) of a region."""
        entry = self.regions.get(region) if region else None
        return entry.get("level") if entry else None

    def agency_region(self, agency: str | None) -> str | None:
        """The region an agency sits in."""
        entry = self.agencies.get(agency) if agency else None
        return entry.get("region") if entry else None

    def location(self, region: str | None) -> tuple[float, float] | None:
        """A region's [lon, lat], or its nearest ancestor's."""
        for rid in self.ancestors(region):
            loc = self.regions.get(rid, {}).get("location")
            if loc:
                return float(loc[0]), float(loc[1])
        return None

    # -- teams ---------------------------------------------------------------------------------

    def team_group(self, team: str | None) -> str | None:
        """The scenario team id a numbered team copy belongs to (``mtg-fire-02`` → ``mtg-fire``)."""
        entry = self.teams.get(team) if team else None
        return entry.get("group", team) if entry else team

    def team_kind(self, team: str | None) -> str | None:
        """A team's kind (fire_rescue, social, …)."""
        entry = self.teams.get(team) if team else None
        return entry.get("kind") if entry else None

    def team_on_duty_at_start(self, team: str) -> bool:
        """True unless the scenario says the team waits for activation (``on_duty: false``)."""
        spec = (self.definition.get("teams") or {}).get(self.team_group(team) or team) or {}
        return bool(spec.get("on_duty", True))

    # -- scenario ------------------------------------------------------------------------------

    def inject_spec(self, key: str | None) -> dict[str, Any]:
        """The scenario's definition of an inject (or {} for an ad-hoc one without a template)."""
        injects = self.definition.get("injects") or {}
        return injects.get(key) or {} if key else {}


NAMED_SECTIONS: tuple[tuple[str, ...], ...] = (
    ("hazards", "rivers"), ("hazards", "fires"), ("hazards", "quakes"), ("hazards", "series"),
    ("hazards", "series", "*", "stations"), ("hazards", "series", "*", "thresholds"), ("coordination", "desks"),
    ("storage_areas",), ("shelters",), ("materials", "items"), ("materials", "depots"), ("incidents",),
)
"""Where a scenario names things outside the roster (its regions, agencies and teams); ``*`` is every item."""


def defined_names(definition: Mapping[str, Any]) -> dict[str, Text]:
    """Id → ``{en, zh}`` name of every named thing of the scenario beyond the roster (:data:`NAMED_SECTIONS`).

    Rivers, fires, quakes, series hazards with their stations and thresholds, desks, storage areas,
    shelters, items, depots and scripted incidents.

    The console and the reports show these names wherever a record gives the id (a river's flow, a
    desk's call, a depot's stock), so no reader meets ``zz-desk`` or ``lugouqiao``.
    """
    out: dict[str, Text] = {}
    for path in NAMED_SECTIONS:
        sections: list[Any] = [definition]
        for part in path:
            if part == "*":
                sections = [item for section in sections for item in section.values()]
            else:
                sections = [section.get(part) if isinstance(section, Mapping) else None for section in sections]
            sections = [section for section in sections if isinstance(section, Mapping)]
        for section in sections:
            for key, item in section.items():
                name = item.get("name") if isinstance(item, Mapping) else None
                if isinstance(name, Mapping | str) and name:
                    out.setdefault(str(key), both(name, str(key)))
    return out


def level_holders(header: Mapping[str, Any]) -> list[str]:
    """Agencies that hold a response level (response rules or an initial level), highest administrative level first.

    These are the agencies whose level a header, a curve or a figure shows first; ties keep roster order.
    """
    roster = header.get("roster") or {}
    agencies = roster.get("agencies") or {}
    regions = roster.get("regions") or {}
    definition = header.get("definition") or {}
    response = definition.get("response") or {}
    specs = definition.get("agencies") or {}
    holders = [k for k in agencies if k in response or (specs.get(k) or {}).get("initial_level")]
    order = {k: i for i, k in enumerate(agencies)}

    def rank(key: str) -> int:
        return admin_rank((regions.get((agencies.get(key) or {}).get("region")) or {}).get("level"))

    return sorted(holders, key=lambda k: (-rank(k), order[k]))


def _both(name: dict[str, str], key: str) -> Text:
    return both(name, key)
