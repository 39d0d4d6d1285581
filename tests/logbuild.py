"""Hand-built event logs with known answers, for scoring and report tests.

A :class:`LogBuilder` writes the same header and records the engine writes (roster, definition,
records with t/seq/kind/actor/subject/data), so a test states exactly what happened and what the
score must be, without running the engine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drillsim.log import Record, encode
from drillsim.scoring import score


def task(
    metric: str,
    thresholds: dict[str, Any],
    *,
    statistic: str = "mean",
    better: str = "lower",
    scope: dict[str, Any] | None = None,
    level: str | None = None,
    weight: float = 1.0,
    text: str | None = None,
) -> dict[str, Any]:
    """A critical task as it appears in a header's definition."""
    out: dict[str, Any] = {
        "text": {"en": text or metric, "zh": text or metric},
        "metric": metric,
        "statistic": statistic,
        "better": better,
        "thresholds": thresholds,
        "scope": scope or {},
        "weight": weight,
    }
    if level is not None:
        out["level"] = level
    return out


class LogBuilder:
    """Build a header and records by hand."""

    def __init__(self, start: str = "2023-07-31T06:00:00+08:00", duration: float = 1440.0) -> None:
        self.start = start
        self.duration = duration
        self.regions: dict[str, Any] = {}
        self.agencies: dict[str, Any] = {}
        self.teams: dict[str, Any] = {}
        self.team_specs: dict[str, Any] = {}
        self.objectives: dict[str, Any] = {}
        self.injects: dict[str, Any] = {}
        self.reporting: dict[str, Any] = {"deadlines": {}, "top": "nation"}
        self.records: list[Record] = []
        self.extra: dict[str, Any] = {}

    # -- roster --------------------------------------------------------------------------------
    def region(
        self,
        rid: str,
        level: str,
        parent: str | None = None,
        location: list[float] | None = None,
        name: str | None = None,
    ) -> LogBuilder:
        self.regions[rid] = {
            "name": {"en": name or rid.title(), "zh": name or rid},
            "level": level,
            "parent": parent,
            "location": location,
        }
        return self

    def agency(self, aid: str, region: str, name: str | None = None, kind: str = "command") -> LogBuilder:
        self.agencies[aid] = {"name": {"en": name or aid, "zh": name or aid}, "region": region, "kind": kind}
        return self

    def team(
        self, tid: str, kind: str, base: str, group: str | None = None, on_duty: bool = True
    ) -> LogBuilder:
        group = group or tid
        self.teams[tid] = {
            "name": {"en": group, "zh": group},
            "kind": kind,
            "group": group,
            "base": base,
            "capabilities": ["search_rescue"],
            "members": 10,
            "speed": 40.0,
        }
        self.team_specs[group] = {"on_duty": on_duty, "kind": kind, "base": base}
        return self

    def objective(
        self,
        oid: str,
        tasks: dict[str, Any],
        capability: str = "operational_coordination",
        weight: float = 1.0,
        responsible: str | None = None,
    ) -> LogBuilder:
        self.objectives[oid] = {
            "capability": capability,
            "text": {"en": f"objective {oid}", "zh": f"目标{oid}"},
            "weight": weight,
            "tasks": tasks,
            "responsible": responsible,
        }
        return self

    # -- records -------------------------------------------------------------------------------
    def add(self, t: float, kind: str, actor: str | None, subject: str | None, /, **data: Any) -> int:
        seq = len(self.records) + 1
        self.records.append(Record(float(t), seq, kind, actor, subject, data))
        return seq

    def end(self, t: float | None = None) -> int:
        return self.add(
            self.duration if t is None else t, "exercise.ended", "control", "test", reason="duration"
        )

    # -- output --------------------------------------------------------------------------------
    def header(self) -> dict[str, Any]:
        return {
            "format": 1,
            "drillsim": "test",
            "scenario": {
                "id": "test",
                "title": {"en": "Test drill", "zh": "测试演练"},
                "source": "test",
                "sha256": "0" * 64,
            },
            "seed": 1,
            "replicate": 0,
            "overrides": [],
            "players": [],
            "start": self.start,
            "duration": self.duration,
            "hazard": "flood",
            "roster": {"regions": self.regions, "agencies": self.agencies, "teams": self.teams},
            "definition": {
                "id": "test",
                "title": {"en": "Test drill", "zh": "测试演练"},
                "start": self.start,
                "duration": self.duration,
                "hazard": "flood",
                "reporting": self.reporting,
                "teams": self.team_specs,
                "injects": self.injects,
                "objectives": self.objectives,
                **self.extra,
            },
        }

    def score(self, until: float | None = None) -> Any:
        return score(self.header(), self.records, until)

    def write(self, path: Path) -> Path:
        lines = [encode((0.0, 0, "log.header", "drillsim", "test", self.header()))]
        lines += [encode(tuple(r)) for r in self.records]
        path.write_text("".join(lines), encoding="utf-8")
        return path


def one_task(b: LogBuilder, t: dict[str, Any], until: float | None = None) -> Any:
    """Score a log with a single objective holding ``t``; return the task result."""
    b.objectives = {}
    b.objective("O", {"t": t})
    card = b.score(until)
    return card.objectives[0].tasks[0]


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
