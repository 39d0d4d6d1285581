"""Replay a recorded exercise: verify it, view it, or branch it ("what if we had decided otherwise?").

drillsim replay LOG opens the replay viewer (the console's panes driven by the log). --verify
re-simulates LOG from its header (scenario file checked by sha256, seed, overrides, players) and its
recorded inputs and checks the result is byte-identical (exit 0) or shows the first diverging
record and why (exit 1). --branch DECISION=OPTION re-runs with that one decision changed and writes
a new log that names its parent; --replicates N runs N continuations of the branch and of the
parent's choice and shows the distribution of outcomes. LOG is an events.jsonl file or a run
directory holding one. See docs/replay.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from drillsim.commands.common import MAX_WORKERS, whole_number
from drillsim.limits import MAX_SWEEP_RUNS, SEED_MAX

HELP = "verify, view or branch a recorded exercise (what-if)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim replay``."""
    p.add_argument("log", metavar="LOG", type=Path, help="an events.jsonl file, or a run directory holding one")
    p.add_argument("--scenario", type=Path, default=None, metavar="PATH",
                   help="the scenario file, when it moved since the run (still checked by sha256)")
    p.add_argument("--verify", action="store_true",
                   help="re-simulate and check the log is byte-identical (exit 0) or say where and why not (exit 1)")
    p.add_argument("--branch", default=None, metavar="DECISION=OPTION",
                   help="re-run with this decision taken differently; writes a new log naming its parent")
    p.add_argument("--at", default=None, metavar="TIME",
                   help="when the branch answers (14:20, D2 14:20, T+6h); default: as the parent did")
    p.add_argument("--role", default=None, metavar="AGENCY",
                   help="the deciding agency, for a doctrine decision the log never asked (with --at)")
    p.add_argument("--later", choices=("keep", "drop"), default="keep",
                   help="re-apply the parent's later inputs where they still apply (keep, default) or drop them")
    p.add_argument("--continuation", type=whole_number(0, "a continuation", SEED_MAX), default=0, metavar="K",
                   help="re-key random draws after the branch point with salt K (0: the parent's, default)")
    p.add_argument("--replicates", type=whole_number(0, "--replicates", MAX_SWEEP_RUNS // 2), default=0, metavar="N",
                   help="fork-and-sweep: N re-keyed continuations of the branch and of the parent's choice")
    p.add_argument("--workers", type=whole_number(0, "--workers", MAX_WORKERS), default=None, metavar="N",
                   help="processes for --replicates")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="where a branch goes (default: LOG's directory/branches/DECISION=OPTION...)")
    p.add_argument("--no-report", action="store_true", help="branch: write events.jsonl and scorecard.json only")
    p.add_argument("--force", action="store_true",
                   help="branch: replace a branch already in the output directory, once the new one is checked "
                        "and complete (by default it is refused, never overwritten)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of reports and the viewer")
    p.add_argument("--start", default=None, metavar="TIME", help="viewer: open at this time")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the result line / paths")




def main(args: argparse.Namespace) -> int:
    """Dispatch to verify, branch, fork-and-sweep or the viewer."""
    from drillsim.commands.report import resolve_log
    from drillsim.errors import InputError, Problem

    path = resolve_log(args.log)
    if args.verify and args.branch:
        raise InputError([Problem("--verify", 0, 0, "", "choose --verify or --branch, not both")])
    if not args.branch and (args.at or args.role or args.replicates or args.continuation):
        raise InputError([Problem("--at/--role/--replicates/--continuation", 0, 0, "",
                                  "these options go with --branch DECISION=OPTION")])
    if args.verify:
        return _verify(path, args)
    if args.branch:
        return _branch(path, args)
    return _view(path, args)


# -- verify -------------------------------------------------------------------------------------------


def _verify(path: Path, args: argparse.Namespace) -> int:
    from drillsim.commands.common import ProgressBar
    from drillsim.replay.verify import verify_log

    bar = ProgressBar() if not args.quiet else None
    try:
        result = verify_log(path, args.scenario, progress=bar)
    finally:
        if bar:
            bar.close()
    print_verify(result, quiet=args.quiet)
    return 0 if result.ok else 1


def print_verify(result: Any, quiet: bool = False, out: Any = None) -> None:
    """The verify report: one line when quiet, else what was checked and, on failure, where and why."""
    out = out or sys.stdout
    h = result.header
    scen = h.get("scenario") or {}
    if result.ok:
        verdict = "OK: byte-identical" + (" (partial: the recorded run did not finish)" if result.partial else "")
    else:
        verdict = f"DIFFERENT ({result.cause})"
    if quiet:
        print(f"{result.path}: {verdict}", file=out)
        return
    print(f"drillsim replay --verify: {result.path}", file=out)
    print(f"  scenario    {scen.get('id')} ({scen.get('source')}, sha256 {str(scen.get('sha256'))[:12]}…)", file=out)
    players = ", ".join(h.get("players") or ()) or "none (doctrine only)"
    print(f"  run         seed {h.get('seed')}, replicate {h.get('replicate')}, players: {players}; "
          f"{result.inputs} recorded input(s); written by drillsim {h.get('drillsim')}", file=out)
    if "branch_of" in h:
        bp = h.get("branch_point") or {}
        print(f"  branch      of log sha256 {str((h['branch_of'] or {}).get('sha256'))[:12]}… at seq {bp.get('seq')}: "
              f"{bp.get('decision')}={bp.get('option')}", file=out)
    if result.torn:
        print("  note        the last line was cut (a killed run) and was ignored", file=out)
    print(f"  result      {verdict}", file=out)
    print(f"  why         {result.explanation}", file=out)
    d = result.divergence
    if d is not None and (d.log_line is not None or d.run_line is not None):
        print(f"  first difference at seq {d.seq}" + (f" (fields: {', '.join(d.fields)})" if d.fields else ""),
              file=out)
        print(f"    log:    {_line(d.log_line)}", file=out)
        print(f"    re-run: {_line(d.run_line)}", file=out)


