"""What the console says about a failure, and the error.txt it writes."""

from __future__ import annotations

from drillsim.tui.driver import SimulationFault, ViewFault
from drillsim.tui.failure import describe, error_text, write_error_file

HEADER = {"scenario": {"id": "s1", "sha256": "ab12"}, "seed": 7, "overrides": [["duration", "2h"]],
          "players": ["hq"]}


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_each_source_is_described_with_what_the_log_is_worth(tmp_path):
    engine = raised(KeyError("team-9"))
    sim = describe(SimulationFault(engine, 95.5, "advance"), now=95.5)
    assert (sim.source, sim.t, sim.during, sim.summary) == ("simulation", 95.5, "advance", "KeyError: 'team-9'")
    sim.log_path, sim.log_end_reason, sim.log_records = "/runs/x/events.jsonl", "error", 120
    text = error_text(sim, HEADER)
    assert "what:       the simulation raised (while the clock moved)" in text
    assert "minute 95.5 after the start (T+01:35)" in text
    assert "s1 (sha256 ab12), seed 7, overrides [['duration', '2h']], players ['hq']" in text
    assert 'exercise.ended (reason "error"); 120 records' in text
    assert "raises the same error at the same record" in text and "KeyError: 'team-9'" in text

    record = (12.0, 40, "team.dispatched", "hq", "boat-1", {})
    view = describe(ViewFault(raised(ValueError("x")), record, "Traceback: view"), now=30.0)
    assert (view.source, view.t, view.record) == ("display", 12.0, record)
    text = error_text(view, HEADER)
    assert "record:     seq 40, t 12.0, team.dispatched" in text and "reproduces the log byte for byte" in text
    assert "closed and readable up to the error, without exercise.ended" not in text
    assert "log:        none" in text  # no log path given

    console = describe(raised(RuntimeError("line one\n   line two")), now=3.0)
    assert console.source == "console" and console.summary == "RuntimeError: line one line two"
    console.log_path = "/l.jsonl"
    assert "closed and readable up to the error, without exercise.ended" in error_text(console, HEADER)
    console.after_end = True
    assert "had already ended when the error happened" in error_text(console, HEADER)


def test_error_file_is_written_atomically_and_a_failure_to_write_is_kept(tmp_path):
    failure = describe(raised(OSError("disk")), now=0.0)
    write_error_file(failure, tmp_path, HEADER)
    assert failure.error_file == str(tmp_path / "error.txt") and not failure.error_file_problem
    first = (tmp_path / "error.txt").read_text()
    failure.later.append("Traceback: second\n")
    write_error_file(failure, tmp_path, HEADER)
    assert (tmp_path / "error.txt").read_text().startswith(first.split("written:")[0])
    assert "--- error 2, raised while stopping or afterwards ---" in (tmp_path / "error.txt").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["error.txt"]

    blocked = tmp_path / "blocked"
    (blocked / "error.txt").mkdir(parents=True)
    other = describe(raised(OSError("disk")), now=0.0)
    write_error_file(other, blocked, HEADER)
    assert other.error_file is None and other.error_file_problem
    write_error_file(other, None, HEADER)
    assert other.error_file_problem == "no output directory"
