"""The Master Scenario Events List.

The Master Scenario Events List: injects delivered on time, on a state trigger, as a contingency,
chained, or ad hoc by a facilitator.

A state-driven inject (``when:``) is delivered once its trigger holds ("when the 卢沟桥 flow passes
4,000 m³/s", "when any team capsizes"). A contingency inject (``contingency: {unless, window}``)
opens a window at its time or trigger and is delivered only if the expected action has not shown
up in the log by the end of the window; otherwise ``inject.skipped`` records why it was not needed.
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from functools import partial
from typing import TYPE_CHECKING, Any

from drillsim.flows import effects
from drillsim.flows.context import Context

if TYPE_CHECKING:
    import simpy

    from drillsim.scenario.model import Inject


class MselFlow:
    """Delivers scheduled injects and logs ``inject.delivered`` with everything a reader needs."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.schedule = sorted(((inj.at + inj.delay, key) for key, inj in ctx.scenario.injects.items()
                                if inj.at is not None and inj.when is None and inj.contingency is None
                                and not inj.template), key=lambda x: x[0])
        self.delivered: list[str] = []
        self._adhoc = 0

    def start(self) -> None:
        """Start the delivery process and the watches of state-driven and contingency injects."""
        if self.schedule:
            self.ctx.env.process(self._run())
        for key, inj in self.ctx.scenario.injects.items():
            if inj.template or (inj.when is None and inj.contingency is None):
                continue
            if inj.when is not None:
                self.ctx.triggers.watch_cause(inj.when, partial(self._opened, key))
            else:
                assert inj.at is not None  # an inject has `at` or `when` (model check)
                self.ctx.env.process(self._at(key, inj.at))

    def _at(self, key: str, at: float) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        if at > env.now:
            yield env.timeout(at - env.now)
        self._opened(key)

    def _opened(self, key: str, cause: int | None = None) -> None:
        """The inject's time or trigger has come: deliver after its delay, or open its window.

        ``cause`` is the ``seq`` of the record that made its ``when`` true; the delivery carries it.
        """
        inj = self.ctx.scenario.injects[key]
        if inj.contingency is not None:
            self.ctx.env.process(self._contingency(key, inj, cause))
        else:
            self.ctx.env.process(self._later(key, inj.delay, "trigger" if inj.when is not None else "msel", cause))

    def _later(self, key: str, delay: float, source: str, cause: int | None) -> Gen[simpy.Event, object, None]:
        if delay > 0:
            yield self.ctx.env.timeout(delay)
        self.deliver(key, source=source, cause=cause)

    def _contingency(self, key: str, inj: Inject, cause: int | None) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        opened = env.now
        assert inj.contingency is not None  # started only for a contingency inject
        done = self.ctx.triggers.event(inj.contingency.unless)
        yield done | env.timeout(inj.contingency.window + inj.delay)
        if done.triggered:
            self.ctx.emit("inject.skipped", inj.from_, key, {
                "reason": "expected_action", "opened": round(opened, 4), "after": round(env.now - opened, 4)})
            return
        self.deliver(key, source="contingency", cause=cause)

    def _run(self) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        for at, key in self.schedule:
            if at > env.now:
                yield env.timeout(at - env.now)
            self.deliver(key, source="msel")

    def next_time(self) -> float | None:
        """Time of the next scheduled inject not yet delivered (for "run to next inject")."""
        done = set(self.delivered)
        now = self.ctx.env.now
        return next((at for at, key in self.schedule if key not in done and at >= now), None)

    def deliver(self, key: str, *, source: str, cause: str | int | None = None) -> None:
        """Deliver inject ``key`` from the scenario now and apply its effects.

        ``cause``: the ``seq`` of the record whose trigger fired it, an effect's source id, or None.
        """
        inj = self.ctx.scenario.injects[key]
        self.delivered.append(key)
        self.ctx.emit("inject.delivered", inj.from_, key, {
            "to": list(inj.to), "type": inj.type, "method": inj.method, "source": source, "cause": cause,
            "title": inj.title.as_dict(), "message": inj.message.as_dict(),
            "expected_action": inj.expected_action.as_dict() if inj.expected_action else None,
            "objectives": list(inj.objectives), "capability": inj.capability, "scheduled": inj.at,
        })
        if inj.effects:
            effects.apply(self.ctx, inj.effects, key)

    def deliver_adhoc(self, payload: dict[str, Any]) -> str:
        """Deliver a facilitator's inject (from a template or written on the spot); return its id."""
        template = payload.get("template")
        self._adhoc += 1
        key = f"adhoc-{self._adhoc}"
        inj = self.ctx.scenario.injects.get(template) if template else None
        title = payload.get("title") or (inj.title.as_dict() if inj else {"en": "Ad-hoc inject"})
        message = payload.get("message") or (inj.message.as_dict() if inj else {})
        to = payload.get("to") or (list(inj.to) if inj else [])
        self.ctx.emit("inject.delivered", payload.get("from", "facilitator"), key, {
            "to": list(to), "type": payload.get("type", inj.type if inj else "informational"),
            "method": payload.get("method", inj.method if inj else "verbal"), "source": "facilitator",
            "cause": template, "title": _text(title), "message": _text(message),
            "expected_action": _text(payload["expected_action"]) if payload.get("expected_action") else (
                inj.expected_action.as_dict() if inj and inj.expected_action else None),
            "objectives": list(payload.get("objectives") or (inj.objectives if inj else ())),
            "capability": inj.capability if inj else None, "scheduled": None,
        })
        if inj is not None and inj.effects:
            effects.apply(self.ctx, inj.effects, key)
        return key


def _text(value: Any) -> dict[str, str]:
    return {"zh": value, "en": value} if isinstance(value, str) else dict(value)  # as given: not filled in
