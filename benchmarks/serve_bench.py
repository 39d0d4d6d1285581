"""``python -m benchmarks.serve_bench``: many seats on one ``drillsim serve`` while the rainstorm runs at ×3600.

A real server process (headless, clock running at ×3600) and N real websocket clients in this
process: one controller that keeps the clock running (a decision of a played role pauses it), one
observer, and players for ten agencies of the rainstorm (the five decision roles among them).
Every player answers its decisions as soon as they open and sends a message to control about once a
second; each is a real input through ``Exercise.submit``. Measured over the whole run, per seat:

* **screen updates per second**: messages that change what the seat console draws (a clock status
  with a new time, or new records), counted per wall second while the clock runs; the worst second
  and the worst seat are reported, with the longest gap between two updates;
* **input round trip**: from sending a request to its ``result`` (the input applied and logged),
  median and 95th percentile over every input of every seat.

Writes ``benchmarks/serve_results.json`` and prints a table. Not a timed unit test: the numbers are
reported (README), and ``pytest -m bench`` runs a short version that checks they are measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.serve.harness import Client, Server  # noqa: E402 - the same real-server harness as the tests

PLAYERS = ("bj-flood-hq", "zz-flood-hq", "hb-flood-hq", "hb-fire", "mtg-flood-hq", "fs-flood-hq", "tj-flood-hq",
           "bd-flood-hq", "hb-command", "bj-command")


def seats_yaml(players: int) -> str:
    lines = ["seats:", "  director:", "    rights: controller", "  screen:", "    rights: observer"]
    for agency in PLAYERS[:players]:
        lines += [f"  t-{agency}:", "    rights: player", f"    roles: [{agency}]"]
    return "\n".join(lines) + "\n"


async def seat_loop(client: Client, player: bool, stop: asyncio.Event, rtts: list[float]) -> None:
    answered: set[str] = set()
    n = 0
    next_message = time.monotonic() + 1.0
    while not stop.is_set():
        if player:
            for rec in client.records:
                if rec[2] == "decision.opened" and rec[4] not in answered and rec[5].get("asked") == "players":
                    answered.add(rec[4])
                    start = time.monotonic()
                    option = next(iter(rec[5]["options"]))
                    await client.request({"type": "decide", "decision": rec[4], "option": option})
                    rtts.append(time.monotonic() - start)
            if time.monotonic() >= next_message:
                n += 1
                start = time.monotonic()
                result = await client.request({"type": "message", "text": f"situation report {n}"})
                if result["ok"]:
                    rtts.append(time.monotonic() - start)
                next_message = time.monotonic() + 1.0
        await asyncio.sleep(0.05)


async def keep_running(control: Client, stop: asyncio.Event, rtts: list[float]) -> None:
    while not stop.is_set():
        status = control.status
        if status is not None and not status["running"] and not status["ended"]:
            start = time.monotonic()
            await control.request({"type": "clock", "action": "run"})
            rtts.append(time.monotonic() - start)
        await asyncio.sleep(0.05)


def updates_per_second(client: Client, t0: float, t1: float) -> tuple[list[int], float]:
    """Screen updates in each whole second of [t0, t1), and the longest gap between two updates."""
    times = []
    last_now = None
    for t, m in client.messages:
        if not t0 <= t < t1:
            continue
        if m["type"] == "records" and m["records"]:
            times.append(t)
        elif m["type"] == "status" and m["now"] != last_now:
            last_now = m["now"]
            times.append(t)
    seconds = int(t1 - t0)
    counts = [sum(1 for t in times if t0 + i <= t < t0 + i + 1) for i in range(seconds)]
    gaps = [b - a for a, b in zip([t0, *times], [*times, t1], strict=True)]
    return counts, max(gaps)


async def measure(seats: int, speed: int, seconds: float, scenario: str) -> dict:
    players = seats - 2
    with tempfile.TemporaryDirectory() as tmp:
        srv = Server(Path(tmp) / "run", "--speed", str(speed), "--run", scenario=scenario, seats=seats_yaml(players))
        try:
            clients = {name: await Client.join(srv.url, token) for name, token in srv.tokens.items()}
            for c in clients.values():
                await c.until(lambda c=c: c.status, 60, "the first status")
            stop = asyncio.Event()
            rtts: list[float] = []
            clock_rtts: list[float] = []
            tasks = [asyncio.create_task(seat_loop(c, name.startswith("t-"), stop, rtts))
                     for name, c in clients.items() if name != "director"]
            tasks.append(asyncio.create_task(keep_running(clients["director"], stop, clock_rtts)))
            sim0 = clients["screen"].status["now"]
            t0 = time.monotonic()
            while time.monotonic() - t0 < seconds and not clients["screen"].status["ended"]:
                await asyncio.sleep(0.2)
            t1 = time.monotonic()
            sim1 = clients["screen"].status["now"]
            stop.set()
            await asyncio.gather(*tasks)
            per_seat = {}
            for name, c in clients.items():
                counts, gap = updates_per_second(c, t0, t1)
                per_seat[name] = {"min_per_s": min(counts), "median_per_s": statistics.median(counts),
                                  "longest_gap_s": round(gap, 3), "records": len(c.records)}
            for c in clients.values():
                await c.close()
        finally:
            srv.kill()
        rtts.sort()
        return {
            "scenario": scenario, "seats": seats, "players": players, "speed": speed,
            "wall_s": round(t1 - t0, 1), "simulated_h": round((sim1 - sim0) / 60, 2),
            "simulated_h_per_wall_s": round((sim1 - sim0) / 60 / (t1 - t0), 3),
            "updates_min_per_s": min(s["min_per_s"] for s in per_seat.values()),
            "updates_median_per_s": statistics.median(s["median_per_s"] for s in per_seat.values()),
            "longest_gap_s": max(s["longest_gap_s"] for s in per_seat.values()),
            "inputs": len(rtts),
            "rtt_median_ms": round(1000 * statistics.median(rtts), 1) if rtts else None,
            "rtt_p95_ms": round(1000 * rtts[int(0.95 * (len(rtts) - 1))], 1) if rtts else None,
            "rtt_max_ms": round(1000 * rtts[-1], 1) if rtts else None,
            "per_seat": per_seat,
        }


def render(r: dict) -> str:
    return "\n".join([
        f"drillsim serve: {r['seats']} seats ({r['players']} players), {r['scenario']} at ×{r['speed']}, "
        f"{r['wall_s']} s wall = {r['simulated_h']} simulated hours",
        f"  screen updates per seat: worst second {r['updates_min_per_s']}/s, median {r['updates_median_per_s']}/s, "
        f"longest gap {r['longest_gap_s']} s",
        f"  input round trip: median {r['rtt_median_ms']} ms, p95 {r['rtt_p95_ms']} ms, max {r['rtt_max_ms']} ms "
        f"({r['inputs']} inputs)",
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.serve_bench", description=__doc__)
    ap.add_argument("--seats", type=int, default=12)
    ap.add_argument("--speed", type=int, default=3600)
    ap.add_argument("--seconds", type=float, default=40.0)
    ap.add_argument("--scenario", default="rainstorm-2023-07")
    ap.add_argument("--out", type=Path, default=HERE / "serve_results.json")
    args = ap.parse_args(argv)
    result = asyncio.run(measure(args.seats, args.speed, args.seconds, args.scenario))
    result["machine"] = {"cores": os.cpu_count(), "python": platform.python_version()}
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
