"""``python -m benchmarks.replay_viewer [LOG] [--incidents-per-hour N]``: how fast the replay viewer jumps.

Without LOG, generates a 96-hour log from the bundled flood scenario with many incidents (``--set``
overrides: 96 h, the generator's rate, more fire crews), then measures on it:

* reading the log and building the index (time index + snapshots of the console's view);
* jumping to random moments: the view's state alone (``Player.seek_time``), and the state plus the
  redraw of every pane in the headless app (what a key press costs on the UI thread; scoring runs in
  a worker when slow and is measured separately);
* scoring the records so far at random moments (``drillsim.scoring.score``).

Writes benchmarks/replay_results.json and prints a summary. Wall times depend on the machine; the
target the viewer is built for is a jump under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

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


def stats(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2), "max_ms": round(ms[-1], 2)}


def measure(path: Path, jumps: int = 60) -> dict:
    from drillsim.log import read_log
    from drillsim.scoring import score
    from drillsim.tui.replay.app import ReplayViewer
    from drillsim.tui.replay.player import Player

    t0 = time.perf_counter()
    log = read_log(path)
    t1 = time.perf_counter()
    player = Player(log)
    t2 = time.perf_counter()
    rng = random.Random(7)
    moments = [rng.uniform(0, player.duration) for _ in range(jumps)]
    state = []
    for t in moments:
        s = time.perf_counter()
        player.seek_time(t)
        state.append(time.perf_counter() - s)
    scoring = []
    for t in moments[:10]:
        s = time.perf_counter()
        score(log.header, log.records[: player.index.upto(t)], t)
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
    return {"log": str(path), "records": len(log.records), "bytes": path.stat().st_size,
            "read_s": round(t1 - t0, 2), "index_s": round(t2 - t1, 2), "snapshot_every": player.snapshots.every,
            "jump_state": stats(state), "jump_with_panes": stats(panes), "score_so_far": stats(scoring)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.replay_viewer", description=__doc__)
    ap.add_argument("log", nargs="?", type=Path, help="a log to measure (default: generate one)")
    ap.add_argument("--incidents-per-hour", type=int, default=300)
    ap.add_argument("--crews", type=int, default=150)
    ap.add_argument("--out", type=Path, default=HERE / "replay_results.json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.log or generate(Path(tmp) / "long", args.incidents_per_hour, args.crews)
        result = measure(path)
    from drillsim.fileio import atomic_write_text

    atomic_write_text(args.out, json.dumps(result, indent=2) + "\n")
    print(f"replay viewer on {result['records']:,} records ({result['bytes'] / 2**20:.0f} MiB): "
          f"read {result['read_s']} s, index {result['index_s']} s (snapshot every {result['snapshot_every']})")
    for key in ("jump_state", "jump_with_panes", "score_so_far"):
        s = result[key]
        print(f"  {key:16} median {s['median_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms (n={s['n']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
