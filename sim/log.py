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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from drillsim import logcheck
from drillsim.fileio import NewFile, Refused, open_regular
from drillsim.limits import MAX_DEPTH, MAX_HEADER_BYTES, MAX_LOG_BYTES, MAX_RECORD_BYTES, MAX_RECORDS

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
    """A log that cannot be read: its message is ``FILE:LINE: field: problem`` (``FILE: problem`` for the file).

    Attributes:
        path: The log file.
        line: The 1-based line of the problem (0: the file as a whole).
        field: The field in that line (``t``, ``data.people``; empty for the whole line).
    """

    def __init__(self, message: str, *, path: str = "", line: int = 0, field: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.field = field

    @classmethod
    def at(cls, path: str | Path, line: int, field: str, problem: str) -> LogError:
        """The refusal of one field of one line."""
        where = f"{path}:{line}" if line else str(path)
        return cls(f"{where}: {field or '<record>'}: {problem}", path=str(path), line=line, field=field)


class RunLimit(Exception):
    """A run generated more than a run may (docs/limits.md): the exercise stops there.

    Raised inside the simulation (by the record counter here, or by a flow creating incidents);
    :meth:`drillsim.engine.Exercise.advance` closes the log with ``exercise.ended`` (reason
    ``limit``) and :meth:`drillsim.engine.Exercise.run` raises it again.
    """


def encode(rec: Row) -> bytes:
    """One JSON line (UTF-8 bytes) for a record tuple; field order is fixed: t, seq, kind, actor, subject, data.

    orjson rather than the standard library: encoding is most of the cost of a logged run (measured
    ~3 µs per record with ``json``, ~0.4 µs with orjson), and its output for the same input is stable.
    """
    t, seq, kind, actor, subject, data = rec
    return _dumps({"t": t, "seq": seq, "kind": kind, "actor": actor, "subject": subject, "data": data},
                  option=_NEWLINE)


class JsonlWriter:
    """Append encoded records to a new file through one fixed 64 KiB buffer.

    Each line goes straight into the file object's buffer rather than into a list of pending
    lines: holding hundreds of small ``bytes`` objects and freeing them in a block made the
    allocator hand memory back and forth, which cost ~2 µs per record (5× the encoding itself).
    The buffer reaches the OS whenever it fills and at every :meth:`flush` (the engine flushes
    after each slice), so a killed run leaves every record but the last few, and at most one
    torn last line, which :func:`read_log` drops.

    The file is a :class:`drillsim.fileio.NewFile`: an existing log is refused (never truncated)
    unless ``replace``; then the new log is written under a temporary name and renamed over the
    old one when it is closed, so a run that fails leaves the old log intact. ``staged`` keeps
    the log under its temporary name until :meth:`commit` (a what-if branch, published only once
    its promises are checked).

    Raises:
        FileExistsError: A file is at ``path`` and ``replace`` is false.
    """

    BUFFER = 1 << 16

    def __init__(self, path: str | Path, *, replace: bool = False, staged: bool = False) -> None:
        self.path = Path(path)
        self.file = NewFile(self.path, replace=replace, staged=staged, buffering=self.BUFFER, what="an event log")
        self.staged = staged
        self._fh = self.file.fh
        self.put = self._fh.write  # one encoded line (bytes); the hot path calls this directly

    def write(self, rec: Row) -> None:
        """Encode and append one record."""
        self._fh.write(encode(rec))

    def flush(self) -> None:
        """Hand everything written so far to the OS (it survives a killed process)."""
        self.file.flush()

    def close(self) -> None:
        """Flush, fsync and close (idempotent); a replacing log is renamed into place now."""
        if self.staged:
            self.file.close()
        else:
            self.file.commit()

    def commit(self) -> Path:
        """Close and publish a staged log under its final name."""
        return self.file.commit()

    def discard(self) -> None:
        """Close and remove a staged log (nothing appears under the final name)."""
        self.file.discard()

    def abandon(self) -> None:
        """Close and remove the new log, wherever it is (see :meth:`drillsim.fileio.NewFile.abandon`)."""
        self.file.abandon()


class EventLog:
    """Numbered, timestamped records, written to a file and/or kept in memory and/or streamed.

    Args:
        clock: Returns the current simulated time in minutes.
        writer: Where lines go (None: not written).
        keep: Keep record tuples in :attr:`records` (tests and small API uses; the commands and consoles
            hold records in a store fed by ``tee``).
        env: A simpy environment whose time is read directly (its ``_now``: faster than ``clock``, or
            than simpy's ``now`` property, on the hot path).
        tee: Also hand every encoded line to this callable (after the writer): a
            :class:`drillsim.logstore.RecordStore` collects the run's records compactly for scoring
            without ``keep`` (docs/design.md, "Memory"). Lines are encoded even without a writer.
            A store's own ``add_line`` is recognised and its :meth:`~drillsim.logstore.RecordStore.take`
            called instead, with the kind and ``seq`` the log already knows (parsing them back out of
            every line was ~10 % of a sweep run).

    Attributes:
        limit: Records the log takes before :meth:`emit` raises :class:`RunLimit`
            (:data:`drillsim.limits.MAX_RECORDS`; a run closing after the limit lifts it).
    """

    def __init__(self, clock: Callable[[], float] | None = None, writer: JsonlWriter | None = None,
                 keep: bool = True, *, env: Any = None, tee: Callable[[bytes], Any] | None = None) -> None:
        if env is not None:
            clock = lambda: env.now  # noqa: E731 - only for callers of clock(); emit reads env directly
        if clock is None:
            raise ValueError("an event log needs a clock or an environment")
        self._clock = clock
        self._env = env
        self.writer = writer
        self.tee = tee
        self._put: Callable[[bytes], Any] | None = writer.put if writer is not None else None
        self._take: Callable[[bytes, str, int], Any] | None = _taker(tee)
        self.keep = keep
        self.records: list[Row] = []
        self.header: dict[str, Any] | None = None
        self._listeners: list[Callable[[Row], None]] = []
        self._seq = 0
        self._now = math.nan  # the clock reading of the last record, and its rounded time
        self._t = 0.0
        self.counts: dict[str, int] = {}
        self.limit = MAX_RECORDS

    def attach(self, writer: JsonlWriter) -> None:
        """Start writing to ``writer`` (before the header: the header is known before any file is opened)."""
        assert self._seq == 0, "a writer is attached before the first record"
        self.writer = writer
        self._put = writer.put

    def detach(self) -> None:
        """Stop handing lines to the tee and forget it (a finished run's store is no longer its log's to keep)."""
        self.tee = None
        self._take = None

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
        if seq >= self.limit:
            self.limit = seq + MAX_RECORDS  # room for the records that close the exercise
            raise RunLimit(f"the run wrote {seq:,} records, the limit for one run (docs/limits.md); "
                           "the scenario generates far more than an exercise can hold")
        self._seq = seq + 1
        env = self._env
        now = env._now if env is not None else self._clock()  # simpy's clock itself, not its property
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
        take = self._take
        if put is not None or take is not None:
            line = _dumps({"t": t, "seq": seq, "kind": kind, "actor": actor, "subject": subject, "data": data},
                          option=_NEWLINE)
            if put is not None:
                put(line)
            if take is not None:
                take(line, kind, seq)
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


def _taker(tee: Callable[[bytes], Any] | None) -> Callable[[bytes, str, int], Any] | None:
    """How :meth:`EventLog.emit` hands each line to ``tee``: with its kind and ``seq``, or the line alone.

    A :class:`drillsim.logstore.RecordStore`'s ``add_line`` (what ``run`` and a sweep worker pass)
    is replaced by the store's ``take(line, kind, seq)``, which need not parse them out of the line;
    recognised by its method rather than by type, as this module cannot import the store's.
    """
    if tee is None:
        return None
    owner = getattr(tee, "__self__", None)
    take = getattr(owner, "take", None)
    if take is not None and getattr(tee, "__func__", None) is getattr(type(owner), "add_line", None):
        return take

    def line_only(line: bytes, kind: str, seq: int) -> None:
        tee(line)

    return line_only


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
    """Read and check a log; drop (and report) a torn last line; raise :class:`LogError` for anything worse.

    A run killed while writing (``kill -9``, a power cut) can leave a last line without its
    newline, cut anywhere. That line is dropped if it does not parse, kept if it does (only the
    newline was lost), and either way :attr:`LogData.torn` is set and :attr:`LogData.warnings`
    says what happened. Every other line must be a record the engine could have written
    (:mod:`drillsim.logcheck`): anything else is not a crash artefact but a damaged or hostile
    file, refused as ``FILE:LINE: field: problem`` at the first bad line. Only a regular file is
    read, with bounded lines and a bounded size (docs/limits.md).
    """
    p = Path(path)
    notes = _Notes()
    scan = _scan(p, notes)
    header = next(scan).data
    records = list(scan)
    complete = bool(records) and records[-1].kind == END_KIND
    if not complete:
        notes.warnings.append(unfinished(p, records[-1] if records else None))
    return LogData(header, records, complete, notes.torn, str(p), notes.warnings)


def unfinished(path: str | Path, last: Record | None) -> str:
    """The warning for a log without ``exercise.ended``, saying where it stops (``last``: its last record)."""
    at = f"t={last.t} (seq {last.seq})" if last is not None else "the header"
    return (f"{path}: the run did not finish (no {END_KIND} record; the log stops at {at}): "
            "it was interrupted, crashed or is still running")


def iter_records(path: str | Path, on_torn: Callable[[str], None] | None = None) -> Iterator[Record]:
    """Stream checked records (header included) without holding the file in memory.

    Stops at a torn last line (an interrupted write) and calls ``on_torn`` with a sentence saying
    so; anything else wrong raises :class:`LogError` as :func:`read_log` does.
    """
    notes = _Notes()
    yield from _scan(Path(path), notes)
    if notes.warnings and on_torn is not None:
        on_torn(notes.warnings[0])


@dataclass
class _Notes:
    """What a scan noticed that is not an error: a torn or newline-less last line."""

    warnings: list[str] = field(default_factory=list)
    torn: bool = False


def read_header(path: str | Path) -> dict[str, Any]:
    """Only the header of a log (its first line), checked as :func:`read_log` checks it.

    Raises:
        LogError: not a regular file, not a drillsim log, or a header a reader cannot use.
    """
    p = Path(path)
    try:
        fh, _ = open_regular(p, max_bytes=MAX_LOG_BYTES)
    except Refused as exc:
        raise LogError(f"{p}: {exc.reason}", path=str(p)) from None
    with fh:
        try:
            line = fh.readline(MAX_HEADER_BYTES + 1)
        except OSError as exc:
            raise LogError(f"{p}: cannot read: {exc.strerror}", path=str(p)) from None
    if not line:
        raise LogError(f"{p}: empty: not a drillsim event log (no header)", path=str(p))
    if len(line) > MAX_HEADER_BYTES:
        raise LogError.at(p, 1, "", f"the line is longer than {_limit(MAX_HEADER_BYTES)}, the limit for the header")
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise LogError.at(p, 1, "", _not_json(line, exc)) from None
    return dict(_header(p, obj).data)


def _not_json(line: bytes, exc: orjson.JSONDecodeError) -> str:
    """Why a line is not a record, in a user's words."""
    if not line.strip():
        return "an empty line (every line of a log holds one record)"
    if "UTF-8" in exc.msg:
        return "not UTF-8 text (a byte no UTF-8 text has: was the file saved in another encoding?)"
    return f"not a JSON line ({exc.msg} at column {exc.colno})"


def _limit(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n // 2**10} KiB"


def _scan(p: Path, notes: _Notes) -> Iterator[Record]:
    """The header record, then every record, each checked; a torn last line is noted in ``notes``."""
    try:
        fh, _ = open_regular(p, max_bytes=MAX_LOG_BYTES)
    except Refused as exc:
        raise LogError(f"{p}: {exc.reason}", path=str(p)) from None
    with fh:
        number = 0
        duration = 0.0
        last_t = 0.0
        ended = False
        while True:
            limit = MAX_HEADER_BYTES if number == 0 else MAX_RECORD_BYTES
            try:
                line = fh.readline(limit + 1)
            except OSError as exc:
                raise LogError(f"{p}: cannot read: {exc.strerror}", path=str(p)) from None
            if not line:
                break
            number += 1
            what = "the header" if number == 1 else "a record"
            if len(line) > limit:
                raise LogError.at(p, number, "", f"the line is longer than {_limit(limit)}, the limit for {what}")
            if number > MAX_RECORDS + 1:
                raise LogError.at(p, number, "", f"more than {MAX_RECORDS:,} records, the limit for one log")
            last = not line.endswith(b"\n")
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                if last and number > 1:  # a write cut by a crash: drop it and say so
                    notes.torn = True
                    notes.warnings.append(f"{p}:{number}: dropped an incomplete last line ({len(line)} bytes): the run "
                                    "was interrupted while writing it")
                    break
                raise LogError.at(p, number, "", _not_json(line, exc)) from None
            if number == 1:
                header = _header(p, obj)
                duration = float(header.data["duration"])
                yield header
                continue
            if ended:
                raise LogError.at(p, number, "", f"a record after {END_KIND} (the exercise was over)")
            found = logcheck.record_problem(obj, number - 1, last_t, duration)
            if found is None and line.count(b"[") + line.count(b"{") > MAX_DEPTH and (
                    deep := logcheck.too_deep(obj["data"], root="data")):
                found = logcheck.clip_path(deep), f"nested deeper than {MAX_DEPTH} levels"
            if found is not None:
                raise LogError.at(p, number, *found)
            if last:
                notes.torn = True
                notes.warnings.append(f"{p}:{number}: the last line has no newline: the run was interrupted just after "
                                "writing it (the record is complete and kept)")
            last_t = obj["t"]
            ended = obj["kind"] == END_KIND
            yield Record(obj["t"], obj["seq"], obj["kind"], obj["actor"], obj["subject"], obj["data"])
        if number == 0:
            raise LogError(f"{p}: empty: not a drillsim event log (no header)", path=str(p))


def _header(p: Path, obj: Any) -> Record:
    """The checked header record of line 1."""
    if not isinstance(obj, dict) or obj.get("kind") != HEADER_KIND:
        raise LogError.at(p, 1, "kind", "not a drillsim event log (the first line is not a log.header record)")
    found = logcheck.record_problem({**obj, "kind": "x"}, 0, 0.0, 0.0)
    if found is None and (deep := logcheck.too_deep(obj["data"], root="data")):
        found = logcheck.clip_path(deep), f"nested deeper than {MAX_DEPTH} levels"
    if found is None and (found := logcheck.header_problem(obj["data"])) is not None:
        found = f"data.{found[0]}" if found[0] else "data", found[1]
    if found is not None:
        raise LogError.at(p, 1, *found)
    return Record(obj["t"], obj["seq"], obj["kind"], obj["actor"], obj["subject"], obj["data"])
