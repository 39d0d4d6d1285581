"""Problem lines and the cap on how many are printed."""

from __future__ import annotations

from drillsim.errors import InputError, Problem, format_problems


def problems(n: int, severity: str = "error") -> list[Problem]:
    return [Problem("f.yaml", i + 1, 3, f"teams.t{i}", "bad", "good", severity) for i in range(n)]


def test_a_problem_line_is_located():
    assert Problem("f.yaml", 4, 7, "teams.a.speed", "bad speed '4'", "40km/h").format() == \
        "f.yaml:4:7: teams.a.speed: bad speed '4' (expected 40km/h)"
    empty = Problem("f.yaml", 1, 1, "", "the file is empty")
    assert empty.format() == "f.yaml:1:1: <document>: the file is empty"
    assert Problem("f.yaml", 2, 1, "x", "odd", severity="warning").format() == "f.yaml:2:1: x: warning: odd"


def test_few_problems_are_all_printed():
    assert len(format_problems(problems(3))) == 3


def test_many_problems_end_with_a_count():
    lines = format_problems(problems(120), limit=50)
    assert len(lines) == 51 and lines[-1] == "… and 70 more problems"
    assert format_problems(problems(51), limit=50)[-1] == "… and 1 more problem"
    assert len(format_problems(problems(120), limit=0)) == 120


def test_counted_but_unlisted_errors_are_in_the_count():
    lines = format_problems(problems(1000), limit=50, omitted=119_000)
    assert lines[-1] == "… and 119950 more problems"
    assert format_problems(problems(10), limit=0, omitted=5)[-1] == "… and 5 more problems"


def test_mixed_severities_are_counted_apart():
    mixed = problems(3) + problems(4, "warning")
    assert format_problems(mixed, limit=2)[-1] == "… and 5 more problems (1 error, 4 warnings)"


def test_input_error_text_is_capped():
    assert len(str(InputError(problems(500))).splitlines()) == 51
