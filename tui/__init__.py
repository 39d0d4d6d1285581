"""Terminal UI (textual): the facilitator console and the replay viewer."""
