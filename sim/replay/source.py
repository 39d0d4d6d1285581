"""Find and load the scenario a log was recorded from, and refuse a changed one before simulating.

The header names the scenario by ``source`` (``bundled:<id>`` or an absolute path) and by the
sha256 of the file's bytes. The bytes are hashed *before* they are parsed: a scenario edited since
the run is reported as changed (with both hashes) even when it no longer loads at all. A moved
file can be named explicitly; it is still checked by hash, and the re-run records the original
``source`` so its header matches the log's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.fileio import Refused, read_regular
from drillsim.logcheck import BUNDLED_ID
from drillsim.scenario.load import BUNDLED_PREFIX, Loaded, bundled_dir, load_document
from drillsim.scenario.yamlsafe import MAX_BYTES, parse_document


class ScenarioChanged(Exception):
    """The scenario file's bytes are not the ones the log was recorded from.

    Attributes:
        path: The file that was read.
        recorded: sha256 in the log header.
        found: sha256 of the file now.
    """

    def __init__(self, path: Path, recorded: str, found: str) -> None:
        self.path = path
        self.recorded = recorded
        self.found = found
        super().__init__(f"scenario file changed since the run: {path} has sha256 {found}, "
                         f"the log was recorded from sha256 {recorded}")


def recorded_path(header: dict[str, Any]) -> Path | None:
    """Where the header says the scenario file is (None when it names no file, e.g. ``<string>``).

    A ``bundled:<id>`` source names a file *in* the bundled folder: an id with a path in it
    (``bundled:../../etc/x``) names none.
    """
    source = str((header.get("scenario") or {}).get("source") or "")
    if source.startswith(BUNDLED_PREFIX):
        name = source.removeprefix(BUNDLED_PREFIX)
        return bundled_dir() / f"{name}.yaml" if BUNDLED_ID.match(name) else None
    if source and Path(source).is_absolute():
        return Path(source)
    return None


def load_for_log(header: dict[str, Any], scenario: str | Path | None = None, *, log_name: str = "log") -> Loaded:
    """The validated scenario of a log, with the log's overrides applied, checked by sha256.

    Args:
        header: The log header's data.
        scenario: A file to use instead of the recorded ``source`` (the file moved).
        log_name: How to name the log in problems.

    Raises:
        ScenarioChanged: The file's sha256 differs from the header's (checked before parsing).
        InputError: No file to read (with a hint to pass ``--scenario``), or it cannot be read.
    """
    info = header.get("scenario") or {}
    recorded = str(info.get("sha256") or "")
    source = str(info.get("source") or "")
    path = Path(scenario) if scenario is not None else recorded_path(header)
    if path is None:
        raise InputError([Problem(log_name, 1, 0, "scenario.source",
                                  f"the log names no scenario file ({source or 'nothing'!r})",
                                  "--scenario PATH to the file it was recorded from")])
    try:
        raw = read_regular(path, max_bytes=MAX_BYTES)  # never a pipe or a device: they could block or never end
    except Refused as exc:
        hint = " (the file moved? give --scenario PATH)" if scenario is None else ""
        raise InputError([Problem(str(path), 0, 0, "", f"the scenario file {exc.reason}{hint}",
                                  f"the scenario recorded in {log_name}")]) from None
    found = hashlib.sha256(raw).hexdigest()
    if found != recorded:
        raise ScenarioChanged(path, recorded, found)
    doc = parse_document(raw, str(path))
    overrides = [tuple(o) for o in header.get("overrides") or ()]
    return load_document(doc, source or str(path), overrides)
