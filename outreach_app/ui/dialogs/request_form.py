"""The base of the small forms that return a request (catalog entries, stock movements).

A title, an optional intro, a form layout the subclass fills, an error line and OK/Cancel. OK
shows `problem()` instead of closing while it is not ""; `ask` returns `request()` or None when
cancelled. The page that asked does the work, so tests can replace `ask`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.modal import run_modal


class RequestForm(QDialog):
    def __init__(self, title: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error = QLabel()
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            self._layout.addWidget(label)
        self._layout.addLayout(self.form)
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.buttons)

    def add_below_form(self, widget: QWidget, stretch: int = 0) -> None:
        """A widget between the form and the error line (e.g. a table of quantities)."""
        self._layout.insertWidget(self._layout.indexOf(self.error), widget, stretch)

    def _on_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
        else:
            self.accept()

    def problem(self) -> str:
        """Why the form cannot be accepted yet, in plain words; "" when it can."""
        return ""

    def request(self) -> Any:
        raise NotImplementedError

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any) -> Any:
        """The request, or None when cancelled. `args` go to the constructor before `parent`."""
        dialog = cls(*args, parent=parent)
        return dialog.request() if run_modal(dialog) == QDialog.DialogCode.Accepted else None
