"""Parameters files (`--params FILE`): accepted by run and sweep, refused with a located error when out of bounds."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from drillsim.cli import main

HERE = Path(__file__).parent
SCENARIO = HERE / "lowland.yaml"


def params(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def activation(log: Path) -> float:
    for line in log.read_text(encoding="utf-8").splitlines()[1:]:
        rec = orjson.loads(line)
        if rec["kind"] == "storage.activated":
            return float(rec["t"])
    raise AssertionError("the storage area never opened")


def test_run_uses_the_values_of_a_parameters_file(tmp_path):
    path = params(tmp_path, "scenario: lowland\nparameters:\n  walk-rate: 1500/h\n")
    assert main(["run", str(SCENARIO), "--params", str(path), "--no-report", "-q", "--out", str(tmp_path / "a")]) == 0
    assert main(["run", str(SCENARIO), "--no-report", "-q", "--out", str(tmp_path / "b")]) == 0
    # 3,000 people at 1,500/h instead of 1,000/h: the gates open an hour earlier (1 h + 2 h + 45 min)
    assert activation(tmp_path / "a" / "events.jsonl") == 225.0
    assert activation(tmp_path / "b" / "events.jsonl") == 285.0
    header = json.loads((tmp_path / "a" / "events.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["data"]["overrides"] == [["walk-rate", "1500/h"]]  # recorded like --set: replay re-applies it


def test_set_wins_over_the_parameters_file(tmp_path):
    path = params(tmp_path, "parameters:\n  walk-rate: 1500/h\n")
    assert main(["run", str(SCENARIO), "--params", str(path), "--set", "walk-rate=3000/h", "--no-report", "-q",
                 "--out", str(tmp_path / "a")]) == 0
    assert activation(tmp_path / "a" / "events.jsonl") == 60 + 60 + 45


def test_a_value_outside_the_declared_range_is_refused_with_its_location(tmp_path, capsys):
    path = params(tmp_path, "parameters:\n  report-delay: 20m\n  walk-rate: 9000/h\n")
    code = main(["run", str(SCENARIO), "--params", str(path), "--no-report", "--out", str(tmp_path / "a")])
    err = capsys.readouterr().err
    assert code == 2
    assert (f"{path}:3:14: parameters.walk-rate: `walk-rate`: 9000/h is outside the declared range 500/h to "
            "3000/h") in err
    assert "Traceback" not in err and not (tmp_path / "a" / "events.jsonl").exists()


def test_an_undeclared_name_and_a_wrong_kind_are_both_reported(tmp_path, capsys):
    path = params(tmp_path, "parameters:\n  walk-speed: 2km/h\n  report-delay: soon\n")
    assert main(["run", str(SCENARIO), "--params", str(path), "--no-report", "--out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2:3: parameters.walk-speed: `walk-speed` is not a parameter of this scenario" in err
    assert f"{path}:3:17: parameters.report-delay: `report-delay`:" in err


def test_a_parameters_file_for_another_scenario_is_refused(tmp_path, capsys):
    path = params(tmp_path, "scenario: rainstorm-2023-07\nparameters:\n  walk-rate: 1500/h\n")
    assert main(["run", str(SCENARIO), "--params", str(path), "--no-report", "--out", str(tmp_path / "a")]) == 2
    assert f"{path}:1:11: scenario: the file is for scenario `rainstorm-2023-07`, not `lowland`" in \
        capsys.readouterr().err


def test_sweep_accepts_a_parameters_file(tmp_path):
    path = params(tmp_path, "parameters:\n  walk-rate: 1500/h\n")
    out = tmp_path / "sweep"
    assert main(["sweep", str(SCENARIO), "--params", str(path), "--vary", "report-delay=10m,30m", "--workers", "1",
                 "--no-report", "-q", "--out", str(out)]) == 0
    manifest = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert ["walk-rate", "1500/h"] in manifest["spec"]["overrides"]
