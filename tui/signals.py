"""Leaving a full-screen app the normal way when the process gets SIGTERM, SIGHUP or SIGINT.

Python's default for SIGTERM and SIGHUP ends the process at once, leaving the terminal in raw
mode on the alternate screen with the mouse still reported. With these handlers the app exits
through textual, which restores the terminal, and the command finishes its own work (the console
closes its log) and says why it stopped.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any


def exit_on_signals(leave: Callable[[], None], received: list[str]) -> Callable[[], None]:
    """Route SIGTERM, SIGHUP (the terminal closed) and SIGINT to ``leave()``.

    The handler only asks the app to exit (``leave`` should call ``app.exit``): nothing is
    interrupted in the middle of a step (a KeyboardInterrupt could land inside the engine).
    Ctrl-C typed in a textual app is a key, not SIGINT (the terminal is in raw mode).

    Args:
        leave: Called (in the main thread, between bytecodes) for each signal.
        received: Gets the name of every signal received, in order.

    Returns:
        A function that restores the previous handlers.
    """
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        received.append(signal.Signals(signum).name)
        leave()

    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        sig = getattr(signal, name, None)
        if sig is not None:
            previous[sig] = signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
