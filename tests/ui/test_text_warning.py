"""Void, adjust, transfer and receive dialogs warn, as the reason or note is typed, when it looks
identifying (the Log page's rule); saving is never blocked."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QLineEdit

from outreach_app.domain.text_warnings import ADDRESS_HINT
from outreach_app.domain.values import ItemInfo

from outreach_app.ui.dialogs.stock_dialogs import AdjustDialog, StockChoices
from outreach_app.ui.dialogs.void_dialog import VoidDialog
from outreach_app.ui.widgets.text_warning import TextWarning

SWAB = ItemInfo(
    id=uuid.uuid4(),
    code="SWAB",
    name="Alcohol swab",
    category="injection",
    unit="each",
    doses_per_unit=0,
    reorder_level=0,
    tracks_lots=False,
    active=True,
    sort_order=1,
)


def _shown(widget: Any, qtbot: Any) -> Any:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _warning(dialog: Any) -> TextWarning:
    (label,) = dialog.findChildren(TextWarning)
    return label


def test_the_void_reason_warns_and_still_voids(qtbot: Any) -> None:
    dialog = _shown(VoidDialog("the encounter of today"), qtbot)
    warning = _warning(dialog)
    qtbot.keyClicks(dialog.reason_edit, "entered twice")
    assert not warning.isVisible()
    dialog.reason_edit.clear()
    qtbot.keyClicks(dialog.reason_edit, "seen at 123 Main Street, call 514-555-0199")
    assert warning.isVisible()
    assert "a phone number" in warning.text() and ADDRESS_HINT in warning.text()
    assert "You can still save" in warning.text()
    assert dialog.ok_button.isEnabled()


def test_the_adjust_note_warns(qtbot: Any) -> None:
    dialog = _shown(AdjustDialog(StockChoices(("Drop-in",), (SWAB,), site="Drop-in")), qtbot)
    warning = _warning(dialog)
    note: QLineEdit = dialog.note_edit
    qtbot.keyClicks(note, "box dropped by ZZ Jane Roe")
    assert warning.isVisible() and "person's name" in warning.text()
    note.clear()
    assert not warning.isVisible()
