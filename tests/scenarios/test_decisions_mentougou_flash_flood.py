"""Every decision of `mentougou-flash-flood` changes a world outcome (see :mod:`tests.scenarios.decisions`).

One test class per decision (``TestDecision_<id>``), so xdist runs the decisions side by side.
"""

from tests.scenarios.decisions import decision_tests

globals().update(decision_tests("mentougou-flash-flood"))