def _line(raw: bytes | None, limit: int = 400) -> str:
    if raw is None:
        return "(no record: it ended before this)"
    text = raw.decode("utf-8", errors="replace").rstrip("\n")
    return text if len(text) <= limit else text[:limit] + " …"


# -- branch -------------------------------------------------------------------------------------------


def _spec(path: Path, args: argparse.Namespace, header: dict[str, Any]) -> Any:
    from datetime import datetime

    from drillsim.errors import InputError, Problem
    from drillsim.replay.branch import BranchSpec
    from drillsim.replay.timespec import parse_time

    decision, sep, option = args.branch.partition("=")
    if not sep or not decision.strip() or not option.strip():
        raise InputError([Problem("--branch", 0, 0, "", f"{args.branch!r} is not DECISION=OPTION",
                                  "e.g. --branch D-01=wait")])
    at = None
    if args.at is not None:
        start = None
        try:
            start = datetime.fromisoformat(str(header.get("start")))
        except ValueError:
            pass
        try:
            at = parse_time(args.at, start, float(header.get("duration") or 0.0))
        except ValueError as exc:
            raise InputError([Problem("--at", 0, 0, "", str(exc))]) from None
    return BranchSpec(decision.strip(), option.strip(), at, args.role, args.later, args.continuation)


def _branch(path: Path, args: argparse.Namespace) -> int:
    from drillsim.errors import InputError, Problem
    from drillsim.logstore import read_store
    from drillsim.replay.branch import BranchError, default_dir, file_sha256, plan_branch, run_branch
    from drillsim.replay.source import ScenarioChanged, load_for_log

    parent = read_store(path)  # held compactly: a long parent is not kept as objects (docs/design.md, "Memory")
    spec = _spec(path, args, parent.header)
    if args.replicates:
        return _fork(path, args, spec)
    try:
        loaded = load_for_log(parent.header, args.scenario, log_name=str(path))
    except ScenarioChanged as exc:
        print(f"drillsim: {exc}; a branch needs the scenario the parent ran", file=sys.stderr)
        return 1
    try:
        plan = plan_branch(parent, spec, file_sha256(path))
    except BranchError as exc:
        raise InputError([Problem("--branch", 0, 0, args.branch, str(exc))]) from None
    from drillsim.commands import outputs

    out = Path(args.out) if args.out is not None else default_dir(path, spec)
    log_path = out / "events.jsonl"
    if log_path.resolve() == path.resolve():
        raise InputError([Problem("--out", 0, 0, "", "the branch would overwrite its parent", "another directory")])
    outputs.check_log_free(log_path, args.force, "a branch log")
    replaced = outputs.file_sha256(log_path) if log_path.is_file() else None
    try:
        result = run_branch(parent, loaded, plan, log_path=log_path, replace=args.force)
    except BranchError as exc:
        print(f"drillsim: {exc}", file=sys.stderr)
        return 1
    if replaced:
        outputs.remove_made_from(out, replaced, keep=[log_path])
    outputs.record([log_path], [outputs.Source.of(path)], "drillsim replay --branch")
    _print_branch(path, parent, result, args)
    from drillsim.commands.report import write_outputs

    log = result.log
    if args.quiet:
        write_outputs(log, out, lang=args.lang, form="aar", report=not args.no_report, quiet=True, force=args.force)
        print(log_path)
        return 0
    _print_outcomes(parent, log, args.lang)
    print()
    write_outputs(log, out, lang=args.lang, form="aar", report=not args.no_report, force=args.force)
    print(f"  log         {log_path}")
    return 0


