"""Progress of a sweep: runs done of total, failures, runs per second, time left.

On a terminal one line is redrawn (at most ten times a second)::

    [██████████····················]  412/1,200 runs  3 failed  38.2 runs/s  ETA 0:21

Elsewhere (a batch job's log file) a plain line is printed every ``every`` seconds and at the end,
so a cluster job's output shows how far it got without filling the log with carriage returns.
The rate counts runs finished in this session only (a resumed sweep does not claim the work of the
interrupted one).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def clock(seconds: float) -> str:
    """``83.2`` → ``1:23``; ``3725`` → ``1:02:05``."""
    s = max(0, round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Counts finished runs and draws the bar.

    Args:
        total: Runs in the whole sweep.
        done: Runs already finished before this session (resume).
        failed: Failures among those.
        stream: Where to draw (default stderr); None disables drawing.
        every: Seconds between plain lines when the stream is not a terminal.
        width: Bar width in characters.
    """

    def __init__(self, total: int, done: int = 0, failed: int = 0, *, stream: TextIO | None = None,
                 every: float = 30.0, width: int = 30) -> None:
        self.total = total
        self.done = done
        self.failed = failed
        self.session = 0
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.every = every
        self.width = width
        self.t0 = time.monotonic()
        self._drawn = self.t0
        self._shown = False

    @property
    def rate(self) -> float:
        """Runs per second in this session."""
        elapsed = time.monotonic() - self.t0
        return self.session / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate (None before the first run finishes)."""
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None

    def update(self, runs: int, failed: int = 0) -> None:
        """Count ``runs`` more finished runs, ``failed`` of them failed, and redraw if due."""
        self.done += runs
        self.session += runs
        self.failed += failed
        now = time.monotonic()
        if self.stream is None:
            return
        if self.tty and (now - self._drawn >= 0.1 or self.done >= self.total):
            self._draw("\r")
            self._drawn = now
        elif not self.tty and now - self._drawn >= self.every:
            self._draw("")
            self._drawn = now

    def line(self) -> str:
        """The progress line (without bar on non-terminals)."""
        frac = self.done / self.total if self.total else 1.0
        eta = self.eta
        text = (f"{self.done:>{len(f'{self.total:,}')},}/{self.total:,} runs  {self.failed:,} failed  "
                f"{self.rate:,.1f} runs/s  ETA {clock(eta) if eta is not None else '–'}")
        if not self.tty:
            return f"  {100 * frac:5.1f}%  {text}"
        filled = int(frac * self.width)
        return f"  [{'█' * filled}{'·' * (self.width - filled)}] {text}"

    def _draw(self, prefix: str) -> None:
        assert self.stream is not None
        self.stream.write(prefix + self.line() + ("" if self.tty else "\n"))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.stream is None:
            return
        if self.tty:
            self._draw("\r")
            self.stream.write("\n")
        else:
            self._draw("")
        self.stream.flush()


def default_stream() -> TextIO:
    """Standard error: progress never mixes with the summary on stdout."""
    return sys.stderr
