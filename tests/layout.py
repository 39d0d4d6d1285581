"""The installed layout of drillsim, mirrored from the repository for tools that walk folders.

``pyproject.toml`` maps ``drillsim`` onto ``sim/`` and its subpackages ``agents``, ``tui``,
``reports`` and ``scenarios`` onto folders beside it. Python finds them through the editable
install's import hook, but import-linter (grimp) and mypy walk directories: they need a tree in
which ``drillsim/agents/`` really is under ``drillsim/``. :func:`stage` builds that tree from
symbolic links to the repository's files (real folders, linked files: grimp does not follow linked
folders), so line numbers are the repository's and nothing is copied.

``python -m tests.layout check`` stages into a temporary folder and runs ``lint-imports`` and
``mypy`` there with the repository's configuration (what ``tests/test_layout.py`` and
``tests/test_types.py`` run), printing their output with repository paths; ``python -m tests.layout
DIR`` only stages into DIR. Plain ``lint-imports`` at the repository root cannot work: it would look
for ``drillsim.agents`` inside ``sim/``.
"""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_dirs() -> dict[str, Path]:
    """Import name → repository folder, from ``[tool.setuptools.package-dir]`` (the one source)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: ROOT / folder for name, folder in config["tool"]["setuptools"]["package-dir"].items()}


def stage(dest: Path) -> Path:
    """Build ``dest/drillsim/…`` as installed, files linked to the repository; returns ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    for name, folder in package_dirs().items():
        target = dest.joinpath(*name.split("."))
        for src in sorted(folder.rglob("*")):
            if "__pycache__" in src.parts or not (src.is_file() and src.suffix in (".py", ".pyi", ".typed")):
                continue
            link = target / src.relative_to(folder)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(src)
    return dest


def to_repository(text: str, dest: Path) -> str:
    """Rewrite staged paths in a tool's output (absolute, or relative to ``dest``) to the repository's."""
    for name, folder in sorted(package_dirs().items(), key=lambda kv: -len(kv[0])):
        staged = "/".join(name.split(".")) + "/"
        mine = str(folder.relative_to(ROOT)) + "/"
        text = text.replace(str(dest) + "/" + staged, mine)
        text = re.sub(rf"(?m)^{re.escape(staged)}", mine, text)
    return text


def check() -> int:
    """Run the import contracts and the type check on a staged layout; 0 when both pass."""
    import os
    import subprocess
    import tempfile

    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        dest = stage(Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(dest)}
        status = 0
        for command in ([str(bin_dir / "lint-imports"), str(ROOT / "pyproject.toml"), "--no-cache"],
                        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                         "--cache-dir", str(ROOT / ".mypy_cache"), "-p", "drillsim"]):
            done = subprocess.run(command, cwd=dest, env=env, capture_output=True, text=True, check=False)
            print(to_repository(done.stdout + done.stderr, dest).rstrip())
            status = status or done.returncode
    return status


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["check"]:
        sys.exit(check())
    print(stage(Path(sys.argv[1]).resolve()))
