"""Report wording in English and Chinese (one table, so both languages stay in step)."""

from __future__ import annotations

from drillsim.text import of_pair

STRINGS: dict[str, tuple[str, str]] = {
    # AAR/IP (HSEEP)
    "aar_title": ("After-Action Report / Improvement Plan", "演练总结报告(事后评估与改进计划)"),
    "overview": ("Exercise overview", "演练概况"),
    "exec_summary": ("Executive summary", "执行摘要"),
    "analysis": ("Analysis of core capabilities", "核心能力分析"),
    "figures": ("Figures", "图表"),
    "observations": ("Evaluator observations", "评估人员观察记录"),
    "plan": ("Appendix A: Improvement plan", "附录A:改进计划"),
    "participants": ("Appendix B: Participants", "附录B:参演单位"),
    "timeline": ("Appendix C: Timeline", "附录C:演练时间线"),
    "method": ("Appendix D: Scoring method and run details", "附录D:评分方法与运行信息"),
    "strengths": ("Strengths", "优点"),
    "areas": ("Areas for improvement", "待改进事项"),
    "not_measured": ("Not measured", "未测量"),
    "name": ("Exercise name", "演练名称"),
    "dates": ("Exercise dates", "演练时间"),
    "scope": ("Scope", "演练范围"),
    "mission": ("Mission area", "任务领域"),
    "mission_value": ("Response", "应急响应"),
    "capabilities": ("Core capabilities", "核心能力"),
    "objectives": ("Objectives", "演练目标"),
    "hazard": ("Threat or hazard", "灾害类型"),
    "scenario": ("Scenario", "演练情景"),
    "organisations": ("Participating organisations", "参演单位"),
    "players": ("Players", "参演人员(人工决策角色)"),
    "players_none": (
        "none: every decision was taken by doctrine (headless run)",
        "无:全部决策按预案自动执行(无人值守运行)",
    ),
    "scope_value": (
        "Tabletop exercise simulated with drillsim: {dur} of simulated time across {regions}.",
        "以仿真方式开展的桌面推演:模拟时长{dur},范围包括{regions}。",
    ),
    "objective": ("Objective", "目标"),
    "capability": ("Core capability", "核心能力"),
    "task": ("Critical task", "关键任务"),
    "metric": ("Metric", "指标"),
    "value": ("Value", "数值"),
    "thresholds": ("Thresholds P / S / M", "阈值 P / S / M"),
    "rating": ("Rating", "评级"),
    "score": ("Score", "得分"),
    "evidence": ("Evidence", "依据"),
    "records": ("records", "记录"),
    "issue": ("Issue / area for improvement", "问题/待改进事项"),
    "action": ("Corrective action", "整改措施"),
    "responsible": ("Primary responsible organisation", "责任单位"),
    "start": ("Start date", "开始日期"),
    "due": ("Completion date", "完成时限"),
    "time": ("Time", "时间"),
    "event": ("Event", "事件"),
    "details": ("Details", "详情"),
    "by": ("Evaluator", "评估人员"),
    "evaluator": ("evaluator", "评估人员"),
    "text": ("Observation", "观察内容"),
    "organisation": ("Organisation", "单位"),
    "kind": ("Kind", "类型"),
    "region": ("Region", "地区"),
    "team": ("Team", "队伍"),
    "count": ("Count", "数量"),
    "members": ("Members", "人数"),
    "base": ("Base", "驻地"),
    "planning_team": ("Exercise planning team", "演练策划组"),
    "no_notes": ("No evaluator observations were recorded.", "未记录评估人员观察意见。"),
    # multi-seat exercises (drillsim serve)
    "seats": ("Seats (drillsim serve)", "席位(多席位推演)"),
    "seat": ("Seat", "席位"),
    "rights": ("Rights", "权限"),
    "roles": ("Roles", "角色"),
    "inputs": ("Inputs", "输入次数"),
    "decisions_taken": ("Decisions and who took them", "决策及决策者"),
    "decision": ("Decision", "决策"),
    "option": ("Option", "选项"),
    "taken_by": ("Taken by", "决策者"),
    "by_doctrine": ("doctrine (no player)", "预案(无人决策)"),
    "by_default": ("default (time limit passed)", "默认(超过时限)"),
    "by_facilitator": ("facilitator", "导调人员"),
    "messages_to_control": ("Messages and requests to control", "向导调组的报告与请示"),
    "message": ("Message", "内容"),
    "no_plan": (
        "Every measured critical task was performed without challenges: no corrective action is needed.",
        "所有已测量的关键任务均顺利完成,无需整改。",
    ),
    "no_objectives": (
        "The scenario defines no objectives, so nothing was rated.",
        "情景未设定演练目标,未进行评级。",
    ),
    "legend": (
        "P: performed without challenges · S: performed with some challenges · M: performed with major "
        "challenges · U: unable to be performed · —: not measured (the log held nothing to measure).",
        "P:顺利完成 · S:完成但存在一些问题 · M:完成但存在重大问题 · U:未能完成 · "
        "—:未测量(日志中无可测量内容)。",
    ),
    "so_far": (
        "This report covers the exercise only up to {t}: the log is incomplete.",
        "日志不完整,本报告仅涵盖至{t}的演练情况。",
    ),
    "torn": (
        "The log's last line was cut (the run was killed while writing); it was ignored.",
        "日志最后一行不完整(运行被中断),已忽略。",
    ),
    "method_text": (
        "Ratings are computed by drillsim from the event log alone: each critical task's metric is "
        "measured over its scope, reduced by its statistic and compared with its P/S/M thresholds; an "
        "objective's rating is the weighted mean of its tasks' points (P 3, S 2, M 1, U 0; ties to the "
        "worse band), capped at M when a task is rated U; the overall score (0–100) weights objectives. "
        "Tasks with nothing to observe are not measured and leave the score. Every rating lists the "
        "log records (by sequence number) behind it. See docs/metrics.md.",
        "评级完全依据事件日志自动计算:每项关键任务按其考核范围计算指标,按统计方式汇总后与 P/S/M 阈值比较;"
        "目标评级为各任务分值(P 3、S 2、M 1、U 0)的加权平均(并列时取较差等级),任一任务为 U 时目标最高为 M;"
        "总分(0–100)按目标权重加权。无可测量内容的任务记为未测量,不计入总分。每项评级均列出所依据的日志记录"
        "(序号)。详见 docs/metrics.md。",
    ),
    "run_details": ("Run details", "运行信息"),
    "run_scenario": ("scenario", "情景"),
    "run_sha": ("scenario file sha256", "情景文件校验值"),
    "run_seed": ("seed", "随机种子"),
    "run_replicate": ("replicate", "重复序号"),
    "run_overrides": ("overrides", "参数覆盖"),
    "run_version": ("drillsim", "软件版本"),
    "bundled": ("bundled with drillsim", "内置情景"),
    "seq": ("seq", "序号"),
    "summary_text": (
        "The exercise ran for {dur} of simulated time ({start} to {end}). {inc} incidents occurred, "
        "{risk} people were at risk and needed rescue; {rescued} were rescued alive and {lost} were "
        "lost. {reports} reports were received along the reporting chain, {levels} response-level "
        "changes were made and {injects} injects were delivered.",
        "本次演练模拟时长{dur}({start}至{end})。共发生事件{inc}起,需救援被困群众{risk}人,获救{rescued}人,"
        "遇难{lost}人。信息报送链条共接收报告{reports}份,响应级别调整{levels}次,下达情景注入{injects}条。",
    ),
    "overall": (
        "Overall score: {score}/100, rating {rating} ({cov} of the objectives' weight was measured).",
        "总分:{score}/100,总体评级{rating}(已测量目标权重占{cov})。",
    ),
    "overall_none": (
        "No objective could be measured from this log, so there is no overall score.",
        "本日志中没有可测量的目标,未给出总分。",
    ),
    "major_strengths": ("Major strengths", "主要优点"),
    "primary_areas": ("Primary areas for improvement", "主要待改进事项"),
    "none_found": ("None identified.", "无。"),
    "figure_missing": ("Not drawn: {why}", "未绘制:{why}"),
    "evaluator_rating": ("evaluator rating", "评估人员评级"),
    "value_vs": (
        "{value} ({stat}) against P {p} / S {s} / M {m} → {rating}",
        "{value}({stat}),阈值 P {p} / S {s} / M {m} → {rating}",
    ),
    "more_records": ("… and {n} more records in scorecard.json.", "……其余{n}条记录见 scorecard.json。"),
    "analysis_label": ("Analysis", "原因分析"),
    "general_notes": ("General observations", "综合观察"),
    # GB/T 46792-2025 style evaluation report (演练评估报告)
    "gbt_title": ("Drill evaluation report", "演练评估报告"),
    "gbt_basic": ("1. The drill", "一、演练基本情况"),
    "gbt_purpose": ("1.1 Purpose", "(一)演练目的"),
    "gbt_time_place": ("1.2 Time and place", "(二)演练时间和地点"),
    "gbt_participants": ("1.3 Participating organisations and people", "(三)参演单位和人员"),
    "gbt_plan": ("1.4 Plan summary", "(四)演练方案概要"),
    "gbt_execution": ("2. How the drill went", "二、演练实施情况"),
    "gbt_results": ("3. Evaluation results", "三、评估结果"),
    "gbt_problems": ("4. Problems found and their causes", "四、存在的问题及原因分析"),
    "gbt_lessons": ("5. Lessons learned", "五、经验总结"),
    "gbt_recommendations": ("6. Recommendations", "六、改进建议"),
    "gbt_annex": ("Annex: timeline", "附件:演练时间线"),
    "gbt_annex_figures": ("Annex: figures", "附件:图表"),
    "gbt_problem": ("Problem", "问题"),
    "gbt_cause": ("Cause analysis", "原因分析"),
    "gbt_conclusion": ("Conclusion", "评估结论"),
    "gbt_plan_text": (
        "Hazard: {hazard}. The master scenario events list holds {injects} injects and {decisions} "
        "decision points; {objectives} objectives with {tasks} critical tasks were evaluated.",
        "灾害类型:{hazard}。主情景事件清单含情景注入{injects}条、决策点{decisions}个;共评估演练目标{objectives}"
        "项、关键任务{tasks}项。",
    ),
    "gbt_time_text": (
        "From {start} to {end} ({dur} of simulated time), in {regions}.",
        "{start}至{end}(模拟时长{dur}),地点:{regions}。",
    ),
    "conclusion_P": ("The drill's objectives were achieved.", "演练目标全部达成。"),
    "conclusion_S": (
        "The drill's objectives were largely achieved, with some problems to fix.",
        "演练目标基本达成,存在一些需要改进的问题。",
    ),
    "conclusion_M": (
        "The drill's objectives were partly achieved, with major problems to fix.",
        "演练目标部分达成,存在需要重点整改的问题。",
    ),
    "conclusion_U": ("The drill's objectives were not achieved.", "演练目标未能达成。"),
    "conclusion_none": ("No objective could be measured from the log.", "日志中没有可测量的演练目标。"),
    "cause_from_log": ("From the log: {evidence}", "日志记录显示:{evidence}"),
    "lessons_notes": ("Evaluators noted: {text}", "评估人员指出:{text}"),
}

HAZARDS: dict[str, tuple[str, str]] = {
    "flood": ("flood", "洪涝"),
    "fire": ("fire", "火灾"),
    "earthquake": ("earthquake", "地震"),
    "typhoon": ("typhoon", "台风"),
    "chemical": ("chemical accident", "危化品事故"),
    "other": ("other", "其他"),
}


def s(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (``en`` or ``zh``), formatted with ``values``."""
    text = of_pair(STRINGS[key], lang)
    return text.format(**values) if values else text


def hazard_name(hazard: str | None, lang: str) -> str:
    """A hazard id in words."""
    return of_pair(HAZARDS.get(hazard or "other", (hazard or "—", hazard or "—")), lang)
