"""The on-site coordination mechanism: arrival, registration at a desk of limited capacity, tasking
only registered teams, invitation letters, self-deployment, withdrawal filing."""

from flowworld import kinds

BASE = """
teams:
  blue:
    name: Blue Sky
    kind: social
    base: county-a
    count: 2
    capabilities: [water_rescue]
    on_duty: false
    requires_registration: true
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 3, needs: [water_rescue], priority: 1}
coordination:
  desks:
    desk:
      name: {zh: 现场协调中心, en: Coordination desk}
      agency: county-hq
      region: county-a
      capacity: 1
      register_time: 20m
      progress_every: 20m
      STAY
  calls:
    call-1: {desk: desk, teams: [blue], at: 0m, mobilise: 30m}
"""


def test_teams_register_one_at_a_time_and_only_registered_teams_are_tasked(run_world):
    recs = run_world(BASE.replace("STAY", ""))
    assert [(r[0], r[3]) for r in kinds(recs, "team.arrived")] == [(30.0, "blue-01"), (30.0, "blue-02")]
    assert kinds(recs, "coordination.activated") == []  # no trigger: the desk opens only on an order
    # nothing registers while the desk is closed, so the incident waits in the queue
    assert kinds(recs, "team.registered") == [] and kinds(recs, "team.dispatched") == []
    assert len(kinds(recs, "rescue.queued")) == 1


def test_registration_queue_and_tasking(run_world):
    recs = run_world(BASE.replace("STAY", "activate: {after: 0m}"))
    reg = kinds(recs, "team.registered")
    # capacity 1, 20 minutes each: 30 → 50 and 50 → 70
    assert [(r[0], r[4], r[5]["wait"], r[5]["pass_code"]) for r in reg] == [
        (50.0, "blue-01", 20.0, "desk-0001"),
        (70.0, "blue-02", 40.0, "desk-0002"),
    ]
    tasked = kinds(recs, "team.tasked")
    assert [(r[0], r[3], r[4], r[5]["incident"], r[5]["zone"]) for r in tasked] == [
        (80.0, "desk", "blue-01", "flood-1", "village-a")
    ]
    # registered teams report progress on the job: 45 minutes of work in 20-minute reports
    prog = kinds(recs, "team.progress", actor="blue-01")
    assert [(r[0], r[5]["done"]) for r in prog] == [(100.0, 0.4444), (120.0, 0.8889), (125.0, 1.0)]
    assert kinds(recs, "coordination.failure") == []


def test_withdrawal_is_filed_after_the_stay(run_world):
    recs = run_world(BASE.replace("STAY", "activate: {after: 0m}\n      stay: 4h"))
    out = kinds(recs, "team.withdrawn")
    # blue-01 registered at 50 (leaves at 290); blue-02 at 70 (leaves at 310)
    assert [(r[0], r[3], r[4], r[5]["filed"]) for r in out] == [
        (290.0, "blue-01", "desk", True),
        (310.0, "blue-02", "desk", True),
    ]


def test_self_deployed_team_is_a_coordination_failure(run_world):
    text = BASE.replace("STAY", "activate: {after: 0m}").replace(
        "    requires_registration: true", "    requires_registration: true\n    self_deploy: 1.0"
    )
    recs = run_world(text)
    arrived = kinds(recs, "team.arrived")
    assert all(r[5]["self_deployed"] for r in arrived)
    assert kinds(recs, "team.registered") == []
    fail = kinds(recs, "coordination.failure")
    assert [(r[0], r[3], r[4], r[5]["reason"]) for r in fail] == [
        (80.0, "blue-01", "flood-1", "unregistered")
    ]
    assert kinds(recs, "team.tasked") == []


def test_out_of_province_team_needs_an_invitation_letter(run_world):
    text = (
        BASE.replace("STAY", "activate: {after: 0m}")
        .replace("    requires_registration: true", "    requires_registration: true\n    province: prov-b")
        .replace("  calls:", "  invitation_letter: {required: true, filing_delay: 2h}\n  calls:")
    )
    recs = run_world(text)
    refused = kinds(recs, "team.refused")
    assert [(r[0], r[4], r[5]["reason"], r[5]["filing_until"]) for r in refused] == [
        (30.0, "blue-01", "invitation_letter", 150.0),
        (30.0, "blue-02", "invitation_letter", 150.0),
    ]
    assert all(r[5]["from_province"] for r in kinds(recs, "team.arrived"))
    assert [r[0] for r in kinds(recs, "team.registered")] == [170.0, 190.0]


def test_dropping_the_letter_rule_releases_waiting_teams(run_world):
    text = (
        BASE.replace("STAY", "activate: {after: 0m}")
        .replace("    requires_registration: true", "    requires_registration: true\n    province: prov-b")
        .replace("  calls:", "  invitation_letter: {required: true, filing_delay: 6h}\n  calls:")
        + """
injects:
  drop:
    at: 1h
    to: [county-hq]
    title: Letter no longer needed
    message: Out-of-province teams may register directly
    effects: [{rule: {invitation_letter: false}}]
"""
    )
    recs = run_world(text)
    assert [(r[0], r[5]["value"]) for r in kinds(recs, "coordination.rule")] == [(60.0, False)]
    assert [r[0] for r in kinds(recs, "team.registered")] == [80.0, 100.0]


def test_teams_activated_by_a_level_go_through_the_desk(run_world):
    text = (
        BASE.replace("STAY", "activate: {agency: county-hq, level_at_least: IV}").replace(
            "  calls:\n    call-1: {desk: desk, teams: [blue], at: 0m, mobilise: 30m}\n", ""
        )
        + """
response:
  county-hq:
    rules: [{level: IV, when: {fact: people, at_least: 1}}]
    activates: {IV: {teams: [blue]}}
"""
    )
    recs = run_world(text)
    assert [r[0] for r in kinds(recs, "coordination.activated")] == [80.0]
    assert [r[0] for r in kinds(recs, "team.activated")] == [80.0, 80.0]
    assert [r[0] for r in kinds(recs, "team.registered")] == [100.0, 120.0]
    assert kinds(recs, "team.tasked")[0][0] == 100.0
