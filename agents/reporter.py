"""Reporter pools: grid workers / disaster information officers (网格员, 灾害信息员) of a region."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from drillsim.agents.mesa_core import Agent, Model
from drillsim.rng import draw_buffer

if TYPE_CHECKING:
    import numpy as np

    from drillsim.agents.region import Region
    from drillsim.scenario.model import ReporterPool as ReporterSpec


class ReporterPool(Agent):
    """Who notices an incident in a region, how fast, and how reliably.

    Each pool draws from its own streams, so a change in one region's staffing leaves every
    other region's detections exactly as they were.
    """

    def __init__(self, model: Model, region: Region, spec: ReporterSpec, delay: Callable[[], float],
                 fallback: Callable[[], float] | None, gen: np.random.Generator) -> None:
        super().__init__(model)
        self.key = region.key
        self.region = region
        self.count: int = spec.count
        self.probability: float = spec.probability if spec.count > 0 else 0.0
        self.delay = delay
        self.fallback = fallback
        self._gen = gen
        self._u: list[float] = draw_buffer(gen)  # emptied when a branch re-keys the streams

    def notices(self) -> bool:
        """One Bernoulli draw: does a reporter notice this incident?"""
        if self.probability >= 1.0:
            return True
        if self.probability <= 0.0:
            return False
        if not self._u:
            self._u.extend(self._gen.random(64).tolist())
        return self._u.pop() < self.probability
