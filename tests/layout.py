"""The installed layout of drillsim, mirrored from the repository for tools that walk folders.

``pyproject.toml`` maps ``drillsim`` onto ``sim/`` and its subpackages ``agents``, ``tui``,
``reports`` and ``scenarios`` onto folders beside it. Python finds them through the editable
install's import hook, but import-linter (grimp) and mypy walk directories: they need a tree in
which ``drillsim/agents/`` really is under ``drillsim/``. :func:`stage` builds that tree from
symbolic links to the repository's files (real folders, linked files: grimp does not follow linked
folders), so line numbers are the repository's and nothing is copied.

``python -m tests.layout DIR`` stages into DIR (for running ``mypy`` or ``lint-imports`` by hand).
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


if __name__ == "__main__":  # pragma: no cover
    print(stage(Path(sys.argv[1]).resolve()))
