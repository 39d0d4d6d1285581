"""Where commands write, and the one rule they share: nothing a user made is replaced without ``--force``.

* **Names say what differs.** A run's folder is ``runs/<id>-<seed>``, with ``-set-<hash>`` when
  ``--set`` changed the scenario (eight hex digits of the overrides, so a run with overrides never
  lands on the plain run); a report is ``report-<lang>.md`` / ``report-gbt-<lang>.md`` with its
  figures in ``figures-<lang>/``, so a Chinese report never replaces the English one; a comparison
  goes to its own folder beside the runs (``runs/compare-<A>-vs-<B>``), a baseline to
  ``<run>-baseline-<N>``, never inside a run.
* **Nothing is replaced unasked.** A file that exists with other content is a conflict: the command
  stops before writing anything (exit 2) and names each file, unless ``--force`` is given. Writing
  the same bytes again replaces nothing and needs no ``--force``. An event log already in place is
  refused before anything runs (:func:`check_log_free`); with ``--force`` the new log replaces it
  only once complete (:class:`drillsim.fileio.NewFile`).
* **Derived outputs say where they came from.** Every folder a command writes derived files into
  holds ``derived.json``: for each file, the log(s) it was made from (path and sha256). When
  ``run --force`` replaces a log, the files and folders made from the old log (another language's
  report, a what-if branch) are removed, so nothing stale is left beside a log it does not
  describe; anything not recorded as made from that log is left alone.

Files are written by :func:`drillsim.fileio.atomic_write_bytes` (temp + fsync + rename).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.fileio import atomic_write_bytes, atomic_write_text, exists_error

DERIVED = "derived.json"
"""The provenance file in every folder that holds derived outputs."""

FORCE_HELP = "replace files a previous command wrote here (default: refuse and say which)"


def overrides_tag(overrides: Sequence[Any]) -> str:
    """Eight hex digits naming a set of ``--set`` overrides (empty for none): the same overrides, the same tag."""
    if not overrides:
        return ""
    text = json.dumps([list(o) if isinstance(o, list | tuple) else o for o in overrides], ensure_ascii=False,
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def run_dir(scenario_id: str, seed: int, overrides: Sequence[Any] = (), suffix: str = "") -> Path:
    """``runs/<id>-<seed>[-set-<tag>][<suffix>]``: a run with overrides never shares the plain run's folder."""
    tag = overrides_tag(overrides)
    return Path("runs") / (f"{scenario_id}-{seed}" + (f"-set-{tag}" if tag else "") + suffix)


def report_stem(lang: str, form: str) -> str:
    """``report-en`` / ``report-zh`` (AAR/IP), ``report-gbt-zh`` (the GB/T form)."""
    return f"report-{lang}" if form == "aar" else f"report-{form}-{lang}"


def figures_dir(lang: str) -> str:
    """``figures-en`` / ``figures-zh``: figures carry their labels' language."""
    return f"figures-{lang}"


def compare_dir(a: Path, b: Sequence[Path]) -> Path:
    """``<runs>/compare-<A>-vs-<B>`` beside run A's folder (``-vs-<B>-and-<n>-more`` for a set)."""
    def name(p: Path) -> str:
        return (p.parent if p.name == "events.jsonl" or p.suffix == ".jsonl" else p).name or "log"

    label = name(b[0]) + (f"-and-{len(b) - 1}-more" if len(b) > 1 else "")
    folder = a.parent if a.name == "events.jsonl" or a.suffix == ".jsonl" else a
    return folder.parent / f"compare-{name(a)}-vs-{label}"


def baseline_dir(log: Path, n: int) -> Path:
    """``<run folder>-baseline-<N>`` beside the run."""
    folder = log.parent
    return folder.parent / f"{folder.name}-baseline-{n}"


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Source:
    """A log a derived file was made from."""

    path: str
    sha256: str

    @classmethod
    def of(cls, log: str | Path) -> Source:
        """The log at ``log`` as it is now."""
        return cls(str(Path(log).resolve()), file_sha256(Path(log)))


def check_free(files: Mapping[Path, bytes], force: bool, hint: str = "") -> None:
    """Refuse (exit 2, every file named) to replace a file whose content would change, unless ``force``."""
    if force:
        return
    taken = [path for path, data in files.items() if path.is_file() and path.read_bytes() != data]
    if taken:
        why = "exists with other content (made by an earlier command)"
        raise InputError([Problem(str(p), 0, 0, "", why, "--force to replace it, or --out DIR" + hint)
                          for p in taken])


