"""Property-based fuzzing of the event log as hostile input (hypothesis).

Start from real logs — a run of a test scenario with a players' decision and a facilitator's note,
and the corpus's hand-made ``good.jsonl`` — and break them the way files get broken or forged:
replace any field of any record or of the header with another JSON value (wrong types, huge
numbers, long text, deep nesting), delete or add fields, swap, repeat, drop or cut lines, paste
bytes. Then read the result as every reader does: the reader, scoring, the report document, the
comparison, the outcome and curves, branch planning, replay's recorded inputs, and the replay
viewer's fold and feed. Exactly two outcomes are allowed: a :class:`~drillsim.log.LogError` whose
message is ``FILE:LINE: field: problem`` (or ``FILE: problem``), or every reader working. Anything
else — another exception (a traceback, an "internal error"), more than 5 s for one input, more than
1 GiB of memory — fails.

The default run is small and deterministic (CI); ``pytest -m slow`` runs many more random inputs.
"""

from __future__ import annotations

import json
import re
import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from drillsim.engine import Exercise
from drillsim.log import LogError, encode, read_log
from drillsim.scenario import load

HERE = Path(__file__).resolve().parent
FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=3000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SECONDS = 5
GIB = 2**30
LOCATED = re.compile(r"^(?P<file>\S+\.jsonl)(:(?P<line>\d+): (?P<field>\S.*?))?: (?P<problem>\S.*)$", re.S)


def _decision_log() -> list[bytes]:
    """A real run with a decision taken by players and a facilitator's note (inputs for replay)."""
    loaded = load(str(HERE / "scenarios" / "decision.yaml"))
    ex = Exercise(loaded, seed=3, players=["city-hq"], keep=True)
    ex.advance(ex.duration / 4)
    ex.submit({"kind": "note", "text": "well coordinated", "rating": "S"})
    while not ex.at_end:
        ex.advance(ex.duration)
        for pending in ex.pending:
            ex.submit({"kind": "decide", "decision": pending.id, "option": next(iter(pending.options)),
                       "by": "players"})
    ex.finish("duration")
    assert any(r[2] == "decision.made" and r[5].get("by") == "players" for r in ex.log.records)
    return [encode(r) for r in ex.log.records]


def _bundled_prefixes(records: int = 160) -> dict[str, list[bytes]]:
    """The first records of a run of each bundled scenario (a prefix is a valid log: a killed run),
    so every hazard's, flow's and report's record kinds are fuzzed."""
    out = {}
    for path in sorted((HERE.parent / "scenarios").glob("*.yaml")):
        ex = Exercise(load(str(path)), keep=True)
        while len(ex.log.records) <= records and not ex.ended:
            ex.advance(ex.now + ex.duration / 50)
        lines = [encode(r) for r in ex.log.records[: records + 1]]
        out[path.stem] = lines
    return out


BASES = {"decision": _decision_log(), "corpus": (HERE / "badlogs" / "good.jsonl").read_bytes().splitlines(True),
         **_bundled_prefixes()}


class Hang(Exception):
    pass


