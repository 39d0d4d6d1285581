"""Snapshots of the console's view, cheap enough to keep a few dozen of a 96-hour log.

The replay viewer shows :class:`~drillsim.tui.state.ExerciseView` — the very state the live console folds
from records — at any moment of a log. :class:`ViewFold` lets :class:`drillsim.replay.index.SnapshotIndex`
keep copies of it without copying every incident each time:

* a snapshot holds *references* to the view's objects (incidents, teams, injects, decisions), and
  those objects are then shared between the snapshot and the view;
* before a record is applied, the objects it can touch — the ones keyed by its ``actor`` or
  ``subject``, which is all a handler of :mod:`drillsim.tui.state` ever changes — are copied if shared
  (copy on write), so a snapshot never sees a later change;
* append-only lists (records, the open-incidents series, notes) are kept as a length and rebuilt
  from the log's final state on restore (only the last entry of the series can change, so it is
  kept too).

The equivalence "snapshot + replay forward == fold from scratch" is what the tests check, on
whole logs at many positions.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from drillsim.tui.state import ExerciseView

if TYPE_CHECKING:
    from drillsim.log import Row

SHARED = frozenset({"header", "definition", "source", "_own"})
"""Attributes never changed after the view is built: shared by every snapshot."""


@dataclasses.dataclass
class ReplayState:
    """A view plus the objects it owns (those it may change without copying)."""

    view: ExerciseView
    owned: set[int] = dataclasses.field(default_factory=set)


@dataclasses.dataclass(frozen=True)
class _Snap:
    scalars: dict[str, Any]
    dicts: dict[str, list[Any]]
    lists: dict[str, tuple[int, Any]]
    sets: dict[str, frozenset[Any]]


def _is_object(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


class ViewFold:
    """A :class:`drillsim.replay.index.Fold` over :class:`~drillsim.tui.state.ExerciseView` with shared objects.

    Args:
        header: The log header's data.
        records: The log's records (after the header), in order.
    """

    def __init__(self, header: dict[str, Any], records: Sequence[Row]) -> None:
        self.header = header
        self.records = records
        self.final: ReplayState | None = None
        self.object_dicts: tuple[str, ...] = ()

    def new(self) -> ReplayState:
        """The view before any record; it becomes the index's final state as records are applied."""
        view = ExerciseView(self.header, self.records)  # the view's records: a window on the log's
        # dicts of objects (incidents, teams, injects, decisions): the ones copy on write guards
        self.object_dicts = tuple(name for name, value in vars(view).items()
                                  if type(value) is dict and name not in SHARED
                                  and all(_is_object(v) for v in value.values()))
        state = ReplayState(view)
        self.final = state
        return state

    def apply(self, state: ReplayState, rec: Row) -> None:
        """Copy what ``rec`` may change if it is shared, then apply it."""
        view, owned = state.view, state.owned
        parts = vars(view)
        touched = _touched(rec)
        if rec[2] == "task.completed":  # frees every team working on the task, which the record does not name
            touched += [k for k, team in view.teams.items() if team.incident == rec[4]]
        for key in touched:
            for name in self.object_dicts:
                d = parts[name]
                obj = d.get(key)
                if obj is not None and id(obj) not in owned:
                    fresh = copy.copy(obj)
                    d[key] = fresh
                    owned.add(id(fresh))
        view.apply(rec)

    def snapshot(self, state: ReplayState, position: int) -> _Snap:
        """References to the view's parts; from now on the view copies before it changes a shared object."""
        scalars: dict[str, Any] = {}
        dicts: dict[str, list[Any]] = {}
        lists: dict[str, tuple[int, Any]] = {}
        sets: dict[str, frozenset[Any]] = {}
        for name, value in vars(state.view).items():
            if name in SHARED:
                continue
            if type(value) is dict:
                dicts[name] = list(value.values())
            elif type(value) is list:
                lists[name] = (len(value), value[-1] if value else None)
            elif type(value) is set:
                sets[name] = frozenset(value)
            else:
                scalars[name] = value
        state.owned.clear()
        return _Snap(scalars, dicts, lists, sets)

    def restore(self, snap: _Snap, position: int) -> ReplayState:
        """A view equal to the one snapshotted after ``position`` records (sharing its objects)."""
        final = self.final
        assert final is not None, "restore before the index was built"
        whole = vars(final.view)
        view = ExerciseView.__new__(ExerciseView)
        parts = vars(view)
        for name in SHARED:
            if name in whole:
                parts[name] = whole[name]
        parts.update(snap.scalars)
        for name, values in snap.dicts.items():
            parts[name] = dict(zip(islice(whole[name], len(values)), values, strict=True))
        for name, (length, last) in snap.lists.items():
            parts[name] = [*whole[name][: length - 1], last] if length else []
        for name, members in snap.sets.items():
            parts[name] = set(members)
        return ReplayState(view)


def _touched(rec: Row) -> list[str]:
    """Ids of the objects a record may change: its actor, its subject, and teams it names in data.

    (``border.support_arrived`` puts the arriving teams on duty through ``data["teams"]``.)
    """
    keys = [k for k in (rec[3], rec[4]) if isinstance(k, str)]
    data = rec[5] if len(rec) > 5 else None
    if isinstance(data, dict):
        teams = data.get("teams")
        if isinstance(teams, list):
            keys.extend(k for k in teams if isinstance(k, str))
    return keys
