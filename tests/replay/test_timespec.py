"""Times as trainers type them."""

from datetime import datetime

import pytest

from drillsim.replay.timespec import parse_time

START = datetime.fromisoformat("2023-07-31T06:00:00+08:00")
DAYS4 = 96 * 60.0


@pytest.mark.parametrize(("text", "now", "minutes"), [
    ("T+6h", 0, 360), ("T+1d2h30m", 0, 1590), ("T+06:30", 0, 390), ("T+50:00", 0, 3000), ("T+0", 0, 0),
    ("t + 45m", 0, 45), ("+30m", 100, 130), ("-1h", 100, 40), ("14:20", 0, 500), ("14:20:30", 0, 500.5),
    ("14:20", 2000, 1940),  # the viewer's current day (day 2)
    ("D2 14:20", 0, 1940), ("d3 05:00", 0, 2820), ("2023-08-01 14:20", 0, 1940), ("2023-08-01T06:00", 0, 1440),
])
def test_accepted_forms(text, now, minutes):
    assert parse_time(text, START, DAYS4, now) == pytest.approx(minutes)


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty time"), ("390", "is not a time"), ("25:00", "not a clock time"), ("05:00", "outside the exercise"),
    ("T+97h", "outside the exercise"), ("D0 10:00", "numbered from D1"), ("2023-02-30 10:00", "not a date"),
    ("T+soon", "is not a time"), ("-1h", "outside the exercise"),
])
def test_refused_forms_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_time(text, START, DAYS4, 0.0)


def test_clock_times_need_a_start():
    assert parse_time("T+2h", None, 600) == 120
    with pytest.raises(ValueError, match="no start time"):
        parse_time("10:00", None, 600)
