"""Materials: physical reserves first, then agreement reserves after their lead time; cross-border
help after approval; shortfalls logged."""

from flowworld import kinds

DEPOTS = """
materials:
  items:
    food: {name: {zh: 食品, en: Food}, unit: boxes}
  depots:
    depot-a:
      name: Depot A
      region: county-a
      stock: {food: 100}
      agreements: {food: {quantity: 200, lead_time: 2h}}
      dispatch: 30m
    depot-b:
      name: Depot B
      region: county-b
      stock: {food: 1000}
      dispatch: 30m
  CROSS
injects:
  ask:
    at: 1h
    to: [county-hq]
    title: Food
    message: Send food
    effects: [{request_material: {item: food, quantity: 250, for: village-a, by: county-hq}}]
  ask-more:
    at: 2h
    to: [county-hq]
    title: More food
    message: Send more food
    effects: [{request_material: {item: food, quantity: 400, for: village-a, by: county-hq}}]
"""


def test_physical_then_agreement_reserves_then_shortfall(run_world):
    recs = run_world(DEPOTS.replace("CROSS", ""))
    assert [(r[0], r[5]["quantity"], r[5]["request"]) for r in kinds(recs, "material.requested")] == [
        (60.0, 250, "req-0001"),
        (120.0, 400, "req-0002"),
    ]
    delivered = kinds(recs, "material.delivered")
    # 100 from stock after the 30-minute dispatch; 150 from the agreement after 2h lead + 30m
    assert [(r[0], r[3], r[5]["quantity"], r[5]["source"], r[5]["fill_time"]) for r in delivered] == [
        (90.0, "depot-a", 100, "physical", 30.0),
        (210.0, "depot-a", 150, "agreement", 150.0),
        (270.0, "depot-a", 50, "agreement", 150.0),
    ]
    short = kinds(recs, "material.shortfall")
    # province A has only 50 left for the second request: 350 short (B does not help without an agreement)
    assert [(r[0], r[5]["short"]) for r in short] == [(120.0, 350)]


def test_cross_border_depots_help_after_approval(run_world):
    recs = run_world(DEPOTS.replace("CROSS", "cross_border: {approval: 1h}"))
    assert kinds(recs, "material.shortfall") == []
    foreign = [r for r in kinds(recs, "material.dispatched") if r[5]["cross_border"]]
    assert [(r[0], r[3], r[5]["quantity"]) for r in foreign] == [(210.0, "depot-b", 350)]


def test_incident_needs_create_requests(run_world):
    recs = run_world(
        DEPOTS.replace("CROSS", "needs: [{incident_kind: flash_flood, item: food, per_person: 2}]").split(
            "injects:"
        )[0]
        + """
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 3, needs: [water_rescue]}
"""
    )
    req = kinds(recs, "material.requested")
    # known at the county (dispatch level) at 80: 2 boxes per person at risk
    assert [(r[0], r[3], r[5]["quantity"], r[5]["cause"]) for r in req] == [(80.0, "village-a", 6, "flood-1")]
