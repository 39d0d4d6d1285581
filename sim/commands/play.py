"""Run a scenario live in the terminal: the facilitator console (textual).

The clock starts paused. Space runs it; ``n`` runs to the next inject, ``m`` to the next
decision; ``i`` delivers an ad-hoc inject, ``o`` logs an observation; ``e``, ``q`` or Ctrl-C ends
the exercise after a confirmation. The event log is written as the exercise runs (it replays
like a ``run`` log); the scorecard and after-action report are written at the end, in the
console's language (``--lang``, switchable with ``l``). See docs/cli.md, "Facilitator console".

However the console stops — the end, SIGTERM/SIGHUP/SIGINT, an internal error — the log is
closed before this command returns: complete (``exercise.ended``) whenever the engine allows it.
Exit status: 0 after a normal end, 1 after an internal error (``error.txt`` next to the log has
the details), 130 when stopped by a signal.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from drillsim.commands.common import add_scenario_options, scenario_overrides

HELP = "run a scenario live in the facilitator console (terminal UI)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim play`` (the same scenario options as ``run``)."""
    add_scenario_options(p, out_default="runs/<scenario-id>-<seed>[-set-<hash>]-play/, never overwritten")
    p.add_argument("--role", dest="roles", action="append", default=[], metavar="AGENCY",
                   help="an agency played by people: its doctrine decisions are asked, not taken "
                        "automatically (repeatable)")
    p.add_argument("--lang", choices=("zh", "en"), default=None,
                   help="language of the console and of the report (default: zh when the locale is Chinese, "
                        "else en; switch in the console with l)")
    p.add_argument("--form", choices=("aar", "gbt"), default="aar",
                   help="report form: aar (HSEEP AAR/IP, default) or gbt (演练评估报告, GB/T 46792)")
    p.add_argument("--no-report", action="store_true",
                   help="at the end write only events.jsonl and scorecard.json (no report.md/report.html/figures)")
    p.add_argument("--speed", type=int, default=60, metavar="X",
                   help="initial clock speed in simulated seconds per second (1 = real time … 3600)")


def default_lang() -> str:
    """``zh`` when the terminal's locale is Chinese, else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def play_dir(base: Path) -> Path:
    """``base``, or ``base-2``, ``base-3``… : a play log is never overwritten."""
    if not (base / "events.jsonl").exists():
        return base
    n = 2
    while (base.parent / f"{base.name}-{n}" / "events.jsonl").exists():
        n += 1
    return base.parent / f"{base.name}-{n}"


def main(args: argparse.Namespace) -> int:
    """Load the scenario, open the console, print where the files are."""
    from drillsim.errors import InputError, Problem
    from drillsim.scenario import load

    loaded = load(args.scenario, scenario_overrides(args.scenario, args.params, args.overrides))
    scenario = loaded.scenario
    unknown = [r for r in args.roles if r not in scenario.agencies]
    if unknown:
        raise InputError([Problem("--role", 0, 0, "role", f"unknown agency {r!r}",
                                  "one of " + ", ".join(scenario.agencies)) for r in unknown])
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("drillsim play: needs an interactive terminal (use `drillsim run` for a headless run)",
              file=sys.stderr)
        return 2
    seed = scenario.seed if args.seed is None else args.seed
    from drillsim.commands.outputs import run_dir

    base = args.out if args.out is not None else run_dir(scenario.id, seed, loaded.overrides, suffix="-play")
    out = play_dir(Path(base))
    log_path = out / "events.jsonl"

    from drillsim.tui.app import DrillConsole
    from drillsim.tui.driver import LiveDriver

    # The records go to a compact store as the log writes them, as in `drillsim run` (docs/design.md, "Memory").
    driver = LiveDriver.start(loaded, seed, log_path=log_path, players=args.roles)
    exercise = driver.exercise
    app = DrillConsole(driver, lang=args.lang or default_lang(), out_dir=out, speed=args.speed,
                       report=not args.no_report, form=args.form)
    files = None
    signals: list[str] = []
    from drillsim.tui.signals import exit_on_signals

    restore = exit_on_signals(lambda: app.exit(app.files), signals)  # whatever was written is still reported
    try:
        files = app.run()
    finally:
        restore()
        # Killed by a signal, or the console died: leave a complete, replayable log (an `end` input;
        # after a simulation fault, exercise.ended at the fault; at worst the log closed as it is).
        driver.stop("interrupted")
    failure = app.failure
    minutes = exercise.summary().sim_minutes
    lines = [f"drillsim play: {scenario.id} (seed {seed}) — {minutes:.0f} simulated minutes"]
    if failure is not None:
        lines.append(f"drillsim play: the exercise stopped after an internal error: {failure.summary}")
        lines.append(f"  details    {failure.error_file or _not_written(failure.error_file_problem)}")
    elif signals:
        lines.append(f"drillsim play: interrupted by {signals[0]}")
    lines.append(f"  log        {log_path}")
    if files is not None:
        lines.append(f"  scorecard  {files.scorecard or _not_written(files.scorecard_problem)}")
        lines.append(f"  report     {' '.join(files.report) or _not_written(files.report_problem)}")
    elif exercise.ended:
        lines.append(f"  scorecard  not written yet: drillsim report {log_path}")
    _say(lines, to_stderr=failure is not None)
    if failure is not None and os.environ.get("DRILLSIM_DEBUG"):
        _say([failure.details.rstrip()], to_stderr=True)
    if failure is not None or app.return_code not in (0, None):
        return 1
    return 130 if signals else 0


def _not_written(problem: str) -> str:
    return f"not written ({problem})" if problem else "not written"


def _say(lines: list[str], *, to_stderr: bool = False) -> None:
    """Print, unless the terminal is gone (SIGHUP: the window was closed) — that must not fail the command."""
    try:
        print("\n".join(lines), file=sys.stderr if to_stderr else sys.stdout, flush=True)
    except OSError:
        pass
