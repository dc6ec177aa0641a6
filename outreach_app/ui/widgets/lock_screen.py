"""What the window shows while locked: no data, only a passphrase field.

The pages stay alive underneath (hidden), so anything typed into an unsaved form is still
there after unlocking; the store itself is closed while locked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class LockScreen(QWidget):
    unlock_requested = Signal(str)  # the passphrase typed ("" for an unencrypted folder)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<h2>Locked</h2>")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = QLabel("")
        self.explain.setWordWrap(True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("passphrase")
        self.passphrase.setFixedWidth(320)
        self.passphrase.returnPressed.connect(self._on_unlock)
        self.button = QPushButton("&Unlock")
        self.button.setFixedWidth(320)
        self.button.clicked.connect(self._on_unlock)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #8a1c1c;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.explain, self.passphrase, self.button, self.error):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def prepare(self, encrypted: bool) -> None:
        self.passphrase.clear()
        self.error.clear()
        self.passphrase.setVisible(encrypted)
        self.explain.setText(
            "The data is hidden and closed. Type the passphrase to carry on; anything typed "
            "into a form before locking is kept."
            if encrypted
            else "The data is hidden. Unlock to carry on; anything typed into a form is kept."
        )
        (self.passphrase if encrypted else self.button).setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _on_unlock(self) -> None:
        self.unlock_requested.emit(self.passphrase.text())
