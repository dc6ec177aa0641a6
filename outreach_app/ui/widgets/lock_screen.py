"""What the window shows after "Lock and close": no data, only a passphrase field (a button
for an unencrypted folder or PostgreSQL); the sign-in screen follows once the data is open.

The pages stay alive underneath (hidden), so anything typed into an unsaved form is still
there after unlocking; the store itself is closed meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from outreach_app.i18n import _

from outreach_app.ui.theme import set_tone


class LockScreen(QWidget):
    unlock_requested = Signal(str)  # the passphrase typed ("" for an unencrypted folder)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<h2>" + _("Locked") + "</h2>")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = QLabel("")
        self.explain.setWordWrap(True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A wrapped label centred in a layout gets no width to wrap against and was cut off.
        self.explain.setFixedWidth(440)
        self.passphrase = QLineEdit()
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("passphrase"))
        self.passphrase.setFixedWidth(320)
        self.passphrase.returnPressed.connect(self._on_unlock)
        self.button = QPushButton(_("&Open"))
        self.button.setFixedWidth(320)
        self.button.clicked.connect(self._on_unlock)
        self.busy = QProgressBar()  # while the store opens off the GUI thread
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(320, 8)
        self.busy.hide()
        self.error = QLabel("")
        set_tone(self.error, "error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        widgets = (self.title, self.explain, self.passphrase, self.button, self.busy, self.error)
        for widget in widgets:
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def prepare(self, encrypted: bool) -> None:
        self.passphrase.clear()
        self.error.clear()
        self.passphrase.setVisible(encrypted)
        self.explain.setText(
            _(
                "The data is hidden and closed. Type the passphrase to open it, then sign in "
                "with your PIN; anything typed into a form before locking is kept."
            )
            if encrypted
            else _(
                "The data is hidden and closed. Open it, then sign in with your PIN; anything "
                "typed into a form is kept."
            )
        )
        self.explain.setMinimumHeight(self.explain.heightForWidth(self.explain.width()))
        (self.passphrase if encrypted else self.button).setFocus()

    def set_busy(self, busy: bool) -> None:
        """Opening: the button is off and the passphrase read-only until the result arrives."""
        self.button.setEnabled(not busy)
        self.passphrase.setReadOnly(busy)
        self.busy.setVisible(busy)
        if busy:
            self.error.clear()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _on_unlock(self) -> None:
        self.unlock_requested.emit(self.passphrase.text())
