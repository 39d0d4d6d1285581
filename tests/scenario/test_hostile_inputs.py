"""Hostile scenario files: every one gets a located error or a clear refusal, never a traceback, a
hang or unbounded memory (the cases are in tests/hostile_cases.py; timings in docs/limits.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from drillsim.errors import MAX_SHOWN, InputError, Refusal
from drillsim.scenario import load
from drillsim.scenario.load import load_text
from drillsim.scenario.yamlsafe import MAX_DEPTH, MAX_NODES, parse_document, read_document
from tests.hostile_cases import CASES, VALID, billion_laughs, deep_block

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def hang_guard():
    """Fail (instead of hanging the suite) if one case takes absurdly long."""
    def fail(*_):
        raise TimeoutError("the loader took more than 60 s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_with_located_problems(case, tmp_path):
    if not case.root_can_read and IS_ROOT:
        pytest.skip("root reads files whatever their permissions (see test_unreadable_file_is_refused)")
    path = case.build(tmp_path)
    if case.expect == "ok":
        assert load(str(path)).scenario.id == "one-incident"
        return
    with pytest.raises(InputError) as info:
        load(str(path))
    problems = info.value.problems
    assert problems
    assert any(case.expect in p.message for p in problems), [p.format() for p in problems[:5]]
    for p in problems:
        assert p.message and p.file
        if case.located:
            assert p.line >= 1 and p.column >= 1, p.format()
        assert len(p.format()) < 2000  # a 15 MiB value must not become a 15 MiB line


def test_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "secret.yaml"
    path.write_text(VALID, encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(Refusal) as info:
        read_document(path)
    assert info.value.problems[0].message == "cannot read file: Permission denied"


def test_python_tags_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    for tag in ("!!python/object/apply:os.system", "!!python/object/new:os.system"):
        text = VALID + f'x: {tag} ["touch {marker}"]\n'
        with pytest.raises(InputError):
            load_text(text)
    text = VALID + f"x: !!python/object/apply:subprocess.call [[touch, {marker}]]\n"
    with pytest.raises(InputError):
        load_text(text)
    assert not marker.exists()


def test_alias_bomb_is_refused_before_it_is_expanded():
    tracemalloc.start()
    try:
        with pytest.raises(Refusal) as info:
            parse_document(billion_laughs())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    problem = info.value.problems[0]
    assert "expand to more than" in problem.message
    assert (problem.line, problem.column) == (6, 25)  # the alias that crossed the limit
    assert peak < 5 * 2**20


def test_aliases_that_stay_under_the_limit_still_work():
    anchor = "x-common: &common {kind: fire_rescue, base: county-a, speed: 40km/h}\n"
    text = VALID.replace("teams:\n", anchor + "teams:\n")
    text = text.replace("    kind: fire_rescue\n    base: county-a\n", "    <<: *common\n")
    with pytest.raises(InputError) as info:  # the anchor holder is an unknown top-level key
        load_text(text)
    assert [p.path for p in info.value.problems] == ["x-common"]
    doc = parse_document(text)
    assert doc.data["teams"]["boat-1"]["kind"] == "fire_rescue"
    assert doc.data["teams"]["boat-1"]["speed"] == "40km/h"


def test_merged_value_errors_point_at_the_anchor_definition():
    anchor = "x-common: &common {kind: fire_rescue, base: county-a, members: lots}"
    text = VALID.replace("teams:\n", anchor + "\nteams:\n")
    text = text.replace("    kind: fire_rescue\n    base: county-a\n", "    <<: *common\n")
    with pytest.raises(InputError) as info:
        load_text(text, "f.yaml")
    members = [p for p in info.value.problems if p.path == "teams.boat-1.members"]
    assert members and members[0].line == text.splitlines().index(anchor) + 1


def test_merge_precedence_follows_yaml():
    doc = parse_document("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc: {<<: [*a, *b], x: 0}\n")
    assert doc.data["c"] == {"x": 0, "y": 1, "z": 2}


def test_nesting_limit_is_exact():
    ok = parse_document(deep_block(MAX_DEPTH))  # MAX_DEPTH nested mappings are allowed
    assert ok.data is not None
    with pytest.raises(Refusal) as info:
        parse_document(deep_block(MAX_DEPTH + 1))
    assert info.value.problems[0].message == f"nesting deeper than {MAX_DEPTH} levels"


def test_node_limit_is_exact():
    # root mapping (1) + key (1) + list (1) + items
    fits = MAX_NODES - 3
    doc = parse_document("x: [" + "1," * (fits - 1) + "1]\n")
    assert len(doc.data["x"]) == fits
    with pytest.raises(Refusal):
        parse_document("x: [" + "1," * fits + "1]\n")


def test_yaml_1_1_surprises_stay_text():
    doc = parse_document("a: 12:30\nb: NO\nc: on\nd: 017\ne: 0o17\nf: 1_000\ng: ~\nh: yes\n")
    assert doc.data == {"a": "12:30", "b": "NO", "c": "on", "d": 17, "e": 15, "f": 1000, "g": None,
                        "h": "yes"}


def test_keys_stay_as_written():
    doc = parse_document("001: a\ntrue: b\nnull: c\n1.50: d\n")
    assert list(doc.data) == ["001", "true", "null", "1.50"]


def test_many_problems_are_printed_with_a_summary_line(tmp_path):
    path = tmp_path / "many.yaml"
    unknown = ", ".join(f"k{i}: 1" for i in range(5000))
    extra = f"  extra: {{name: E, kind: social, base: county-a, capabilities: [x], {unknown}}}\n"
    path.write_text(VALID.replace("teams:\n", "teams:\n" + extra), encoding="utf-8")
    script = Path(sys.executable).with_name("drillsim")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "drillsim.cli"]
    result = subprocess.run([*cmd, "validate", str(path)], capture_output=True, text=True, timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert len(lines) == MAX_SHOWN + 1
    assert lines[-1] == f"… and {5000 - MAX_SHOWN} more problems"
    few = subprocess.run([*cmd, "validate", "--max-problems", "3", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert few.stderr.splitlines()[-1] == "… and 4997 more problems"
    assert len(few.stderr.splitlines()) == 4


@pytest.mark.parametrize("name", ["alias-bomb", "python-object-apply", "binary-garbage", "directory",
                                  "symlink-loop", "deep-flow-100k"])
def test_cli_refuses_without_a_traceback(name, tmp_path):
    case = next(c for c in CASES if c.name == name)
    path = case.build(tmp_path)
    script = Path(sys.executable).with_name("drillsim")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "drillsim.cli"]
    for command in ("validate", "run"):
        result = subprocess.run([*cmd, command, str(path), *(["--out", str(tmp_path / "run")]
                                                              if command == "run" else [])],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(str(path) + ":")
    assert not (tmp_path / "run").exists()
