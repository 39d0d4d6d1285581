"""Join an exercise run by ``drillsim serve`` from this terminal, as one seat (a player's table, an observer, control).

The console shows the exercise as the seat's roles know it: the header and the clock, the injects
addressed to them, their pending decisions (a dialog counting down in simulated time), their teams
and the incidents reported to them, a feed of what reached them, and ``m`` for a message to
control. If the connection drops, the console reconnects with its token and rebuilds the screen
from the server's records (for ``--retry`` seconds; then it exits with the reason). The token may
also come from the environment variable ``DRILLSIM_TOKEN`` (a command line is visible to other
users of the machine in ``ps``). Exit status: 0 when the exercise ended or you left, 1 when the
server was lost, 2 when the seat was refused (a wrong token) or the address is wrong.

``--web PORT`` serves this seat's console to a web browser instead (textual-serve, the optional
extra ``drillsim[web]``): each page opened at ``http://127.0.0.1:PORT`` runs the console for this
seat, for a participant without a terminal. It listens on 127.0.0.1 unless ``--web-host`` says
otherwise: whoever reaches that page has the seat.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "join an exercise served by `drillsim serve` as one seat (terminal UI)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim join``."""
    p.add_argument("address", metavar="HOST:PORT", help="the server (as `drillsim serve` printed it; wss://… for TLS)")
    p.add_argument("--token", default=None, help="the seat's token (default: $DRILLSIM_TOKEN)")
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="language of the console")
    p.add_argument("--tls", action="store_true", help="connect with TLS (wss://)")
    p.add_argument("--ca", type=Path, default=None, metavar="PEM",
                   help="with TLS: the certificate (or CA) to trust, e.g. the server's self-signed certificate")
    p.add_argument("--retry", type=float, default=30.0, metavar="SECONDS",
                   help="how long to keep reconnecting after the server is lost (default 30)")
    p.add_argument("--web", type=int, default=None, metavar="PORT",
                   help="serve this seat's console to a web browser on PORT (needs drillsim[web]) instead of "
                        "this terminal")
    p.add_argument("--web-host", default="127.0.0.1",
                   help="with --web: address of the page (default 127.0.0.1; whoever reaches it has the seat)")


def main(args: argparse.Namespace) -> int:
    """Connect, run the seat console, say why it stopped."""
    from drillsim.commands.play import default_lang
    from drillsim.errors import InputError, Problem

    token = args.token or os.environ.get("DRILLSIM_TOKEN")
    if not token:
        raise InputError([Problem("--token", 0, 0, "token", "no token given",
                                  "--token T or DRILLSIM_TOKEN (the server printed one per seat)")])
    if args.web is not None:
        return _web(args, token)
    in_browser = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")  # a page of `join --web`
    if not in_browser and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("drillsim join: needs an interactive terminal (or --web PORT for a browser)", file=sys.stderr)
        return 2
    tls = _tls(args.ca) if (args.tls or args.ca is not None or args.address.startswith("wss://")) else None

    from drillsim.tui.seat.app import SeatConsole
    from drillsim.tui.seat.link import Ending, url_for
    from drillsim.tui.signals import exit_on_signals

    url = url_for(args.address, tls is not None)
    app = SeatConsole(url, token, lang=args.lang or default_lang(), tls=tls, retry=args.retry)
    signals: list[str] = []
    restore = exit_on_signals(lambda: app.exit(Ending("left", "interrupted")), signals)
    try:
        ending = app.run()
    finally:
        restore()
    if ending is None:
        ending = app.ending or Ending("left", "left the exercise")
    try:
        print(f"drillsim join: {ending.reason}", file=sys.stderr if ending.code in ("lost", "refused", "error")
              else sys.stdout, flush=True)
    except OSError:  # the terminal is gone (SIGHUP)
        pass
    if signals:
        return 130
    return {"refused": 2, "lost": 1, "replaced": 1, "error": 1}.get(ending.code, 0)


def _web(args: argparse.Namespace, token: str) -> int:
    """Serve the seat's console to browsers with textual-serve; the token goes to each console by environment."""
    import shlex

    try:
        from textual_serve.server import Server
    except ImportError:
        print("drillsim join --web: needs textual-serve (pip install 'drillsim[web]')", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "drillsim.cli", "join", args.address, "--retry", str(args.retry)]
    if args.lang:
        command += ["--lang", args.lang]
    if args.tls:
        command.append("--tls")
    if args.ca is not None:
        command += ["--ca", str(args.ca.resolve())]
    os.environ["DRILLSIM_TOKEN"] = token  # never on a command line a page could show
    server = Server(shlex.join(command), host=args.web_host, port=args.web, title="drillsim seat")
    print(f"drillsim join: the seat's console is at http://{args.web_host}:{args.web} (Ctrl-C stops serving it)",
          flush=True)
    server.serve()
    return 0


def _tls(ca: Path | None) -> object:
    import ssl

    from drillsim.errors import InputError, Problem

    context = ssl.create_default_context()
    if ca is not None:
        try:
            context.load_verify_locations(cafile=str(ca))
        except (OSError, ssl.SSLError) as exc:
            raise InputError([Problem(str(ca), 0, 0, "ca", f"cannot load the certificate: {exc}",
                                      "a PEM certificate")]) from None
    return context
