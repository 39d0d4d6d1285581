import pytest

from drillsim import units


@pytest.mark.parametrize(("text", "minutes"), [("30s", 0.5), ("15m", 15), ("2h", 120), ("3d", 4320),
                                               ("1h30m", 90), ("0", 0), (0, 0), ("1.5h", 90), ("90min", 90)])
def test_durations(text, minutes):
    assert units.parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("bad", ["", "5", 5, "5x", "h", "-1h", True, "1h -", "inf h"])
def test_bad_durations(bad):
    with pytest.raises(ValueError):
        units.parse_duration(bad)


def test_speeds_distances_areas_rates():
    assert units.parse_speed("40km/h") == 40
    assert units.parse_speed("10m/s") == pytest.approx(36)
    assert units.parse_distance("300m") == pytest.approx(0.3)
    assert units.parse_area("2km2") == 200
    assert units.parse_rate("4/h") == pytest.approx(4 / 60)
    for fn, bad in ((units.parse_speed, "0km/h"), (units.parse_speed, "40"), (units.parse_distance, "-2km"),
                    (units.parse_rate, "4 per hour")):
        with pytest.raises(ValueError):
            fn(bad)


def test_formatting():
    assert units.format_duration(95.5) == "1h35m30s"
    assert units.format_duration(2880) == "2d"
    assert units.format_clock(605) == "T+10:05"
