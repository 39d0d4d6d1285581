"""Property-based fuzzing of the loader (hypothesis).

Start from real scenarios (the bundled ones and the test scenarios), mutate their plain data or their
text the way people break files — delete a key, change a type, cross-wire a reference, perturb a
number, duplicate a key, truncate, paste junk, give a bad ``--set`` — and require one of two
outcomes: a valid scenario (then the semantic checks and the lint must also run cleanly), or
located problems (every problem has a line >= 1, or names ``--set``, and a message). Anything
else — another exception, a hang — fails.

The default run is small and deterministic (CI); ``pytest -m slow`` runs many more random examples.
"""

from __future__ import annotations

import copy
import math
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillsim.errors import InputError
from drillsim.scenario.lint import lint
from drillsim.scenario.load import load_document
from drillsim.scenario.semantic import check as semantic_check
from drillsim.scenario.yamlsafe import dotted, parse_document

TESTS = Path(__file__).resolve().parents[1]
BUNDLED = TESTS.parent / "scenarios"  # by path: `import scenarios` may find tests/scenarios under pytest
SOURCES = [*sorted(BUNDLED.glob("*.yaml")), *sorted((TESTS / "scenarios").glob("*.yaml"))]
TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in SOURCES}
DATA = {name: parse_document(text).data for name, text in TEXTS.items()}

FAST = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=3000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Hang(Exception):
    pass


