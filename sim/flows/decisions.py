"""Decision points: the scenario's, and doctrine decisions of agencies whose role people play.

A decision opens (``decision.opened``). If its role is played by people, the exercise halts so a
console can ask them; their answer arrives as an external input, or the default applies when the
time limit (simulated minutes) passes. Otherwise doctrine decides after its delay. Either way
``decision.made`` records the option, who chose it and how long it took, and the option's effects
apply at that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator as Gen
from dataclasses import dataclass
from typing import cast

import simpy

from drillsim.flows import effects
from drillsim.flows.context import Context
from drillsim.rng import make_sampler


@dataclass
class Pending:
    """A decision waiting for the players."""

    id: str
    role: str
    prompt: dict[str, str]
    options: dict[str, dict[str, str]]
    default: str
    opened: float
    deadline: float
    event: simpy.Event


class DecisionFlow:
    """Opens decisions, waits for players or doctrine, records and applies the choice."""

    def __init__(self, ctx: Context, players: set[str], halt: Callable[[], None]) -> None:
        self.ctx = ctx
        self.players = set(players)
        self.pending: dict[str, Pending] = {}
        self._halt = halt
        self.schedule = sorted(((d.at, key) for key, d in ctx.scenario.decisions.items()), key=lambda x: x[0])
        self._opened: list[str] = []

    def start(self) -> None:
        """Start one process per scenario decision point."""
        for at, key in self.schedule:
            self.ctx.env.process(self._scenario_decision(key, at))

    def is_played(self, agency: str) -> bool:
        """True when people play ``agency`` (its doctrine decisions are asked, not automatic)."""
        return agency in self.players

    def next_time(self) -> float | None:
        """When the next scenario decision opens (for "run to next decision")."""
        now = self.ctx.env.now
        opened = set(self._opened)
        return next((at for at, key in self.schedule if key not in opened and at >= now), None)

    def _scenario_decision(self, key: str, at: float) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        d = self.ctx.scenario.decisions[key]
        if at > env.now:
            yield env.timeout(at - env.now)
        self._opened.append(key)
        delay = make_sampler(d.doctrine_delay, self.ctx.streams.get("decision", key, "doctrine"))
        option = yield from self._ask(
            d.role, key, d.prompt.as_dict(), {oid: o.label.as_dict() for oid, o in d.options.items()},
            d.default, d.time_limit, d.doctrine or d.default, delay, list(d.objectives))
        effects.apply(self.ctx, d.options[option].effects, key)

    def ask_doctrine(self, role: str, key: str, *, prompt: dict[str, str], options: dict[str, dict[str, str]],
                     default: str, time_limit: float) -> Gen[simpy.Event, object, str]:
        """Ask the players of ``role`` a doctrine decision (used only when the role is played)."""
        self._opened.append(key)
        return (yield from self._ask(role, key, prompt, options, default, time_limit, default, lambda: 0.0, []))

    def _ask(self, role: str, key: str, prompt: dict[str, str], options: dict[str, dict[str, str]],
             default: str, time_limit: float, doctrine: str, doctrine_delay: Callable[[], float],
             objectives: list[str]) -> Gen[simpy.Event, object, str]:
        ctx = self.ctx
        env = ctx.env
        opened = env.now
        played = role in self.players
        ctx.emit("decision.opened", role, key, {
            "prompt": prompt, "options": options, "default": default, "time_limit": time_limit,
            "deadline": round(opened + time_limit, 4), "asked": "players" if played else "doctrine",
            "objectives": objectives})
        if played:
            ev = env.event()
            self.pending[key] = Pending(key, role, prompt, options, default, opened, opened + time_limit, ev)
            self._halt()
            yield ev | env.timeout(time_limit)
            self.pending.pop(key, None)
            if ev.triggered:
                option, by = cast(str, ev.value), "players"
            else:
                option, by = default, "default"
        else:
            wait = doctrine_delay()
            if wait > 0:
                yield env.timeout(wait)
            option, by = doctrine, "doctrine"
        ctx.emit("decision.made", role, key, {"option": option, "by": by, "delay": round(env.now - opened, 4),
                                              "label": options.get(option, {})})
        return option

    def choose(self, key: str, option: str) -> None:
        """Record a player's choice for a pending decision (takes effect in the same instant)."""
        pend = self.pending.get(key)
        if pend is None:
            raise ValueError(f"decision {key!r} is not waiting for an answer")
        if option not in pend.options:
            raise ValueError(f"{option!r} is not an option of {key!r} ({', '.join(pend.options)})")
        pend.event.succeed(option)
        del self.pending[key]
