"""One module per CLI command (see :mod:`drillsim.cli`)."""
