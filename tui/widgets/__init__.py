"""The console's panes; each renders from an :class:`~tui.state.ExerciseView` (live or replayed)."""
