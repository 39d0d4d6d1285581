"""After-action reports built from a bundled scenario and from a hand-built log with every record kind."""

import html.parser
import re
from pathlib import Path

import pytest

from drillsim.engine import Exercise
from drillsim.log import LogData, Record
from drillsim.reports.figures import FIGURES, fonts
from drillsim.reports.write import build, write_document, write_report
from drillsim.scenario import load
from drillsim.scenario.load import bundled_dir
from drillsim.scoring import score_log
from tests.logbuild import LogBuilder, task

AAR_SECTIONS_EN = [
    "Exercise overview",
    "Executive summary",
    "Analysis of core capabilities",
    "Figures",
    "Evaluator observations",
    "Appendix A: Improvement plan",
    "Appendix B: Participants",
    "Appendix C: Timeline",
    "Appendix D: Scoring method and run details",
]
AAR_SECTIONS_ZH = [
    "演练概况",
    "执行摘要",
    "核心能力分析",
    "图表",
    "评估人员观察记录",
    "附录A:改进计划",
    "附录B:参演单位",
    "附录C:演练时间线",
    "附录D:评分方法与运行信息",
]
GBT_SECTIONS_ZH = [
    "一、演练基本情况",
    "(一)演练目的",
    "(二)演练时间和地点",
    "(三)参演单位和人员",
    "(四)演练方案概要",
    "二、演练实施情况",
    "三、评估结果",
    "四、存在的问题及原因分析",
    "五、经验总结",
    "六、改进建议",
    "附件:演练时间线",
    "附件:图表",
]
FIGURE_KEYS = [m.KEY for m in FIGURES]


def run_log(ref, inputs=()):
    ex = Exercise(load(ref))
    ex.run(inputs=inputs)
    return LogData(ex.log.header, [Record(*r) for r in ex.log.records[1:]], True, False, "memory")


BUNDLED = sorted(p.stem for p in bundled_dir().glob("*.yaml"))


@pytest.fixture(scope="module", params=BUNDLED)
def bundled(request):
    log = run_log(
        request.param,
        inputs=[(300.0, {"kind": "note", "text": "Radio discipline <good>", "objective": None})],
    )
    return log, score_log(log)


def kinds_in(log):
    return {r.kind for r in log.records}


@pytest.mark.parametrize(
    ("lang", "form", "sections"),
    [("en", "aar", AAR_SECTIONS_EN), ("zh", "aar", AAR_SECTIONS_ZH), ("zh", "gbt", GBT_SECTIONS_ZH)],
)
def test_bundled_report_has_every_section_and_figure(bundled, lang, form, sections, tmp_path):
    log, card = bundled
    doc = build(log, card, lang, form)
    headings = doc.headings()
    for section in sections:
        assert section in headings, section
    drawn = {i.name for i in doc.images()}
    present = kinds_in(log)
    for module in FIGURES:
        if set(module.KINDS) & present:
            assert module.KEY in drawn, module.KEY
        else:  # nothing to draw: the report says so instead of embedding an empty chart
            assert module.KEY not in drawn
    paths = write_document(doc, tmp_path, stem=f"report-{form}")
    md = next(p for p in paths if p.suffix == ".md").read_text(encoding="utf-8")
    for name in drawn:
        assert f"figures/{name}.png" in md and (tmp_path / "figures" / f"{name}.png").stat().st_size > 5000
    if "figures/materials.png" not in md:
        assert ("no material" in md) or ("没有物资" in md)
    # every objective and every rated task appears with its evidence
    for obj in card.objectives:
        assert obj.id in md
        for t in obj.tasks:
            if t.rating and t.rating != "P" and form == "aar":
                seq = "序号" if lang == "zh" else "seq"  # the record numbers behind the rating
                assert f"{seq} {t.observations[0].seq}" in md or seq in md