def outcome(text: str, overrides: list[str] | tuple[str, ...] = ()) -> str:
    """Load ``text``; assert the contract; return "valid" or "invalid"."""
    def alarm(*_: Any) -> None:
        raise Hang("the loader hung")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    try:
        try:
            doc = parse_document(text, "fuzz.yaml")
            loaded = load_document(doc, "fuzz.yaml", list(overrides))
        except InputError as exc:
            assert exc.problems, "an InputError without problems"
            for p in exc.problems:
                assert p.message.strip(), p
                assert p.line >= 1 or p.file == "--set", p.format()
                assert p.file in ("fuzz.yaml", "--set"), p.format()
            return "invalid"
        for p in [*semantic_check(loaded, doc), *lint(loaded, doc)]:
            assert p.severity == "warning", p.format()
            assert p.line >= 1 or p.file == "--set", p.format()
        return "valid"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path in plain data, containers and leaves."""
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*path, i))


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


REPLACEMENTS = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.text(max_size=20), st.just(""), st.just([]), st.just({}),
    st.lists(st.integers(0, 5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["30m", "-5m", "0m", "1e9h", "40km/h", "0km/h", "2/h", "0/h", "90%", "150%", "nan",
                     "2023-07-31T07:00:00+08:00", "1999-01-01T00:00:00+08:00", "T+1h", "county", "IV", "I",
                     "flood", "water_rescue", "9" * 30, "x" * 300, "NO", "12:30", "~"]),
    st.integers(min_value=10**20, max_value=10**30),
)
SCENARIO = st.sampled_from(sorted(DATA))


def _mutable_paths(data: Any) -> list[tuple[Any, ...]]:
    return [p for p in paths(data) if p]


@st.composite
def data_mutation(draw: st.DrawFn) -> str:
    """A scenario with one to three plain-data mutations, dumped back to YAML."""
    name = draw(SCENARIO)
    data = copy.deepcopy(DATA[name])
    for _ in range(draw(st.integers(1, 3))):
        candidates = _mutable_paths(data)
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        action = draw(st.sampled_from(["delete", "retype", "swap", "perturb", "copy"]))
        parent = get(data, path[:-1])
        current = get(data, path)
        if action == "delete":
            del parent[path[-1]]
        elif action == "retype":
            put(data, path, draw(REPLACEMENTS))
        elif action == "swap":  # cross-wire: put another leaf's value here (often an id of the wrong kind)
            leaves = [p for p in candidates if not isinstance(get(data, p), dict | list)]
            put(data, path, copy.deepcopy(get(data, draw(st.sampled_from(leaves)))))
        elif action == "perturb":
            factor = draw(st.sampled_from([-1.0, 0.0, 0.5, 2.0, 1e6, -1e-9, math.inf]))
            put(data, path, _perturb(current, factor))
        else:  # copy a whole subtree somewhere else
            source = draw(st.sampled_from(candidates))
            put(data, path, copy.deepcopy(get(data, source)))
    return dump(data)


def _perturb(value: Any, factor: float) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        result = value * factor if math.isfinite(factor) else factor
        return int(result) if isinstance(value, int) and math.isfinite(result) else result
    if isinstance(value, str):
        digits = "".join(ch for ch in value if ch.isdigit() or ch == ".")
        unit = value.lstrip("+-0123456789. ")
        if digits and unit != value:
            try:
                number = float(digits) * factor if math.isfinite(factor) else factor
            except ValueError:
                return value
            return f"{number:g}{unit}"
    return value


@st.composite
def text_mutation(draw: st.DrawFn) -> str:
    """A scenario text with a key line duplicated, a cut, an insertion or a deleted span."""
    text = TEXTS[draw(SCENARIO)]
    lines = text.splitlines(keepends=True)
    action = draw(st.sampled_from(["duplicate", "truncate", "insert", "delete", "indent"]))
    if action == "duplicate":
        keyed = [i for i, ln in enumerate(lines) if ":" in ln and not ln.lstrip().startswith(("#", "-"))]
        i = draw(st.sampled_from(keyed))
        return "".join([*lines[: i + 1], lines[i], *lines[i + 1:]])
    if action == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if action == "insert":
        at = draw(st.integers(0, len(text)))
        junk = draw(st.one_of(st.text(max_size=8), st.sampled_from(
            ["\t", "\u3000", "&a ", "*a", "<<: *a\n", "!!python/object:os.system ", "{", "]", "'", '"',
             "---\n", "? ", "%YAML 1.1\n", "\ufeff", "\x00", "\x1b", ": ", "- ", "#", "|\n", "&x [*x]"])))
        return text[:at] + junk + text[at:]
    if action == "indent":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + lines[i]
        return "".join(lines)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, min(len(text), a + 200)))
    return text[:a] + text[b:]


@st.composite
def override(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A valid scenario and one or two ``--set`` overrides, existing paths or not."""
    name = draw(SCENARIO)
    data = DATA[name]
    leaf_paths = [dotted(p) for p in _mutable_paths(data) if not isinstance(get(data, p), dict | list)]
    params = list(data.get("parameters") or {})
    sets = []
    for _ in range(draw(st.integers(1, 2))):
        path = draw(st.one_of(st.sampled_from(leaf_paths), st.sampled_from(params or ["seed"]),
                              st.text(max_size=15), st.sampled_from(["teams..x", "regions[0]", "a[b]", "=",
                                                                     "teams.x[99999999999]", ""])))
        value = draw(st.one_of(st.sampled_from(["40", "30m", "-1", "[1, 2", "{a: 1}", "[*a]", "&a x", "NO",
                                                "!!python/name:os.system", "", "1e999", "9" * 5000]),
                               st.text(max_size=10)))
        sets.append(f"{path}={value}" if draw(st.booleans()) or not path else path)
    return TEXTS[name], sets


def test_the_sources_load():
    for name, text in TEXTS.items():
        assert outcome(text) == "valid", name


@FAST
@given(data_mutation())
def test_data_mutations_give_located_errors_or_a_valid_scenario(text):
    outcome(text)


@FAST
@given(text_mutation())
def test_text_mutations_give_located_errors_or_a_valid_scenario(text):
    outcome(text)


@FAST
@given(override())
def test_overrides_give_located_errors_or_a_valid_scenario(case):
    text, sets = case
    outcome(text, sets)


@pytest.mark.slow
@SLOW
@given(data_mutation())
def test_data_mutations_long(text):
    outcome(text)


@pytest.mark.slow
@SLOW
@given(text_mutation())
def test_text_mutations_long(text):
    outcome(text)


@pytest.mark.slow
@SLOW
@given(override())
def test_overrides_long(case):
    text, sets = case
    outcome(text, sets)
