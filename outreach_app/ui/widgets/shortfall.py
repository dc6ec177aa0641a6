"""The one confirmation before saving a shortfall (contracts §1, "Shortfall").

Handing out more than the records show on hand is never refused at the point of contact: the
supplies are already in the person's hands. The log form, the tally counter, the paper tally
entry and a shift bag's check-out ask this once (no PIN, no coordinator), then save; the line
draws below zero and the item shows "count needed" on Inventory and the dashboard until it is
counted. Pages call `ShortfallConfirm.ask`; tests replace it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

from outreach_app.domain.values import Shortfall
from outreach_app.i18n import N_, _

from outreach_app.ui.widgets.modal import run_modal

# Marked only: shown through _() so a test can compare a button with the English.
TITLE = N_("Less on hand than handed out")
SAVE_ANYWAY = N_("&Save anyway")
GO_BACK = N_("&Go back")


def shortfall_lines(shortfalls: Sequence[Shortfall]) -> str:
    return "; ".join(s.describe() for s in shortfalls)


def below_zero_note(shortfalls: Sequence[Shortfall]) -> str:
    """What a saved record drew below zero, for the page's message after saving."""
    if not shortfalls:
        return ""
    items = ", ".join(_("{item} at {site}", item=s.item_code, site=s.site) for s in shortfalls)
    return " " + _("Recorded below zero: {items} (count needed).", items=items)


class ShortfallConfirm:
    @classmethod
    def dialog(
        cls, parent: QWidget | None, shortfalls: Sequence[Shortfall], what: str | None = None
    ) -> QMessageBox:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_(TITLE))
        rows = "".join(f"<li>{escape(s.describe())}</li>" for s in shortfalls)
        what = escape(what or _("this record"))
        box.setText(_("<b>The records show less on hand than {what} hands out:</b>", what=what))
        box.setInformativeText(
            f"<ul>{rows}</ul>"
            + _(
                "Save anyway? The supplies are already handed out, so the record is kept: the "
                "stock goes below zero and the item shows <b>count needed</b> on Inventory "
                "until someone counts it."
            )
        )
        save = box.addButton(_(SAVE_ANYWAY), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_(GO_BACK), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        return box

    @classmethod
    def ask(
        cls, parent: QWidget | None, shortfalls: Sequence[Shortfall], what: str | None = None
    ) -> bool:
        """True to save with the shortfall; False to go back to the form."""
        box = cls.dialog(parent, shortfalls, what)
        run_modal(box)
        return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