def full_log() -> LogData:
    """A hand-built log with every kind the figures draw (levels, incidents, reports, teams, materials)."""
    b = LogBuilder()
    b.region("bj", "province", location=[116.4, 39.9], name="Beijing")
    b.region("cty", "county", "bj", location=[116.1, 39.94], name="District")
    b.region("t", "township", "cty", location=[115.9, 40.0], name="Town")
    b.agency("hq", "cty", name="District HQ")
    b.team("fire-01", "fire_rescue", "cty", group="fire")
    b.reporting = {"deadlines": {"county": 30.0}, "top": "province"}
    b.add(0, "level.changed", "hq", "hq", **{"from": None}, to="IV", reason="initial")
    b.add(10, "incident.occurred", "t", "i1", kind="flood", region="t", location=[115.9, 40.0], people=3)
    b.add(15, "incident.detected", "t", "i1", region="t", by="reporters", delay=5)
    b.add(
        40,
        "report.received",
        "cty",
        "i1",
        **{"from": "t"},
        level="county",
        type="initial",
        latency=25,
        due=45,
    )
    b.add(70, "report.received", "bj", "i1", **{"from": "cty"}, level="province", type="initial", latency=55)
    b.add(45, "level.changed", "hq", "hq", **{"from": "IV"}, to="II", reason="rule 0")
    b.add(45, "team.dispatched", "fire-01", "i1", region="t")
    b.add(80, "team.on_scene", "fire-01", "i1", region="t")
    b.add(80, "rescue.started", "fire-01", "i1", people=3)
    b.add(140, "rescue.completed", "fire-01", "i1", rescued=2, lost=1)
    b.add(140, "team.returning", "fire-01", "cty")
    b.add(170, "team.returned", "fire-01", "cty")
    b.add(50, "material.requested", "hq", "water", item="water", quantity=100, stock=400, depot="d1")
    b.add(90, "material.delivered", "d1", "water", item="water", quantity=100, stock=300, depot="d1")
    b.add(120, "note.added", "evaluator", "O-1", text="Late county report", rating="S", objective="O-1")
    b.objective(
        "O-1",
        {
            "reports": task(
                "report_on_time_ratio", {"P": 0.9, "S": 0.75, "M": 0.5}, statistic="ratio", better="higher"
            ),
            "saved": task(
                "people_rescued_ratio", {"P": 0.9, "S": 0.75, "M": 0.5}, statistic="ratio", better="higher"
            ),
        },
        capability="mass_search_and_rescue",
        responsible="hq",
    )
    b.end(240)
    return LogData(b.header(), sorted(b.records, key=lambda r: r.seq), True, False, "memory")


def not_blank(png_path: Path) -> bool:
    import matplotlib.image

    img = matplotlib.image.imread(str(png_path))
    return img.shape[0] > 200 and img.shape[1] > 400 and float(img[..., :3].std()) > 0.05


def test_every_figure_is_drawn_and_not_empty(tmp_path):
    log = full_log()
    card = score_log(log)
    write_report(log, card, tmp_path, "en", "aar")
    for key in FIGURE_KEYS:
        path = tmp_path / "figures" / f"{key}.png"
        assert path.is_file(), key
        assert not_blank(path), key


def test_report_text_names_the_evidence_and_the_plan(tmp_path):
    log = full_log()
    card = score_log(log)
    md = Path(next(p for p in write_report(log, card, tmp_path) if p.suffix == ".md")).read_text(
        encoding="utf-8"
    )
    assert "| Mass Search and Rescue Operations |" in md
    assert "District HQ" in md  # the responsible organisation in the improvement plan
    assert "2 of 3 rescued alive" in md and "seq 10" in md
    assert "Late county report" in md  # evaluator observation
    assert "| 2023-07-31 | 2023-09-29 |" in md  # an M task is due 60 days after the exercise


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data", "formaction", "background"):
                self.refs.append(value or "")


def test_html_is_self_contained_and_escapes_text(tmp_path):
    log = full_log()
    log.header["scenario"]["title"] = {"en": "<script>alert(1)</script> drill", "zh": "演练"}
    card = score_log(log)
    page = Path(next(p for p in write_report(log, card, tmp_path) if p.suffix == ".html")).read_text(
        encoding="utf-8"
    )
    parser = _Refs()
    parser.feed(page)
    assert parser.refs and all(
        r.startswith("data:image/png;base64,") or r.startswith("#") for r in parser.refs
    )
    assert not {"script", "link", "iframe", "object", "embed"} & set(parser.tags)
    assert "@import" not in page and not re.search(r"url\(", page)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert page.count("data:image/png;base64,") == len(FIGURE_KEYS)


def test_chinese_figures_fall_back_to_english_without_a_cjk_font(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    fonts._warn_once.cache_clear()
    log = full_log()
    card = score_log(log)
    write_report(log, card, tmp_path, "zh", "aar")
    write_report(log, card, tmp_path, "zh", "gbt", stem="report-gbt")
    err = capsys.readouterr().err
    assert err.count("no Chinese (CJK) font") == 1  # said once
    assert "核心能力分析" in (tmp_path / "report.md").read_text(encoding="utf-8")  # the text stays Chinese
    assert fonts.figure_lang("zh") == "en"


@pytest.mark.skipif(
    fonts.cjk_family() is None, reason="no CJK font installed (apt-get install fonts-noto-cjk)"
)
def test_chinese_figures_use_a_real_cjk_font():
    from matplotlib import font_manager

    family = fonts.cjk_family()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "DejaVu" not in path
    assert fonts.figure_lang("zh") == "zh"
