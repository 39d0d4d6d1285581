"""The public API: ``from drillsim import load, Exercise, read_log, sweep`` and the other public nouns."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys

import drillsim


def test_importing_drillsim_imports_no_heavy_library():
    code = ("import sys, drillsim; print(','.join(m for m in ('simpy', 'mesa', 'pydantic', 'pandas', 'numpy', "
            "'textual', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_the_public_nouns_resolve_to_the_objects_of_their_modules():
    from drillsim import Exercise, load, read_log, sweep

    assert inspect.isclass(Exercise) and inspect.isfunction(load) and inspect.isfunction(read_log)
    import drillsim.sweeps  # the sweep machinery's package must not shadow the function

    assert inspect.isfunction(sweep) and inspect.isfunction(drillsim.sweep)
    for name, module in drillsim._WHERE.items():
        assert getattr(drillsim, name) is getattr(importlib.import_module(module), name), name
    assert set(drillsim.__all__) == {*drillsim._WHERE, "__version__"}


def test_type_checkers_see_the_same_names_as_the_runtime():
    tree = ast.parse(inspect.getsource(drillsim))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom)
            for alias in node.names}
    assert seen == drillsim._WHERE


def test_an_unknown_name_is_an_attribute_error():
    try:
        drillsim.nothing_here  # noqa: B018
    except AttributeError as exc:
        assert "nothing_here" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("no AttributeError")


def test_one_run_through_the_public_api(tmp_path):
    from drillsim import Exercise, load, read_log, score_log

    loaded = load("mentougou-flash-flood")
    summary = Exercise(loaded, seed=2, log_path=tmp_path / "events.jsonl").run()
    log = read_log(tmp_path / "events.jsonl")
    assert log.complete and len(log.records) + 1 == summary.records
    assert score_log(log).score is not None
