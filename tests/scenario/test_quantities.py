"""Inject messages quote live quantities: the names a scenario offers, and the error for one it does not."""

from __future__ import annotations

import textwrap

import pytest

from drillsim.cli import main
from drillsim.errors import InputError
from drillsim.scenario import load_text
from drillsim.scenario.quantities import available, fill, show

BASE = """\
drillsim: 1
id: t
title: Test
hazard: flood
start: 2023-07-29T17:00:00+08:00
duration: 12h
regions:
  county: {name: County, level: county, location: [116.0, 39.9]}
agencies:
  hq: {name: HQ, region: county}
hazards:
  rivers:
    lugouqiao: {name: Lugouqiao, region: county, base_flow: 50, inflow: {county: 10}}
  rain:
    regions:
      county: {curve: [[0h, 0], [2h, 30]]}
injects:
  M12:
    at: 1h
    to: [hq]
    title: Gate opens
    message:
      zh: 卢沟桥流量{river.lugouqiao.flow}立方米每秒
      en: "Lugouqiao is at {river.lugouqiao.flwo} m³/s"
"""


def test_a_scenario_offers_its_rivers_and_the_world_counts():
    text = BASE.replace("flwo", "flow")
    names = available(load_text(text, "<t>").scenario)
    assert names["river.lugouqiao.flow"] == "m³/s" and names["river.lugouqiao.max_flow"] == "m³/s"
    assert {"incidents.open", "people.trapped", "people.rescued", "people.lost"} <= set(names)


def test_an_unknown_quantity_is_refused_at_its_file_line_column_and_field():
    with pytest.raises(InputError) as info:
        load_text(textwrap.dedent(BASE), "<t>")
    lines = [p.format() for p in info.value.problems]
    assert len(lines) == 1
    assert lines[0].startswith("<t>:24:28:")  # the placeholder itself, in the English message
    assert "injects.M12.message.en: unknown quantity 'river.lugouqiao.flwo'" in lines[0]
    assert "did you mean 'river.lugouqiao.flow'?" in lines[0]


def test_validate_exits_2_on_an_unknown_quantity_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:24:28:" in err and "unknown quantity" in err and "Traceback" not in err


def test_values_are_written_as_a_message_would():
    assert show(3775.8) == "3,776" and show(12.0) == "12" and show(2.35) == "2.4"
    filled = fill("{river.a.flow} and {river.b.flow} and {x}", {"river.a.flow": 856.0})
    assert filled == "856 and {river.b.flow} and {x}"  # an unknown name is left as written
