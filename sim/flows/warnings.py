"""Warnings and the knowledge they spread.

Warnings (预警): an agency warns a region; the region, every office under it and the issuer's
own office learn the colour as the fact ``warning`` (blue 1 … red 4), so response rules such as
"Level I on a red rainstorm warning" see it, and neighbouring command centres are told.
"""

from __future__ import annotations

from drillsim.flows.context import Context
from drillsim.scenario.model_actions import WARNING_RANK


class WarningsFlow:
    """Issues warnings and spreads them as knowledge."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.issued: dict[tuple[str, str], int] = {}

    def issue(
        self,
        agency: str,
        region: str,
        level: str,
        hazard: str,
        text: dict[str, str] | None,
        cause: str | None,
    ) -> bool:
        """Issue a warning unless one at least as severe is already in force; returns True if issued."""
        rank = WARNING_RANK[level]
        key = (hazard, region)
        if self.issued.get(key, 0) >= rank:
            return False
        self.issued[key] = rank
        ctx = self.ctx
        ctx.emit(
            "hazard.warning", agency, hazard, {"level": level, "region": region, "text": text, "cause": cause}
        )
        model = ctx.model
        target = model.regions[region]
        learners = [r for r in model.regions.values() if region in r.lineage]
        issuer = model.agencies[agency].region
        if issuer not in learners:
            learners.append(issuer)
        pseudo = f"warning-{hazard}-{region}"
        for r in learners:
            r.learn(pseudo, "warning", {"warning": float(rank)})
            if r.agencies:
                ctx.activation.on_knowledge(r)
        ctx.border.share("warning", agency, {"level": level, "region": target.key, "hazard": hazard})
        return True
