"""Rate limits: a token bucket per seat, and slowing repeated failed joins from one address.

Both take the clock as an argument (``time.monotonic`` by default) so they can be reasoned about
without sleeping. Neither knows about websockets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Bucket:
    """A token bucket: ``rate`` messages a second on average, bursts up to ``burst``.

    Attributes:
        dropped: Messages refused since the bucket was last half full: a flood keeps it near empty, so
            the count grows even though a message passes now and then (a flood that goes on is closed).
    """

    rate: float = 20.0
    burst: float = 40.0
    clock: Callable[[], float] = time.monotonic
    tokens: float = field(default=-1.0)
    dropped: int = 0
    _last: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst
        self._last = self.clock()

    def take(self) -> bool:
        """True when a message may pass now (and counts it); False when over the limit."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self._last) * self.rate)
        self._last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            if self.tokens >= self.burst / 2:  # the client slowed down: its flood is over
                self.dropped = 0
            return True
        self.dropped += 1
        return False


@dataclass
class Backoff:
    """Slows failed joins from one address: the n-th failure in a row waits ``base · 2**(n-1)`` seconds (capped).

    Failures are forgotten ``forget`` seconds after the last one; a success from the address does
    not reset them (a guesser who also holds one good token gains nothing).
    """

    base: float = 0.25
    cap: float = 8.0
    forget: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict, repr=False)

    def failed(self, address: str) -> float:
        """Record a failure from ``address``; returns how long to wait before answering it."""
        now = self.clock()
        n, last = self._failures.get(address, (0, now))
        if now - last > self.forget:
            n = 0
        n += 1
        self._failures[address] = (n, now)
        if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
            oldest = min(self._failures, key=lambda k: self._failures[k][1])
            del self._failures[oldest]
        return min(self.cap, self.base * 2 ** (n - 1))

    def failures(self, address: str) -> int:
        """Failures counted for ``address`` now."""
        n, last = self._failures.get(address, (0, 0.0))
        return 0 if self.clock() - last > self.forget else n
