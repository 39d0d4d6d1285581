"""Crash-safe results: part files while running, one ``results.parquet`` at the end.

A Parquet file is readable only once it is closed, so rows are never appended to one: each batch
of finished runs becomes its own part file (``parts/part-000042.parquet``), written to a temporary
name, fsynced and renamed into place. The part files *are* the record of finished runs — a run is
finished exactly when a part holding its row exists — so a ``kill -9`` loses only the runs in
flight, and nothing can say a run finished whose row is missing. Compaction (at the end, after an
interruption, and when a sweep is resumed) merges ``results.parquet`` and the parts into a new
``results.parquet`` (again temp + fsync + rename), keeping one row per run id, and only then
deletes the parts; a crash in between leaves duplicates that the next compaction drops.

``sweep.json`` describes the sweep (scenario hash, design, factors, seeds) with a fingerprint;
``--resume`` continues only a sweep with the same fingerprint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.fileio import Refused, atomic_write_bytes, atomic_write_text, read_regular

RESULTS = "results.parquet"
CSV = "results.csv"
MANIFEST = "sweep.json"
PARTS = "parts"
LOGS = "logs"
BASE_COLUMNS = ("run_id", "point", "replicate", "seed", "status", "error")
INT_COLUMNS = ("point", "replicate", "seed")
_PART = re.compile(r"^part-(\d+)\.parquet$")
_TEMP = r"\.[A-Za-z0-9_]+\.tmp$"
_OWN_TEMP = re.compile(r"^\.(results\.parquet|results\.csv|sweep\.json)" + _TEMP)
_OWN_PART_TEMP = re.compile(r"^\.part-\d+\.parquet" + _TEMP)
_OWN_LOG_TEMP = re.compile(r"^\.p\d+-r\d+\.jsonl" + _TEMP)
"""The temporary names :func:`drillsim.fileio.atomic_write_bytes` gives this store's own files."""
MANIFEST_MAX = 64 * 2**20


class Store:
    """The output directory of one sweep."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.parts = self.out / PARTS
        self._next = 0

    @property
    def results_path(self) -> Path:
        """``DIR/results.parquet``."""
        return self.out / RESULTS

    # -- opening ---------------------------------------------------------------------------------

    def decide(self, manifest: dict[str, Any], *, resume: bool) -> set[str]:
        """Whether this sweep may use the directory; the ids of runs already finished. Touches nothing.

        Call with the folder's lock held (:mod:`drillsim.sweeps.lock`), then :meth:`start` once the
        backend is up: a sweep that is refused, or cannot reach its cluster, leaves the folder as it was.

        Raises:
            InputError: the directory holds another sweep, results without a ``sweep.json``, or a
                sweep that ``--resume`` was not asked to continue.
        """
        existing = self.read_manifest()
        if existing is None:
            if self._has_rows():
                raise InputError([Problem(str(self.out), 0, 0, "", f"results here but no {MANIFEST}",
                                          "an empty or new --out directory")])
            return set()
        if not resume:
            raise InputError([Problem(str(self.out), 0, 0, "", "this directory already holds a sweep",
                                      "--resume to continue it, or another --out")])
        if existing.get("fingerprint") != manifest["fingerprint"]:
            diff = ", ".join(_differences(existing, manifest)) or "its definition"
            raise InputError([Problem(str(self.out), 0, 0, "", f"the sweep here differs from this one ({diff})",
                                      "the same scenario file and options as the interrupted sweep, or "
                                      "another --out")])
        table = self.read_all()
        return set() if table is None else set(table.column("run_id").to_pylist())

    def open(self, manifest: dict[str, Any], *, resume: bool) -> set[str]:
        """:meth:`decide`, then :meth:`start` at once (nothing to set up in between); the ids already done."""
        done = self.decide(manifest, resume=resume)
        self.start(manifest)
        return done

    def start(self, manifest: dict[str, Any]) -> None:
        """Set the directory up for writing (after :meth:`decide`): ``parts/``, ``sweep.json``, compaction.

        Removes only temporary files a sweep of this folder left behind when it was killed
        (``.results.parquet.<random>.tmp``, ``parts/.part-000042.parquet.<random>.tmp``, ...): nothing
        else in the folder is touched.
        """
        self.parts.mkdir(parents=True, exist_ok=True)
        self._clean_temporaries()
        if self.read_manifest() is None:
            atomic_write_text(self.out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        else:
            self.compact()

    def read_manifest(self) -> dict[str, Any] | None:
        """The ``sweep.json`` of this directory, if any."""
        path = self.out / MANIFEST
        if not path.exists():
            return None
        try:
            data = json.loads(read_regular(path, max_bytes=MANIFEST_MAX).decode("utf-8"))
        except (Refused, ValueError) as exc:
            raise InputError([Problem(str(path), 0, 0, "", f"unreadable sweep manifest: {exc}",
                                      "the sweep.json written by drillsim sweep")]) from None
        return data if isinstance(data, dict) else None

    def _clean_temporaries(self) -> None:
        for folder, own in ((self.out, _OWN_TEMP), (self.parts, _OWN_PART_TEMP), (self.out / LOGS, _OWN_LOG_TEMP)):
            if not folder.is_dir():
                continue
            for tmp in folder.iterdir():
                if own.match(tmp.name):
                    try:
                        tmp.unlink()
                    except OSError:  # pragma: no cover
                        pass
        numbers = [int(m.group(1)) for p in self.parts.iterdir() if (m := _PART.match(p.name))]
        self._next = max(numbers, default=-1) + 1

    def _has_rows(self) -> bool:
        return self.results_path.exists() or bool(self.part_paths())

    # -- writing -----------------------------------------------------------------------------------

    def write_part(self, rows: Sequence[dict[str, Any]]) -> Path:
        """Make ``rows`` durable as one part file (temp + fsync + rename, via :mod:`drillsim.fileio`)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.parts / f"part-{self._next:06d}.parquet"
        self._next += 1
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist(list(rows)), sink)
        atomic_write_bytes(path, sink.getvalue().to_pybytes())
        return path

    def write_log(self, run_id: str, data: bytes) -> None:
        """Keep one run's event log (``--keep-logs``): ``logs/<run_id>.jsonl``, the bytes ``drillsim run`` writes."""
        atomic_write_bytes(self.out / LOGS / f"{run_id}.jsonl", data)

    # -- reading and compacting ----------------------------------------------------------------------

    def part_paths(self) -> list[Path]:
        """Part files in the order they were written."""
        if not self.parts.exists():
            return []
        found = [(int(m.group(1)), p) for p in self.parts.iterdir() if (m := _PART.match(p.name))]
        return [p for _, p in sorted(found)]

    def read_all(self) -> Any:
        """Every row written so far (results + parts), one per run id, as an Arrow table (or None).

        pyarrow only: the parent process of a sweep never needs pandas (its import alone costs a
        third of a second of serial time at the end of every sweep).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        paths = ([self.results_path] if self.results_path.exists() else []) + self.part_paths()
        tables = [t for t in (pq.read_table(p) for p in paths) if t.num_rows]
        if not tables:
            return None
        table = pa.concat_tables(tables, promote_options="permissive")
        return normalise(table)

    def compact(self) -> Any:
        """Merge parts into ``results.parquet`` atomically, then delete them.

        Returns:
            The table as stored in ``results.parquet`` (an Arrow table), or None when no run has
            finished.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts = self.part_paths()
        if not parts and self.results_path.exists():
            return pq.read_table(self.results_path)
        table = self.read_all()
        if table is None:
            return None
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        atomic_write_bytes(self.results_path, sink.getvalue().to_pybytes())
        for p in parts:
            p.unlink(missing_ok=True)
        return table

    def write_csv(self, frame: Any) -> Path:
        """``results.csv`` next to the Parquet file (atomically)."""
        path = self.out / CSV
        atomic_write_text(path, frame.to_csv(index=False))
        return path


