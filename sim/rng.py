"""Random streams keyed by purpose, derived from one root seed (DESIGN §6).

``Streams(seed).get("team", "bluesky-01", "work")`` always returns the same generator for the same
key, independent of which other streams exist or in what order they were created: adding a team
does not shift any other draw, a branch re-run draws the same numbers as its parent until the
branch point, and sweep points can share draws (common random numbers). We never touch mesa's,
Python's or numpy's global generators.

:meth:`Streams.rekey` re-derives every stream from a salt *from now on*: draws already made (and the
events they scheduled) stay as they were, every later draw comes from new streams. A what-if
branch uses it to run several continuations of one recorded history (docs/replay.md). For that,
values drawn ahead and buffered must be dropped too: a buffer is registered with its generator
(:func:`draw_buffer`), and :meth:`Streams.rekey` empties them.

Samplers draw in blocks (``BLOCK`` values at a time) because a numpy call per scalar costs about a
microsecond; the sequence of values is a pure function of the key, so blocks change nothing
observable.
"""

from __future__ import annotations

import hashlib
import math
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from drillsim.scenario.types import Distribution

BLOCK = 64

SALT_MARK = 0x5A17_5A17
"""Separates the key from the salts in a re-keyed stream's spawn key."""


def key_int(part: str | int) -> int:
    """Stable 63-bit integer for a key part (strings hash the same in every process, unlike ``hash``)."""
    if isinstance(part, int):
        return part & 0x7FFF_FFFF_FFFF_FFFF
    return int.from_bytes(hashlib.blake2b(part.encode("utf-8"), digest_size=8).digest(), "little") >> 1


class DrawBuffer(list[Any]):
    """Values drawn ahead from one generator (a plain list that a generator can refer to weakly)."""

    __slots__ = ("__weakref__",)


class KeyedGenerator(np.random.Generator):
    """A numpy generator that knows the buffers of values drawn ahead from it (see :func:`draw_buffer`).

    It refers to them weakly: a sampler made for one draw (an incident's work time) draws a block
    and drops it with its surplus, and that surplus must go with it. Held strongly, the dropped
    buffers of a long run added up to ~2 KB an incident (200 MB at 100,000 incidents).
    """

    __slots__ = ("buffers",)

    def __init__(self, bit_generator: np.random.BitGenerator) -> None:
        super().__init__(bit_generator)
        self.buffers: dict[int, weakref.ref[DrawBuffer]] = {}

    def register(self, buf: DrawBuffer) -> None:
        """Know ``buf`` until it is dropped (:meth:`Streams.rekey` empties the live ones)."""
        key = id(buf)
        buffers = self.buffers
        buffers[key] = weakref.ref(buf, lambda _ref: buffers.pop(key, None))

    def live_buffers(self) -> list[DrawBuffer]:
        """The registered buffers still in use, in the order they were made."""
        return [buf for ref in list(self.buffers.values()) if (buf := ref()) is not None]


def draw_buffer(gen: np.random.Generator) -> DrawBuffer:
    """A new, empty list for values drawn ahead from ``gen``; :meth:`Streams.rekey` empties it.

    Code that draws in blocks and keeps the surplus for later must keep it in such a list, or a
    re-keyed continuation would still use a few of the parent's draws.
    """
    buf = DrawBuffer()
    if isinstance(gen, KeyedGenerator):
        gen.register(buf)
    return buf


class Streams:
    """Factory of independent generators keyed by tuples of strings/ints."""

    def __init__(self, seed: int, replicate: int = 0) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)
        self.salts: tuple[int, ...] = ()
        self._cache: dict[tuple[str | int, ...], KeyedGenerator] = {}

    def _seed_sequence(self, key: tuple[str | int, ...]) -> np.random.SeedSequence:
        spawn = (self.replicate, *(key_int(k) for k in key))
        if self.salts:
            spawn = (*spawn, SALT_MARK, *self.salts)
        return np.random.SeedSequence(self.seed, spawn_key=spawn)

    def get(self, *key: str | int) -> np.random.Generator:
        """The generator for ``key`` (created once, then reused)."""
        gen = self._cache.get(key)
        if gen is None:
            gen = KeyedGenerator(np.random.PCG64(self._seed_sequence(key)))
            self._cache[key] = gen
        return gen

    def rekey(self, salt: int) -> None:
        """Derive every stream anew from ``salt``, from this moment on.

        Each existing generator is re-seeded in place (samplers keep their reference to it) and its
        buffered draws are dropped; streams created later are salted too. Salts accumulate, so a
        continuation of a continuation is keyed by both. Nothing drawn before the call changes.
        """
        self.salts = (*self.salts, key_int(int(salt)))
        for key, gen in self._cache.items():
            gen.bit_generator.state = np.random.PCG64(self._seed_sequence(key)).state
            for buf in gen.live_buffers():
                buf.clear()

    def sampler(self, dist: Distribution | float | None, *key: str | int, scale: float = 1.0) -> Callable[[], float]:
        """A zero-argument function that draws from ``dist`` on the stream ``key``."""
        return make_sampler(dist, self.get(*key), scale)


def make_sampler(
    dist: Distribution | float | None, gen: np.random.Generator, scale: float = 1.0
) -> Callable[[], float]:
    """Compile a distribution model (or a plain number) into a fast sampler.

    Args:
        dist: A distribution model from :mod:`drillsim.scenario.types` or a number (fixed).
        gen: The generator to draw from.
        scale: Multiplies every draw (a team's ``work_factor``).
    """
    if dist is None:
        return lambda: 0.0
    if isinstance(dist, int | float):
        value = float(dist) * scale
        return lambda: value
    kind = dist.kind
    body = getattr(dist, kind)
    if kind == "fixed":
        value = float(body) * scale
        return lambda: value
    if kind == "exponential":
        mean = body.mean * scale
        if mean <= 0:
            return lambda: 0.0
        return _blocked(lambda n: gen.exponential(mean, n), gen)
    if kind == "lognormal":
        mu = math.log(body.median * scale)
        sigma = math.log(body.p95 / body.median) / 1.6448536269514722
        return _blocked(lambda n: gen.lognormal(mu, sigma, n), gen)
    if kind == "uniform":
        lo, hi = body.low * scale, body.high * scale
        if lo == hi:
            return lambda: lo
        return _blocked(lambda n: gen.uniform(lo, hi, n), gen)
    if kind == "triangular":
        lo, mode, hi = body.low * scale, body.mode * scale, body.high * scale
        if lo == hi:
            return lambda: lo
        return _blocked(lambda n: gen.triangular(lo, mode, hi, n), gen)
    if kind == "empirical":
        values = np.asarray(body.values, dtype=float) * scale
        if body.weights is None:
            return _blocked(lambda n: values[gen.integers(0, len(values), n)], gen)
        p = np.asarray(body.weights, dtype=float)
        p = p / p.sum()
        return _blocked(lambda n: values[gen.choice(len(values), size=n, p=p)], gen)
    if kind == "poisson":
        mean = body.mean * scale
        return _blocked(lambda n: gen.poisson(mean, n).astype(float), gen)
    raise ValueError(f"unknown distribution kind {kind!r}")


def _blocked(draw: Callable[[int], np.ndarray], gen: np.random.Generator) -> Callable[[], float]:
    buf = draw_buffer(gen)

    def sample() -> float:
        if not buf:
            buf.extend(reversed(draw(BLOCK).tolist()))
        return buf.pop()

    return sample
