"""One import name, checked layers: what installing drillsim puts on a machine, and the import contracts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.layout import ROOT, package_dirs, stage, to_repository


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the repository (the build writes nothing into the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in package_dirs().values():
        shutil.copytree(folder, src / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-q", "-w", str(out)], check=True, capture_output=True)
    (built,) = out.glob("drillsim-*.whl")
    return built


def test_the_wheel_installs_exactly_one_import_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"drillsim"}
    assert len(tops) == 2  # drillsim/ and drillsim-<version>.dist-info/
    for sub in ("drillsim/engine.py", "drillsim/agents/model.py", "drillsim/tui/app.py", "drillsim/reports/aar.py",
                "drillsim/scenarios/rainstorm-2023-07.yaml", "drillsim/scoring/metrics/rescue.py"):
        assert sub in names, sub
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "drillsim = drillsim.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_beside_other_agents_and_reports_packages_both_survive(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    py = env / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    for name in ("agents", "reports"):  # e.g. `pip install openai-agents` installs `agents`
        (site / name).mkdir()
        (site / name / "__init__.py").write_text(f'MARK = "the other {name}"\n')
    before = {p: p.read_bytes() for p in sorted(site.rglob("*.py")) if p.parts[-2] in ("agents", "reports")}
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--disable-pip-version-check", "-q", str(wheel)],
                   check=True, capture_output=True)
    # drillsim's own dependencies come from the test environment (their own install is not under test)
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run([str(env / "bin" / "drillsim"), "run", "mentougou-flash-flood", "--out", "out"], cwd=work,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    assert run.returncode == 0, run.stderr
    assert (work / "out" / "events.jsonl").stat().st_size > 0 and (work / "out" / "report-en.html").exists()
    check = subprocess.run([str(py), "-c", "import agents, reports, drillsim, drillsim.agents, drillsim.reports;"
                            "print(agents.MARK, '|', reports.MARK, '|', drillsim.__file__, drillsim.agents.__file__)"],
                           cwd=work, capture_output=True, text=True, check=True)
    files = check.stdout
    assert "the other agents | the other reports |" in files
    assert str(site / "drillsim" / "__init__.py") in files and str(site / "drillsim" / "agents") in files
    assert {p: p.read_bytes() for p in before} == before  # both dummies intact


def lint_imports(staged: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")  # installed by the dev extra beside this python
    return subprocess.run([str(lint), str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=staged, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(staged)})


def test_import_contracts_hold(tmp_path: Path) -> None:
    staged = stage(tmp_path / "stage")
    result = lint_imports(staged)
    assert result.returncode == 0, to_repository(result.stdout + result.stderr, staged)
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_a_scenario_module_importing_scoring_breaks_the_contracts(tmp_path: Path) -> None:
    staged = stage(tmp_path / "stage")
    (staged / "drillsim" / "scenario" / "shortcut.py").write_text("from drillsim.scoring import score\n")
    result = lint_imports(staged)
    assert result.returncode != 0
    assert "drillsim.scenario.shortcut -> drillsim.scoring" in result.stdout