def check_log_free(log: Path, force: bool, what: str = "an event log") -> None:
    """Refuse, before anything runs, to write a new event log (or a fork's ``fork.json``) over one, unless ``force``.

    The refusal is the engine's own (:func:`drillsim.fileio.exists_error`; the command line prints
    ``drillsim: FILE: an event log is already here (--force replaces it; or choose another --out)``
    and exits 2), said before simulating. The engine stays the last word: its
    :class:`drillsim.fileio.NewFile` never truncates a log, refuses one that appeared meanwhile,
    and with ``--force`` renames the new log over the old one only once it is complete.
    """
    if os.path.lexists(log) and not force:
        raise exists_error(log, what)


def write_files(files: Mapping[Path, bytes], *, force: bool, sources: Iterable[Source], by: str) -> list[Path]:
    """Write ``files`` (all or none when one would be replaced without ``force``) and record their sources."""
    check_free(files, force)
    for path, data in files.items():
        if not (path.is_file() and path.read_bytes() == data):
            atomic_write_bytes(path, data)
    record(files, sources, by)
    return list(files)


def record(paths: Iterable[Path], sources: Iterable[Source], by: str) -> None:
    """Add ``paths`` to the ``derived.json`` of their folders: made by ``by`` from ``sources``."""
    from drillsim.version import __version__

    made = [{"path": s.path, "sha256": s.sha256} for s in sources]
    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        root = _root(path)
        by_folder.setdefault(root, []).append(path)
    for root, items in by_folder.items():
        data = read_derived(root)
        for path in items:
            data["files"][path.relative_to(root).as_posix()] = {"from": made, "by": by, "drillsim": __version__}
        atomic_write_text(root / DERIVED, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def _root(path: Path) -> Path:
    """The folder a file's provenance is kept in: its own, or its parent's for ``figures-*/`` files."""
    parent = path.parent
    return parent.parent if parent.name.startswith("figures") else parent


def read_derived(folder: Path) -> dict[str, Any]:
    """A folder's ``derived.json`` (empty when it has none or it cannot be read)."""
    try:
        data = json.loads((folder / DERIVED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": 1, "files": {}}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {"format": 1, "files": {}}
    return data


def made_from(folder: Path, sha256: str) -> list[Path]:
    """Files under ``folder`` (and its subfolders' ``derived.json``) recorded as made from the log ``sha256``."""
    out: list[Path] = []
    for derived in sorted(folder.rglob(DERIVED)):
        root = derived.parent
        for rel, info in read_derived(root)["files"].items():
            froms = info.get("from") if isinstance(info, dict) else None
            if isinstance(froms, list) and any(isinstance(f, dict) and f.get("sha256") == sha256 for f in froms):
                out.append(root / rel)
    return out


def remove_made_from(folder: Path, sha256: str, keep: Iterable[Path] = ()) -> list[Path]:
    """Remove what ``derived.json`` files under ``folder`` say was made from the log ``sha256``; return it.

    Only recorded files go (``keep`` excepted), and what was made from them in turn (a branch's log,
    then the branch's own report); a folder left empty goes too, and each ``derived.json`` forgets
    the files removed. Nothing else is touched.
    """
    kept = {p.resolve() for p in keep}
    gone: list[Path] = []
    todo = [sha256]
    while todo:
        sha = todo.pop()
        for path in made_from(folder, sha):
            if path.resolve() in kept or not path.exists():
                continue
            if path.is_file() and path.suffix == ".jsonl":
                todo.append(file_sha256(path))  # a log made from it: its own outputs go with it
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            gone.append(path)
    for derived in sorted(folder.rglob(DERIVED), key=lambda p: -len(p.parts)):
        root = derived.parent
        data = read_derived(root)
        data["files"] = {rel: info for rel, info in data["files"].items() if (root / rel).exists()}
        if data["files"]:
            atomic_write_text(derived, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        else:
            derived.unlink()
        for sub in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            _prune(sub, root)
        _prune(root, folder)
    return gone


def remove_stale(run: Path, sha256: str, keep: Iterable[Path] = ()) -> list[Path]:
    """What was made from a replaced log: in its run folder, and in derived folders beside it.

    A comparison or a baseline lives beside the runs (``runs/compare-<A>-vs-<B>``); if its
    ``derived.json`` says it was made from the replaced log, it goes too: it no longer describes
    the log in that folder.
    """
    gone = remove_made_from(run, sha256, keep)
    parent = run.resolve().parent
    for sibling in sorted(parent.iterdir()) if parent.is_dir() else ():
        if sibling.is_dir() and sibling.resolve() != run.resolve() and (sibling / DERIVED).is_file():
            found = remove_made_from(sibling, sha256, keep)
            gone += found
            if found:
                _prune(sibling, parent)
    return gone


def _prune(path: Path, stop: Path) -> None:
    """Remove empty folders from ``path`` up to (not including) ``stop``."""
    path, stop = path.resolve(), stop.resolve()
    while path != stop and stop in path.parents:
        try:
            path.rmdir()
        except OSError:
            return
        path = path.parent
