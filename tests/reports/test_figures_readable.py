"""Every figure of every bundled scenario, checked as a reader would: nothing sits on the data.

Legends lie beside or above the axes, never on them; titles fit the figure and do not run into a
legend; a chart of many agencies names each one on its axis with the levels in their own colours;
no two lines of one panel share a colour. Fourteen agencies on one chart and sixteen stock lines
were what the rainstorm's report showed before: unreadable.
"""

from __future__ import annotations

import pytest

from drillsim.engine import Exercise
from drillsim.log import LogData, Record
from drillsim.reports.figures import FIGURES, gantt, levels, materials
from drillsim.reports.figures.common import styled
from drillsim.scenario import load
from drillsim.scenario.load import bundled_dir
from drillsim.scoring.view import LogView
from tests.logbuild import LogBuilder

BUNDLED = sorted(p.stem for p in bundled_dir().glob("*.yaml"))


def laid_out(fig):
    """The figure as it is saved: laid out and drawn, with a renderer for its parts' extents."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.tight_layout()
    canvas.draw()
    return canvas.get_renderer()


def problems(fig) -> list[str]:
    """What a reader would trip over: a legend on an axes' data, a title cut or run into a legend."""
    renderer = laid_out(fig)
    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        title = ax.title if ax.get_title() else None
        if legend is not None:
            box = legend.get_window_extent(renderer)
            for other in fig.axes:
                if box.overlaps(other.get_window_extent(renderer)):
                    out.append(f"legend {[t.get_text() for t in legend.get_texts()][:3]} lies on the data")
            if title is not None and box.overlaps(title.get_window_extent(renderer)):
                out.append(f"title {ax.get_title()!r} runs into the legend")
        if title is not None:
            extent = title.get_window_extent(renderer)
            if extent.x0 < 0 or extent.x1 > fig.bbox.width:
                out.append(f"title {ax.get_title()!r} is cut at the figure's edge")
        lines = [line for line in ax.get_lines() if line.get_label() and not line.get_label().startswith("_")]
        colours = [(line.get_color(), line.get_linestyle()) for line in lines]
        if len(set(colours)) < len(colours):
            out.append(f"two lines share a colour and style in {ax.get_ylabel()!r}")
    return out


@pytest.fixture(scope="module", params=BUNDLED)
def bundled_view(request):
    ex = Exercise(load(request.param))
    ex.run()
    log = LogData(ex.log.header, [Record(*r) for r in ex.log.records[1:]], True, False, "memory")
    return request.param, LogView(log.header, log.records)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_figure_of_every_bundled_scenario_is_readable(bundled_view, lang):
    from matplotlib.text import Text

    from tests.test_chinese import identifiers, untranslated

    name, view = bundled_view
    ids = identifiers(view.header, view.records)
    for module in FIGURES:
        with styled(lang):
            fig = module.draw(view, lang)
            if fig is None:
                continue
            found = problems(fig)
        if lang == "zh":  # every word in a Chinese figure is Chinese (titles, axes, legends, labels)
            words = " ".join(t.get_text() for t in fig.findobj(Text) if t.get_visible())
            found += [f"untranslated {w}" for w in untranslated(words, ids)]
        assert not found, f"{name} {module.KEY} ({lang}): {found}"


def many_agencies(n: int = 14) -> LogView:
    b = LogBuilder()
    b.region("p", "province", location=[116.4, 39.9])
    for i in range(n):
        b.agency(f"hq-{i:02d}", "p", name=f"Headquarters number {i:02d}")
        b.add(10.0 * i, "level.changed", f"hq-{i:02d}", f"hq-{i:02d}", **{"from": None}, to="IV", reason="rule 0")
        b.add(10.0 * i + 300, "level.changed", f"hq-{i:02d}", f"hq-{i:02d}", **{"from": "IV"},
              to=["III", "II", "I"][i % 3], reason="rule 1")
    b.end(1440)
    return LogView(b.header(), b.records)


def test_fourteen_agencies_each_have_a_row_and_levels_their_own_colours():
    view = many_agencies()
    with styled("en"):
        fig = levels.draw(view, "en")
        assert not problems(fig)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(names) == [f"Headquarters number {i:02d}" for i in range(14)]  # every agency, on the axis
    keys = [t.get_text() for t in ax.get_legend().get_texts()]
    assert keys == ["no response", "Level IV", "Level III", "Level II", "Level I"]  # levels, not agencies
    # the bars are drawn as collections (one artist for many bars): their face colours
    fills = {tuple(round(c, 3) for c in rgba) for coll in ax.collections for rgba in coll.get_facecolor()}
    assert len(fills) == 5  # grey and one colour per level, whatever the number of agencies


def test_a_long_team_chart_title_fits_and_its_legend_stays_off_the_bars():
    b = LogBuilder()
    b.region("cty", "county")
    for i in range(45):
        b.team(f"busy-team-with-a-long-name-{i:02d}", "fire_rescue", "cty")
        b.add(5.0 * i, "team.dispatched", f"busy-team-with-a-long-name-{i:02d}", f"inc-{i}", region="cty")
        b.add(5.0 * i + 30, "team.on_scene", f"busy-team-with-a-long-name-{i:02d}", f"inc-{i}", region="cty")
        b.add(5.0 * i + 30, "rescue.started", f"busy-team-with-a-long-name-{i:02d}", f"inc-{i}", people=1)
        b.add(5.0 * i + 90, "rescue.completed", f"busy-team-with-a-long-name-{i:02d}", f"inc-{i}", rescued=1, lost=0)
        b.add(5.0 * i + 90, "team.returning", f"busy-team-with-a-long-name-{i:02d}", "cty")
        b.add(5.0 * i + 120, "team.returned", f"busy-team-with-a-long-name-{i:02d}", "cty")
    b.end(600)
    view = LogView(b.header(), b.records)
    for lang in ("en", "zh"):
        with styled(lang):
            fig = gantt.draw(view, lang)
            assert not problems(fig), lang
        assert "40" in fig.axes[0].get_title() and "45" in fig.axes[0].get_title()
    # every travel, work and return of the 40 shown teams is one bar of one collection, in its phase's colour
    ax = fig.axes[0]
    (coll,) = ax.collections
    assert len(coll.get_paths()) == 40 * 3 and not ax.patches
    colours = {tuple(round(c, 3) for c in rgba[:3]) for rgba in coll.get_facecolor()}
    assert len(colours) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["出动途中", "现场处置", "返回"]  # zh: the last drawn


def test_many_stock_lines_are_split_by_item_each_line_its_own_colour():
    b = LogBuilder()
    b.region("cty", "county")
    depots = {f"d{i}": {"name": {"en": f"Depot {i}", "zh": f"{i}号库"}, "stock": {"food": 100.0 + i, "water": 50.0}}
              for i in range(9)}
    b.extra["materials"] = {"depots": depots}
    for i in range(9):
        for item in ("food", "water"):
            b.add(60 + i, "material.dispatched", f"d{i}", item, item=item, quantity=10, source="physical")
    b.end(300)
    view = LogView(b.header(), b.records)
    with styled("en"):
        fig = materials.draw(view, "en")
        assert not problems(fig)
    assert len(fig.axes) == 2  # food and water, each on its own scale
    assert all(len(ax.get_lines()) == 9 for ax in fig.axes)
