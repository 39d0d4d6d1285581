"""The console's dialogs and full-screen views (decision, inject, observation, roles, end)."""
