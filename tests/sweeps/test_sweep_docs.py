"""The sweep guide's sweep file is real: it resolves against the bundled scenario."""

from __future__ import annotations

import re
from pathlib import Path

from drillsim.sweeps.api import prepare

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "sweeps.md"


def test_the_guides_sweep_file_is_valid(tmp_path):
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(), flags=re.S) if "vary:" in b)
    f = tmp_path / "sweep.yaml"
    f.write_text(block)
    prepared = prepare(None, file=f)
    spec = prepared.plan.spec
    assert spec.design == "lhs" and spec.replicates == 5 and spec.seed == 42 and spec.crn
    assert [x.name for x in spec.factors] == ["county-deadline", "flood-rate", "reporter-probability",
                                              "teams.bluesky-mtg.members", "teams.bluesky-mtg.count"]
    assert prepared.plan.total == 64 * 5
    assert spec.overrides == (("reporting.reporters.count", 30),)
