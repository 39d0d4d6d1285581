"""``python -m drillsim`` is the ``drillsim`` command (useful where the console script is not on PATH)."""

import sys

from drillsim.cli import main

sys.exit(main())
