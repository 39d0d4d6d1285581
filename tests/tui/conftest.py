"""Helpers for driving the console headless: build an app on a scenario, wait for conditions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from drillsim.scenario import load
from drillsim.tui.app import DrillConsole
from drillsim.tui.driver import LiveDriver

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def scenario_file(name: str) -> str:
    """A test scenario by name, or a bundled scenario id."""
    path = SCENARIOS / f"{name}.yaml"
    return str(path) if path.exists() else name


def make_app(name: str = "mentougou-flash-flood", *, players: tuple[str, ...] = (),
             log_path: Path | None = None, out_dir: Path | None = None, lang: str = "en", speed: int = 60,
             seed: int | None = None, notify_injects: bool = False) -> DrillConsole:
    """A console on a fresh exercise (not started)."""
    driver = LiveDriver.start(load(scenario_file(name)), seed, log_path=log_path, players=players)
    return DrillConsole(driver, lang=lang, out_dir=out_dir, speed=speed,
                        notify_injects=notify_injects)


async def wait_until(pilot, predicate: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Let the app run until ``predicate()`` holds (fails the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.05)


@pytest.fixture
def run_async():
    """Run a coroutine to completion (the suite has no asyncio plugin)."""
    return asyncio.run


@pytest.fixture
def faults_expected():
    """Requested by tests that make the console fail on purpose (see ``no_unexpected_failures``)."""


@pytest.fixture(autouse=True)
def no_unexpected_failures(request, monkeypatch):
    """A console test fails if the console caught an exception it was not meant to.

    ``DrillConsole.fail`` keeps tracebacks away from the facilitator's terminal; this keeps them in
    front of the tests: any problem it handled, outside the tests that ask for ``faults_expected``,
    fails the test with the traceback.
    """
    import traceback

    caught: list[BaseException] = []
    original = DrillConsole.fail

    def fail(self, problem):
        caught.append(problem)
        original(self, problem)

    monkeypatch.setattr(DrillConsole, "fail", fail)
    yield caught
    if caught and "faults_expected" not in request.fixturenames:
        first = caught[0]
        error = getattr(first, "error", first)
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        pytest.fail(f"the console stopped on an unexpected error: {error!r}\n{details}")
