"""Materials: depots, agreement reserves, requests, shipments and shortfalls.

Materials (物资保障): requests are filled from the nearest depots of the same province — physical
reserves first, then agreement reserves (shops, pharmacies) that arrive after their lead time —
then, when the scenario allows it, from other provinces' depots after approval (京津冀救灾物资协同
保障). What cannot be found is logged as a shortfall. Requests come from incidents known at the
dispatch level (per the scenario's needs), from coordination desks (logistics for registered
teams), from support requests and from injects or decisions.
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

from drillsim.flows.context import Context
from drillsim.geo import haversine_km
from drillsim.rng import make_sampler
from drillsim.scenario.model_materials import CrossBorder

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.incident import Incident
    from drillsim.agents.region import Region
    from drillsim.geo import Point


class MaterialsFlow:
    """Depot stock, requests, shipments and shortfalls."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        m = ctx.scenario.materials
        self.spec = m
        self.stock: dict[str, dict[str, float]] = {d: dict(s.stock) for d, s in m.depots.items()}
        self.agreed: dict[str, dict[str, float]] = {
            d: {i: a.quantity for i, a in s.agreements.items()} for d, s in m.depots.items()
        }
        self._dispatch = {
            d: make_sampler(s.dispatch, ctx.streams.get("depot", d, "dispatch")) for d, s in m.depots.items()
        }
        self._lead = {
            (d, i): make_sampler(a.lead_time, ctx.streams.get("depot", d, i, "lead"))
            for d, s in m.depots.items()
            for i, a in s.agreements.items()
        }
        approval = m.cross_border.approval if m.cross_border is not None else CrossBorder().approval
        self._approval = make_sampler(approval, ctx.streams.get("depot", "approval"))
        self.cross_border = m.cross_border is not None and m.cross_border.allowed
        self._n = 0
        # (target region, home province) -> depots of that province and the others, nearest first:
        # depots never move, and every request of an incident's region asks the same question
        self._nearest: dict[tuple[str, str], tuple[list[str], list[str]]] = {}

    def on_incident_known(self, inc: Incident) -> None:
        """An incident reached the dispatch level: request what the scenario's needs say it needs."""
        if not self.spec.needs or inc.materials_requested:
            return
        inc.materials_requested = True
        for need in self.spec.needs:
            if need.incident_kind is not None and need.incident_kind != inc.kind:
                continue
            qty = need.per_incident + need.per_person * inc.people
            if qty > 0:
                self.request(need.item, qty, inc.region.key, inc.region.key, inc.key)

    def request(
        self,
        item: str,
        quantity: float,
        for_region: str,
        requester: str,
        cause: str | None,
        province: str | None = None,
    ) -> str:
        """Request ``quantity`` of ``item`` for ``for_region``; returns the request id.

        Request ``quantity`` of ``item`` for ``for_region``; ``province`` restricts the suppliers
        (a support request names the supplying side). Returns the request id.
        """
        ctx = self.ctx
        self._n += 1
        rid = f"req-{self._n:04d}"
        t0 = ctx.env.now
        ctx.emit(
            "material.requested",
            requester,
            item,
            {"item": item, "quantity": round(quantity, 3), "for": for_region, "request": rid, "cause": cause},
        )
        target = ctx.model.regions[for_region]
        home = province or target.province.key
        depots = self._candidates(target, home, restricted=province is not None)
        left = quantity
        plan: list[tuple[str, float, str, bool]] = []
        for group in (False, True):  # own province first (physical, then agreement), then across the border
            for source in ("physical", "agreement"):
                pool = self.stock if source == "physical" else self.agreed
                for depot, foreign in depots:
                    if foreign != group or left <= 1e-9:
                        continue
                    have = pool[depot].get(item, 0.0)
                    take = min(have, left)
                    if take > 0:
                        pool[depot][item] = have - take
                        left -= take
                        plan.append((depot, take, source, foreign))
        if left > 1e-9:
            ctx.emit(
                "material.shortfall",
                requester,
                item,
                {
                    "item": item,
                    "quantity": round(quantity, 3),
                    "short": round(left, 3),
                    "for": for_region,
                    "request": rid,
                },
            )
        for depot, take, source, foreign in plan:
            ctx.env.process(self._ship(rid, depot, item, take, source, foreign, target, t0))
        return rid

    def take(self, item: str, quantity: float,
             for_region: str) -> tuple[str, Point | None, Region, float, float] | None:
        """Reserve up to ``quantity`` of ``item`` at the nearest depot that has it, for a team to fetch.

        Same order as :meth:`request`: the region's own province (physical reserve, then agreement
        reserves), then other provinces when the scenario allows. Returns ``(depot, where, its region,
        quantity taken, minutes before it can be collected)`` or None when no depot has any.
        """
        target = self.ctx.model.regions[for_region]
        depots = self._candidates(target, target.province.key, restricted=False)
        for group in (False, True):
            for source in ("physical", "agreement"):
                pool = self.stock if source == "physical" else self.agreed
                for depot, foreign in depots:
                    have = pool[depot].get(item, 0.0)
                    if foreign != group or have <= 1e-9:
                        continue
                    got = min(have, quantity)
                    pool[depot][item] = have - got
                    wait = self._dispatch[depot]()
                    if source == "agreement":
                        wait += self._lead[(depot, item)]()
                    if foreign and self._approval is not None:
                        wait += self._approval()
                    spec = self.spec.depots[depot]
                    region = self.ctx.model.regions[spec.region]
                    return depot, spec.location or region.location, region, got, wait
        return None

    def set_cross_border(self, allowed: bool, cause: str | None) -> None:
        """Let other provinces' depots supply requests (or stop them), from now on."""
        if allowed != self.cross_border:
            self.cross_border = allowed
            self.ctx.emit("material.rule", "control", "cross_border", {"allowed": allowed, "cause": cause})

    def _candidates(self, target: Region, home: str, restricted: bool) -> list[tuple[str, bool]]:
        """Depots that may serve ``target``: its province first, nearest first; others if allowed."""
        ranked = self._nearest.get((target.key, home))
        if ranked is None:
            regions = self.ctx.model.regions
            own: list[tuple[float, int, str]] = []
            other: list[tuple[float, int, str]] = []
            for i, (d, spec) in enumerate(self.spec.depots.items()):
                region = regions[spec.region]
                where = spec.location or region.location
                key = (haversine_km(where, target.location), i, d)
                (own if region.province.key == home else other).append(key)
            ranked = self._nearest[(target.key, home)] = ([d for _, _, d in sorted(own)],
                                                          [d for _, _, d in sorted(other)])
        out = [(d, False) for d in ranked[0]]
        if not restricted and self.cross_border:
            out += [(d, True) for d in ranked[1]]
        return out

    def _ship(
        self, rid: str, depot: str, item: str, qty: float, source: str, foreign: bool, target: Region, t0: float
    ) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        wait = self._dispatch[depot]()
        if source == "agreement":
            wait += self._lead[(depot, item)]()
        if foreign and self._approval is not None:
            wait += self._approval()
        if wait > 0:
            yield env.timeout(wait)
        spec = self.spec.depots[depot]
        region = ctx.model.regions[spec.region]
        origin = spec.location or region.location
        _, minutes = ctx.dispatcher.travel_minutes(origin, target.location, spec.speed, region, target)
        ctx.emit(
            "material.dispatched",
            depot,
            item,
            {
                "item": item,
                "quantity": round(qty, 3),
                "for": target.key,
                "request": rid,
                "source": source,
                "cross_border": foreign,
                "eta": round(env.now + minutes, 4),
            },
        )
        if minutes > 0:
            yield env.timeout(minutes)
        ctx.emit(
            "material.delivered",
            depot,
            item,
            {
                "item": item,
                "quantity": round(qty, 3),
                "for": target.key,
                "request": rid,
                "source": source,
                "fill_time": round(env.now - t0, 4),
            },
        )
