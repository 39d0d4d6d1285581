"""One sweep per output folder at a time: an exclusive lock file holding the holder's pid and host.

Two sweeps writing into one ``--out`` (a sweep and its ``--resume`` started a moment later, or two
new sweeps) would interleave part files and compactions and delete each other's temporary files.
So a sweep takes ``DIR/sweep.lock`` before it touches anything in the folder:

- the file is created if needed and locked with ``flock`` (exclusive, non-blocking); the kernel
  drops that lock when its holder exits in any way, ``kill -9`` included;
- the holder writes ``{"pid", "host", "since", "command"}`` into it, so a refused sweep can say who
  holds the folder;
- a lock file whose ``flock`` is free but that still names a process is *stale* (its holder died
  without releasing it): it is taken over, with a notice naming the dead holder; while its
  forked workers are still exiting the lock stays held, and a new sweep waits for them (up to
  :data:`ORPHAN_WAIT_S`) instead of being refused;
- a stale-looking lock written on another host is not taken over (whether that process still runs
  cannot be checked from here): the refusal says so and how to remove it;
- on release the file is removed (after checking it is still ours).

On a file system without ``flock`` the lock falls back to the content alone: a holder on this host
whose process no longer exists is stale.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from drillsim.errors import InputError, Problem

NAME = "sweep.lock"
ORPHAN_WAIT_S = 10.0
"""How long a sweep waits for the lock of a dead holder whose workers are still exiting.

Local workers are forked, so they share the lock's open file: after a ``kill -9`` of the sweep
(or of its process group) the kernel drops the lock only once the last of them has exited, which
on a loaded machine can take a moment after the sweep itself is gone (workers also leave by
themselves within half a second of their parent's death)."""


def _holder() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": " ".join(sys.argv[:1] + sys.argv[1:4])[:200]}


def _read(fd: int) -> dict[str, Any] | None:
    try:
        raw = os.pread(fd, 4096, 0)
    except OSError:
        return None
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, ValueError):
        return {"pid": "?", "host": "?", "since": "?"}
    return data if isinstance(data, dict) else None


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _who(holder: dict[str, Any]) -> str:
    return f"process {holder.get('pid')} on {holder.get('host')}, since {holder.get('since')}"


class FolderLock:
    """The exclusive right to write into a sweep's output folder (see the module docstring).

    Use :meth:`acquire` (or ``with FolderLock.acquire(dir):``); :attr:`took_over` names a stale
    holder that was replaced, :attr:`created_folder` says the folder did not exist before.
    """

    def __init__(self, folder: Path, fd: int, took_over: dict[str, Any] | None, created_folder: bool) -> None:
        self.folder = folder
        self.path = folder / NAME
        self._fd: int | None = fd
        self.took_over = took_over
        self.created_folder = created_folder

    @classmethod
    def acquire(cls, folder: str | Path, *, notice: Callable[[str], None] | None = None) -> FolderLock:
        """Take the folder's lock, creating the folder if needed.

        Args:
            folder: The sweep's output folder.
            notice: Told (one sentence) when a stale lock of a dead process is taken over.

        Raises:
            InputError: another live sweep holds the folder, or a lock of another host is there.
        """
        folder = Path(folder)
        created = not folder.exists()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError([Problem(str(folder), 0, 0, "--out", f"cannot create the folder: {exc.strerror}")]) \
                from None
        path = folder / NAME
        orphaned_until: float | None = None
        changes = 0
        while changes < 20:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            try:
                locked = _flock(fd)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                if not _orphaned(holder):
                    raise _busy(folder, holder) from None
                # Its holder is dead, but a process it forked (a local worker, which inherits the
                # lock's file) still holds the lock while it exits: wait for that, not for ever.
                orphaned_until = orphaned_until or time.monotonic() + ORPHAN_WAIT_S
                if time.monotonic() >= orphaned_until:
                    raise _busy(folder, holder, orphaned=True) from None
                time.sleep(0.05)
                continue
            try:
                if locked and not _same_file(fd, path):
                    os.close(fd)  # released and removed by its holder while we waited: try the new file
                    changes += 1
                    continue
                previous = _read(fd)
                _check(folder, previous, locked)
                os.ftruncate(fd, 0)
                os.pwrite(fd, (json.dumps(_holder()) + "\n").encode(), 0)
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                raise
            lock = cls(folder, fd, previous, created)
            if previous and notice is not None:
                notice(f"took over {path}: its holder ({_who(previous)}) is no longer running")
            return lock
        raise InputError([Problem(str(path), 0, 0, "--out", "the lock file keeps changing",
                                  "one sweep at a time in this folder")])  # pragma: no cover

    def release(self) -> None:
        """Remove the lock file (if it is still ours) and let go (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if _same_file(fd, self.path):
                os.unlink(self.path)
        except OSError:
            pass
        finally:
            os.close(fd)

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def _flock(fd: int) -> bool:
    """True when the exclusive lock was taken; False when the file system has no ``flock``.

    Raises:
        BlockingIOError: another process holds it.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return False
        raise
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _check(folder: Path, previous: dict[str, Any] | None, locked: bool) -> None:
    """Refuse unless the previous holder (if any) is certainly gone."""
    if previous is None:
        return
    here = socket.gethostname()
    if previous.get("host") != here:
        raise InputError([Problem(str(folder), 0, 0, "--out",
                                  f"the folder is locked by a sweep on another host ({_who(previous)})",
                                  f"that sweep to finish; if it no longer runs, delete {folder / NAME}")])
    if not locked and _alive(previous.get("pid")):
        raise _busy(folder, previous)


def _orphaned(holder: dict[str, Any] | None) -> bool:
    """True when the lock names a process of this host that no longer runs (its children may)."""
    return holder is not None and holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int) \
        and not _alive(holder.get("pid"))


def _busy(folder: Path, holder: dict[str, Any] | None, *, orphaned: bool = False) -> InputError:
    who = _who(holder) if holder else "another process"
    if orphaned:
        return InputError([Problem(str(folder), 0, 0, "--out",
                                   f"the sweep that held this folder ({who}) has ended, but a process it started "
                                   f"still holds the lock after {ORPHAN_WAIT_S:g} s",
                                   "its worker processes to exit (or stop them), or another --out")])
    return InputError([Problem(str(folder), 0, 0, "--out", f"another sweep is using this folder ({who})",
                               "that sweep to finish (or stop it), or another --out")])
