"""`drillsim validate` exit codes: 0 valid (warnings printed), 2 errors, `--lint` makes warnings exit 1."""

from __future__ import annotations

from pathlib import Path

from drillsim.cli import main

TESTS = Path(__file__).resolve().parents[1]
ONE = TESTS / "scenarios" / "one-incident.yaml"
BAD = TESTS / "bad" / "wrong-type-members.yaml"


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_lint_findings_are_warnings_that_fail_only_with_lint(capsys):
    code, out, err = run(capsys, str(ONE))
    assert code == 0 and out[0].startswith(f"{ONE}: ok") and err == []
    code, out, err = run(capsys, "--lint", str(ONE))
    assert code == 1
    assert err == [f"{ONE}:44:3: injects.I-01: warning: inject 'I-01' names neither a capability nor an "
                   "objective (expected `capability:` (a core capability) or `objectives: [...]`)"]
    assert out[0].endswith("1 warning(s))")


def test_semantic_warnings_print_without_failing(capsys, tmp_path):
    path = tmp_path / "off-duty.yaml"
    path.write_text(ONE.read_text(encoding="utf-8").replace("    speed: 40km/h\n",
                                                            "    speed: 40km/h\n    on_duty: false\n"))
    code, _, err = run(capsys, str(path))
    assert code == 0
    assert len(err) == 1 and ": warning: only teams that are never put on duty" in err[0]


def test_errors_win_over_warnings(capsys):
    code, out, err = run(capsys, "--lint", str(ONE), str(BAD))
    assert code == 2
    assert [line for line in out if line.startswith(str(ONE))]
    assert any(line.startswith(f"{BAD}:") and "warning" not in line for line in err)
    code, _, _ = run(capsys, "--lint", str(BAD), str(ONE))
    assert code == 2


def test_quiet_prints_problems_only(capsys):
    code, out, err = run(capsys, "--quiet", "--lint", str(ONE))
    assert code == 1 and out == [] and len(err) == 1
