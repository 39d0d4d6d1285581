"""Peak memory of ``drillsim run`` as users run it: records kept for scoring, the report written.

Each measurement runs the real command (``drillsim.cli.main(["run", …])``) in a fresh process and
reads that process's own high-water mark (``VmHWM``), so nothing is turned off in the measured
path: the log is written, every record is scored, the after-action report and its figures are
drawn. ``python -m benchmarks.memory_run`` prints both numbers.

- :func:`measure_peak_mib_100k_run`: the 100,000-incident benchmark workload
  (:mod:`benchmarks.workload`); the target is under 1 GiB.
- :func:`measure_growth_exponent`: the M/M/6 queue of ``tests/scenarios/mmc.yaml`` run for 1,000 h
  and 10,000 h; the exponent of peak memory in the log's length (records) must be below 1.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks.workload import scenario_data

ROOT = Path(__file__).resolve().parent.parent
MMC = ROOT / "tests" / "scenarios" / "mmc.yaml"

_CHILD = """
import json, resource, sys
from drillsim.cli import main
code = main(sys.argv[2:])
try:  # this process's own peak: ru_maxrss would keep the parent's peak across fork and exec (Linux)
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    peak = int(hwm.split()[1]) * 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "peak_bytes": peak}, fh)
"""


def run_peak(scenario: dict[str, Any], *, report: bool = True) -> dict[str, Any]:
    """Run ``drillsim run`` on ``scenario`` (plain data) in a fresh process; its peak RSS and log length.

    Returns:
        ``{"peak_mib", "records", "log_mib"}``.

    Raises:
        RuntimeError: the command failed (its stderr is in the message).
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{scenario['id']}.yaml"
        path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out, result = Path(tmp) / "run", Path(tmp) / "peak.json"
        cmd = [sys.executable, "-c", _CHILD, str(result), "run", str(path), "--out", str(out), "-q"]
        if not report:
            cmd.append("--no-report")
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not result.exists():
            raise RuntimeError(f"drillsim run failed ({proc.returncode}): {proc.stderr[-2000:]}")
        peak = json.loads(result.read_text())["peak_bytes"]
        log = out / "events.jsonl"
        with log.open("rb") as fh:
            records = sum(1 for _ in fh) - 1
        return {"peak_mib": round(peak / 2**20, 1), "records": records,
                "log_mib": round(log.stat().st_size / 2**20, 1)}


_ENGINE_CHILD = """
import json, sys, pathlib, tempfile
from drillsim.engine import Exercise
from drillsim.scenario import load
with tempfile.TemporaryDirectory() as tmp:
    loaded = load(sys.argv[2], [])
    Exercise(loaded, log_path=pathlib.Path(tmp) / "events.jsonl", keep=False).run()
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
with open(sys.argv[1], "w") as fh:
    json.dump({"peak_bytes": int(hwm.split()[1]) * 1024}, fh)
"""


def engine_peak(scenario: dict[str, Any]) -> float:
    """Peak RSS (MiB) of the engine alone on ``scenario``: the log written, nothing kept, scored or reported.

    The floor under ``drillsim run``: what the command adds above it is what scoring and the report hold.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{scenario['id']}.yaml"
        path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = Path(tmp) / "peak.json"
        proc = subprocess.run([sys.executable, "-c", _ENGINE_CHILD, str(result), str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not result.exists():
            raise RuntimeError(f"the engine run failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return round(json.loads(result.read_text())["peak_bytes"] / 2**20, 1)


def measure_peak_mib_100k_run() -> float:
    """Peak RSS (MiB) of ``drillsim run`` on the 100,000-incident workload, report included (target < 1024)."""
    return float(run_peak(scenario_data(100_000))["peak_mib"])


def mmc_scenario(hours: int) -> dict[str, Any]:
    """``tests/scenarios/mmc.yaml`` (M/M/6: Poisson calls at 4/h, exponential work) run for ``hours``."""
    data = yaml.safe_load(MMC.read_text(encoding="utf-8"))
    data["id"] = f"mmc-{hours}h"
    data["duration"] = f"{hours}h"
    data["generators"]["calls"]["until"] = f"{hours}h"
    return data


def growth(hours: tuple[int, int] = (1_000, 10_000), *, report: bool = True) -> dict[str, Any]:
    """Peak memory of M/M/c runs of two lengths and the exponent of peak in log length."""
    rows = [{"hours": h, **run_peak(mmc_scenario(h), report=report)} for h in hours]
    a, b = rows
    exponent = math.log(b["peak_mib"] / a["peak_mib"]) / math.log(b["records"] / a["records"])
    return {"rows": rows, "exponent": round(exponent, 3)}


def measure_growth_exponent() -> float:
    """Exponent of ``drillsim run``'s peak RSS in the log's length, M/M/c 1,000 h → 10,000 h (must be < 1)."""
    return float(growth()["exponent"])


if __name__ == "__main__":  # pragma: no cover - a manual measurement
    print(json.dumps({"growth": growth(), "peak_mib_100k_run": measure_peak_mib_100k_run()}, indent=1))
