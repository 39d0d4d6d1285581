"""The Dask backend on a real LocalCluster with two worker processes."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("distributed")

from sim.sweep import sweep


def test_a_sweep_through_a_dask_local_cluster_matches_the_local_backend(tmp_path):
    vary = {"county-deadline": ("30m", "2h"), "flood-rate": ["1/h", "3/h"]}
    kw = {"points": 3, "replicates": 2, "seed": 21}
    on_dask = sweep("mentougou-flash-flood", vary, backend="dask", workers=2, out=tmp_path / "d", **kw)
    local = sweep("mentougou-flash-flood", vary, backend="local", workers=2, **kw)
    assert len(on_dask) == 12 and (on_dask["status"] == "ok").all()
    pd.testing.assert_frame_equal(on_dask.drop(columns="wall_s"), local.drop(columns="wall_s"))


def test_an_existing_scheduler_is_used_through_its_address(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        df = sweep("mentougou-flash-flood", {"county-deadline": ["30m", "2h"]}, replicates=3, seed=1,
                   backend="dask", address=cluster.scheduler_address, out=tmp_path / "a")
        assert len(df) == 6 and df["run_id"].is_unique and (df["status"] == "ok").all()
        # the cluster is the researcher's: the sweep disconnects but leaves it running
        assert len(cluster.scheduler_info["workers"]) == 2
