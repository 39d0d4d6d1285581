"""Targets files: checked against the scenario, every problem located (file:line:column), exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.calibrate.targets import read_targets
from drillsim.cli import main
from drillsim.errors import InputError
from drillsim.scenario import load

HERE = Path(__file__).parent
SCENARIO = HERE / "lowland.yaml"


@pytest.fixture(scope="module")
def loaded():
    return load(SCENARIO)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, loaded) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_targets(path, loaded)
    return [p.format() for p in exc.value.problems]


def test_the_bundled_example_reads_times_as_minutes_after_the_start(loaded):
    targets = read_targets(HERE / "lowland.targets.yaml", loaded)
    by_id = {t.id: t for t in targets}
    assert by_id["gates-open"].real == 225.0 and by_id["gates-open"].tolerance == 10.0
    assert by_id["everyone-out"].real == 180.0 and by_id["everyone-out"].holdout is True
    assert by_id["evacuated"].value == "evacuated" and not by_id["evacuated"].is_time


def test_a_selector_naming_an_unknown_id_is_refused_where_it_is_written(tmp_path, loaded):
    path = write(tmp_path, """\
targets:
  gates:
    select: {record: storage.activated, subject: [lowlnd]}
    real: 3h
    tolerance: 10m
    source: test
""")
    (line,) = problems(path, loaded)
    assert line.startswith(f"{path}:3:51: targets.gates.select.subject[0]: `lowlnd` is not an id")


def test_a_bad_record_kind_and_an_unknown_field_are_both_reported(tmp_path, loaded):
    path = write(tmp_path, """\
targets:
  gates:
    select: {record: Storage Activated}
    real: 3h
    tolerance: 10m
    source: test
  other:
    select: {record: storage.activated}
    real: 3h
    tolerence: 10m
    source: test
""")
    lines = problems(path, loaded)
    assert any(x.startswith(f"{path}:3:22: targets.gates.select.record:") for x in lines), lines
    assert any(f"{path}:10:5: targets.other.tolerence: unknown key" in x for x in lines), lines
    assert any("targets.other.tolerance: required field `tolerance` is missing" in x for x in lines), lines


def test_a_value_target_needs_a_number_and_a_time_target_a_moment(tmp_path, loaded):
    path = write(tmp_path, """\
targets:
  when:
    select: {record: storage.activated}
    real: sometime
    tolerance: 10m
    source: test
  how-many:
    select: {record: storage.activated}
    value: evacuated
    real: lots
    tolerance: 100
    source: test
""")
    lines = problems(path, loaded)
    assert any(x.startswith(f"{path}:4:11: targets.when.real:") for x in lines), lines
    assert any(x.startswith(f"{path}:10:11: targets.how-many.real: 'lots' is not a number") for x in lines), lines


def test_targets_for_another_scenario_are_refused(tmp_path, loaded):
    path = write(tmp_path, "scenario: rainstorm-2023-07\ntargets:\n  a: {select: {record: storage.activated}, "
                           "real: 3h, tolerance: 1h, source: x}\n")
    (line,) = problems(path, loaded)
    assert line.startswith(f"{path}:1:11: scenario: the targets are for scenario `rainstorm-2023-07`")


def test_the_command_exits_2_with_the_located_problem_and_no_traceback(tmp_path, capsys):
    path = write(tmp_path, """\
targets:
  gates:
    select: {record: storage.activated, subject: [nowhere]}
    real: 3h
    tolerance: 10m
    source: test
""")
    code = main(["calibrate", str(SCENARIO), "--targets", str(path), "--vary", "walk-rate",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:3:51: targets.gates.select.subject[0]: `nowhere` is not an id" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_the_rainstorm_targets_and_the_documented_examples_are_valid():
    import re

    from drillsim.calibrate.params import check_params
    from drillsim.calibrate.targets import check_targets
    from drillsim.scenario.yamlsafe import parse_document

    rain = load("rainstorm-2023-07")
    targets = read_targets(HERE.parents[1] / "scenarios" / "calibration" / "rainstorm-2023-07.targets.yaml", rain)
    assert len(targets) >= 15 and all(t.source for t in targets)
    doc = (HERE.parents[1] / "docs" / "calibration.md").read_text(encoding="utf-8")
    example, params = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    assert len(check_targets(parse_document(example, "docs/calibration.md"), rain)) == 4
    assert check_params(parse_document(params, "docs/calibration.md"), rain.scenario.parameters,
                        "rainstorm-2023-07") == [("baigou-lag", "13.5h"), ("langouwa-evacuation", "6400/h")]
