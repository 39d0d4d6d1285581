"""The console's panes; each renders from an :class:`~drillsim.tui.state.ExerciseView` (live or replayed)."""
