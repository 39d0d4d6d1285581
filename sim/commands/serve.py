"""Run one exercise for several seats: the engine and its clock here, the seats joining over the network.

Each seat (a table: the command group, the reporting group…, or the control group) joins with
``drillsim join HOST:PORT --token T`` from its own terminal. The tokens are printed at the start and
written, readable by the owner only, to ``tokens.txt`` in the output directory. With a terminal the
facilitator's console (the ``play`` console) runs here with control rights; without one (standard
input not a terminal, or ``--no-console``) the server runs headless, a controller seat runs the
clock, and SIGTERM or SIGINT ends the exercise (an ``end`` input), writes the scorecard and the
report and says goodbye to every seat. Security events go to ``serve.log`` next to the event log.
See docs/serve.md.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.commands.common import add_scenario_options, scenario_overrides, whole_number

if TYPE_CHECKING:
    from drillsim.tui.driver import LiveDriver

HELP = "run an exercise for several seats (each joins with `drillsim join`)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim serve``."""
    add_scenario_options(p, out_default="runs/<scenario-id>-<seed>[-set-<hash>]-serve/, never overwritten")
    p.add_argument("--seats", type=Path, default=None, metavar="FILE",
                   help="seats file (YAML): seat → rights and roles (default: a controller, an observer and one "
                        "player per --role agency, or per agency)")
    p.add_argument("--role", dest="roles", action="append", default=[], metavar="AGENCY",
                   help="without --seats: an agency played from its own seat (repeatable; default: every agency)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for the network)")
    p.add_argument("--port", type=whole_number(0, "a port"), default=8765,
                   help="port to listen on (default 8765; 0 picks a free one)")
    p.add_argument("--tls-cert", type=Path, default=None, metavar="PEM", help="TLS certificate (with --tls-key)")
    p.add_argument("--tls-key", type=Path, default=None, metavar="PEM", help="TLS private key")
    p.add_argument("--no-console", action="store_true",
                   help="run headless even in a terminal (a controller seat runs the clock)")
    p.add_argument("--run", action="store_true", help="headless: start the clock at once (default: paused)")
    p.add_argument("--speed", type=int, default=60, metavar="X",
                   help="initial clock speed in simulated seconds per second (1 … 3600)")
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="language of the console and the report")
    p.add_argument("--form", choices=("aar", "gbt"), default="aar", help="report form (aar or gbt)")
    p.add_argument("--no-report", action="store_true", help="at the end write only events.jsonl and scorecard.json")


