"""The Sync page's helpers: a hub sync run off the GUI thread (progress as a signal, Cancel as
a flag the service asks before each batch), and the dialogs tests replace through `ask`."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from outreach_app.i18n import _

from outreach_app.ui.widgets.modal import run_modal


class HubRun(QObject):
    """One sync: `progress` and `is_cancelled` are handed to the service (called on the
    worker thread); the signal carries the progress to the GUI thread (queued)."""

    progressed = Signal(str, int, int)  # stage ("pushing" / "pulling"), batches done, in all

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(stage, done, total)


def monospace(size_factor: float = 1.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * size_factor)
    return font


class JoinCodeDialog(QDialog):
    """The join code, shown this once, large, with the reminder to give it apart from the file."""

    def __init__(self, parent: QWidget | None, path: Path, code: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Join code"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("The invitation was saved to {path}.", path=path))
        intro.setWordWrap(True)
        self.code = QLabel(code)
        self.code.setFont(monospace(2.2))
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName(_("Join code"))
        advice = QLabel(
            _(
                "Give this code to the person setting up the new device separately from the "
                "file: in person or by phone, never with the file. It is shown only now."
            )
        )
        advice.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("I have noted it"))
        buttons.accepted.connect(self.accept)
        for widget in (intro, self.code, advice, buttons):
            layout.addWidget(widget)

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path, code: str) -> None:
        run_modal(cls(parent, path, code))


class OpenBundles:
    @classmethod
    def ask(cls, parent: QWidget | None) -> list[Path]:
        dialog = QFileDialog(
            parent, _("Import bundles"), "", _("Bundles (*.bundle);;All files (*)")
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        if run_modal(dialog) != QDialog.DialogCode.Accepted:
            return []
        return [Path(name) for name in dialog.selectedFiles()]


class ConfirmRevoke:
    @classmethod
    def ask(cls, parent: QWidget | None, name: str, fingerprint: str) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Revoke a device"))
        box.setText(_("Revoke {name} ({fingerprint})?", name=name, fingerprint=fingerprint))
        box.setInformativeText(
            _(
                "From now on this device refuses its bundles. If your organisation has a hub, "
                "also remove that device's login on the hub: there, trust rests on the logins."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("Revoke"))
        box.button(QMessageBox.StandardButton.No).setText(_("Keep"))
        return bool(run_modal(box) == QMessageBox.StandardButton.Yes)


def rows_of(counts: Any) -> list[tuple[Any, ...]]:
    """Rows of (kind code, n1, n2, ...): the code stays in the row and `CountsModel` shows its
    label, in the language of the moment."""
    return [tuple(row) for row in counts]
