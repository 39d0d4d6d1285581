"""The event log: the single record of what happened, and the contract with everything downstream.

A log is JSON Lines. Line 1 is the header (``kind = "log.header"``: scenario id and hash, seed,
overrides, drillsim version, roster, the validated scenario); every other line is a record
``{"t", "seq", "kind", "actor", "subject", "data"}`` with ``t`` in simulated minutes. Records are
appended through a fixed file buffer as the run goes, so a killed run leaves a readable prefix; the
reader drops a torn last line and says so. Same scenario + seed + recorded inputs gives the same
bytes, so nothing non-deterministic (wall time, host, absolute run directory) is ever written here.

In the hot path a record is a plain tuple ``(t, seq, kind, actor, subject, data)``; readers get
:class:`Record` named tuples with the same fields.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

FORMAT = 1
HEADER_KIND = "log.header"
END_KIND = "exercise.ended"
INPUT_KIND = "input.received"

_dumps = orjson.dumps
_NEWLINE = orjson.OPT_APPEND_NEWLINE


class Record(NamedTuple):
    """One event: when (sim minutes), order, what kind, who did it, to what, and details."""

    t: float
    seq: int
    kind: str
    actor: str | None
    subject: str | None
    data: dict[str, Any]


Row = tuple[float, int, str, str | None, str | None, dict[str, Any]]
"""A record as the engine emits it, before it is written: the fields of :class:`Record`, as a plain tuple."""


class LogError(Exception):
    """A log file that cannot be read (not a drillsim log, or corrupt before its last line)."""


def encode(rec: Row) -> bytes:
    """One JSON line (UTF-8 bytes) for a record tuple; field order is fixed: t, seq, kind, actor, subject, data.

    orjson rather than the standard library: encoding is most of the cost of a logged run (measured
    ~3 µs per record with ``json``, ~0.4 µs with orjson), and its output for the same input is stable.
    """
    t, seq, kind, actor, subject, data = rec
    return _dumps({"t": t, "seq": seq, "kind": kind, "actor": actor, "subject": subject, "data": data},
                  option=_NEWLINE)


class JsonlWriter:
    """Append encoded records to a file through one fixed 64 KiB buffer.

    Each line goes straight into the file object's buffer rather than into a list of pending
    lines: holding hundreds of small ``bytes`` objects and freeing them in a block made the
    allocator hand memory back and forth, which cost ~2 µs per record (5× the encoding itself).
    The buffer reaches the OS whenever it fills and at every :meth:`flush` (the engine flushes
    after each slice), so a killed run leaves every record but the last few, and at most one
    torn last line, which :func:`read_log` drops.
    """

    BUFFER = 1 << 16

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "wb", buffering=self.BUFFER)
        self.put = self._fh.write  # one encoded line (bytes); the hot path calls this directly

    def write(self, rec: Row) -> None:
        """Encode and append one record."""
        self._fh.write(encode(rec))

    def flush(self) -> None:
        """Hand everything written so far to the OS (it survives a killed process)."""
        if not self._fh.closed:
            self._fh.flush()

    def close(self) -> None:
        """Flush, fsync and close (idempotent)."""
        if self._fh.closed:
            return
        self.flush()
        try:
            os.fsync(self._fh.fileno())
        except OSError:  # pragma: no cover - e.g. a pipe
            pass
        self._fh.close()


class EventLog:
    """Numbered, timestamped records, written to a file and/or kept in memory and/or streamed.

    Args:
        clock: Returns the current simulated time in minutes.
        writer: Where lines go (None: not written).
        keep: Keep record tuples in :attr:`records` (scoring and the TUI read them from memory).
        env: A simpy environment whose time is read directly (faster than ``clock`` on the hot path).
    """

    def __init__(self, clock: Callable[[], float] | None = None, writer: JsonlWriter | None = None,
                 keep: bool = True, *, env: Any = None) -> None:
        if env is not None:
            clock = lambda: env.now  # noqa: E731 - only for callers of clock(); emit reads env directly
        if clock is None:
            raise ValueError("an event log needs a clock or an environment")
        self._clock = clock
        self._env = env
        self.writer = writer
        self._put: Callable[[bytes], Any] | None = writer.put if writer is not None else None
        self.keep = keep
        self.records: list[Row] = []
        self.header: dict[str, Any] | None = None
        self._listeners: list[Callable[[Row], None]] = []
        self._seq = 0
        self._now = math.nan  # the clock reading of the last record, and its rounded time
        self._t = 0.0
        self.counts: dict[str, int] = {}

    def subscribe(self, listener: Callable[[Row], None]) -> None:
        """Call ``listener(record_tuple)`` for every record from now on (TUI panes, live scoring)."""
        self._listeners.append(listener)

    def write_header(self, data: dict[str, Any], subject: str) -> None:
        """Write the header record (seq 0, t 0); must be the first record."""
        assert self._seq == 0, "the header must be the first record"
        self.header = data
        self.emit(HEADER_KIND, "drillsim", subject, data)
        self.flush()  # a log that exists on disk always has its header, however early the run dies

    def emit(self, kind: str, actor: str | None, subject: str | None, data: dict[str, Any]) -> Row:
        """Append one record at the current simulated time and return it.

        The hot path of every run (tens of records per incident): encoding is inlined rather than
        delegated to :func:`encode` / :meth:`JsonlWriter.write`, each line goes straight into the
        file's buffer (see :class:`JsonlWriter`), and the rounded time is reused
        while the clock stands still (most records share their instant with another).
        """
        seq = self._seq
        self._seq = seq + 1
        env = self._env
        now = env.now if env is not None else self._clock()
        if now == self._now:
            t = self._t
        else:
            self._now = now
            t = self._t = round(now, 4)
        rec = (t, seq, kind, actor, subject, data)
        counts = self.counts
        counts[kind] = counts.get(kind, 0) + 1
        if self.keep:
            self.records.append(rec)
        put = self._put
        if put is not None:
            put(_dumps({"t": t, "seq": seq, "kind": kind, "actor": actor, "subject": subject, "data": data},
                       option=_NEWLINE))
        if self._listeners:
            for listener in self._listeners:
                listener(rec)
        return rec

    @property
    def next_seq(self) -> int:
        """Sequence number the next record will get."""
        return self._seq

    def flush(self) -> None:
        """Flush the file writer, if any."""
        if self.writer is not None:
            self.writer.flush()

    def close(self) -> None:
        """Close the file writer, if any."""
        if self.writer is not None:
            self.writer.close()


@dataclass
class LogData:
    """A log read back from disk.

    Attributes:
        header: The header record's data.
        records: Every record after the header, in order.
        complete: True when the run ended normally (an ``exercise.ended`` record is present).
        torn: True when a partial last line (a run killed mid-write) was dropped.
        path: Where it was read from.
        warnings: What a reader should be told about this log, one sentence each (a dropped torn
            line, a run that did not finish); commands print them as ``warning: ...``.
    """

    header: dict[str, Any]
    records: list[Record] = field(default_factory=list)
    complete: bool = False
    torn: bool = False
    path: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> list[Record]:
        """External inputs (facilitator injects, player decisions, notes) in order: what replay re-applies."""
        return [r for r in self.records if r.kind == INPUT_KIND]


def read_log(path: str | Path) -> LogData:
    """Read a log; drop (and report) a torn last line; raise :class:`LogError` for anything worse.

    A run killed while writing (``kill -9``, a power cut) can leave a last line without its
    newline, cut anywhere. That line is dropped if it does not parse, kept if it does (only the
    newline was lost), and either way :attr:`LogData.torn` is set and :attr:`LogData.warnings`
    says what happened. Every earlier line must be a complete record: anything else is not a
    crash artefact but a damaged file, and raises :class:`LogError` with its line number.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise LogError(f"{p}: cannot read: {exc.strerror}") from None
    lines = raw.split(b"\n")
    torn = False
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        torn = True  # no newline at the end: the last write was cut
    header: dict[str, Any] | None = None
    records: list[Record] = []
    warnings: list[str] = []
    for i, line in enumerate(lines, start=1):
        try:
            rec = _parse(line)
        except (ValueError, KeyError, TypeError):  # orjson.JSONDecodeError is a ValueError
            if i == len(lines):
                torn = True
                warnings.append(f"{p}:{i}: dropped an incomplete last line ({len(line)} bytes): the run was "
                                "interrupted while writing it")
                break
            raise LogError(f"{p}:{i}: not a drillsim log record (corrupt line)") from None
        if i == 1:
            if rec.kind != HEADER_KIND:
                raise LogError(f"{p}:1: not a drillsim event log (the first record is not a header)")
            header = rec.data
            if header.get("format") != FORMAT:
                raise LogError(f"{p}:1: log format {header.get('format')!r} is not supported "
                               f"(expected {FORMAT})")
            continue
        if i == len(lines) and torn:
            warnings.append(f"{p}:{i}: the last line has no newline: the run was interrupted just after "
                            "writing it (the record is complete and kept)")
        records.append(rec)
    if header is None:
        raise LogError(f"{p}: empty or torn before the header was written")
    complete = bool(records) and records[-1].kind == END_KIND
    if not complete:
        last = f"t={records[-1].t} (seq {records[-1].seq})" if records else "the header"
        warnings.append(f"{p}: the run did not finish (no {END_KIND} record; the log stops at {last}): "
                        "it was interrupted, crashed or is still running")
    return LogData(header, records, complete, torn, str(p), warnings)


def _parse(line: bytes | str) -> Record:
    obj = orjson.loads(line)
    if not isinstance(obj, dict):
        raise TypeError("not an object")
    return Record(obj["t"], obj["seq"], obj["kind"], obj["actor"], obj["subject"], obj["data"])


def iter_records(path: str | Path, on_torn: Callable[[str], None] | None = None) -> Iterator[Record]:
    """Stream records (header included) without holding the file in memory.

    Stops at a torn last line (an interrupted write) and calls ``on_torn`` with a sentence saying
    so; a damaged line before the end raises :class:`LogError`.
    """
    with open(path, "rb") as fh:
        number = 0
        for line in fh:
            number += 1
            if not line.endswith(b"\n"):
                if on_torn is not None:
                    on_torn(f"{path}:{number}: stopped at an incomplete last line: the run was interrupted "
                            "while writing it")
                return
            try:
                yield _parse(line)
            except (ValueError, KeyError, TypeError):
                raise LogError(f"{path}:{number}: not a drillsim log record (corrupt line)") from None
