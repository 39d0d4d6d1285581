"""The flow of each kind of task (see :mod:`drillsim.flows.operations` for what they share).

:func:`kinds` builds one handler per kind for an exercise; nothing registers itself at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.flows.tasks.evacuate import Evacuations
from drillsim.flows.tasks.hold import Holds
from drillsim.flows.tasks.rescue import Rescues
from drillsim.flows.tasks.supply import Supplies
from drillsim.flows.tasks.suppress import Suppressions

if TYPE_CHECKING:
    from drillsim.flows.context import Context
    from drillsim.flows.operations import TaskKind


def kinds(ctx: Context) -> dict[str, TaskKind]:
    """Kind → its handler (``hold`` serves cordon, monitor and guard; ``rescue`` serves plain work too)."""
    return {"rescue": Rescues(ctx), "evacuate": Evacuations(ctx), "suppress": Suppressions(ctx),
            "hold": Holds(ctx), "supply": Supplies(ctx)}
