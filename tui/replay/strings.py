"""The replay viewer's own words (Chinese and English); everything else comes from :mod:`drillsim.tui.i18n`."""

from __future__ import annotations

from typing import Any

from drillsim.text import of_pair
from drillsim.tui.i18n import tr as console_tr

STRINGS: dict[str, tuple[str, str]] = {
    # key: (en, zh)
    "replay.title": ("drillsim replay", "推演复盘"),
    "replay.mode": ("REPLAY", "复盘"),
    "replay.playing": ("PLAYING", "播放中"),
    "replay.paused": ("PAUSED", "已暂停"),
    "replay.end": ("END OF LOG", "日志结束"),
    "replay.position": ("record {pos}/{total}", "记录 {pos}/{total}"),
    "replay.branch_of": ("branch {decision}={option}", "分支 {decision}={option}"),
    "replay.pending": ("{n} decision(s) open", "{n} 个决策待定"),
    "replay.scoring": ("scoring {time}…", "正在评分 {time}…"),
    "replay.unfinished": ("the recorded run did not finish", "原推演未正常结束"),
    "key.r_play": ("Play/Pause", "播放/暂停"),
    "key.r_play.short": ("Play", "播放"),
    "key.r_goto": ("Go to", "跳转"),
    "key.r_next": ("Next", "下一条"),
    "key.r_prev": ("Previous", "上一条"),
    "key.r_step": ("Step", "单步"),
    "key.r_next_inject": ("Next inject", "下一注入"),
    "key.r_prev_inject": ("Prev inject", "上一注入"),
    "key.r_next_decision": ("Next decision", "下一决策"),
    "key.r_prev_decision": ("Prev decision", "上一决策"),
    "key.r_start": ("Start", "开头"),
    "key.r_end": ("End", "结尾"),
    "key.r_branch": ("What if…", "假设分析"),
    "key.r_parent": ("Parent log", "返回原日志"),
    "key.r_quit": ("Quit", "退出"),
    "goto.title": ("Go to a moment", "跳转到时刻"),
    "goto.hint": ("14:20 · D2 14:20 · 2023-07-31 14:20 · T+6h · +30m · -1h",
                  "14:20 · D2 14:20 · 2023-07-31 14:20 · T+6h · +30m · -1h"),
    "goto.go": ("Go", "跳转"),
    "goto.cancel": ("Cancel", "取消"),
    "branch.title": ("What if {decision} had been decided otherwise?", "假如 {decision} 另作决定?"),
    "branch.parent": ("In this log: {option} ({by}) at {time}", "本日志中:{time} {option}({by})"),
    "branch.none": ("No decision has opened yet at this moment", "此刻之前尚无决策"),
    "branch.running": ("Running the branch {decision}={option}…", "正在运行分支 {decision}={option}…"),
    "branch.done": ("Branch written to {path}: now showing it from its branch point (p: back to the parent)",
                    "分支已写入 {path}:从分支点开始显示(p:返回原日志)"),
    "branch.failed": ("The branch could not be made: {error}", "无法生成分支:{error}"),
    "branch.cancel": ("Cancel", "取消"),
    "notify.no_more": ("Nothing further in that direction", "该方向已无记录"),
    "notify.goto_bad": ("{error}", "{error}"),
    "notify.parent": ("Back to the parent log", "已返回原日志"),
    "notify.no_parent": ("This log was opened directly (no parent to go back to)", "本日志为直接打开,无原日志可返回"),
}


def tr(key: str, lang: str, **kw: Any) -> str:
    """A replay string (else a console string) in ``lang``, placeholders filled."""
    pair = STRINGS.get(key)
    if pair is None:
        return console_tr(key, lang, **kw)
    value = of_pair(pair, lang)
    return value.format(**kw) if kw else value
