"""Calibration: fit a scenario's unverified ``[U]`` parameters to a sourced record (``drillsim calibrate``).

- :mod:`~drillsim.calibrate.params`: parameters files (``parameters: {name: value}``) that ``run``,
  ``play``, ``sweep`` and ``calibrate`` read with ``--params FILE``, checked against the scenario's
  declared parameters and their ranges.
- :mod:`~drillsim.calibrate.targets`: targets files (observed events and values with sources, each
  selecting records as an inject's trigger does).
- :mod:`~drillsim.calibrate.observe`: what a run shows for each target (runs on the sweep backends'
  workers).
- :mod:`~drillsim.calibrate.loss`: errors, the median over seeds, the loss of a candidate.
- :mod:`~drillsim.calibrate.search`: the search (Optuna's ask-and-tell over the sweep backends,
  runs stored in the sweep store, so a killed calibration resumes without re-running a candidate).

The package sits above the sweeps (it reuses their backends, store, seeds and factors) and below the
commands and reports; it draws nothing (the figure is in :mod:`drillsim.reports.calibration`).
"""

METHODS = ("tpe", "cmaes", "random")
"""Optuna samplers ``--method`` chooses from (defined here, light, so ``drillsim --help`` imports no search)."""
