"""The coordinator PIN: a dialog that asks it (or sets the first one), and the gate that keeps
it unlocked for 10 minutes once given."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from outreach_app.domain.errors import OutreachError

UNLOCKED_SECONDS = 10 * 60


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(12)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return edit


class CoordinatorPinDialog(QDialog):
    """Asks the PIN (verify=True) or a new one twice (verify=False, first use)."""

    def __init__(
        self, action: str, check: Callable[[str], str | None], *, first_time: bool, parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Coordinator PIN" if not first_time else "Set a coordinator PIN")
        self._check = check
        self._first = first_time
        intro = QLabel(
            f"<b>{action}</b><br>needs a coordinator."
            + (
                "<br>No coordinator PIN is set on this data folder yet: choose one now "
                "(4 to 12 digits). It stays unlocked for 10 minutes."
                if first_time
                else "<br>Once given, the PIN stays unlocked for 10 minutes."
            )
        )
        intro.setWordWrap(True)
        self.pin = _pin_edit()
        self.again = _pin_edit()
        self.error = QLabel("")
        self.error.setStyleSheet("color: #8a1c1c;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&PIN", self.pin)
        if first_time:
            form.addRow("PIN &again", self.again)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(380)

    def _on_ok(self) -> None:
        pin = self.pin.text()
        if self._first and pin != self.again.text():
            self.error.setText("The two PINs differ; type them again.")
            return
        problem = self._check(pin)
        if problem:
            self.error.setText(problem)
            self.pin.selectAll()
            self.pin.setFocus()
            return
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        action: str,
        check: Callable[[str], str | None],
        *,
        first_time: bool,
    ) -> bool:
        """True once `check(pin)` returned no problem; False when cancelled."""
        dialog = cls(action, check, first_time=first_time, parent=parent)
        return dialog.exec() == QDialog.DialogCode.Accepted


class CoordinatorGate:
    """The callable installed as `context.coordinator_gate`.

    PIN checks are short (argon2id, ~50 ms) and happen while the person waits at a modal
    dialog, so they run directly on the store rather than through the worker queue.
    """

    def __init__(self, store_getter: Callable[[], Any]) -> None:
        self._store = store_getter
        self._unlocked_until = 0.0

    def lock(self) -> None:
        self._unlocked_until = 0.0

    @property
    def unlocked(self) -> bool:
        return time.monotonic() < self._unlocked_until

    def __call__(self, parent: QWidget | None, action: str) -> bool:
        if self.unlocked:
            return True
        from outreach_app.services import auth

        store = self._store()
        with store.reading() as uow:
            first_time = not auth.has_coordinator_pin(uow)

        def check(pin: str) -> str | None:
            try:
                with store.unit_of_work() as uow:
                    if first_time:
                        auth.set_coordinator_pin(uow, pin)
                        return None
                    ok = auth.verify_coordinator_pin(uow, pin)
            except OutreachError as error:
                return error.message
            return None if ok else "That is not the coordinator PIN. Try again."

        if CoordinatorPinDialog.ask(parent, action, check, first_time=first_time):
            self._unlocked_until = time.monotonic() + UNLOCKED_SECONDS
            return True
        return False
