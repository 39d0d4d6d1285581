"""Time and peak memory of the loader on every hostile input (tests/hostile_cases.py).

Run: ``.venv/bin/python benchmarks/hostile_inputs.py [--json FILE]``. Each case is loaded in a fresh
process so memory numbers do not mix: wall time of ``drillsim.scenario.load``, the growth of the
process's peak resident set (``ru_maxrss``) over the baseline after imports, and the peak of Python
allocations seen by ``tracemalloc`` (a second load). Also times a flagship-size scenario (the
bundled ones, and a generated one with 200 teams, 60 regions and 100 injects).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

CHILD = r"""
import json, resource, sys, time, tracemalloc
from drillsim.errors import InputError
from drillsim.scenario import load
path = sys.argv[1]
def once():
    try:
        load(path)
        return "ok", ""
    except InputError as exc:
        return "refused", exc.problems[0].format()[:140] + (f" (+{len(exc.problems) - 1} more)"
                                                             if len(exc.problems) > 1 else "")
load_small = sys.argv[2]
load(load_small)  # warm imports (the scoring library too) and pydantic's validators
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
outcome, first = once()
wall = time.perf_counter() - t0
rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
tracemalloc.start()
once()
peak = tracemalloc.get_traced_memory()[1] / 2**20
tracemalloc.stop()
print(json.dumps({"outcome": outcome, "wall_s": wall, "rss_growth_mib": rss, "traced_peak_mib": peak,
                  "first": first}))
"""


def flagship_like(path: Path) -> Path:
    """A scenario bigger than any flagship: 60 regions, 200 teams, 100 injects, 10 decisions."""
    regions = ["  prov: {name: P, level: province, location: [116.4, 39.9]}\n"]
    regions += [f"  c{i}: {{name: C{i}, level: county, parent: prov, "
                f"location: [{116 + i * 0.02:.2f}, 39.8]}}\n" for i in range(10)]
    regions += [f"  t{i}: {{name: T{i}, level: township, parent: c{i % 10}}}\n" for i in range(49)]
    teams = [f"  team-{i}:\n    name: {{zh: 队{i}, en: Team {i}}}\n    kind: social\n    base: c{i % 10}\n"
             f"    members: {10 + i % 7}\n    capabilities: [water_rescue, search_rescue]\n"
             "    speed: 30km/h\n" for i in range(200)]
    injects = [f"  M-{i:03d}:\n    at: {i * 10}m\n    from: simcell\n    to: [hq]\n    type: event\n"
               f"    title: {{zh: 事件{i}, en: Event {i}}}\n    message: {{zh: 消息{i}, en: Message {i}}}\n"
               f"    expected_action: {{zh: 处置, en: Act}}\n    objectives: [O-1]\n" for i in range(100)]
    decisions = [f"  D-{i}:\n    at: {i}h\n    role: hq\n    prompt: Decide {i}?\n    options:\n"
                 f"      a: {{label: A}}\n      b: {{label: B}}\n    default: a\n    time_limit: 20m\n"
                 for i in range(10)]
    path.write_text("drillsim: 1\nid: big\ntitle: Big\nhazard: flood\nstart: 2024-07-20T00:00:00+08:00\n"
                    "duration: 24h\nregions:\n" + "".join(regions)
                    + "agencies:\n  hq: {name: HQ, region: prov, initial_level: IV}\n"
                    + "teams:\n" + "".join(teams)
                    + "injects:\n" + "".join(injects) + "decisions:\n" + "".join(decisions)
                    + "objectives:\n  O-1:\n    capability: operational_coordination\n    text: Coordinate\n"
                    "    tasks:\n      t:\n        text: Decide fast\n        metric: decision_delay\n"
                    "        thresholds: {P: 10m, S: 20m, M: 30m}\n", encoding="utf-8")
    return path


def measure(path: Path, small: Path) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", CHILD, str(path), str(small)], capture_output=True,
                            text=True, timeout=600)
    if result.returncode != 0:
        return {"outcome": "CRASH", "wall_s": float("nan"), "rss_growth_mib": float("nan"),
                "traced_peak_mib": float("nan"), "first": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout)


def main() -> int:
    """Measure every case and print a table."""
    from tests.hostile_cases import CASES

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    small = ROOT / "scenarios" / "mentougou-flash-flood.yaml"  # warms every import a load can need
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        inputs = [(c.name, c.build) for c in CASES if c.root_can_read]
        bundled = sorted((ROOT / "scenarios").glob("*.yaml"))
        inputs += [("flagship:" + p.stem, lambda _t, p=p: p) for p in bundled]
        inputs += [("generated-large-valid", lambda t: flagship_like(t / "big.yaml"))]
        for name, build in inputs:
            where = base / name.replace(":", "_")
            where.mkdir()
            path = build(where)
            row = {"case": name, **measure(path, small)}
            rows.append(row)
            print(f"{name:30s} {row['outcome']:8s} {row['wall_s'] * 1000:8.1f} ms  "
                  f"rss +{row['rss_growth_mib']:6.1f} MiB  traced {row['traced_peak_mib']:6.1f} MiB",
                  flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
