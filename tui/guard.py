"""A textual app whose key bindings, palette commands and callbacks never end it with a traceback.

Textual ends its message loop on an exception nothing caught and prints the traceback over the
terminal. Both full-screen apps (the console and the replay viewer) route those exceptions to
their own ``fail``, which tells the user in one line and leaves cleanly.
"""

from __future__ import annotations

from typing import Any


class FailsCleanly:
    """Mix in before ``textual.app.App``; the app defines ``fail(exc)``, which must not raise."""

    def fail(self, problem: Any) -> None:  # pragma: no cover - every app defines its own
        """Tell the user what went wrong and leave (or stop) cleanly; never raises."""
        raise NotImplementedError

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        """Every key binding and palette action passes here: one that raises goes to :meth:`fail`."""
        try:
            # a mixin: the App after it in the MRO has run_action, which mypy cannot see from here
            return await super().run_action(action, default_namespace, namespaces)  # type: ignore[misc]
        except Exception as exc:
            self.fail(exc)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (a pane drawing, a dialog's callback): :meth:`fail` instead of a traceback.

        If the exception ended the app's message loop, textual closes the app afterwards anyway;
        whatever ``fail`` writes is written by then.
        """
        try:
            self.fail(error)
        except Exception:
            super()._handle_exception(error)  # type: ignore[misc]  # the App after this mixin has it
