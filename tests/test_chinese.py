"""Everything a person reads in Chinese is Chinese: the reports and the console of every bundled scenario.

For each bundled scenario a played exercise (a role played, decisions answered, an ad-hoc inject and
an observation) is rendered in Chinese: the AAR and the GB/T evaluation report (text and figure
captions), the terminal scorecard, every record as the event feed says it, the console's panes at
several moments (the replay viewer shows the console's own panes), the full text of every inject,
the decision dialog and the end screen. The text is then read word by word: a run of two or more
Latin letters is allowed only when it is part of an identifier the scenario itself gives to
something that has no name (an inject ``M04``, an objective ``O-report``, an incident
``flood-zhaitang-00011``, a decision), a file name (``scorecard.json``) or a response level written
in roman numerals (``II``). Nothing else — no word list of allowed English. Names of regions,
agencies and teams must be shown by name, so their ids are not allowed.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from drillsim.levels import RESPONSE_LEVELS
from drillsim.log import read_log
from drillsim.scenario.load import bundled_dir
from drillsim.scenario.model import Scenario
from drillsim.scoring import score_log
from drillsim.scoring.table import format_table
from drillsim.scoring.view import level_holders
from tests.scripted import play_log
from tests.tui.screen_text import screen_text

BUNDLED = sorted(p.stem for p in bundled_dir().glob("*.yaml"))
FILE = re.compile(r"[\w.\-/]*\.(json|jsonl|md|html|png|docx|xlsx|csv|yaml|txt)$")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/+\-@]*")
WORD = re.compile(r"[A-Za-z]{2,}")


# -- which tokens are identifiers ------------------------------------------------------------------


def _collections(model: type[BaseModel], data: Any, out: set[str], named: set[str]) -> None:
    """Keys of every ``dict[Id, Model]`` in the scenario format (recursively); named things go to ``named``."""
    if not isinstance(data, dict):
        return
    for name, field in model.model_fields.items():
        value = data.get(field.alias or name, data.get(name))
        for kind in _models(field.annotation):
            if _is_collection(field.annotation) and isinstance(value, dict):
                for key, item in value.items():
                    (named if isinstance(item, dict) and item.get("name") else out).add(str(key))
                    _collections(kind, item, out, named)
            elif isinstance(value, dict):
                _collections(kind, value, out, named)


def _is_collection(annotation: Any) -> bool:
    for arg in _flatten(annotation):
        if typing.get_origin(arg) is dict:
            return True
    return False


def _flatten(annotation: Any) -> list[Any]:
    out = [annotation]
    for arg in typing.get_args(annotation):
        out += _flatten(arg)
    return out


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]


def identifiers(header: dict[str, Any], records: list[Any], path: Path | None = None) -> set[str]:
    """Ids of unnamed things: the scenario's collection keys and the log's own ids (incidents, decisions)."""
    ids: set[str] = set()
    named: set[str] = set()
    _collections(Scenario, header.get("definition") or {}, ids, named)
    roster = header.get("roster") or {}
    for section in ("regions", "agencies", "teams"):
        named |= set(roster.get(section) or {})
    for r in records:
        if r.kind in ("incident.occurred", "decision.opened", "inject.delivered", "coordination.called",
                      "border.support_requested", "material.requested") and r.subject:
            ids.add(r.subject)
        if r.kind == "team.registered" and r.data.get("pass_code"):
            ids.add(str(r.data["pass_code"]))  # a pass code the desk issued (通行码)
    scenario = header.get("scenario") or {}
    ids |= {str(scenario.get("id")), str(scenario.get("sha256"))}  # the scenario's own id and file hash
    if path is not None:
        ids.add(path.parent.name)  # the run's folder, as a comparison names the run
    return ids - named


def _keycaps() -> set[str]:
    """Key legends as textual writes them (``esc``, ``enter``, ``tab``…): printed on the keys, not words."""
    from textual.keys import Keys, format_key

    return {name.lower() for key in Keys for name in (key.value, format_key(key.value))}


KEYCAPS = _keycaps()


def untranslated(text: str, ids: set[str]) -> list[str]:
    """The English words in ``text`` that are not part of an identifier, a file name or a level numeral."""
    found = []
    for token in TOKEN.findall(text):
        token = token.rstrip(".:-/")
        if _identifier(token, ids) or FILE.search(token) or token in RESPONSE_LEVELS or token.lower() in KEYCAPS:
            continue
        parts = [p for p in re.split(r"[/:+@]", token) if p]
        words = [w for p in parts if not _identifier(p, ids) and p not in RESPONSE_LEVELS and p.lower() not in KEYCAPS
                 for w in WORD.findall(p)]
        found += [f"{w} (in {token!r})" for w in words]
    return found


def _identifier(token: str, ids: set[str]) -> bool:
    """An id, or the start or end of one cut at a column's edge (``mountain-floods-0000…``, ``…fire-jinhaihu``
    where a pane's narrow column cuts an evidence line: at least four characters)."""
    return token in ids or (len(token) >= 4 and any(i.startswith(token) or i.endswith(token) for i in ids))


