"""Files as hostile input and precious output: read only regular files, never lose what is on disk.

Reading: :func:`open_regular` opens without blocking (a FIFO would wait forever for a writer) and
checks the opened file itself, so only a regular file of a bounded size is ever read — never a
pipe, a socket or a device such as ``/dev/zero``.

Writing: result files go to a temporary name in the same directory, are fsynced and renamed
(:func:`atomic_write_bytes`): a crash leaves the old file or the new one, never half of one. An
append-only file written as a run goes (the event log) is a :class:`NewFile`: created exclusively,
so an existing file is never truncated; with ``replace`` it is written under a temporary name and
renamed over the old one only when complete; ``staged`` keeps it under the temporary name until
:meth:`NewFile.commit` (nothing appears under the final name unless the writer says it is good).
Files are created with mode 0666 less the umask, like any file a program creates. An error while
writing names the file (a full disk says which file it could not write).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO


class Refused(Exception):
    """A file that will not be read: not a regular file, too large, or unreadable.

    Attributes:
        path: The path as given.
        reason: Why, in a few words (``is not a regular file (a pipe, socket or device)``).
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n < 2**30 else f"{n / 2**30:.1f} GiB"


def open_regular(path: str | Path, *, max_bytes: int) -> tuple[BinaryIO, int]:
    """Open a regular file of at most ``max_bytes`` for reading; return it and its size.

    Opened with ``O_NONBLOCK`` (opening a FIFO for reading would otherwise wait for a writer) and
    checked with ``fstat`` on the opened descriptor, so a file swapped for a pipe between a check
    and the open is still refused.

    Raises:
        Refused: missing, unreadable, a directory, not a regular file, or over ``max_bytes``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(path, _reason(exc)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Refused(path, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise Refused(path, "is not a regular file (a pipe, socket or device)")
        if st.st_size > max_bytes:
            raise Refused(path, f"file is {_size(st.st_size)}, over the {_size(max_bytes)} limit")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    return fh, st.st_size


def read_regular(path: str | Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (see :func:`open_regular`).

    Raises:
        Refused: as :func:`open_regular`, or the file grew over the limit while it was read.
    """
    fh, size = open_regular(path, max_bytes=max_bytes)
    with fh:
        try:
            raw = fh.read(size + 1)  # not max_bytes + 1: read(n) allocates n bytes up front
            if len(raw) > size:
                raw += fh.read(max_bytes + 1 - len(raw))
        except OSError as exc:
            raise Refused(path, _reason(exc)) from None
    if len(raw) > max_bytes:
        raise Refused(path, f"file grew over the {_size(max_bytes)} limit while it was read")
    return raw


def _reason(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or type(exc).__name__}"


