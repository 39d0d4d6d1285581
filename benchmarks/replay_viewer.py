"""``python -m benchmarks.replay_viewer [LOG] [--incidents-per-hour N]``: how fast the replay viewer jumps.

Without LOG, generates a 96-hour log from the bundled flood scenario with many incidents (``--set``
overrides: 96 h, the generator's rate, more fire crews), then measures on it:

* reading the log and building the index (time index + snapshots of the console's view);
* jumping to random moments: the view's state alone (``Player.seek_time``, wall and CPU time; the
  log and its index frozen out of the collector's sight first, as the command does), and the state plus the
  redraw of every pane in the headless app (what a key press costs on the UI thread; scoring runs in
  a worker when slow and is measured separately);
* scoring the records so far at random moments (``drillsim.scoring.score``);
* the viewer's memory (``--memory``, each in a fresh process of its own, as ``drillsim replay`` runs):
  the peak RSS (VmHWM) after reading the log, after indexing it, and after jumping with the panes
  drawn and scored; and (tracemalloc, a second process) the bytes the viewer keeps once the log is
  read and indexed, and the peak while it was. Divided by the records: bytes a record.

Writes benchmarks/replay_results.json and prints a summary. Wall times depend on the machine; the
target the viewer is built for is a jump under 200 ms. The script runs with whichever drillsim its
interpreter imports (e.g. another checkout's venv for a before/after comparison on the same log).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def generate(out: Path, per_hour: int, crews: int) -> Path:
    import contextlib
    import io

    from drillsim.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
            code = main(["run", "mentougou-flash-flood", "--set", "duration=96h",
                     "--set", f"generators.mountain-floods.rate={per_hour}/h",
                     "--set", "generators.mountain-floods.until=95h", "--set", f"teams.mtg-fire.count={crews}",
                     "--out", str(out), "--no-report", "-q"])
    if code != 0:
        raise SystemExit(code)
    return out / "events.jsonl"


def open_log(path: Path) -> Any:
    """The log as ``drillsim replay LOG`` reads it: into a store where the viewer holds one, else a list."""
    from drillsim.tui.replay import player

    if hasattr(player, "stored"):  # the viewer holds its log in a RecordStore
        from drillsim.logstore import read_store

        return read_store(path)
    from drillsim.log import read_log

    return read_log(path)


def stats(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2), "max_ms": round(ms[-1], 2)}


def measure(path: Path, jumps: int = 60) -> dict:
    from drillsim.scoring import score
    from drillsim.tui.replay.app import ReplayViewer
    from drillsim.tui.replay.player import Player
    from drillsim.tui.state import Prefix

    t0 = time.perf_counter()
    log = open_log(path)
    t1 = time.perf_counter()
    player = Player(log)
    t2 = time.perf_counter()
    gc.freeze()  # as ``drillsim replay`` does once the log is indexed (ReplayViewer(freeze_gc=True))
    rng = random.Random(7)
    moments = [rng.uniform(0, player.duration) for _ in range(jumps)]
    state, state_cpu = [], []
    for t in moments:
        s, c = time.perf_counter(), time.process_time()
        player.seek_time(t)
        state.append(time.perf_counter() - s)
        state_cpu.append(time.process_time() - c)
    scoring = []
    for t in moments[:10]:
        s = time.perf_counter()
        score(log.header, Prefix(player.records, player.index.upto(t)), t)  # the records so far, as the app
        scoring.append(time.perf_counter() - s)

    panes: list[float] = []

    async def drive() -> None:
        app = ReplayViewer(path, log, freeze_gc=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause(0.2)
            for t in moments:
                app.goto(t)
                panes.append(app.last_jump_seconds)
                await pilot.pause(0.01)

    asyncio.run(drive())
    return {"log": str(path), "records": len(player.records), "bytes": path.stat().st_size,
            "read_s": round(t1 - t0, 2), "index_s": round(t2 - t1, 2), "snapshot_every": player.snapshots.every,
            "jump_state": stats(state), "jump_state_cpu": stats(state_cpu), "jump_with_panes": stats(panes),
            "score_so_far": stats(scoring)}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_child(path: Path, jumps: int = 30) -> dict[str, Any]:
    """Peak RSS of the viewer's own process at each stage (run in a fresh process: ``--memory-child``).

    Everything the command imports is imported first (the RSS then is the floor every stage is
    counted from); then the log is read as the command reads it, indexed (the player), and the
    headless app jumps to ``jumps`` random moments, each drawn and scored as a key press would be,
    waiting for each scoring to finish (at most one runs at a time in the app).
    """
    from drillsim.tui.replay import app as viewer_app

    gc.collect()
    floor = _status_kib("VmRSS")
    log = open_log(path)
    read = _status_kib("VmHWM")
    app = viewer_app.ReplayViewer(path, log, freeze_gc=True)  # builds the player: the index and snapshots
    n = len(app.player.records)
    indexed = _status_kib("VmHWM")
    moments = [random.Random(7).uniform(0, app.player.duration) for _ in range(jumps)]

    async def drive() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause(0.2)
            for t in moments:
                app.goto(t)
                for _ in range(600):
                    if app.scored_position == app.player.position:
                        break
                    await pilot.pause(0.05)

    asyncio.run(drive())
    jumped = _status_kib("VmHWM")
    gc.collect()
    kept = _status_kib("VmRSS")
    mib = lambda kib: round(kib / 1024, 1)  # noqa: E731
    per = lambda kib: round((kib - floor) * 1024 / max(1, n))  # noqa: E731
    return {"records": n, "floor_mib": mib(floor), "hwm_read_mib": mib(read), "hwm_indexed_mib": mib(indexed),
            "hwm_jumped_mib": mib(jumped), "rss_end_mib": mib(kept),
            "bytes_per_record": {"read": per(read), "indexed": per(indexed), "jumped": per(jumped),
                                 "end": per(kept)}}


def held_child(path: Path) -> dict[str, Any]:
    """Bytes the viewer keeps once the log is read and indexed, and the peak while it is (tracemalloc)."""
    import tracemalloc

    from drillsim.tui.replay import app as viewer_app  # noqa: F401  (imported before tracing, as the command)
    from drillsim.tui.replay.player import Player

    gc.collect()
    tracemalloc.start()
    player = Player(open_log(path))
    player.seek_time(player.duration)  # the view at the end, as a viewer showing the log's last moment
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(player.records)
    return {"records": n, "held_mib": round(held / 2**20, 1), "peak_mib": round(peak / 2**20, 1),
            "held_bytes_per_record": round(held / max(1, n)), "peak_bytes_per_record": round(peak / max(1, n))}


def memory(path: Path) -> dict[str, Any]:
    """:func:`memory_child` and :func:`held_child`, each in a fresh process of this interpreter."""
    out: dict[str, Any] = {}
    for flag in ("--memory-child", "--held-child"):
        done = subprocess.run([sys.executable, __file__, str(path), flag], capture_output=True, text=True, check=True)
        out.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.replay_viewer", description=__doc__)
    ap.add_argument("log", nargs="?", type=Path, help="a log to measure (default: generate one)")
    ap.add_argument("--incidents-per-hour", type=int, default=300)
    ap.add_argument("--crews", type=int, default=150)
    ap.add_argument("--out", type=Path, default=HERE / "replay_results.json")
    ap.add_argument("--memory", action="store_true", help="also measure the viewer's memory (two fresh processes)")
    ap.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--held-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child or args.held_child:
        print(json.dumps(memory_child(args.log) if args.memory_child else held_child(args.log)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = args.log or generate(Path(tmp) / "long", args.incidents_per_hour, args.crews)
        result = measure(path)
        if args.memory:
            result["memory"] = memory(path)
    from drillsim.fileio import atomic_write_text

    atomic_write_text(args.out, json.dumps(result, indent=2) + "\n")
    print(f"replay viewer on {result['records']:,} records ({result['bytes'] / 2**20:.0f} MiB): "
          f"read {result['read_s']} s, index {result['index_s']} s (snapshot every {result['snapshot_every']})")
    for key in ("jump_state", "jump_with_panes", "score_so_far"):
        s = result[key]
        print(f"  {key:16} median {s['median_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms (n={s['n']})")
    m = result.get("memory")
    if m:
        print(f"  memory           peak RSS {m['hwm_jumped_mib']} MiB over {m['floor_mib']} MiB of imports "
              f"(read {m['hwm_read_mib']}, indexed {m['hwm_indexed_mib']}); bytes a record {m['bytes_per_record']}; "
              f"kept once indexed {m['held_mib']} MiB ({m['held_bytes_per_record']} B a record, "
              f"peak {m['peak_bytes_per_record']} B)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
