"""Figures read only the log: what they draw, and that they decline to draw an empty chart."""

from drillsim.reports.figures import FIGURES, draw_all, materials
from drillsim.scoring.view import LogView
from tests.logbuild import LogBuilder


def test_material_stock_from_depots_and_dispatches():
    b = LogBuilder()
    b.region("cty", "county")
    b.extra["materials"] = {
        "depots": {
            "d1": {
                "name": {"en": "Depot One", "zh": "一号库"},
                "stock": {"food": 100.0},
                "agreements": {"food": {"quantity": 50.0}},
            }
        }
    }
    b.add(60, "material.requested", "hq", "food", item="food", quantity=130, request="r1", **{"for": "cty"})
    b.add(60, "material.dispatched", "d1", "food", item="food", quantity=100, source="physical", request="r1")
    b.add(
        180, "material.dispatched", "d1", "food", item="food", quantity=30, source="agreement", request="r1"
    )
    b.add(200, "material.shortfall", "hq", "food", item="food", quantity=130, short=0, request="r1")
    b.end(300)
    view = LogView(b.header(), b.records)
    series = materials._stock_series(view, view.kind(*materials.KINDS))
    assert series == {
        "food @ d1 (agreement)": [(0.0, 50.0), (3.0, 20.0)],
        "food @ d1 (physical)": [(0.0, 100.0), (1.0, 0.0)],
    }
    assert view.name("d1") == {"en": "Depot One", "zh": "一号库"}
    drawn = {d.key: d for d in draw_all(view, "en")}
    assert drawn["materials"].png and drawn["materials"].png.startswith(b"\x89PNG")


def test_nothing_to_draw_gives_reasons_not_empty_charts():
    b = LogBuilder()
    b.region("cty", "county")
    b.end(60)
    drawn = draw_all(LogView(b.header(), b.records), "en")
    assert [d.key for d in drawn] == [m.KEY for m in FIGURES]
    assert all(d.png is None and d.missing.startswith("Not drawn: ") for d in drawn)
