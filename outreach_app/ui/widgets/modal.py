"""Running a dialog modally in a way the lock can hide.

`QDialog.exec()` ends as soon as the dialog is hidden, so the idle lock (which hides every
window, contracts §10) would cancel a half-filled Transfer or Save dialog. `run_modal` waits for
the dialog's own `finished` instead: hidden by the lock, it waits; shown again after sign-in, it
carries on with whatever was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QDialog


def run_modal(dialog: QDialog) -> int:
    """Like `dialog.exec()`: shows it application-modal and returns its result when it is
    accepted, rejected or closed (or deleted)."""
    loop = QEventLoop()
    dialog.finished.connect(loop.quit)
    dialog.destroyed.connect(loop.quit)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()
    loop.exec()
    try:
        return dialog.result()
    except RuntimeError:  # deleted with its parent meanwhile
        return QDialog.DialogCode.Rejected.value
