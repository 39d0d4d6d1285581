"""Observations: what a metric saw, with the record that shows it.

A metric returns one observation per item it examined (a first report, an incident, a team, a
decision, an inject). The statistic is computed from the same observations the evidence lists, so
a rating can always be traced to log records by their ``seq``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drillsim.log import Record
from drillsim.scoring.text import Phrase, Text, plain


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured item.

    Attributes:
        value: The measurement: minutes, people, a share 0..1, or 1/0 for a yes/no item.
        t: When it was observed (the record's time; the horizon for a censored item).
        seq: The record that justifies it (None when the evidence is an absence).
        kind: That record's kind.
        actor: That record's actor.
        subject: That record's subject.
        text: One line for a person: ``{"en": "Wangping → Mentougou: 41 min (due 30 min)", "zh": …}``
            (a :class:`~drillsim.scoring.text.Phrase`, formatted only when read, from the metrics).
        weight: How much the item counts in a ``ratio`` (people at risk for rescue shares; else 1).
        censored: The awaited event had not happened by the horizon; ``value`` is a lower bound.
        refs: Other records involved (e.g. the trigger behind a level change).
    """

    value: float
    t: float
    seq: int | None
    kind: str | None
    actor: str | None
    subject: str | None
    text: Text | Phrase
    weight: float = 1.0
    censored: bool = False
    refs: tuple[int, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON form for scorecard.json."""
        out: dict[str, Any] = {
            "seq": self.seq,
            "t": round(self.t, 4),
            "kind": self.kind,
            "actor": self.actor,
            "subject": self.subject,
            "value": _num(self.value),
            "text": plain(self.text),
        }
        if self.weight != 1.0:
            out["weight"] = _num(self.weight)
        if self.censored:
            out["censored"] = True
        if self.refs:
            out["refs"] = list(self.refs)
        return out


def observe(rec: Record, value: float, text: Text | Phrase, **extra: Any) -> Observation:
    """An observation justified by one record."""
    return Observation(float(value), float(rec.t), rec.seq, rec.kind, rec.actor, rec.subject, text, **extra)


def absent(
    t: float,
    subject: str | None,
    value: float,
    text: Text | Phrase,
    *,
    actor: str | None = None,
    refs: tuple[int, ...] = (),
    censored: bool = True,
    weight: float = 1.0,
) -> Observation:
    """An observation whose evidence is a missing record (nothing happened by ``t``)."""
    return Observation(
        float(value), float(t), None, None, actor, subject, text, weight=weight, censored=censored, refs=refs
    )


def _num(x: float) -> float | int:
    if float(x).is_integer():
        return int(x)
    return round(float(x), 4)
