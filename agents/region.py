"""Regions: the administrative tree reports climb, and what each office knows so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.agents.mesa_core import Agent, Model
from drillsim.geo import Point
from drillsim.scenario.model import FACTS, MAX_FACTS

if TYPE_CHECKING:
    from drillsim.agents.agency import Agency
    from drillsim.agents.reporter import ReporterPool
    from drillsim.scenario.model import AdminLevel
    from drillsim.scenario.model import Region as RegionSpec

FACT_NAMES = FACTS
_MAX = frozenset(MAX_FACTS)


class Region(Agent):
    """A village, township, county, city, province or the nation, with its office's knowledge.

    ``known`` holds the latest facts this region's office has received for each incident, and
    ``totals`` their sums (the largest value for magnitudes and warnings), kept incrementally so
    response rules test a dict lookup, not a scan.

    Attributes:
        lineage: This region's id and its ancestors' (zone and outage checks are set lookups).
        province: The province-level ancestor (or the root): the side of a border a region is on.
        last_news: When the office last learned of a new incident or of people trapped.
    """

    def __init__(self, model: Model, key: str, spec: RegionSpec, rank: int) -> None:
        super().__init__(model)
        self.key = key
        self.spec = spec
        self.level: AdminLevel = spec.level
        self.rank = rank
        self.parent: Region | None = None
        self.children: list[Region] = []
        self.neighbours: list[Region] = []
        self.location: Point | None = spec.location
        self.agencies: list[Agency] = []
        self.reporters: ReporterPool | None = None
        self.known: dict[str, dict[str, float]] = {}
        self._kinds: dict[str, str] = {}
        self._totals: dict[str, float] | None = None
        self._by_kind: dict[str, dict[str, float]] = {}
        self._peaks: dict[str, float] = {}  # largest magnitude/warning learned while untracked
        self._peaks_by_kind: dict[str, dict[str, float]] = {}
        self.lineage: frozenset[str] = frozenset((key,))
        self.province: Region = self
        self.last_news = 0.0

    @property
    def totals(self) -> dict[str, float]:
        """Sums of the latest facts over every incident this office knows (largest for magnitudes).

        Kept only for offices somebody asks about (a response rule, a trigger, a skip-level rule):
        the first read builds the sums from :attr:`known` (and the largest magnitude or warning
        seen so far), and from then on :meth:`learn` updates them by difference. Most offices on a
        long reporting chain are never asked, and skipping their sums is most of the cost of a
        reporting hop. The values are those of sums kept from the start (for non-integer facts, up
        to the last bit of floating-point rounding).
        """
        totals = self._totals
        if totals is None:
            totals = self._track()
        return totals

    @property
    def totals_by_kind(self) -> dict[str, dict[str, float]]:
        """:attr:`totals` per incident kind (``kind -> fact -> value``)."""
        if self._totals is None:
            self._track()
        return self._by_kind

    def _track(self) -> dict[str, float]:
        """Start keeping sums: add up what is known so far, in the order it was learned."""
        totals = dict.fromkeys(FACT_NAMES, 0.0)
        self._totals = totals
        kinds = self._kinds
        for incident, facts in self.known.items():
            self._add(facts, None, kinds[incident])
        # magnitudes and warnings keep the largest value ever learned, as if tracked from the start
        for name, value in self._peaks.items():
            if value > totals.get(name, 0.0):
                totals[name] = value
        for kind, peaks in self._peaks_by_kind.items():
            by_kind = self._by_kind.setdefault(kind, dict.fromkeys(FACT_NAMES, 0.0))
            for name, value in peaks.items():
                if value > by_kind.get(name, 0.0):
                    by_kind[name] = value
        return totals

    def learn(self, incident: str, kind: str, facts: dict[str, float]) -> None:
        """Record the latest facts about ``incident`` (and update the sums by the difference).

        Called at every hop of every report, so it only touches the facts that changed.
        """
        known = self.known
        old = known.get(incident)
        known[incident] = facts
        if old is None:
            self._kinds[incident] = kind
            self.last_news = self.model.clock()
        elif facts.get("trapped", 0.0) > old.get("trapped", 0.0):
            self.last_news = self.model.clock()
        if self._totals is not None:
            if facts is not old:
                self._add(facts, old, kind)
        elif not facts.keys().isdisjoint(_MAX):  # rare: a magnitude or a warning colour
            peaks = self._peaks_by_kind.setdefault(kind, {})
            for name, value in facts.items():
                if name in _MAX:
                    if value > self._peaks.get(name, 0.0):
                        self._peaks[name] = value
                    if value > peaks.get(name, 0.0):
                        peaks[name] = value

    def _add(self, facts: dict[str, float], old: dict[str, float] | None, kind: str) -> None:
        by_kind = self._by_kind.get(kind)
        if by_kind is None:
            by_kind = self._by_kind[kind] = dict.fromkeys(FACT_NAMES, 0.0)
        totals = self._totals
        assert totals is not None
        for name, value in facts.items():
            prev = old.get(name, 0.0) if old is not None else 0.0
            if value == prev:
                continue
            if name in _MAX:
                if value > totals.get(name, 0.0):
                    totals[name] = value
                if value > by_kind.get(name, 0.0):
                    by_kind[name] = value
                continue
            delta = value - prev
            totals[name] = totals.get(name, 0.0) + delta
            by_kind[name] = by_kind.get(name, 0.0) + delta
        if old is not None and not old.keys() <= facts.keys():  # a fact a report no longer states is 0 now
            for name, prev in old.items():  # (``stranded`` goes once everyone has walked out)
                if name not in facts and name not in _MAX and prev:
                    totals[name] = totals.get(name, 0.0) - prev
                    by_kind[name] = by_kind.get(name, 0.0) - prev

    def ancestors(self) -> list[Region]:
        """Parent, grandparent, … up to the root."""
        out: list[Region] = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out
