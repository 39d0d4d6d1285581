"""Factors: values written back with units validate like the file, and map to the numbers runs used."""

from __future__ import annotations

import pytest

from drillsim import units
from drillsim.sweeps.factors import Factor, infer_kind, make_levels, parse_value, write_value


def test_unit_values_are_written_with_units_and_read_back_exactly():
    f = Factor("county-deadline", "county-deadline", "duration", 30.0, 120.0)
    level = f.from_unit(0.25)
    assert level.written == "52.5m" and level.text == "52.5m" and level.value == 52.5
    rate = Factor("flood-rate", "flood-rate", "rate", 0.5 / 60, 4 / 60)
    lv = rate.from_unit(0.5)
    assert lv.written.endswith("/h")
    assert units.parse_rate(lv.written) == lv.value  # the number in the table is what the run used
    assert write_value("speed", 12.5) == "12.5km/h"


def test_count_factor_gives_each_whole_number_an_equal_share():
    f = Factor("members", "teams.a.members", "count", 1, 4)
    got = [f.from_unit(u / 1000).value for u in range(1000)]
    assert sorted(set(got)) == [1, 2, 3, 4]
    assert all(abs(got.count(n) - 250) <= 1 for n in (1, 2, 3, 4))
    assert f.from_unit(1.0).value == 4


def test_grid_levels():
    f = Factor("d", "d", "duration", 30.0, 120.0)
    assert [lv.text for lv in f.grid(4)] == ["30m", "60m", "90m", "120m"]
    c = Factor("n", "n", "count", 1, 3)
    assert [lv.value for lv in c.grid(5)] == [1, 2, 3]  # rounded and deduplicated
    v = Factor("p", "p", "probability", values=make_levels("probability", [0.6, 0.8]))
    assert [lv.value for lv in v.grid(7)] == [0.6, 0.8]


def test_listed_values_keep_the_authors_spelling():
    levels = make_levels("duration", ["30m", "1h"])
    assert [(lv.value, lv.text, lv.written) for lv in levels] == [(30.0, "30m", "30m"), (60.0, "1h", "1h")]


@pytest.mark.parametrize(("kind", "raw"), [("duration", "30"), ("duration", "soon"), ("probability", 1.5),
                                          ("count", 2.5), ("bool", "yes"), ("rate", "4")])
def test_bad_values_are_refused(kind, raw):
    with pytest.raises(ValueError):
        parse_value(kind, raw)


def test_kind_of_a_raw_path_from_the_validated_value():
    assert infer_kind("30m", 30.0) == "duration"
    assert infer_kind("30m", 0.03) == "distance"
    assert infer_kind("30m", None) is None  # ambiguous without the validated value
    assert infer_kind("40km/h", 40.0) == "speed"
    assert infer_kind(12, 12) == "count"
    assert infer_kind(0.9, 0.9) == "number"
    assert infer_kind(True, True) == "bool"
    assert infer_kind("province", "province") == "choice"
