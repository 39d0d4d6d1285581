"""The whole package type-checks: ``mypy -p drillsim`` on the installed layout, with the repository's config.

mypy walks folders and cannot follow ``[tool.setuptools.package-dir]``, so the layout is staged first
(:mod:`tests.layout`); failures are reported with repository paths. The cache lives in the repository
(``.mypy_cache``, ignored by git), so a re-run checks only what changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.layout import ROOT, stage, to_repository


def test_mypy_passes_on_the_whole_package(tmp_path: Path) -> None:
    dest = stage(tmp_path / "layout")
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
               "--cache-dir", str(ROOT / ".mypy_cache"), "-p", "drillsim"]
    done = subprocess.run(command, cwd=dest, capture_output=True, text=True, timeout=900, check=False)
    output = to_repository(done.stdout + done.stderr, dest)
    assert done.returncode == 0, f"mypy found problems ({' '.join(command[1:])}):\n{output}"


def test_static_effect_union_names_every_action_model() -> None:
    """``Action`` (what mypy sees) and ``ACTION_TAGS`` (what pydantic validates) list the same models."""
    from typing import get_args

    from drillsim.scenario.model_actions import ACTION_TAGS, Action

    assert set(get_args(Action)) == set(ACTION_TAGS.values())


def test_distribution_models_share_the_static_base() -> None:
    """Every member of the runtime distribution unions is a ``Distribution`` (their static type)."""
    from typing import get_args

    from drillsim.scenario.types import CountDist, Distribution, DurationDist

    for family in (DurationDist, CountDist):
        union, *_ = get_args(family)
        members = [get_args(tagged)[0] for tagged in get_args(union)]
        assert members and all(issubclass(m, Distribution) for m in members)
