"""What a person without the role is told when they reach something only a coordinator may do
(contracts §10). Behind a seam tests replace, as the other dialogs' `ask`."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

from outreach_app.ui.widgets.modal import run_modal

SWITCH_KEYS = "Ctrl+Shift+P"


def coordinator_only_text(what: str, name: str | None) -> str:
    who = f"{escape(name)} is signed in as a worker" if name else "Nobody is signed in"
    return (
        f"<b>A coordinator must {escape(what)}.</b><br>{who}. Ask a coordinator to sign in "
        f"(Switch person, {SWITCH_KEYS}) and do it; nothing was changed."
    )


class CoordinatorOnly:
    @classmethod
    def tell(cls, parent: QWidget | None, what: str, name: str | None) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("A coordinator must do this")
        box.setText(coordinator_only_text(what, name))
        run_modal(box)