def main(args: argparse.Namespace) -> int:
    """Load, seat, bind, print the tokens, then run headless or under the console."""
    from drillsim.commands.outputs import run_dir
    from drillsim.commands.play import default_lang, play_dir
    from drillsim.errors import InputError, Problem
    from drillsim.scenario import load
    from drillsim.serve.host import listen
    from drillsim.serve.seats import default_seats, issue_tokens, load_seats
    from drillsim.tui.driver import LiveDriver

    loaded = load(args.scenario, scenario_overrides(args.scenario, args.params, args.overrides))
    scenario = loaded.scenario
    agencies = {k: {"name": a.name.as_dict()} for k, a in scenario.agencies.items()}
    if args.seats is not None:
        others = [*scenario.regions, *scenario.teams]
        seats = load_seats(args.seats, agencies, other_ids=others)
    else:
        unknown = [r for r in args.roles if r not in agencies]
        if unknown:
            raise InputError([Problem("--role", 0, 0, "role", f"unknown agency {r!r}", "one of " + ", ".join(agencies))
                              for r in unknown])
        seats = default_seats(agencies, args.roles)
    if (args.tls_cert is None) != (args.tls_key is None):
        raise InputError([Problem("--tls-cert", 0, 0, "tls", "TLS needs both --tls-cert and --tls-key", "")])
    tls = _tls(args.tls_cert, args.tls_key) if args.tls_cert is not None else None
    console = not args.no_console and sys.stdin.isatty() and sys.stdout.isatty()
    seed = scenario.seed if args.seed is None else args.seed
    base = args.out if args.out is not None else run_dir(scenario.id, seed, loaded.overrides, suffix="-serve")
    out = play_dir(Path(base))
    try:
        sock = listen(args.host, args.port)
    except OSError as exc:
        print(f"drillsim serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    issue_tokens(seats)
    players = sorted({r for s in seats if s.rights == "player" for r in s.roles})
    driver = LiveDriver.start(loaded, seed, log_path=out / "events.jsonl", players=players,
                              extra_header={"seats": {s.id: s.public() for s in seats}})
    lang = args.lang or default_lang()
    logger = _server_log(out / "serve.log", to_stderr=not console)
    try:
        bound = sock.getsockname()
        address = _address(args.host, int(bound[1]), tls is not None)
        _announce(out, seats, address, scenario.id, seed, console)
        if console:
            return _with_console(args, driver, seats, sock, tls, out, lang)
        return _headless(args, driver, seats, sock, tls, out, lang)
    finally:
        for handler in logger.handlers[:]:
            handler.close()
            logger.removeHandler(handler)


def _tls(cert: Path, key: Path) -> Any:
    import ssl

    from drillsim.errors import InputError, Problem

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise InputError([Problem(str(cert), 0, 0, "tls", f"cannot load the certificate and key: {exc}",
                                  "a PEM certificate and its private key")]) from None
    return context


def _address(host: str, port: int, tls: bool) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{'wss://' if tls else ''}{shown}:{port}"


def _server_log(path: Path, *, to_stderr: bool) -> Any:
    import logging

    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("drillsim.serve")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    if to_stderr:
        err = logging.StreamHandler(sys.stderr)
        err.setLevel(logging.WARNING)
        err.setFormatter(logging.Formatter("drillsim serve: %(message)s"))
        logger.addHandler(err)
    quiet = logging.getLogger("drillsim.serve.websockets")  # the library's own handshake noise
    quiet.setLevel(logging.CRITICAL)
    return logger


def _announce(out: Path, seats: list[Any], address: str, scenario: str, seed: int, console: bool) -> None:
    from drillsim.serve.seats import write_tokens

    tokens = out / "tokens.txt"
    write_tokens(tokens, seats, address)
    lines = [f"drillsim serve: {scenario} (seed {seed}) listening on {address}",
             f"  log        {out / 'events.jsonl'}", f"  tokens     {tokens} (mode 0600)", "  seats:"]
    for seat in seats:
        lines.append(f"    {seat.id:<16} {seat.rights:<10} {','.join(seat.roles) or '-':<24} "
                     f"drillsim join {address} --token {seat.token}")
    if not console:
        lines.append("  headless: a controller seat runs the clock; SIGTERM or Ctrl-C ends the exercise")
    print("\n".join(lines), flush=True)


def _headless(args: argparse.Namespace, driver: LiveDriver, seats: list[Any], sock: Any, tls: Any, out: Path,
              lang: str) -> int:
    import asyncio

    from drillsim.serve.host import Host
    from drillsim.tui import bridge
    from drillsim.tui.clock import Clock
    exercise = driver.exercise
    clock = Clock(driver, speed=args.speed)
    if args.run:
        clock.resume()
    host = Host(driver, clock, seats)
    signals: list[str] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            def stop(sig: signal.Signals = sig) -> None:
                signals.append(sig.name)
                host.request_stop("interrupted")
            loop.add_signal_handler(sig, stop)
        await host.start(sock, tls)
        await host.run()

    try:
        asyncio.run(main())
    finally:
        driver.stop("interrupted")
    score = bridge.live_score(driver.view.header, driver.store, driver.view.now)
    files = bridge.write_outputs(str(out / "events.jsonl"), out, lang, form=args.form, report=not args.no_report,
                                 score=score)
    minutes = exercise.summary().sim_minutes
    lines = [f"drillsim serve: {exercise.scenario.id} — {minutes:.0f} simulated minutes, "
             f"ended ({driver.end_reason or 'closed'})"]
    if host.failure is not None:
        lines.append(f"drillsim serve: the exercise stopped after an internal error: {host.failure!r} "
                     f"(details in {out / 'serve.log'})")
    elif signals:
        lines.append(f"drillsim serve: ended by {signals[0]}")
    lines += [f"  log        {out / 'events.jsonl'}",
              f"  scorecard  {files.scorecard or 'not written (' + files.scorecard_problem + ')'}",
              f"  report     {' '.join(files.report) or 'not written (' + files.report_problem + ')'}"]
    print("\n".join(lines), flush=True)
    return 1 if host.failure is not None else 0


def _with_console(args: argparse.Namespace, driver: LiveDriver, seats: list[Any], sock: Any, tls: Any, out: Path,
                  lang: str) -> int:
    from drillsim.commands.play import _say
    from drillsim.serve.host import Host
    from drillsim.tui import bridge
    from drillsim.tui.app import DrillConsole
    from drillsim.tui.signals import exit_on_signals

    exercise = driver.exercise
    holder: list[Host] = []

    async def service() -> None:
        await holder[0].start(sock, tls)
        await holder[0].serve_forever()

    seated = {r for s in seats if s.rights == "player" for r in s.roles}
    app = DrillConsole(driver, lang=lang, out_dir=out, speed=args.speed, report=not args.no_report, form=args.form,
                       service=service, seated=seated)
    holder.append(Host(driver, app.clock, seats, ticking=False))
    signals: list[str] = []
    restore = exit_on_signals(lambda: app.exit(app.files), signals)
    try:
        files = app.run()
    finally:
        restore()
        driver.stop("interrupted")
    if files is None and exercise.ended:
        score = bridge.live_score(driver.view.header, driver.store, driver.view.now)
        files = bridge.write_outputs(str(out / "events.jsonl"), out, lang, form=args.form, report=not args.no_report,
                                     score=score)
    lines = [f"drillsim serve: {exercise.scenario.id} — {exercise.summary().sim_minutes:.0f} simulated minutes",
             f"  log        {out / 'events.jsonl'}"]
    if files is not None:
        lines.append(f"  scorecard  {files.scorecard or 'not written'}")
        lines.append(f"  report     {' '.join(files.report) or 'not written'}")
    if signals:
        lines.append(f"drillsim serve: interrupted by {signals[0]}")
    _say(lines)
    if app.failure is not None:
        return 1
    return 130 if signals else 0