# -- writing -----------------------------------------------------------------------------------------


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def _create(path: Path) -> int:
    """Create ``path`` exclusively (mode 0666 less the umask); FileExistsError if anything is there."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)


def _create_temp(target: Path) -> tuple[int, Path]:
    while True:
        tmp = _temp_name(target)
        try:
            return _create(tmp), tmp
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


def naming(exc: OSError, path: str | Path) -> OSError:
    """``exc`` with ``path`` as its file name when it has none (``No space left on device`` → which file)."""
    if exc.filename is not None:
        return exc
    named = type(exc)(exc.errno, exc.strerror or str(exc), str(path))
    named.__cause__ = exc
    return named


def _refuse_directory(target: Path) -> None:
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory (give a file name)", str(target))


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (readers see the old file or the new one, never half).

    Raises:
        OSError: with ``path`` as its file name (a full disk, a directory in the way, no permission).
    """
    target = Path(path)
    _refuse_directory(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(target)
    except OSError as exc:
        raise naming(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_directory(target.parent)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise naming(exc, target) from None
        raise


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a power cut right after it must not bring the old file back)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms that cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str | Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def exists_error(path: str | Path, what: str = "a file") -> FileExistsError:
    """The refusal to replace ``path`` without ``--force`` (the command line prints it and exits 2)."""
    return FileExistsError(errno.EEXIST, f"{what} is already here (--force replaces it; or choose another --out)",
                           str(path))


class NewFile:
    """A file written from scratch that never destroys what was at its path before it is complete.

    Args:
        path: The final name.
        replace: An existing file may be replaced (``--force``); the new one is written under a
            temporary name and renamed over it by :meth:`commit`, so until then the old file is intact.
        staged: Always write under a temporary name; :meth:`commit` publishes it (:meth:`discard`
            removes it). Without ``replace``, publishing refuses a file that appeared meanwhile.
        buffering: The write buffer's size.
        what: What the file is, for the refusal (``an event log``).

    Without ``replace`` or ``staged`` the file is created under its final name with ``O_EXCL``: a
    killed writer leaves its readable prefix there, and an existing file is refused, never truncated.

    Raises:
        FileExistsError: ``path`` exists and ``replace`` is false (see :func:`exists_error`).
        OSError: the directory cannot be created or written (with the path as file name).
    """

    def __init__(self, path: str | Path, *, replace: bool = False, staged: bool = False,
                 buffering: int = -1, what: str = "a file") -> None:
        self.path = Path(path)
        self.replace = replace
        self.what = what
        _refuse_directory(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not replace and os.path.lexists(self.path):
                raise exists_error(self.path, what)
            if staged or (replace and os.path.lexists(self.path)):
                fd, tmp = _create_temp(self.path)
                self.temp: Path | None = tmp
            else:
                fd, self.temp = _create(self.path), None
        except FileExistsError as exc:
            raise exists_error(self.path, what) from exc
        except OSError as exc:
            raise naming(exc, self.path) from None
        self.fh = os.fdopen(fd, "wb", buffering=buffering)
        self.committed = self.temp is None

    @property
    def writing_to(self) -> Path:
        """Where the bytes go now (the temporary name until :meth:`commit`)."""
        return self.temp if self.temp is not None else self.path

    def flush(self) -> None:
        """Hand what was written to the OS (it survives a killed process)."""
        if not self.fh.closed:
            try:
                self.fh.flush()
            except OSError as exc:
                raise naming(exc, self.path) from None

    def close(self) -> None:
        """Flush, fsync and close, leaving the file where it is (idempotent)."""
        if self.fh.closed:
            return
        try:
            self.fh.flush()
            try:
                os.fsync(self.fh.fileno())
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.EROFS):  # a pipe, or a file system without fsync
                    raise
        except OSError as exc:
            self._close_quietly()
            raise naming(exc, self.path) from None
        self.fh.close()

    def _close_quietly(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass

    def commit(self) -> Path:
        """Close and publish under the final name; returns it.

        Raises:
            FileExistsError: ``staged`` without ``replace``, and a file appeared at the final name.
        """
        self.close()
        if self.temp is None or self.committed:
            return self.path
        try:
            if self.replace:
                os.replace(self.temp, self.path)
            else:
                _publish_exclusive(self.temp, self.path)
        except FileExistsError:
            raise exists_error(self.path, self.what) from None
        except OSError as exc:
            raise naming(exc, self.path) from None
        _fsync_directory(self.path.parent)
        self.committed = True
        return self.path

    def discard(self) -> None:
        """Close and remove the temporary file (nothing appears under the final name)."""
        self._close_quietly()
        if self.temp is not None and not self.committed:
            try:
                os.unlink(self.temp)
            except OSError:
                pass


    def abandon(self) -> None:
        """Close and remove what this writer created, wherever it is (a run stopped before its header was written).

        An old file that ``replace`` would have replaced is untouched: only the new one goes.
        """
        self._close_quietly()
        if self.committed and self.temp is not None:
            return  # published: it is the file now, not ours to remove
        try:
            os.unlink(self.temp if self.temp is not None else self.path)
        except OSError:
            pass


def _publish_exclusive(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target`` unless ``target`` exists (a hard link fails if it does; no race)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename (a small window)
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)
