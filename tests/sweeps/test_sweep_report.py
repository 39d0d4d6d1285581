"""The sweep report: self-contained HTML, readable PNGs, Sobol' indices, reproduce commands that work."""

from __future__ import annotations

import re
import shlex

import pandas as pd

from drillsim.sweeps import sweep


def test_sobol_report_has_indices_surface_and_reproducible_best_and_worst_runs(tmp_path, drillsim):
    out = tmp_path / "s"
    r = drillsim("sweep", "mentougou-flash-flood", "--vary", "flood-rate", "--vary", "reporter-probability",
                 "--design", "sobol", "--points", "8", "-r", "2", "--seed", "4", "--out", str(out), "--keep-logs")
    assert r.returncode == 0, r.stderr
    page = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "Sobol' sensitivity indices" in page and "Response surface" in page
    assert "Best runs" in page and "Worst runs" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must not load anything"
    pngs = sorted(p.name for p in (out / "report").glob("*.png"))
    assert "sobol-indices.png" in pngs and "response-surface.png" in pngs
    for name in pngs:
        assert (out / "report" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the first "reproduce" command of the best runs re-creates that run's event log exactly
    command = re.search(r"<code>(drillsim run [^<]+)</code>", page).group(1).replace("&#x27;", "'")
    run_id = re.search(r"<td>(p\d{6}-r\d{4})</td>", page.split("Best runs", 1)[1]).group(1)
    args = shlex.split(command)[1:]
    rr = drillsim(*args, "--out", str(tmp_path / "again"), "-q")
    assert rr.returncode == 0, rr.stderr
    assert (tmp_path / "again" / "events.jsonl").read_bytes() == (out / "logs" / f"{run_id}.jsonl").read_bytes()


def test_grid_report_and_failures_section(tmp_path):
    from drillsim.reports.sweep import write_report

    out = tmp_path / "s"
    df = sweep("mentougou-flash-flood", ["reporting.reporters.probability=0.5,0.8,1.5", "county-deadline=30m:2h"],
               points=2, replicates=2, seed=3, out=out, workers=2)
    assert (df["status"] == "failed").sum() == 4
    page = write_report(out).read_text(encoding="utf-8")
    assert "Failed runs" in page and "reporting.reporters.probability" in page
    assert "people rescued ratio by parameter value" in page
    assert "4 failed" in page
    # grouped means in the page agree with the table
    ok = df[df["status"] == "ok"]
    mean = ok[ok["param.county-deadline"] == 30.0]["metric.people_rescued_ratio"].mean()
    assert f"{mean:.4g}" in page
    assert pd.read_parquet(out / "results.parquet").shape == df.shape
