"""Cross-region coordination: information sharing, joint consultation, linked-response requests."""

from flowworld import kinds

WORLD = """
cross_region:
  centres: {prov-a: a-hq, prov-b: b-hq}
  sharing: {delay: 15m, topics: [warning, level]}
  teams_cross: request
  support:
    boats-from-b:
      from: a-hq
      to: b-hq
      teams: [b-boat]
      at: 2h
      approval: 30m
teams:
  b-boat: {name: B boats, kind: fire_rescue, base: county-b, capabilities: [water_rescue], on_duty: false}
  b-local: {name: B local, kind: fire_rescue, base: county-b, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 3, needs: [water_rescue], priority: 1}
injects:
  warn:
    at: 0m
    to: [a-hq]
    title: Red warning
    message: Red rainstorm warning for County A
    effects: [{warning: {agency: a-hq, region: county-a, level: red}}]
"""


def test_warnings_are_shared_with_neighbouring_centres(run_world):
    recs = run_world(WORLD)
    shared = kinds(recs, "border.shared", topic="warning")
    assert [(r[0], r[3], r[4], r[5]["delay"], r[5]["level"]) for r in shared] == [
        (15.0, "a-hq", "b-hq", 15.0, "red")
    ]


def test_only_teams_sent_on_an_approved_request_cross(run_world):
    recs = run_world(WORLD)
    # b-local is on duty but may not work in province A; the incident waits for the request
    assert [r[3] for r in kinds(recs, "team.dispatched")] == ["b-boat"]
    req = kinds(recs, "border.support_requested")
    ok = kinds(recs, "border.support_approved")
    sent = kinds(recs, "border.support_sent")
    arrived = kinds(recs, "border.support_arrived")
    assert [(r[0], r[3], r[4]) for r in req] == [(120.0, "a-hq", "b-hq")]
    assert [(r[0], r[5]["delay"]) for r in ok] == [(150.0, 30.0)]
    assert sent[0][0] == 150.0 and sent[0][5]["teams"] == ["b-boat"]
    assert [(r[0], r[5]["teams"]) for r in arrived] == [(150.0, ["b-boat"])]
    assert kinds(recs, "team.dispatched")[0][0] == 150.0


def test_open_border_lets_the_nearest_team_cross(run_world):
    recs = run_world(WORLD.replace("teams_cross: request", "teams_cross: open"))
    assert [(r[0], r[3]) for r in kinds(recs, "team.dispatched")] == [(80.0, "b-local")]


def test_joint_consultation_opens_the_border(run_world):
    text = (
        WORLD.replace("teams_cross: request", "teams_cross: consultation").replace("      at: 2h\n", "")
        + """
  consult:
    at: 3h
    to: [a-hq, b-hq]
    title: Joint consultation
    message: Three-area consultation
    effects: [{consult: {convener: a-hq, participants: [a-hq, b-hq], topic: floods, delay: 20m}}]
"""
    )
    recs = run_world(text)
    con = kinds(recs, "border.consulted")
    assert [(r[0], r[3], r[4], r[5]["participants"], r[5]["delay"]) for r in con] == [
        (200.0, "a-hq", "floods", ["a-hq", "b-hq"], 20.0)
    ]
    # after the consultation the waiting incident goes to B's on-duty team at once
    assert [(r[0], r[3]) for r in kinds(recs, "team.dispatched")] == [(200.0, "b-local")]


def test_played_requester_decides_whether_to_ask(run_world):
    recs = run_world(WORLD, players=("a-hq",))
    opened = kinds(recs, "decision.opened")
    assert [r[4] for r in opened] == ["support-boats-from-b"]
    made = kinds(recs, "decision.made")
    assert made[0][5]["by"] == "default" and made[0][0] == 150.0  # nobody answered: default after 30m
    assert kinds(recs, "border.support_requested")[0][0] == 150.0


def test_a_request_says_which_teams_it_sends_and_may_send_teams_on_duty(run_world):
    both = WORLD.replace("      teams: [b-boat]\n", "      teams: [b-boat, b-local]\n")
    reserves = kinds(run_world(both), "border.support_sent")[0][5]
    assert (reserves["teams"], reserves["kept"], reserves["send"]) == (["b-boat"], ["b-local"], "off_duty")
    recs = run_world(both.replace("      approval: 30m\n", "      approval: 30m\n      send: available\n"))
    sent = kinds(recs, "border.support_sent")[0][5]
    assert (sent["teams"], sent["kept"]) == (["b-boat", "b-local"], [])
    assert sorted(r[5]["teams"][0] for r in kinds(recs, "border.support_arrived")) == ["b-boat", "b-local"]