def normalise(table: Any) -> Any:
    """One canonical table: a row per run id, rows by (point, replicate), fixed column order and types.

    The first row written for a run id is kept. Two sweeps with the same definition produce equal
    tables (apart from ``wall_s``) however their runs were batched, interrupted or resumed.
    """
    import pyarrow as pa

    ids = table.column("run_id").to_pylist()
    seen: set[str] = set()
    keep: list[int] = []
    for i, x in enumerate(ids):
        if x not in seen:
            seen.add(x)
            keep.append(i)
    if len(keep) < len(ids):
        table = table.take(pa.array(keep, type=pa.int64()))
    table = table.sort_by([("point", "ascending"), ("replicate", "ascending")])
    fields = []
    for name in table.column_names:
        col = table.column(name)
        if name in INT_COLUMNS:
            target = pa.int64()
        elif name.startswith(("metric.",)) or name in ("score", "wall_s"):
            target = pa.float64()
        elif name.startswith("rating.") or name in ("run_id", "status", "error") or name.endswith(".text"):
            target = pa.string()
        elif pa.types.is_null(col.type):
            target = pa.float64()
        else:
            target = col.type
        fields.append(pa.field(name, target))
    order = column_order(table.column_names)
    table = table.cast(pa.schema(fields))
    return table.select(order)


def column_order(columns: Iterable[str]) -> list[str]:
    """The canonical column order.

    run id, point, replicate, seed, status, error, parameters (as in the design), score, ratings,
    metrics (sorted), wall time.
    """
    cols = list(columns)
    params = [c for c in cols if c.startswith("param.")]
    ratings = sorted(c for c in cols if c.startswith("rating."))
    metrics = sorted(c for c in cols if c.startswith("metric."))
    head = [c for c in BASE_COLUMNS if c in cols]
    tail = [c for c in ("wall_s",) if c in cols]
    score = [c for c in ("score",) if c in cols]
    known = set(head) | set(params) | set(ratings) | set(metrics) | set(tail) | set(score)
    other = [c for c in cols if c not in known]
    return head + params + score + ratings + metrics + other + tail


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    if old.get("scenario", {}).get("sha256") != new.get("scenario", {}).get("sha256"):
        out.append("the scenario file changed")
    old_spec, new_spec = old.get("spec", {}), new.get("spec", {})
    for key in sorted(set(old_spec) | set(new_spec)):
        if old_spec.get(key) != new_spec.get(key):
            out.append(f"{key}: {old_spec.get(key)!r} then, {new_spec.get(key)!r} now"
                       if key not in ("factors", "listed", "overrides") else f"{key} differ")
    if old.get("drillsim") != new.get("drillsim"):
        out.append(f"drillsim {old.get('drillsim')} then, {new.get('drillsim')} now")
    return out
