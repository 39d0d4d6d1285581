"""The command line: exit codes 0/1/2, located problems on stderr, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

from drillsim.cli import main


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "drillsim.cli", *args], capture_output=True, text=True, timeout=120)


def test_run_writes_log_and_summary(tmp_path):
    r = cli("run", "mentougou-flash-flood", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "incidents" in r.stdout and "rescues" in r.stdout and "wall time" in r.stdout
    first = json.loads((tmp_path / "events.jsonl").read_text().splitlines()[0])
    assert first["kind"] == "log.header"


def test_run_default_out_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "mentougou-flash-flood", "--seed", "4", "-q"]) == 0
    assert (tmp_path / "runs" / "mentougou-flash-flood-4" / "events.jsonl").exists()


def test_validate_exit_codes(tmp_path, scenario_path):
    ok = cli("validate", str(scenario_path("one-incident")), "mentougou-flash-flood")
    assert ok.returncode == 0 and ok.stdout.count(": ok (") == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("drillsim: 1\nid: x\n")
    r = cli("validate", str(bad))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert f"{bad}:1:1: title: required field `title` is missing" in r.stderr


def test_bad_input_exit_2_without_traceback(tmp_path):
    for args in (["run", "no-such-scenario"], ["run", "mentougou-flash-flood", "--set", "teams.x.members=3"],
                 ["run", "mentougou-flash-flood", "--set", "duration=soon"], ["run", str(tmp_path)]):
        r = cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and r.stderr.strip()


def test_usage_error_exit_2():
    assert cli("run").returncode == 2
    assert cli("frobnicate").returncode == 2


def test_internal_failure_exit_1(monkeypatch, capsys):
    import drillsim.commands.list_cmd as mod

    def boom(args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mod, "main", boom)
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: disk on fire" in err and "Traceback" not in err


def test_list_and_schema():
    r = cli("list")
    assert r.returncode == 0 and "mentougou-flash-flood" in r.stdout and "Mentougou flash floods" in r.stdout
    schema = json.loads(cli("schema").stdout)
    assert schema["title"].startswith("drillsim scenario")
    assert "teams" in schema["properties"] and schema["properties"]["teams"]["type"] == "object"


def test_help_builds_every_command_without_loading_what_the_commands_run() -> None:
    """``drillsim --help`` (and a typo's usage line) stays instant: each command module imports its
    machinery inside ``main``, so building the parser loads no scenario model, engine, Optuna, pandas or
    matplotlib (the calibrate command once pulled in its whole search to list ``--method`` choices)."""
    import subprocess
    import sys

    child = ("import sys\nfrom drillsim.cli import main\n"
             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "heavy = ('drillsim.scenario.model', 'drillsim.engine', 'drillsim.calibrate.search', 'optuna',"
             " 'pandas', 'matplotlib', 'numpy')\n"
             "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True, timeout=120)
    assert "LOADED []" in out.stdout, out.stdout
