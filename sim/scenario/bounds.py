"""Values a scenario may hold because a run must be able to write them: checked before validation.

Every number of a scenario ends up in the event log's header (the validated scenario is recorded
there), and a log holds whole numbers of 64 bits (:data:`drillsim.limits.INT_MIN` …
:data:`drillsim.limits.INT_MAX`). A larger one — a ``seed:`` of 2^64, ``--set
teams.x.members=10^20`` — would load, validate and then fail when the run writes its first line;
here it is refused where it is written, like any other bad value. The number of objectives is
bounded for the same reason: the log reader refuses a header with more (scoring and the reports
work per objective).
"""

from __future__ import annotations

from typing import Any

from drillsim.errors import Problem
from drillsim.limits import INT_MAX, INT_MIN, MAX_OBJECTIVES, SEED_MAX
from drillsim.scenario.yamlsafe import Document, PathT


def check(doc: Document, data: dict[str, Any]) -> list[Problem]:
    """Problems with numbers a log cannot hold and with too many objectives (the first few)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, PathT]] = [(data, ())]
    while stack and len(problems) < 20:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, (*path, k)) for k, v in node.items() if isinstance(v, dict | list | int))
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node) if isinstance(v, dict | list | int))
        elif isinstance(node, int) and not isinstance(node, bool) and not INT_MIN <= node <= INT_MAX:
            low = 0 if path == ("seed",) else INT_MIN
            problems.append(doc.problem(path, f"{node} is too {'large' if node > 0 else 'small'} for the event log",
                                        f"a whole number from {low} to {SEED_MAX if low == 0 else INT_MAX}"))
    objectives = data.get("objectives")
    if isinstance(objectives, dict) and len(objectives) > MAX_OBJECTIVES:
        problems.append(doc.problem(("objectives",), f"{len(objectives):,} objectives, over the limit of "
                                    f"{MAX_OBJECTIVES}", f"at most {MAX_OBJECTIVES} objectives (docs/limits.md)"))
    return sorted(problems, key=lambda p: (p.line, p.column))
