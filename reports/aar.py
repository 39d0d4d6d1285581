"""The HSEEP After-Action Report / Improvement Plan (AAR/IP) as a document.

Sections follow HSEEP-IP01: exercise overview, executive summary, analysis of core capabilities
(Objective | Core Capability | P | S | M | U, then strengths and areas for improvement per objective
with their evidence), figures, evaluator observations, and appendices: improvement plan,
participants, timeline, scoring method.
"""

from __future__ import annotations

from typing import Any

from drillsim.reports.causes import analyse
from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table
from drillsim.reports.facts import Facts, evidence_seqs, run_details, task_line
from drillsim.reports.figures.common import Drawn
from drillsim.reports.i18n import hazard_name, s
from drillsim.scoring.text import pick, points

SHOWN_EVIDENCE = 5


def build(facts: Facts, figures: list[Drawn], torn: bool = False) -> Document:
    """The AAR/IP document."""
    lang, card, view = facts.lang, facts.card, facts.view
    doc = Document(f"{s('aar_title', lang)} — {facts.title}", lang)
    status = []
    if not card.final:
        status.append(s("so_far", lang, t=facts.dates()[1]))
    if torn:
        status.append(s("torn", lang))
    if status:
        doc.add(Para(" ".join(status)))
    overview(doc, facts)
    summary(doc, facts)
    analysis(doc, facts)
    doc.add(Heading(2, s("figures", lang)))
    for fig in figures:
        doc.add(Image(fig.key, fig.caption, fig.png) if fig.png else Para(f"{fig.caption}: {fig.missing}"))
    doc.add(Heading(2, s("observations", lang)))
    notes = facts.notes()
    if notes:
        doc.add(
            Table(
                (s("time", lang), s("by", lang), s("objective", lang), s("rating", lang), s("text", lang)),
                tuple(notes),
            )
        )
    else:
        doc.add(Para(s("no_notes", lang)))
    doc.add(Heading(2, s("plan", lang)))
    plan = facts.plan()
    if plan:
        doc.add(
            Table(
                (
                    s("capability", lang),
                    s("issue", lang),
                    s("action", lang),
                    s("responsible", lang),
                    s("start", lang),
                    s("due", lang),
                ),
                tuple((r.capability, r.issue, r.action, r.responsible, r.start, r.due) for r in plan),
            )
        )
    else:
        doc.add(Para(s("no_plan", lang) if card.objectives else s("no_objectives", lang)))
    doc.add(Heading(2, s("participants", lang)))
    doc.add(Table((s("organisation", lang), s("kind", lang), s("region", lang)), tuple(facts.agencies())))
    teams = facts.team_groups()
    if teams:
        doc.add(
            Table(
                (s("team", lang), s("kind", lang), s("count", lang), s("members", lang), s("base", lang)),
                tuple((n, k, str(c), str(m), b) for n, k, c, m, b in teams),
            )
        )
    seat_sections(doc, facts, 3)
    doc.add(Heading(2, s("timeline", lang)))
    doc.add(Table((s("time", lang), s("event", lang), s("details", lang)), tuple(facts.timeline())))
    doc.add(Heading(2, s("method", lang)))
    doc.add(Para(s("method_text", lang)))
    doc.add(Table((s("run_details", lang), ""), run_details(view.header, lang)))
    return doc


def seat_sections(doc: Document, facts: Facts, level: int) -> None:
    """The seats of a multi-seat exercise, who took each decision, and the messages to control (both forms)."""
    lang = facts.lang
    seats = facts.seats()
    if seats:
        doc.add(Heading(level, s("seats", lang)))
        doc.add(Table((s("seat", lang), s("rights", lang), s("roles", lang), s("inputs", lang)), tuple(seats)))
    decisions = facts.decisions()
    if decisions:
        doc.add(Heading(level, s("decisions_taken", lang)))
        doc.add(Table((s("time", lang), s("decision", lang), s("organisation", lang), s("option", lang),
                       s("taken_by", lang)), tuple(decisions)))
    messages = facts.messages()
    if messages:
        doc.add(Heading(level, s("messages_to_control", lang)))
        doc.add(Table((s("time", lang), s("seat", lang), s("organisation", lang), s("message", lang)),
                      tuple(messages)))


def overview(doc: Document, facts: Facts) -> None:
    """Exercise overview table."""
    lang, card = facts.lang, facts.card
    start, end = facts.dates()
    caps = sorted({o.capability for o in card.objectives})
    regions = ", ".join(facts.top_regions())
    orgs = ", ".join(a[0] for a in facts.agencies())
    teams = facts.team_groups()
    if teams:
        orgs += "; " + ", ".join(f"{n} ×{c}" if c > 1 else n for n, _, c, _, _ in teams)
    rows = (
        (s("name", lang), facts.title),
        (s("dates", lang), f"{start} – {end}"),
        (s("scope", lang), s("scope_value", lang, dur=facts.duration(), regions=regions)),
        (s("mission", lang), s("mission_value", lang)),
        (s("capabilities", lang), ", ".join(facts.capability(c) for c in caps) or "—"),
        (s("objectives", lang), "; ".join(f"{o.id}: {pick(o.text, lang)}" for o in card.objectives) or "—"),
        (s("hazard", lang), hazard_name(facts.view.header.get("hazard"), lang)),
        (s("scenario", lang), facts.description or "—"),
        (s("organisations", lang), orgs or "—"),
        (s("players", lang), facts.players()),
    )
    doc.add(Heading(2, s("overview", lang)), Table(("", ""), rows))