def _print_branch(path: Path, parent: Any, result: Any, args: argparse.Namespace) -> None:
    if args.quiet:
        return
    from drillsim.units import format_clock

    plan = result.plan
    spec = plan.spec
    pc = plan.parent_choice
    print(f"drillsim replay --branch: {spec.decision}={spec.option} from {path}")
    parent_text = (f"{pc['option']} ({pc['by']}, {format_clock(pc['t'])})" if pc else "not logged")
    when = format_clock(plan.answer_at) if plan.answer_at is not None else "when it opens"
    print(f"  decision    {spec.decision} ({plan.role}): parent chose {parent_text}; branch: {spec.option} at {when}")
    print(f"  case        {plan.case}: {_CASE_TEXT[plan.case]}")
    print(f"  point       seq {plan.point_seq} at {format_clock(plan.point_t)}: the {plan.point_seq - 1} records "
          "before it are identical to the parent's (checked)")
    if spec.continuation:
        print(f"  randomness  re-keyed at the branch point (continuation {spec.continuation})")
    for note in plan.notes:
        print(f"  note        {note}")
    if plan.dropped:
        kinds = sorted({s.payload.get('kind') for s in plan.dropped})
        print(f"  dropped     {len(plan.dropped)} later input(s) of the parent ({', '.join(kinds)})")
    for refused in result.skipped:
        print(f"  skipped     {refused}")


_CASE_TEXT = {
    "players": "the players' answer is replaced",
    "default": "the players let the time limit pass; the branch answers",
    "doctrine": "doctrine decided; the role is played for this one decision",
    "unasked": "doctrine decided without asking; the role is played from --at until the decision opens",
}


def _print_outcomes(parent: Any, branch: Any, lang: str) -> None:
    from drillsim.replay.outcome import METRICS, outcome_of

    a = outcome_of(parent.header, parent.records, "parent")
    b = outcome_of(branch.header, branch.records, "branch")
    print()
    print(f"  {'':32}{'parent':>12}{'branch':>12}")
    print(f"  {'overall rating':32}{a.rating or '-':>12}{b.rating or '-':>12}")
    from drillsim.scoring.text import points

    for key, label, _ in METRICS:
        va, vb = a.metrics.get(key), b.metrics.get(key)
        if key == "score":
            print(f"  {label:32}{points(va, '-'):>12}{points(vb, '-'):>12}")
        else:
            print(f"  {label:32}{_fmt(va):>12}{_fmt(vb):>12}")
    for oid in a.objectives:
        ra, rb = a.objectives[oid], b.objectives.get(oid) or {}
        print(f"  {'objective ' + oid:32}{_rs(ra):>12}{_rs(rb):>12}")


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _rs(o: dict[str, Any]) -> str:
    from drillsim.scoring.text import points

    if not o or o.get("rating") is None:
        return "-"
    return f"{o['rating']} {points(o['score'])}" if o.get("score") is not None else str(o["rating"])


# -- fork and sweep -------------------------------------------------------------------------------------


def _fork(path: Path, args: argparse.Namespace, spec: Any) -> int:
    from drillsim.errors import InputError, Problem
    from drillsim.replay.branch import BranchError, default_dir
    from drillsim.replay.fork import fork_and_sweep
    from drillsim.replay.source import ScenarioChanged

    if args.continuation:
        raise InputError([Problem("--continuation", 0, 0, "", "--replicates numbers the continuations itself")])
    from drillsim.commands import outputs

    out = Path(args.out if args.out is not None else default_dir(path, spec).with_name(
        default_dir(path, spec).name + f"-x{args.replicates}"))
    outputs.check_log_free(out / "fork.json", args.force, "a fork-and-sweep")
    bar = JobCounter("continuations") if not args.quiet else None

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar(done, total)

    try:
        fork = fork_and_sweep(path, spec, args.replicates, out, scenario=args.scenario, workers=args.workers,
                              progress=progress, replace=args.force)
    except BranchError as exc:
        raise InputError([Problem("--branch", 0, 0, args.branch, str(exc))]) from None
    except ScenarioChanged as exc:
        print(f"drillsim: {exc}; a branch needs the scenario the parent ran", file=sys.stderr)
        return 1
    finally:
        if bar:
            bar.close()
    from drillsim.reports.compare import distribution_table, write_fork_report

    files = write_fork_report(fork, out, lang=args.lang)
    outputs.record(files, [outputs.Source.of(path)], "drillsim replay --branch --replicates")
    if args.quiet:
        for f in files:
            print(f)
        return 0
    print(distribution_table(fork.parent, fork.branch,
                             a_name=f"{fork.parent_option or 'parent'} (parent's choice)",
                             b_name=f"{spec.option} (branch)", lang=args.lang))
    print(f"  logs        {out}/branch-NNN/events.jsonl, {out}/parent-NNN/events.jsonl")
    for f in files:
        if f.suffix in (".html", ".json"):
            print(f"  report      {f}")
    print(f"  outcomes    {out}/fork.json")
    return 0


class JobCounter:
    """``runs 3/20`` on one terminal line as jobs finish (nothing when not a terminal)."""

    def __init__(self, what: str, stream: Any = None) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        """Redraw."""
        if self.enabled:
            self.stream.write(f"\r  {self.what} {done}/{total}")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        """End the line."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


# -- viewer -----------------------------------------------------------------------------------------------


def _view(path: Path, args: argparse.Namespace) -> int:
    from drillsim.errors import InputError, Problem

    if not sys.stdout.isatty():
        raise InputError([Problem(str(path), 0, 0, "", "the replay viewer needs a terminal",
                                  "a terminal, or --verify / --branch")])
    from drillsim.tui.replay.app import run_viewer

    return run_viewer(path, lang=args.lang, start=args.start, scenario=args.scenario)
