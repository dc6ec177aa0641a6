"""Dialogs; each offers a `@classmethod ask(...)` that tests can replace."""
