"""Parameter sweeps: designs, seeds, backends, crash-safe results (``drillsim sweep``).

Public API::

    from drillsim.sweeps import sweep
    df = sweep("mentougou-flash-flood", {"county-deadline": ("30m", "2h")}, points=4, replicates=10)

Importing this package is cheap: pandas, pyarrow, SALib and dask are imported only when a sweep
runs (``drillsim --help`` must stay fast). Type checkers see the functions through the
``TYPE_CHECKING`` import; at run time they come from :mod:`drillsim.sweeps.api` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillsim.sweeps.api import prepare, run, sweep

__all__ = ["prepare", "run", "sweep"]


def __getattr__(name: str) -> object:
    """Import :mod:`drillsim.sweeps.api` on first use of a public name."""
    if name in __all__:
        from drillsim.sweeps import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'drillsim.sweeps' has no attribute {name!r}")
