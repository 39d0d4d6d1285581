"""Parameter sweeps: designs, seeds, backends, crash-safe results (``drillsim sweep``).

Public API::

    from drillsim.sweep import sweep
    df = sweep("mentougou-flash-flood", {"county-deadline": ("30m", "2h")}, points=4, replicates=10)

Importing this package is cheap: pandas, pyarrow, SALib and dask are imported only when a sweep
runs (``drillsim --help`` must stay fast).
"""

from __future__ import annotations

from typing import Any

__all__ = ["prepare", "run", "sweep"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from drillsim.sweep import api

        return getattr(api, name)
    raise AttributeError(name)
