"""The passphrase (unlock) dialog.

The unlock dialog only asks the passphrase; the main window opens the store with it behind its
"Opening your data…" state. A failed unlock creates and changes nothing: `open_store` only reads
until the key is right.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QWidget,
)

from outreach_app.domain.errors import OutreachError, WrongPassphrase
from outreach_app.i18n import _

from outreach_app.ui.theme import set_tone


class UnlockDialog(QDialog):
    """Asks the passphrase; it does not open the store.

    Open emits `passphrase_entered` and closes the dialog: the main window then shows "Opening
    your data…" and opens the store with it on a background thread (`MainWindow.
    open_in_background(unlock=...)`). Until the window reports back, `opening` is true and Open
    is disabled; a wrong passphrase (`refused`) brings the dialog back with the reason and the
    text selected, ready to type over; `opened` records the store it unlocked.
    """

    passphrase_entered = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        db_url: str | None,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._data_dir, self._db_url = data_dir, db_url
        self._opening = False
        self.store: Any = None
        intro = QLabel(
            _("This data folder is encrypted. Type its passphrase to open it.")
            + f"<br><small>{data_dir}</small>"
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMinimumWidth(320)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no known length: a moving bar
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.error = QLabel("")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Open"))
        buttons.accepted.connect(self._on_open)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(_("&Passphrase"), self.passphrase)
        form.addRow(self.busy)
        form.addRow(self.error)
        form.addRow(buttons)

    @property
    def opening(self) -> bool:
        """The passphrase was entered and the store is opening with it."""
        return self._opening

    def _on_open(self) -> None:
        if self._opening:
            return  # Enter pressed again while opening
        self._set_busy(True)
        self.accept()  # first: a synchronous open may bring the dialog back at once
        self.passphrase_entered.emit(self.passphrase.text())

    def _set_busy(self, busy: bool) -> None:
        self._opening = busy
        self.ok_button.setEnabled(not busy)
        self.passphrase.setReadOnly(busy)
        self.busy.setVisible(busy)
        set_tone(self.error, None if busy else "error")
        self.error.setText(_("Opening…") if busy else "")

    def opened(self, store: Any) -> None:
        """The store opened with the entered passphrase."""
        self._set_busy(False)
        self.store = store

    def refused(self, error: OutreachError) -> None:
        """The store did not open: back to the person, with the reason."""
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            self.error.setText(_("That passphrase is not right. Check Caps Lock and try again."))
        else:
            self.error.setText(error.message)
        self.passphrase.selectAll()
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.isVisible():
            self.open()

    def reject(self) -> None:
        self._set_busy(False)
        super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        data_dir: Path,
        db_url: str | None = None,
        title: str | None = None,
    ) -> UnlockDialog | None:
        """The dialog with a passphrase entered (its store still to open), or None: cancelled."""
        dialog = cls(data_dir, db_url, title or _("Open Outreach Tally"), parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog


def show_store_error(parent: QWidget | None, error: OutreachError) -> None:
    QMessageBox.critical(parent, _("Cannot open the data"), error.message)
