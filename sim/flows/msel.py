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
from drillsim.scenario import quantities

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
        self._quoting = {key for key, inj in ctx.scenario.injects.items()
                         if any(quantities.placeholders(v)
                                for t in (inj.title, inj.message) for v in t.as_dict().values())}

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
        if key in self._quoting:
            # the hazard models may still update this minute (a river step due now): read after them
            self.ctx.env.process(self._settled(key, inj, source, cause))
            return
        self._emit(key, inj, source, cause)

    def _settled(self, key: str, inj: Inject, source: str, cause: str | int | None) -> Gen[simpy.Event, object, None]:
        """Deliver a quoting inject once everything already due this minute has happened."""
        yield self.ctx.env.timeout(0)
        self._emit(key, inj, source, cause)

    def _emit(self, key: str, inj: Inject, source: str, cause: str | int | None) -> None:
        """Log ``inject.delivered`` (live values filled in) and apply the inject's effects."""
        title, message = inj.title.as_dict(), inj.message.as_dict()
        quoted = self.quote(title, message)
        self.ctx.emit("inject.delivered", inj.from_, key, {
            "to": list(inj.to), "type": inj.type, "method": inj.method, "source": source, "cause": cause,
            "title": title, "message": message,
            "expected_action": inj.expected_action.as_dict() if inj.expected_action else None,
            "objectives": list(inj.objectives), "capability": inj.capability, "scheduled": inj.at,
            **({"quoted": quoted} if quoted else {}),
        })
        if inj.effects:
            effects.apply(self.ctx, inj.effects, key)

    def quote(self, *texts: dict[str, str]) -> dict[str, float]:
        """Fill the live-value placeholders of ``texts`` in place; return the values quoted.

        Values are read now, as the inject fires, so the text shown never contradicts the world
        (a gate said to open at 50 m³/s while the river runs at 856). Names are checked when the
        scenario loads (:mod:`drillsim.scenario.quantities`); a message without placeholders costs
        one regular-expression scan.
        """
        wanted = {name for text in texts for value in text.values() for name in quantities.placeholders(value)}
        if not wanted:
            return {}
        values = self.live()
        quoted = {name: values[name] for name in sorted(wanted) if name in values}
        for text in texts:
            for lang, value in text.items():
                text[lang] = quantities.fill(value, quoted)
        return quoted

    def live(self) -> dict[str, float]:
        """Every live quantity now: the hazard models' and the world's incident and people counts."""
        out: dict[str, float] = {}
        for hazard in self.ctx.hazards:
            out.update(hazard.quantities())
        known = [inc for inc in self.ctx.model.incidents.values() if inc.detected_at is not None]
        open_ = [inc for inc in known if inc.state != "closed"]
        out["incidents.open"] = float(len(open_))
        out["incidents.closed"] = float(len(known) - len(open_))
        out["people.trapped"] = float(sum(max(0, inc.remaining) for inc in open_ if inc.needs_rescue))
        out["people.rescued"] = float(sum(inc.rescued for inc in self.ctx.model.incidents.values()))
        out["people.lost"] = float(sum(inc.lost for inc in self.ctx.model.incidents.values()))
        return out

    def deliver_adhoc(self, payload: dict[str, Any]) -> str:
        """Deliver a facilitator's inject (from a template or written on the spot); return its id."""
        template = payload.get("template")
        self._adhoc += 1
        key = f"adhoc-{self._adhoc}"
        inj = self.ctx.scenario.injects.get(template) if template else None
        title = payload.get("title") or (inj.title.as_dict() if inj else {"en": "Ad-hoc inject"})
        message = payload.get("message") or (inj.message.as_dict() if inj else {})
        to = payload.get("to") or (list(inj.to) if inj else [])
        title, message = _text(title), _text(message)
        quoted = self.quote(title, message)
        self.ctx.emit("inject.delivered", payload.get("from", "facilitator"), key, {
            "to": list(to), "type": payload.get("type", inj.type if inj else "informational"),
            "method": payload.get("method", inj.method if inj else "verbal"), "source": "facilitator",
            "cause": template, "title": title, "message": message,
            "expected_action": _text(payload["expected_action"]) if payload.get("expected_action") else (
                inj.expected_action.as_dict() if inj and inj.expected_action else None),
            "objectives": list(payload.get("objectives") or (inj.objectives if inj else ())),
            "capability": inj.capability if inj else None, "scheduled": None,
            **({"quoted": quoted} if quoted else {}),
        })
        if inj is not None and inj.effects:
            effects.apply(self.ctx, inj.effects, key)
        return key


def _text(value: Any) -> dict[str, str]:
    return {"zh": value, "en": value} if isinstance(value, str) else dict(value)  # placeholders filled later
