"""World outcomes of scenario runs, shared by every xdist worker of one test session.

Why: the paired decision checks compare each option with the doctrine's run on the same seeds.
Split by decision so that xdist spreads them over the cores, every worker would otherwise run the
doctrine's seeds again (20 runs of a 1–3 s scenario each). The first worker to need a run computes
it and leaves its outcomes in a file; the others read it. A run another worker is computing right
now is put off (the worker does its other runs first) and then waited for under a lock, never
computed twice.

Scope: one session only. The files live in the session's shared temporary directory (the parent
of each worker's ``tmp_path_factory`` base, the pattern pytest-xdist documents), so a later session
— other code, other scenario files — never reads them. Without xdist the cache is this process's
memory. Locks are POSIX ``fcntl`` locks; where there are none, each worker computes what it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no sharing between workers
    fcntl = None  # type: ignore[assignment]

Outcome = dict[str, Any]


class RunCache:
    """Outcomes by key: in memory, and in ``root`` (shared by the session's workers) when given."""

    def __init__(self, root: Path | None) -> None:
        self.root = root if fcntl is not None else None
        self._memory: dict[Hashable, Outcome] = {}
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)

    def _file(self, key: Hashable) -> Path:
        assert self.root is not None
        return self.root / (hashlib.sha256(repr(key).encode()).hexdigest()[:32] + ".json")

    @contextlib.contextmanager
    def _lock(self, key: Hashable, wait: bool) -> Iterator[bool]:
        """Hold ``key``'s lock (True) or, with ``wait=False`` and another holding it, do not (False)."""
        with open(self._file(key).with_suffix(".lock"), "a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _get(self, key: Hashable, compute: Callable[[], Outcome], wait: bool) -> Outcome | None:
        if key in self._memory:
            return self._memory[key]
        if self.root is None:
            self._memory[key] = compute()
            return self._memory[key]
        path = self._file(key)
        with self._lock(key, wait) as held:
            if not held:
                return None
            if path.exists():
                value = json.loads(path.read_text())
            else:
                value = compute()
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(value))
                tmp.replace(path)
        self._memory[key] = value
        return value

    def many(self, keys: Sequence[Hashable], compute: Callable[[Hashable], Outcome]) -> list[Outcome]:
        """The outcome of every key, in order: runs nobody is computing first, then the others."""
        found: dict[int, Outcome] = {}
        later = []
        for i, key in enumerate(keys):
            value = self._get(key, lambda key=key: compute(key), wait=False)  # type: ignore[misc]
            if value is None:
                later.append(i)
            else:
                found[i] = value
        for i in later:
            value = self._get(keys[i], lambda i=i: compute(keys[i]), wait=True)  # type: ignore[misc]
            assert value is not None
            found[i] = value
        return [found[i] for i in range(len(keys))]
