"""Watching the event log for triggers (:mod:`drillsim.scenario.model_triggers`).

Every record passes through :meth:`Triggers.on_record` as it is written. Record tests are indexed
by kind, so a record costs a dict lookup unless some trigger waits for its kind; state tests
(facts an office knows, an agency's level) are re-checked only on the kinds that can change them.
A trigger fires once: its callback runs in a zero-delay simpy event right after the record that
made it true, never inside another flow's bookkeeping. :meth:`Triggers.watch_cause` also hands the
callback that record's ``seq`` (None when time alone, or the state at registration, made it true), so
whatever the trigger starts can say what caused it (an inject's ``cause``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import simpy

from drillsim import levels
from drillsim.flows.context import Context
from drillsim.scenario.model_triggers import After, AllT, AnyT, Bound, FactAt, LevelAt, RecordTest

if TYPE_CHECKING:
    from drillsim.log import Row
    from drillsim.scenario.model_triggers import Trigger

FACT_KINDS = ("incident.detected", "report.received", "hazard.warning")
LEVEL_KINDS = ("level.changed",)


class _Watch:
    __slots__ = ("callback", "counts", "done", "root", "with_cause")

    def __init__(self, root: Trigger, callback: Callable[..., object], with_cause: bool = False) -> None:
        self.root = root
        self.callback = callback
        self.with_cause = with_cause
        self.counts: dict[int, int] = {}
        self.done = False


class Triggers:
    """Registers triggers and fires their callbacks when the log makes them true."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._by_kind: dict[str, list[tuple[_Watch, RecordTest | None]]] = {}
        self._listening = False  # subscribed to the log only once a trigger waits on records

    def watch(self, trigger: Trigger, callback: Callable[[], object]) -> None:
        """Call ``callback`` once, as soon as ``trigger`` holds (records count from now on)."""
        self._register(_Watch(trigger, callback))

    def watch_cause(self, trigger: Trigger, callback: Callable[[int | None], object]) -> None:
        """As :meth:`watch`, passing the ``seq`` of the record that made ``trigger`` true (None: no record)."""
        self._register(_Watch(trigger, callback, with_cause=True))

    def _register(self, w: _Watch) -> None:
        trigger = w.root
        stack = [trigger]
        while stack:
            node = stack.pop()
            if isinstance(node, RecordTest):
                self._by_kind.setdefault(node.record, []).append((w, node))
            elif isinstance(node, FactAt):
                for kind in FACT_KINDS:
                    self._by_kind.setdefault(kind, []).append((w, None))
            elif isinstance(node, LevelAt):
                for kind in LEVEL_KINDS:
                    self._by_kind.setdefault(kind, []).append((w, None))
            elif isinstance(node, After):
                self.ctx.env.process(self._timer(w, node.after))
            elif isinstance(node, AllT | AnyT):
                stack.extend(node.all if isinstance(node, AllT) else node.any)
        if self._by_kind and not self._listening:
            self._listening = True  # until now no record could matter: skip the call per record
            self.ctx.log.subscribe(self.on_record)
        self._check(w)

    def event(self, trigger: Trigger) -> simpy.Event:
        """A simpy event that succeeds when ``trigger`` holds."""
        ev = self.ctx.env.event()
        self.watch(trigger, lambda: ev.succeed() if not ev.triggered else None)
        return ev

    def _timer(self, w: _Watch, at: float) -> Generator[simpy.Event, Any, None]:
        env = self.ctx.env
        if at > env.now:
            yield env.timeout(at - env.now)
        self._check(w, None)

    def on_record(self, rec: Row) -> None:
        """Log listener: count matching records and fire triggers that became true."""
        entries = self._by_kind.get(rec[2])
        if not entries:
            return
        touched: list[_Watch] = []
        later: list[_Watch] = []
        for w, node in entries:
            if w.done:
                continue
            if node is None:  # a state test: check once the flow that wrote the record updated its state
                if w not in later:
                    later.append(w)
                continue
            if not _matches(node, rec):
                continue
            w.counts[id(node)] = w.counts.get(id(node), 0) + 1
            if w not in touched:
                touched.append(w)
        seq = rec[1]
        for w in touched:
            self._check(w, seq)
        if later:
            ev = self.ctx.env.timeout(0)
            def check_later(_ev: simpy.Event) -> None:
                for w in later:
                    self._check(w, seq)

            ev.callbacks.append(check_later)
        if len(entries) > 64:
            self._by_kind[rec[2]] = [e for e in entries if not e[0].done]

    def _check(self, w: _Watch, cause: int | None = None) -> None:
        if w.done or not self._holds(w, w.root):
            return
        w.done = True
        ev = self.ctx.env.timeout(0)
        def fire(_ev: simpy.Event) -> None:
            if w.with_cause:
                w.callback(cause)
            else:
                w.callback()

        ev.callbacks.append(fire)

    def _holds(self, w: _Watch, node: Trigger) -> bool:
        if isinstance(node, RecordTest):
            return w.counts.get(id(node), 0) >= node.count
        if isinstance(node, FactAt):
            region = self.ctx.model.regions[node.region]
            totals = (
                region.totals
                if node.incident_kind is None
                else region.totals_by_kind.get(node.incident_kind, {})
            )
            return totals.get(node.fact, 0.0) >= node.at_least
        if isinstance(node, LevelAt):
            return self.ctx.model.agencies[node.agency].level >= levels.rank(node.level_at_least)
        if isinstance(node, After):
            return self.ctx.env.now >= node.after
        if isinstance(node, AllT):
            return all(self._holds(w, c) for c in node.all)
        if isinstance(node, AnyT):
            return any(self._holds(w, c) for c in node.any)
        raise TypeError(f"unknown trigger {node!r}")  # pragma: no cover


def _id_match(value: object, ids: tuple[str, ...]) -> bool:
    if value in ids:
        return True
    if isinstance(value, str):
        head, _, tail = value.rpartition("-")
        return tail.isdigit() and head in ids
    return False


def _matches(node: RecordTest, rec: Row) -> bool:
    if node.by and not _id_match(rec[3], node.by):
        return False
    if node.subject and not _id_match(rec[4], node.subject):
        return False
    data = rec[5]
    for name, test in node.data.items():
        value = data.get(name)
        if isinstance(test, Bound):
            if not isinstance(value, int | float) or isinstance(value, bool):
                return False
            if test.at_least is not None and value < test.at_least:
                return False
            if test.at_most is not None and value > test.at_most:
                return False
        elif isinstance(test, list):
            if value not in test:
                return False
        elif value != test:
            return False
    return True


def record_matches(node: RecordTest, rec: Row) -> bool:
    """True when record ``rec`` is of ``node``'s kind and passes its actor, subject and data tests.

    The one definition of "a record a selector picks": triggers use it as records are written, and
    calibration targets (:mod:`drillsim.calibrate`) read finished runs with it.
    """
    return rec[2] == node.record and _matches(node, rec)
