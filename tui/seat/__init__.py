"""The seat console (``drillsim join``): one table's view of an exercise served by ``drillsim serve``.

It talks to the server only through :mod:`drillsim.serve.protocol` (:mod:`~drillsim.tui.seat.link`);
what it draws reuses the facilitator console's view (:mod:`drillsim.tui.state`), panes and dialogs.
"""