def test_the_check_finds_english_and_spares_ids_files_and_levels():
    ids = {"M04", "O-report", "flood-zhaitang-00011"}
    text = ("注入 M04 → 门头沟区:O-report 评级 II级 flood-zhaitang-00011 见 scorecard.json,T+04:35 K396 M6.2 "
            "flood-zhait… Esc 稍后决定")
    assert untranslated(text, ids) == []
    assert untranslated("事件 stranded_train,rule 0 (doctrine) 14 km", ids) == [
        "stranded (in 'stranded_train')", "train (in 'stranded_train')", "rule (in 'rule')",
        "doctrine (in 'doctrine')", "km (in 'km')"]
    assert untranslated("mtg-flood-hq 提升响应", ids)  # an agency's id where its name belongs


# -- what is rendered ---------------------------------------------------------------------------------


def _role(header: dict[str, Any]) -> str:
    decisions = (header.get("definition") or {}).get("decisions") or {}
    roles = [d.get("role") for d in decisions.values() if d.get("role")]
    return roles[0] if roles else level_holders(header)[0]


@pytest.fixture(scope="module", params=BUNDLED)
def played(request, tmp_path_factory) -> tuple[str, Path]:
    from drillsim.scenario import load

    scenario = load(request.param).scenario
    decisions = [d.role for d in scenario.decisions.values()]
    role = decisions[0] if decisions else next(iter(scenario.agencies))
    template = next((k for k, inj in scenario.injects.items() if inj.template), next(iter(scenario.injects)))
    objective = next(iter(scenario.objectives))
    actions = [(60.0, {"kind": "inject", "template": template}),
               (90.0, {"kind": "inject", "title": "道路中断", "message": "G109国道塌方", "to": ["all"]}),
               (120.0, {"kind": "note", "text": "报送及时", "objective": objective, "rating": "S"})]
    path = tmp_path_factory.mktemp(request.param) / "events.jsonl"
    play_log(path, scenario=request.param, players=(role,), answer=lambda key, options: options[0],
             actions=actions)
    return request.param, path


def report_texts(path: Path) -> list[str]:
    from drillsim.reports import aar, gbt, markdown
    from drillsim.reports.facts import Facts
    from drillsim.reports.figures import FIGURES
    from drillsim.reports.figures.common import Drawn
    from drillsim.scoring.view import LogView

    log = read_log(path)
    card = score_log(log)
    view = LogView(log.header, log.records)
    facts = Facts(view, card, "zh")
    # the captions (the words inside each figure are read by tests/reports/test_figures_readable.py)
    figures = [Drawn(m.KEY, m.caption("zh"), png=b"\x89PNG") for m in FIGURES]
    texts = [markdown.render(aar.build(facts, figures)), markdown.render(gbt.build(facts, figures)),
             format_table(card, "zh")]
    # the cause analysis of every task, as if it had fallen short (a report shows it for any task below P)
    from dataclasses import replace

    from drillsim.reports.causes import analyse
    from drillsim.text import pick

    for obj in card.objectives:
        for task in obj.tasks:
            texts.append(pick(analyse(view, replace(task, rating="U")), "zh"))
    # a comparison with a doctrine-only copy of itself, as `compare --lang zh` prints it
    from drillsim.replay.compare import compare_logs
    from drillsim.reports.compare import terminal_table

    texts.append(terminal_table(compare_logs([path], [path, path]), "zh"))  # names the run by its folder
    return texts


def console_texts(path: Path, run_async: Any) -> list[str]:
    from drillsim.tui import bridge
    from drillsim.tui.describe import describe
    from drillsim.tui.i18n import Names
    from drillsim.tui.replay.app import ReplayViewer
    from drillsim.tui.screens.decision import DecisionDialog
    from drillsim.tui.screens.end import EndScreen
    from drillsim.tui.screens.inject_detail import InjectDetail
    from drillsim.tui.widgets.incidents import IncidentsTable

    log = read_log(path)
    names = Names(log.header)
    texts = ["\n".join(describe(tuple(r), names, "zh") for r in log.records)]

    async def go() -> None:
        app = ReplayViewer(path, log, lang="zh")
        async with app.run_test(size=(160, 48)) as pilot:
            end = float(log.records[-1].t)
            for t in (end * 0.45, end):
                app.goto(t)
                await pilot.pause(0.2)
                texts.append(screen_text(app))
                table = app.screen.query_one(IncidentsTable)
                if table.row_count:
                    table.focus()
                    await pilot.pause(0.2)
                    texts.append(screen_text(app))
            view = app.player.view
            for row in view.injects.values():
                texts.append(str(InjectDetail(row, names.injects.get(row.key), names, "zh").body()))
            for decision in list(view.decisions.values())[:3]:
                app.push_screen(DecisionDialog(decision, names, "zh"))
                await pilot.pause(0.2)
                texts.append(screen_text(app))
                app.pop_screen()
            score = bridge.live_score(log.header, log.records, view.now)
            app.push_screen(EndScreen(view, names, "zh", score))
            await pilot.pause(0.3)
            texts.append(screen_text(app))

    run_async(go())
    return texts


def test_every_word_of_the_chinese_reports_and_console_is_chinese(played):
    import asyncio

    run_async = asyncio.run
    name, path = played
    log = read_log(path)
    ids = identifiers(log.header, log.records, path)
    leaks: dict[str, list[str]] = {}
    for where, text in [("report", t) for t in report_texts(path)] + [("console", t)
                                                                       for t in console_texts(path, run_async)]:
        for word in untranslated(text, ids):
            leaks.setdefault(word, []).append(where)
    assert not leaks, f"{name}: untranslated English in the zh {sorted({w for v in leaks.values() for w in v})}: " + \
        "; ".join(sorted(leaks)[:60])
