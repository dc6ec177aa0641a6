"""What a person without the role is told when they reach something only a coordinator may do
(contracts §10). Behind a seam tests replace, as the other dialogs' `ask`."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

from outreach_app.i18n import _

from outreach_app.ui.mnemonics import shortcut_text
from outreach_app.ui.widgets.modal import run_modal

SWITCH_KEYS = "Ctrl+Shift+P"


def coordinator_only_text(what: str, name: str | None) -> str:
    who = (
        _("{name} is signed in as a worker", name=escape(name))
        if name
        else _("Nobody is signed in")
    )
    return _(
        "<b>A coordinator must {what}.</b><br>{who}. Ask a coordinator to sign in (Switch "
        "person, {keys}) and do it; nothing was changed.",
        what=escape(what),
        who=who,
        keys=shortcut_text(SWITCH_KEYS),
    )


class CoordinatorOnly:
    @classmethod
    def tell(cls, parent: QWidget | None, what: str, name: str | None) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(_("A coordinator must do this"))
        box.setText(coordinator_only_text(what, name))
        run_modal(box)
