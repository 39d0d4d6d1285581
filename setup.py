"""Package discovery for the one import name, ``drillsim``.

``pyproject.toml`` maps ``drillsim`` and four subpackages onto the folders the product brief fixes at
the repository root (``[tool.setuptools.package-dir]``). setuptools' declarative ``packages.find``
cannot prefix what it finds, so this file walks each mapped folder and names its packages under the
mapped name. Everything else about the build is in ``pyproject.toml``.
"""

import tomllib
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
MAPPING: dict[str, str] = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))[
    "tool"]["setuptools"]["package-dir"]

setup(packages=[f"{name}{sub}" for name, folder in MAPPING.items()
                for sub in ("", *(f".{p}" for p in find_packages(str(HERE / folder))))])
