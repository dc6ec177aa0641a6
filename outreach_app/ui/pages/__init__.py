"""The pages of the main window; each owns its logic in private `_on_*` slots."""
