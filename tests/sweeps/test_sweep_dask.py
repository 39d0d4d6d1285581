"""The Dask backend on a real LocalCluster with two worker processes."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("distributed")

from drillsim.sweeps import sweep


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


def test_runs_of_a_lost_worker_are_retried_and_every_run_has_one_row(tmp_path):
    import os
    import signal
    import threading
    import time

    from distributed import Client, LocalCluster

    out = tmp_path / "s"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        pids = sorted(client.run(os.getpid).values())
        result: dict = {}

        def go() -> None:
            result["df"] = sweep("mentougou-flash-flood", {"county-deadline": ("30m", "2h")}, points=50,
                                 replicates=8, seed=3, backend="dask", address=cluster.scheduler_address,
                                 batch=8, out=out)

        thread = threading.Thread(target=go)
        thread.start()
        deadline = time.monotonic() + 60
        while not list((out / "parts").glob("part-*.parquet")) if (out / "parts").exists() else True:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.02)
        os.kill(pids[0], signal.SIGKILL)  # a node disappears mid-sweep; its nanny starts a new worker
        done_at_kill = sum(len(pd.read_parquet(p)) for p in (out / "parts").glob("part-*.parquet"))
        thread.join(timeout=240)
        assert not thread.is_alive()
    df = result["df"]
    assert done_at_kill < 400
    assert len(df) == 400 and df["run_id"].is_unique
    assert (df["status"] == "ok").all(), df.loc[df["status"] != "ok", "error"].head().tolist()
