"""``drillsim play``: options, output directory, bad input — without a terminal."""

from __future__ import annotations

import subprocess
import sys

from drillsim.cli import main
from drillsim.commands.play import default_lang, play_dir


def test_play_is_listed_and_documents_its_options(capsys):
    try:
        main(["play", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    for option in ("--seed", "--set", "--out", "--role", "--lang", "--speed"):
        assert option in out
    assert "-play/" in out


def test_unknown_role_is_a_located_error(capsys):
    assert main(["play", "mentougou-flash-flood", "--role", "nobody"]) == 2
    err = capsys.readouterr().err
    assert "--role" in err and "unknown agency 'nobody'" in err and "mtg-flood-hq" in err


def test_bad_scenario_is_exit_2(capsys):
    assert main(["play", "no-such-scenario"]) == 2
    assert "no such file or bundled scenario" in capsys.readouterr().err


def test_without_a_terminal_play_says_so_and_writes_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "drillsim.cli", "play", "mentougou-flash-flood", "--out",
                           str(tmp_path / "p")], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=60, check=False)
    assert proc.returncode == 2
    assert "interactive terminal" in proc.stderr
    assert not (tmp_path / "p").exists()


def test_a_play_log_is_never_overwritten(tmp_path):
    base = tmp_path / "runs" / "x-1-play"
    assert play_dir(base) == base
    base.mkdir(parents=True)
    (base / "events.jsonl").write_text("{}\n")
    assert play_dir(base) == tmp_path / "runs" / "x-1-play-2"
    (tmp_path / "runs" / "x-1-play-2").mkdir()
    (tmp_path / "runs" / "x-1-play-2" / "events.jsonl").write_text("{}\n")
    assert play_dir(base) == tmp_path / "runs" / "x-1-play-3"


def test_default_language_follows_the_locale(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert default_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert default_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_lang() == "en"