def readers(path: Path) -> None:
    """Everything downstream of the reader, on a log it accepted."""
    from drillsim.replay.branch import BranchError, BranchSpec, plan_branch
    from drillsim.replay.compare import _Job, summarise
    from drillsim.replay.curves import curves_of, grid, main_agencies
    from drillsim.replay.inputs import recorded_ending, recorded_inputs
    from drillsim.replay.outcome import outcome_of
    from drillsim.reports import aar, gbt, html, markdown
    from drillsim.reports.facts import Facts
    from drillsim.scoring import score_log
    from drillsim.scoring.view import LogView
    from drillsim.tui.describe import describe
    from drillsim.tui.i18n import Names
    from drillsim.tui.replay.player import Player

    log = read_log(path)
    card = score_log(log)
    view = LogView(log.header, log.records)
    for lang in ("en", "zh"):
        facts = Facts(view, card, lang)
        for module in (aar, gbt):
            doc = module.build(facts, [], torn=log.torn)
            markdown.render(doc)
            html.render(doc)
    card.to_json()
    duration = float(log.header["duration"])
    outcome_of(log.header, log.records, "fuzz")
    curves_of(log.records, grid(duration), main_agencies(log.header))
    summarise(_Job(str(path), "fuzz", tuple(grid(duration, 9)), tuple(main_agencies(log.header)), str(path)))
    recorded_inputs(log.records)
    recorded_ending(log.records, duration)
    for rec in log.records:
        if rec.kind == "decision.opened" and isinstance(rec.subject, str):
            for option in list(rec.data.get("options") or ())[:2]:
                try:
                    plan_branch(log, BranchSpec(rec.subject, str(option)), "0" * 64)
                except BranchError:
                    pass
    player = Player(log)
    names = Names(log.header)
    for rec in log.records:
        describe(rec, names, "en")
    for target in (0, len(log.records) // 2, max(0, len(log.records) - 1)):
        player.seek(target)
        player.view  # noqa: B018 - the view at that position is what the viewer draws


def outcome(lines: list[bytes], tmp: Path) -> str:
    """Write the lines, read them as every reader does; assert the contract; return what happened."""
    path = tmp / "fuzz.jsonl"
    path.write_bytes(b"".join(lines))

    def alarm(*_: Any) -> None:
        raise Hang(f"reading took more than {SECONDS} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        readers(path)
        return "read"
    except LogError as exc:
        m = LOCATED.match(str(exc))
        assert m, f"not a located refusal: {exc}"
        assert m["file"] == str(path), str(exc)
        if m["line"] is not None:
            assert 1 <= int(m["line"]) <= len(lines) + 1, str(exc)
        return "refused"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# -- how logs get broken --------------------------------------------------------------------------------

DEEP = st.integers(1, 1200).map(lambda n: json.loads("[" * n + "0" + "]" * n) if n < 900 else
                               {"deep": "[" * n + "0" + "]" * n})
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=30), st.sampled_from(["", "IV", "I", "county", "log.header", "exercise.ended",
                                                     "input.received", "decide", "note", "bundled:../../x",
                                                     "2023-07-31T07:00:00+08:00", "x" * 5000, "\u0000", "🚒"]),
              st.integers(2**63 - 2, 2**64 + 2)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*path, i))


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = obj
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return obj


