"""Every decision of `border-forest-fire` changes a world outcome (see :mod:`tests.scenarios.decisions`).

One test class per decision (``TestDecision_<id>``), so xdist runs the decisions side by side.
"""

from tests.scenarios.decisions import decision_tests

globals().update(decision_tests("border-forest-fire"))
