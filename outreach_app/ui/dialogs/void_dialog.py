"""Asks why an encounter is being voided; a reason is required."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from outreach_app.i18n import _

from outreach_app.ui.widgets.modal import run_modal
from outreach_app.ui.widgets.text_warning import TextWarning


class VoidDialog(QDialog):
    def __init__(self, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Void encounter"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Void {what}?\nIt stays in the history, struck through, and is left out of "
                "every figure. Supplies it drew go back on the shelf.",
                what=description,
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel(_("Reason (required):")))
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName(_("Reason"))
        self.reason_edit.setPlaceholderText(_("e.g. entered twice, wrong site"))
        self.reason_edit.setMaxLength(200)
        layout.addWidget(self.reason_edit)
        layout.addWidget(TextWarning(self.reason_edit))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Void"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._on_reason_changed)

    def _on_reason_changed(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    @classmethod
    def ask(cls, parent: QWidget | None, description: str) -> str | None:
        dialog = cls(description, parent)
        if run_modal(dialog) == QDialog.DialogCode.Accepted and dialog.reason():
            return dialog.reason()
        return None
