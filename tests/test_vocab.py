"""The vocabulary names in both languages every incident kind the engine creates by itself.

A kind the engine spawns (a storage area opened on people still inside, a fire line) is never written by
the scenario's author, so nobody would give it a name; without one the Chinese report prints the raw id
(``storage trapped``) in the middle of a sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import drillsim
from drillsim.vocab import INCIDENT_KINDS, TASK_KINDS

SOURCE = Path(drillsim.__file__).parent


def test_every_incident_kind_the_engine_spawns_has_both_names():
    spawned = set()
    for path in [*(SOURCE / "flows").rglob("*.py"), *(SOURCE / "hazards").rglob("*.py")]:
        spawned |= set(re.findall(r'\bkind="([a-z_]+)"', path.read_text(encoding="utf-8")))
    spawned -= set(TASK_KINDS)  # task kinds are named in their own table
    assert {"storage_trapped", "storage_evacuation", "fire_line"} <= spawned
    for kind in sorted(spawned):
        en, zh = INCIDENT_KINDS[kind]
        assert en and re.search(r"[\u4e00-\u9fff]", zh), kind
