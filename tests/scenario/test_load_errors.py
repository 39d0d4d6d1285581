"""Every loader mistake is reported once, located FILE:LINE:COL: path: message (expected)."""

from __future__ import annotations

import re
import textwrap

import pytest

from drillsim.errors import InputError
from drillsim.scenario import load_text

BASE = """\
drillsim: 1
id: t
title: Test
hazard: flood
start: 2023-07-29T17:00:00+08:00
duration: 12h
regions:
  county: {name: County, level: county}
  town: {name: Town, level: township, parent: county}
agencies:
  hq: {name: HQ, region: county}
teams:
  boat: {name: Boat, kind: fire_rescue, base: county, capabilities: [water_rescue], speed: 40km/h}
"""

LINE = re.compile(r"^<t>:(\d+):(\d+): (\S+): (.+)$")


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(textwrap.dedent(text), "<t>")
    lines = [p.format() for p in info.value.problems]
    for line in lines:
        assert LINE.match(line), line
    return lines


def test_valid_base_loads():
    s = load_text(BASE, "<t>").scenario
    assert s.teams["boat"].speed == 40.0
    assert s.duration == 720.0


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # wrong type
        (("members: 10", "members: ten"), None),
        # unknown key, with a did-you-mean hint
        (("speed: 40km/h", "sped: 40km/h"), "<t>:13:85: teams.boat.sped: unknown key `sped` "
         "(expected did you mean `speed`?"),
        # bad unit
        (("speed: 40km/h", "speed: 40 mph"), "<t>:13:92: teams.boat.speed: bad speed '40 mph'"),
        # negative duration
        (("duration: 12h", "duration: -3h"), "<t>:6:11: duration: negative duration '-3h'"),
        # dangling reference
        (("parent: county", "parent: countyy"), "<t>:9:47: regions.town.parent: unknown region "
         "'countyy' (expected did you mean 'county'?"),
        # missing required field
        (("hazard: flood\n", ""), "<t>:1:1: hazard: required field `hazard` is missing"),
        # bad enum value
        (("kind: fire_rescue", "kind: firemen"), "<t>:13:28: teams.boat.kind: 'firemen' is not allowed"),
        # bad date-time
        (("start: 2023-07-29T17:00:00+08:00", "start: 2023-13-45"), "<t>:5:8: start: bad date-time '2023-13-45'"),
    ],
)
def test_single_mistake_located(edit, expected):
    old, new = edit
    if old == "members: 10":
        text = BASE.replace("speed: 40km/h}", "speed: 40km/h, members: ten}")
        lines = problems(text)
        assert lines == ["<t>:13:109: teams.boat.members: not a whole number: 'ten' (expected an integer)"]
        return
    lines = problems(BASE.replace(old, new, 1))
    assert len(lines) == 1, lines
    assert lines[0].startswith(expected), lines[0]


def test_duplicate_id_is_an_error_not_last_one_wins():
    text = BASE + "  boat: {name: Boat 2, kind: social, base: county, capabilities: [x]}\n"
    assert problems(text) == ["<t>:14:3: teams.boat: duplicate key 'boat' (first at line 13) "
                              "(expected each key once per mapping)"]


def test_bad_distribution():
    text = BASE + "rescue:\n  work_time: {gamma: {k: 2}}\n"
    (line,) = problems(text)
    assert line.startswith("<t>:15:14: rescue.work_time: unknown distribution (expected a value, or one of")
    text = BASE + "rescue:\n  work_time: {lognormal: {median: 1h, p95: 30m}}\n"
    (line,) = problems(text)
    assert line == "<t>:15:26: rescue.work_time.lognormal: lognormal needs 0 < median < p95"


def test_yaml_syntax_error_located():
    (line,) = problems(BASE + "injects: [unclosed\n")
    assert line.startswith("<t>:15:1: <document>: YAML syntax error:")


def test_non_mapping_root():
    assert problems("- a\n- b\n") == ["<t>:1:1: <document>: the document is a list (expected a mapping with "
                                      "keys such as drillsim, id, title, regions)"]


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = BASE + f"description: !!python/object/apply:os.system ['touch {marker}']\n"
    (line,) = problems(text)
    assert "tag !!python/object/apply:os.system is not allowed" in line
    assert not marker.exists()


def test_several_mistakes_reported_together():
    text = (BASE.replace("hazard: flood", "hazard: flod").replace("speed: 40km/h", "speed: fast")
            .replace("duration: 12h", "duration: 12"))
    lines = problems(text)
    assert [line.split(": ")[1] for line in lines] == ["hazard", "duration", "teams.boat.speed"]


def test_yaml_11_surprises_are_not_applied():
    # `NO` stays a string (region id Norway), `12:30` is not sexagesimal 750.
    text = BASE + "incidents:\n  i1: {at: 12:30, region: county, kind: NO}\n"
    (line,) = problems(text)
    assert line.startswith("<t>:15:12: incidents.i1.at: bad duration '12:30'")


def test_overrides_are_validated_like_the_file():
    from drillsim.scenario import load_text as lt

    loaded = lt(BASE, "<t>", ["teams.boat.members=40", "duration=2h"])
    assert loaded.scenario.teams["boat"].members == 40
    assert loaded.scenario.duration == 120
    with pytest.raises(InputError) as info:
        lt(BASE, "<t>", ["teams.bot.members=40"])
    assert info.value.problems[0].format().startswith("--set:0:0: teams.bot.members: no such path 'teams.bot'")
    with pytest.raises(InputError) as info:
        lt(BASE, "<t>", ["teams.boat.speed=fast"])
    assert "bad speed 'fast'" in info.value.problems[0].format()
