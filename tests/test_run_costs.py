"""What keeps ``drillsim run`` and a sweep's scoring cheap, checked for what it must not change.

Each saving here (issue 18: a figure drawn once, evidence text formatted only when read, the
collector kept off what lives until the end, one command's options built, sweep metrics that
decode only the kinds they read) is checked against the slower way it replaced: same bytes,
same values.
"""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
from typing import Any

from drillsim.logstore import store_of
from drillsim.reports.figures import FIGURES, png, styled
from drillsim.scoring.observation import Observation
from drillsim.scoring.text import Minutes, Phrase, bi, phrase, pick, plain
from drillsim.scoring.view import LogView
from drillsim.sweeps.metrics import record_metrics, run_metrics
from tests.logbuild import LogBuilder


def _log() -> LogBuilder:
    b = LogBuilder()
    b.region("prov", "province")
    b.region("cty", "county", parent="prov")
    b.region("vil", "village", parent="cty", location=[116.0, 40.0])
    b.agency("cty-hq", "cty")
    b.team("t1", "fire_rescue", "cty")
    b.add(0, "level.changed", "cty-hq", "cty-hq", **{"from": None, "to": "IV"})
    b.add(10, "incident.occurred", "vil", "inc-1", people=4, region="vil", location=[116.0, 40.0])
    b.add(12, "incident.detected", "vil", "inc-1", delay=2.0, region="vil")
    b.add(13, "report.sent", "vil", "inc-1", level="county")
    b.add(30, "report.received", "cty", "inc-1", level="county", latency=18.0, due=42.0)
    b.add(31, "rescue.queued", "cty-hq", "inc-1")
    b.add(35, "team.dispatched", "cty-hq", "inc-1", team="t1")
    b.add(50, "team.on_scene", "t1", "inc-1", since_onset=40.0)
    b.add(51, "rescue.started", "t1", "inc-1")
    b.add(90, "rescue.completed", "t1", "inc-1", rescued=4, lost=0)
    b.add(95, "team.returning", "t1", "inc-1")
    b.add(100, "material.requested", "cty-hq", "food", item="food", quantity=10, request="r1")
    b.add(160, "material.delivered", "cty-hq", "food", item="food", quantity=10, request="r1")
    b.end(300)
    return b


def test_a_phrase_reads_as_the_dict_bi_makes_and_is_formatted_only_when_read() -> None:
    p = phrase("{a} waited {v}", "{a}等待{v}", a={"en": "Team", "zh": "队伍"}, v=Minutes(41))
    assert p._text is None  # nothing formatted yet
    made = bi("{a} waited {v}", "{a}等待{v}", a={"en": "Team", "zh": "队伍"}, v=Minutes(41))
    assert p == made and made == p and dict(p) == made and list(p) == ["en", "zh"]
    assert p["zh"] == "队伍等待41分钟" and pick(p, "en") == "Team waited 41 min"
    assert plain(p) == made and type(plain(p)) is dict and plain(made) is made
    assert p._values is None  # what it was made from is let go once formatted
    nested = phrase("{x}!", "{x}!", x=phrase("{n}", "{n}", n=3))  # a phrase as a value of another
    assert nested == {"en": "3!", "zh": "3!"}
    obs = Observation(1.0, 2.0, 3, "k", None, None, p)
    assert json.loads(json.dumps(obs.to_dict()))["text"] == made
    assert isinstance(p, Phrase)


def test_a_view_names_each_id_once_and_shares_a_memo_until_forgotten() -> None:
    b = _log()
    view = LogView(b.header(), store_of(b.records))
    assert view.name("cty") is view.name("cty")
    calls: list[int] = []
    assert view.memo("k", lambda: calls.append(1) or 7) == 7 and view.memo("k", lambda: 8) == 7
    view.forget()
    assert view.memo("k", lambda: 9) == 9 and calls == [1]


def test_sweep_metrics_from_a_store_equal_those_from_every_record() -> None:
    b = _log()
    header, records = b.header(), list(b.records)
    from_list = record_metrics(header, records).metrics
    from_store = record_metrics(header, store_of(records)).metrics
    assert from_store == from_list and from_list["dispatch_wait_mean"] == 4.0
    assert run_metrics(header, store_of(records)) == run_metrics(header, records)


def _old_png(fig: Any) -> bytes:
    """How figures were saved before (three layouts): the bytes the new way must keep."""
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=0.15)
    return buf.getvalue()


def test_figures_drawn_once_are_the_bytes_of_the_old_three_layouts() -> None:
    from matplotlib.figure import Figure

    b = _log()
    view = LogView(b.header(), b.records)
    draws = 0
    real = Figure.draw

    def counting(self: Any, renderer: Any) -> None:
        nonlocal draws
        draws += 1
        real(self, renderer)

    compared = 0
    for module in FIGURES:
        with styled("en"):
            fig = module.draw(view, "en")
            if fig is None:
                continue
            old = _old_png(module.draw(view, "en"))
            before = draws
            Figure.draw = counting  # type: ignore[method-assign]
            try:
                new = png(fig)
            finally:
                Figure.draw = real  # type: ignore[method-assign]
            assert new == old, module.KEY
            assert draws - before == 1, module.KEY  # savefig's own draw only
            compared += 1
    assert compared >= 4


def test_run_thaws_the_collector_and_builds_only_its_own_options(tmp_path: Any, scenario_path: Any) -> None:
    from drillsim.cli import main

    assert main(["run", str(scenario_path("one-incident")), "--out", str(tmp_path / "r"), "-q", "--no-report"]) == 0
    assert gc.get_freeze_count() == 0  # a caller in the same process gets its collector back
    child = ("import sys\nfrom drillsim.cli import main\n"
             "try:\n    main(['run', '--help'])\nexcept SystemExit:\n    pass\n"
             "print('LOADED', sorted(m for m in sys.modules if m.startswith('drillsim.commands.')))\n")
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True, timeout=120)
    loaded = out.stdout.split("LOADED", 1)[1]
    assert "drillsim.commands.run" in loaded and "drillsim.commands.serve" not in loaded, loaded
    assert "drillsim.commands.sweep" not in loaded and "drillsim.commands.calibrate" not in loaded, loaded
