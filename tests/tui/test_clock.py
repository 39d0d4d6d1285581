"""The clock: speed steps, pause, "run to", and a bounded amount of simulation per tick."""

from __future__ import annotations

from drillsim.scenario import load
from drillsim.tui.clock import SPEEDS, Clock
from drillsim.tui.driver import LiveDriver, clean
from tests.tui.conftest import scenario_file


class FakeTimer:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class SlowDriver:
    """A driver whose every advance costs ``cost`` seconds of (fake) wall time."""

    live = True

    def __init__(self, timer: FakeTimer, cost: float, duration: float = 1440.0) -> None:
        self.timer = timer
        self.cost = cost
        self.now = 0.0
        self.duration = duration
        self.ended = False
        self.calls = 0

    def advance(self, until: float) -> bool:
        self.timer.now += self.cost
        self.calls += 1
        self.now = min(until, self.duration)
        return False


def live(players=()) -> LiveDriver:
    return LiveDriver.start(load(scenario_file("mentougou-flash-flood")), players=players)


def test_speed_steps_from_real_time_to_an_hour_per_second():
    clock = Clock(live(), speed=60)
    assert SPEEDS[0] == 1 and SPEEDS[-1] == 3600
    while clock.speed > 1:
        clock.slower()
    assert clock.slower() == 1
    seen = [clock.speed]
    while clock.speed < 3600:
        seen.append(clock.faster())
    assert seen == list(SPEEDS)
    assert clock.faster() == 3600
    assert Clock(live(), speed=100).speed == 60  # an odd speed rounds down to a step


def test_paused_clock_does_not_move_and_running_follows_wall_time():
    d = live()
    clock = Clock(d, speed=600)
    assert clock.tick(1.0).advanced == 0.0
    clock.toggle()
    tick = clock.tick(0.5)  # 0.5 s at ×600 = 5 simulated minutes
    assert abs(d.now - 5.0) < 1e-9 and abs(tick.advanced - 5.0) < 1e-9
    clock.toggle()
    assert not clock.running and clock.tick(1.0).advanced == 0.0


def test_run_to_next_inject_stops_exactly_there():
    d = live()
    clock = Clock(d)
    clock.start_run_to(d.view.next_inject_time(), "inject")
    ticks = 0
    result = clock.tick(0.1)
    while result.reached is None:
        result = clock.tick(0.1)
        ticks += 1
    assert result.reached == "inject" and d.now == 0.0 and not clock.active
    clock.start_run_to(d.view.next_inject_time(), "inject")
    while clock.tick(0.1).reached is None:
        pass
    assert d.now == 60.0 and d.view.injects["M-02"].delivered_at == 60.0


def test_a_players_decision_halts_and_pauses():
    d = live(players=("mtg-flood-hq",))
    clock = Clock(d, speed=3600)
    clock.resume()
    halted = False
    for _ in range(200):
        result = clock.tick(0.1)
        if result.halted:
            halted = True
            break
    assert halted and not clock.active
    assert d.now == 180.0 and [p.key for p in d.view.pending] == ["D-01"]


def test_a_tick_spends_at_most_its_budget_then_says_it_is_behind():
    timer = FakeTimer()
    d = SlowDriver(timer, cost=0.03)
    clock = Clock(d, speed=3600, budget=0.04, timer=timer)
    clock.resume()
    start = timer.now
    clock.tick(10.0)  # asks for 600 simulated minutes
    assert timer.now - start <= 0.04 + 0.03 + 1e-9  # the slice that crossed the budget is the last
    assert clock.behind and d.now < 600.0
    assert clock.slice < 30.0  # slices got shorter because they were expensive
    before = d.now
    clock.tick(0.1)
    assert d.now > before  # keeps going, as fast as the machine allows, without a backlog burst
    assert d.now - before <= clock.slice * 2 + 1e-9


def test_clean_times_are_what_the_log_records():
    for t in (0.0, 1.0, 255.1507540731971, 37.1234, 1e-9, 1439.99999):
        c = clean(t)
        assert c >= t and round(c, 4) == c and c - t < 1e-4 + 1e-12
