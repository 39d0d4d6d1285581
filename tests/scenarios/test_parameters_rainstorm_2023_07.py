"""Every parameter of `rainstorm-2023-07` moves the world or is `affects: scoring` (tests.scenarios.parameters).

One test class per parameter (``TestParameter_<id>``), so xdist runs the parameters side by side.
"""

from tests.scenarios.parameters import parameter_tests

globals().update(parameter_tests("rainstorm-2023-07"))
