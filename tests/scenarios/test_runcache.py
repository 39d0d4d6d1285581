"""The session's shared run cache: each run computed once, whichever worker asks first."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.scenarios.runcache import RunCache


def test_a_second_worker_reads_what_the_first_computed(tmp_path: Path) -> None:
    calls: list[object] = []

    def compute(key: object) -> dict[str, float]:
        calls.append(key)
        return {"rescued": float(len(str(key)))}

    a, b = RunCache(tmp_path), RunCache(tmp_path)
    first = a.many([("run", 1), ("run", 2)], compute)
    again = b.many([("run", 2), ("run", 1), ("run", 3)], compute)
    assert calls == [("run", 1), ("run", 2), ("run", 3)]  # only the new one was run again
    assert again[:2] == first[::-1]


def test_a_run_being_computed_elsewhere_is_put_off_then_read_not_run_twice(tmp_path: Path) -> None:
    order: list[str] = []
    other = RunCache(tmp_path)
    started = threading.Event()

    def slow(key: object) -> dict[str, float]:
        started.set()
        time.sleep(0.5)
        order.append(f"other computed {key}")
        return {"rescued": 7.0}

    t = threading.Thread(target=other.many, args=([("run", 1)], slow))
    t.start()
    started.wait(5)

    def compute(key: object) -> dict[str, float]:
        order.append(f"this computed {key}")
        return {"rescued": 1.0}

    got = RunCache(tmp_path).many([("run", 1), ("run", 2)], compute)
    t.join()
    assert order == ["this computed ('run', 2)", "other computed ('run', 1)"]
    assert got == [{"rescued": 7.0}, {"rescued": 1.0}]


def test_without_a_directory_runs_are_kept_in_memory() -> None:
    calls: list[object] = []
    cache = RunCache(None)
    cache.many([1, 1, 2], lambda k: calls.append(k) or {"k": k})
    assert calls == [1, 2]
