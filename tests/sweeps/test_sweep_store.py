"""The results store: atomic parts, one row per run after compaction, stale temporaries ignored."""

from __future__ import annotations

import pandas as pd
import pytest

from drillsim.errors import InputError
from drillsim.sweeps.store import Store


def _row(i: int, status: str = "ok") -> dict:
    return {"run_id": f"p{i:06d}-r0000", "point": i, "replicate": 0, "seed": 100 + i, "status": status,
            "error": None if status == "ok" else "boom", "param.x": float(i), "param.x.text": f"{i}m",
            "score": None, "metric.a": float(i) if status == "ok" else None, "wall_s": 0.01}


MANIFEST = {"fingerprint": "abc", "spec": {"seed": 1}, "scenario": {"sha256": "s"}}


def test_parts_are_compacted_into_one_row_per_run(tmp_path):
    store = Store(tmp_path)
    assert store.open(MANIFEST, resume=False) == set()
    store.write_part([_row(2), _row(0)])
    store.write_part([_row(1, "failed")])
    store.write_part([_row(2)])  # a duplicate (a crash between compaction and deleting parts)
    (tmp_path / "parts" / ".part-000009.parquet.x.tmp").write_bytes(b"half a file")
    again = Store(tmp_path)
    done = again.open(MANIFEST, resume=True)
    assert done == {"p000000-r0000", "p000001-r0000", "p000002-r0000"}
    df = pd.read_parquet(tmp_path / "results.parquet")
    assert df["run_id"].tolist() == ["p000000-r0000", "p000001-r0000", "p000002-r0000"]
    assert df.loc[1, "status"] == "failed" and pd.isna(df.loc[1, "metric.a"])
    assert list(df.columns) == ["run_id", "point", "replicate", "seed", "status", "error", "param.x",
                                "param.x.text", "score", "metric.a", "wall_s"]
    assert not list((tmp_path / "parts").iterdir())


def test_a_directory_with_another_sweep_is_refused(tmp_path):
    Store(tmp_path).open(MANIFEST, resume=False)
    with pytest.raises(InputError, match="already holds a sweep"):
        Store(tmp_path).open(MANIFEST, resume=False)
    with pytest.raises(InputError, match="differs"):
        Store(tmp_path).open({**MANIFEST, "fingerprint": "other", "spec": {"seed": 2}}, resume=True)