def summary(doc: Document, facts: Facts) -> None:
    """Executive summary: what happened, the score, major strengths and primary areas."""
    lang, card = facts.lang, facts.card
    start, end = facts.dates()
    doc.add(Heading(2, s("exec_summary", lang)))
    doc.add(Para(s("summary_text", lang, dur=facts.duration(), start=start, end=end, **facts.numbers())))
    if card.score is not None:
        doc.add(
            Para(
                s(
                    "overall",
                    lang,
                    score=points(card.score),
                    rating=card.rating,
                    cov=f"{card.coverage * 100:.0f}%",
                )
            )
        )
    else:
        doc.add(Para(s("overall_none", lang) if card.objectives else s("no_objectives", lang)))
    doc.add(Heading(3, s("major_strengths", lang)))
    strengths = [f"{o.id} {pick(t.text, lang)} ({t.rating}): {good}" for o, t, good in facts.strengths()[:3]]
    doc.add(Bullets(tuple(strengths)) if strengths else Para(s("none_found", lang)))
    doc.add(Heading(3, s("primary_areas", lang)))
    areas = [
        f"{o.id} {pick(t.text, lang)} ({t.rating}): {pick(t.summary, lang)}" for o, t in facts.areas()[:3]
    ]
    doc.add(Bullets(tuple(areas)) if areas else Para(s("none_found", lang)))


def _mark(rating: str | None, band: str) -> str:
    return band if rating == band else ""


def analysis(doc: Document, facts: Facts) -> None:
    """Objective | Capability | P | S | M | U, then each objective's strengths and areas with evidence."""
    lang, card = facts.lang, facts.card
    doc.add(Heading(2, s("analysis", lang)))
    if not card.objectives:
        doc.add(Para(s("no_objectives", lang)))
        return
    rows = tuple(
        (
            f"{o.id}: {pick(o.text, lang)}",
            facts.capability(o.capability),
            *(_mark(o.rating, b) for b in "PSMU"),
        )
        if o.rating
        else (f"{o.id}: {pick(o.text, lang)}", facts.capability(o.capability), "—", "—", "—", "—")
        for o in card.objectives
    )
    doc.add(Table((s("objective", lang), s("capability", lang), "P", "S", "M", "U"), rows))
    doc.add(Para(s("legend", lang)))
    for obj in card.objectives:
        score = f"{points(obj.score)}/100" if obj.score is not None else "—"
        doc.add(
            Heading(
                3,
                f"{obj.id}: {pick(obj.text, lang)} — {facts.capability(obj.capability)} "
                f"({obj.rating or s('not_measured', lang)}, {score})",
            )
        )
        doc.add(
            Table(
                (s("task", lang), s("metric", lang), s("value", lang), s("rating", lang)),
                tuple((pick(t.text, lang), facts.metric(t.metric), task_line(t, lang), t.rating or "—")
                      for t in obj.tasks),
            )
        )
        good = [(t, text) for o, t, text in facts.strengths("PSM") if o is obj]
        bad = [t for t in obj.tasks if t.rating in ("S", "M", "U")]
        unmeasured = [t for t in obj.tasks if t.rating is None]
        doc.add(Heading(4, s("strengths", lang)))
        items = [_strength_item(t, text, lang) for t, text in good]
        items += [
            f"{s('evaluator_rating', lang)} {n['rating']}: {n['text']}"
            for n in obj.notes
            if n.get("rating") == "P"
        ]
        doc.add(Bullets(tuple(items)) if items else Para(s("none_found", lang)))
        doc.add(Heading(4, s("areas", lang)))
        items = [_evidence_item(t, lang) for t in bad]
        items += [
            f"{s('evaluator_rating', lang)} {n['rating'] or '—'}: {n['text']}"
            for n in obj.notes
            if n.get("rating") != "P"
        ]
        doc.add(Bullets(tuple(items)) if items else Para(s("none_found", lang)))
        for t in bad:
            lines = _evidence_lines(t, lang)
            if lines:
                doc.add(Para(f"{s('evidence', lang)} — {pick(t.text, lang)}:"), Bullets(tuple(lines)))
            why = analyse(facts.view, t)
            if why:
                doc.add(Para(f"{s('analysis_label', lang)}: {pick(why, lang)}"))
        if unmeasured:
            doc.add(Heading(4, s("not_measured", lang)))
            doc.add(
                Bullets(
                    tuple(f"{pick(t.text, lang)} ({facts.metric(t.metric)}): {pick(t.summary, lang)}"
                          for t in unmeasured)
                )
            )


def _strength_item(task: Any, text: str, lang: str) -> str:
    seqs = evidence_seqs(task, lang)
    return f"{pick(task.text, lang)} — {task_line(task, lang)}. {text}" + (
        f" [{s('records', lang)}: {seqs}]" if seqs else ""
    )


def _evidence_item(task: Any, lang: str) -> str:
    seqs = evidence_seqs(task, lang)
    return f"{pick(task.text, lang)} — {task_line(task, lang)}. {pick(task.summary, lang)}" + (
        f" [{s('records', lang)}: {seqs}]" if seqs else ""
    )


def _evidence_lines(task: Any, lang: str) -> list[str]:
    from drillsim.scoring.evidence import bad_first

    ordered = bad_first(task.observations, task.kind, task.better)
    lines = [
        f"{s('seq', lang) + ' ' + str(o.seq) if o.seq is not None else '—'} · {pick(o.text, lang)}"
        for o in ordered[:SHOWN_EVIDENCE]
    ]
    if len(ordered) > SHOWN_EVIDENCE:
        lines.append(s("more_records", lang, n=len(ordered) - SHOWN_EVIDENCE))
    return lines
