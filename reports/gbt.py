"""The Chinese drill evaluation report (演练评估报告), laid out after GB/T 46792-2025's report format.

Same facts as the AAR, in the order China's drill guidance asks for: purpose, time and place,
participants, plan summary, how the drill went, evaluation results and conclusion, problems and
their causes, lessons, recommendations, and the timeline and figures as annexes.
"""

from __future__ import annotations

from drillsim.reports.aar import seat_sections
from drillsim.reports.causes import analyse
from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table
from drillsim.reports.facts import Facts, evidence_seqs, task_line
from drillsim.reports.figures.common import Drawn
from drillsim.reports.i18n import hazard_name, s
from drillsim.scoring.text import pick, points


def build(facts: Facts, figures: list[Drawn], torn: bool = False) -> Document:
    """The evaluation report document."""
    lang, card, view = facts.lang, facts.card, facts.view
    doc = Document(
        f"{facts.title} {s('gbt_title', lang)}"
        if lang == "zh"
        else f"{s('gbt_title', lang)} — {facts.title}",
        lang,
    )
    if not card.final:
        doc.add(Para(s("so_far", lang, t=facts.dates()[1])))
    if torn:
        doc.add(Para(s("torn", lang)))
    start, end = facts.dates()
    defn = view.definition
    doc.add(Heading(2, s("gbt_basic", lang)))
    doc.add(Heading(3, s("gbt_purpose", lang)))
    purposes = [f"{o.id}: {pick(o.text, lang)} ({facts.capability(o.capability)})" for o in card.objectives]
    doc.add(Bullets(tuple(purposes)) if purposes else Para(s("no_objectives", lang)))
    doc.add(Heading(3, s("gbt_time_place", lang)))
    doc.add(
        Para(
            s(
                "gbt_time_text",
                lang,
                start=start,
                end=end,
                dur=facts.duration(),
                regions=", ".join(facts.top_regions()),
            )
        )
    )
    doc.add(Heading(3, s("gbt_participants", lang)))
    doc.add(Table((s("organisation", lang), s("kind", lang), s("region", lang)), tuple(facts.agencies())))
    teams = facts.team_groups()
    if teams:
        doc.add(
            Table(
                (s("team", lang), s("kind", lang), s("count", lang), s("members", lang), s("base", lang)),
                tuple((n, k, str(c), str(m), b) for n, k, c, m, b in teams),
            )
        )
    doc.add(Para(f"{s('players', lang)}: {facts.players()}"))
    seat_sections(doc, facts, 4)
    doc.add(Heading(3, s("gbt_plan", lang)))
    if facts.description:
        doc.add(Para(facts.description))
    doc.add(
        Para(
            s(
                "gbt_plan_text",
                lang,
                hazard=hazard_name(view.header.get("hazard"), lang),
                injects=len(defn.get("injects") or {}),
                decisions=len(defn.get("decisions") or {}),
                objectives=len(card.objectives),
                tasks=sum(len(o.tasks) for o in card.objectives),
            )
        )
    )

    doc.add(Heading(2, s("gbt_execution", lang)))
    doc.add(Para(s("summary_text", lang, dur=facts.duration(), start=start, end=end, **facts.numbers())))

    doc.add(Heading(2, s("gbt_results", lang)))
    if card.objectives:
        doc.add(
            Table(
                (
                    s("objective", lang),
                    s("capability", lang),
                    s("task", lang),
                    s("value", lang),
                    s("rating", lang),
                ),
                tuple(
                    (
                        f"{o.id}: {pick(o.text, lang)}",
                        facts.capability(o.capability),
                        pick(t.text, lang),
                        task_line(t, lang),
                        t.rating or "—",
                    )
                    for o in card.objectives
                    for t in o.tasks
                ),
            )
        )
        doc.add(
            Table(
                (s("objective", lang), s("rating", lang), s("score", lang)),
                tuple(
                    (
                        f"{o.id}: {pick(o.text, lang)}",
                        o.rating or "—",
                        points(o.score),
                    )
                    for o in card.objectives
                ),
            )
        )
        doc.add(Para(s("legend", lang)))
    conclusion = s(f"conclusion_{card.rating}", lang) if card.rating else s("conclusion_none", lang)
    if card.score is not None:
        conclusion += " " + s(
            "overall", lang, score=points(card.score), rating=card.rating, cov=f"{card.coverage * 100:.0f}%"
        )
    doc.add(Para(f"{s('gbt_conclusion', lang)}: {conclusion}"))

    doc.add(Heading(2, s("gbt_problems", lang)))
    areas = facts.areas()
    if areas:
        rows = []
        for obj, task in areas:
            from drillsim.scoring.evidence import bad_first

            seqs = evidence_seqs(task, lang)
            why = analyse(view, task)
            if why:
                cause = pick(why, lang)
            else:
                worst = [pick(o.text, lang) for o in bad_first(task.observations, task.kind, task.better)[:3]]
                cause = s("cause_from_log", lang, evidence="; ".join(worst))
            cause += f" [{seqs}]" if seqs else ""
            rows.append(
                (f"{obj.id} {pick(task.text, lang)} ({task.rating})", pick(task.summary, lang), cause)
            )
        doc.add(Table((s("gbt_problem", lang), s("evidence", lang), s("gbt_cause", lang)), tuple(rows)))
    else:
        doc.add(Para(s("none_found", lang)))
    unmeasured = [(o, t) for o, t in facts.tasks() if t.rating is None]
    if unmeasured:
        doc.add(
            Bullets(
                tuple(
                    f"{s('not_measured', lang)} — {o.id} {pick(t.text, lang)}: {pick(t.summary, lang)}"
                    for o, t in unmeasured
                )
            )
        )

    doc.add(Heading(2, s("gbt_lessons", lang)))
    lessons = [f"{o.id} {pick(t.text, lang)} ({t.rating}): {good}" for o, t, good in facts.strengths()]
    lessons += [s("lessons_notes", lang, text=n[4]) for n in facts.notes()]
    doc.add(Bullets(tuple(lessons)) if lessons else Para(s("none_found", lang)))

    doc.add(Heading(2, s("gbt_recommendations", lang)))
    plan = facts.plan()
    if plan:
        doc.add(
            Table(
                (s("issue", lang), s("action", lang), s("responsible", lang), s("due", lang)),
                tuple((r.issue, r.action, r.responsible, r.due) for r in plan),
            )
        )
    else:
        doc.add(Para(s("no_plan", lang) if card.objectives else s("no_objectives", lang)))

    doc.add(Heading(2, s("gbt_annex", lang)))
    doc.add(Table((s("time", lang), s("event", lang), s("details", lang)), tuple(facts.timeline())))
    doc.add(Heading(2, s("gbt_annex_figures", lang)))
    for fig in figures:
        doc.add(Image(fig.key, fig.caption, fig.png) if fig.png else Para(f"{fig.caption}: {fig.missing}"))
    return doc