def _delete(obj: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return obj
    node = obj
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return obj


def _line(obj: Any) -> bytes:
    try:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    except (ValueError, RecursionError):
        return b'{"deep":' + b"[" * 1000 + b"0" + b"]" * 1000 + b"}\n"


@st.composite
def field_edit(draw: Any, header: bool) -> tuple[str, list[bytes]]:
    """Replace, delete or add one field of one line (the header, or a record)."""
    base = BASES[draw(st.sampled_from(sorted(BASES)))]
    index = 0 if header else draw(st.integers(1, len(base) - 1))
    obj = json.loads(base[index])
    where = draw(st.sampled_from(list(paths(obj))))
    action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
    if action == "replace":
        obj = _set(obj, where, draw(st.one_of(VALUES, DEEP)))
    elif action == "delete" and where:
        obj = _delete(obj, where)
    else:
        node = obj
        for part in where:
            node = node[part]
        if isinstance(node, dict):
            node[draw(st.text(max_size=10))] = draw(VALUES)
        elif isinstance(node, list):
            node.append(draw(VALUES))
    lines = list(base)
    lines[index] = _line(obj)
    return f"{action} {where}", lines


@st.composite
def line_edit(draw: Any) -> tuple[str, list[bytes]]:
    """Swap, repeat, drop, cut or corrupt whole lines."""
    lines = list(BASES[draw(st.sampled_from(sorted(BASES)))])
    n = len(lines)
    i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
    action = draw(st.sampled_from(["swap", "repeat", "drop", "cut", "bytes", "append", "blank"]))
    if action == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif action == "repeat":
        lines.insert(j, lines[i])
    elif action == "drop":
        del lines[i]
    elif action == "cut":
        lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        if draw(st.booleans()):
            lines[i] += b"\n"
    elif action == "bytes":
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(st.binary(min_size=1, max_size=20)) + lines[i][at:]
    elif action == "append":
        lines.append(draw(st.binary(max_size=50)))
    else:
        lines.insert(i, b"\n")
    return f"{action} {i} {j}", lines


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for lines in BASES.values():
        for line in lines:
            for path in paths(obj := json.loads(line)):
                node = obj
                for part in path:
                    node = node[part]
                if isinstance(node, str) and len(node) < 40:
                    words.add(node)
                if path and isinstance(path[-1], str):
                    words.add(path[-1])
    return sorted(words | {"", "nobody", "I", "IV", "V", "players", "doctrine", "default"})


VOCABULARY = _vocabulary()


def _like(draw: Any, value: Any) -> Any:
    """A value of the same JSON type, from the log's own words and numbers (plausible, maybe wrong)."""
    if isinstance(value, bool):
        return draw(st.booleans())
    if isinstance(value, int):
        return draw(st.one_of(st.integers(-3, 50), st.integers(0, 2**63 - 1)))
    if isinstance(value, float):
        return draw(st.one_of(st.floats(-10.0, 1e4), st.floats(allow_nan=False, allow_infinity=False)))
    if isinstance(value, str):
        return draw(st.sampled_from(VOCABULARY))
    if isinstance(value, list):
        return draw(st.lists(st.sampled_from(VOCABULARY), max_size=3)) if draw(st.booleans()) else []
    if isinstance(value, dict):
        keys = draw(st.lists(st.sampled_from(sorted(value)), unique=True)) if value else []
        return {k: value[k] for k in keys}
    return value


@st.composite
def plausible_edit(draw: Any) -> tuple[str, list[bytes]]:
    """One to three values changed to others of the same type: ids swapped, counts and times changed,
    lists and objects emptied — what a forged or hand-edited log that still looks right holds."""
    lines = list(BASES[draw(st.sampled_from(sorted(BASES)))])
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        obj = json.loads(lines[index])
        where = draw(st.sampled_from([p for p in paths(obj) if p]))
        node = obj
        for part in where:
            node = node[part]
        lines[index] = _line(_set(obj, where, _like(draw, node)))
    return "plausible", lines


EDITS = st.one_of(field_edit(header=True), field_edit(header=False), line_edit(), plausible_edit(), plausible_edit())


def test_the_bases_are_read_by_every_reader(tmp_path):
    for lines in BASES.values():
        assert outcome(lines, tmp_path) == "read"


@FAST
@given(edit=EDITS)
def test_a_broken_log_is_refused_where_it_is_broken_or_read_by_everything(edit, tmp_path_factory):
    what, lines = edit
    event(f"{what.split()[0]}: {outcome(lines, tmp_path_factory.mktemp('fuzz'))}")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < START_RSS + GIB


@pytest.mark.slow
@SLOW
@given(edit=EDITS)
def test_many_broken_logs(edit, tmp_path_factory):
    _, lines = edit
    outcome(lines, tmp_path_factory.mktemp("fuzz"))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < START_RSS + GIB


@pytest.mark.parametrize("field", ["data", "subject", "t", "seq", "kind", "actor"])
def test_every_field_of_every_record_with_every_kind_of_wrong_value(field, tmp_path):
    """Exhaustive where the random search is sparse: each envelope field of each record of the decision
    log, replaced by each wrong value the issue names (and a few more)."""
    wrong = [[], None, {}, "abc", 5, -1, 1e300, True, "x" * 300, [[[[0]]]]]
    base = BASES["decision"]
    for index in range(1, len(base), 3):
        for value in wrong:
            obj = json.loads(base[index])
            obj[field] = value
            lines = list(base)
            lines[index] = _line(obj)
            outcome(lines, tmp_path)


START_RSS = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
