"""mesa's ``Agent`` and ``Model`` without the rest of mesa until someone asks for it.

Why: mesa 3.x's package ``__init__`` imports its batch runner and data collector (pandas), its
continuous space (scipy.spatial) and its discrete spaces, none of which drillsim uses; that is about
0.6 s of CPU in every ``drillsim run``, ``validate`` or sweep worker, a third of the process's
start-up. ``mesa.agent`` and ``mesa.model`` import nothing of that.

How: when this module is imported before anything else imported mesa, it registers the ``mesa``
package without running its ``__init__``, imports ``mesa.agent`` and ``mesa.model`` into it, and
gives the package a module ``__getattr__`` (PEP 562) that runs the real ``__init__`` — into the
same module object — the first time any other name of it is asked for (``mesa.DataCollector``,
``from mesa import batch_run``). Submodules (``import mesa.space``) import as usual. So code that
uses the rest of mesa still gets all of it, with the same ``Agent`` and ``Model`` classes; code
that does not never pays for it. If mesa was already imported in full, nothing is changed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any


def _install_partial_mesa() -> None:
    """Register ``mesa`` with only its agent and model modules loaded (see the module docstring)."""
    if "mesa" in sys.modules:
        return
    spec = importlib.util.find_spec("mesa")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not a regular package: let the ordinary import report whatever is wrong
    package = importlib.util.module_from_spec(spec)
    sys.modules["mesa"] = package
    try:
        agent = importlib.import_module("mesa.agent")
        model = importlib.import_module("mesa.model")
    except BaseException:
        sys.modules.pop("mesa", None)
        raise
    # the two names drillsim uses, as the full package has them (attributes of a module object)
    setattr(package, "Agent", agent.Agent)  # noqa: B010
    setattr(package, "Model", model.Model)  # noqa: B010
    loader = spec.loader

    def __getattr__(name: str) -> Any:
        """Run mesa's own ``__init__`` once, then answer as the full package does."""
        if name.startswith("__"):
            raise AttributeError(name)
        delattr(package, "__getattr__")
        loader.exec_module(package)
        return getattr(package, name)

    setattr(package, "__getattr__", __getattr__)  # noqa: B010 (a module attribute, not a method)


_install_partial_mesa()

from mesa.agent import Agent  # noqa: E402 (after the partial package is registered)
from mesa.model import Model  # noqa: E402

__all__ = ["Agent", "Model"]
