"""The windows the main window opens from its menus beside the pages (Import, Audit, Staff) and
its message boxes; each tool's module (and the services it imports) loads when first asked for.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from outreach_app.i18n import _
from outreach_app.logsetup import log_path

from outreach_app.ui.help_text import SHORTCUTS_TEXT

TOOLS = {
    "import": ("import_dialog", "open_import"),
    "audit": ("audit_dialog", "open_audit"),
    "staff": ("staff_dialog", "open_staff"),
}


def open_tool(window: Any, tool: str) -> None:
    """Opens `tool` over `window` (not while it is locked); the window keeps it alive."""
    if window.locked:
        return
    module, function = TOOLS[tool]
    opener = getattr(importlib.import_module(f"outreach_app.ui.dialogs.{module}"), function)
    window.tool_windows[tool] = opener(window.context, window)


def show_shortcuts(parent: QWidget) -> None:
    QMessageBox.information(parent, _("Keyboard shortcuts"), str(SHORTCUTS_TEXT))


def show_unexpected(parent: QWidget, data_dir: Path, message: str) -> None:
    QMessageBox.critical(
        parent,
        _("Something went wrong"),
        message
        + "\n\n"
        + _("The details (no participant data) are in the log:\n{path}", path=log_path(data_dir)),
    )
