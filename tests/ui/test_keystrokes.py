"""The hot path's promise: a typical returning-participant visit in at most 12 keys and clicks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from outreach_app.services import catalog, participants
from tests.ui.conftest import RETURNING

from outreach_app.ui.pages.log_encounter import LogEncounterPage

BUDGET = 12


class InputCounter(QObject):
    """Counts key presses (one ShortcutOverride per key reaches the focused widget, modifiers
    included) and spontaneous mouse presses, application-wide."""

    def __init__(self) -> None:
        super().__init__()
        self.keys = 0
        self.clicks = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.ShortcutOverride and watched is QApplication.focusWidget():
            self.keys += 1
        elif event.type() == QEvent.Type.MouseButtonPress and event.spontaneous():
            self.clicks += 1
        return False


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def type_text(qtbot, text):
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), char)


def test_returning_visit_takes_at_most_12_keys(qtbot, context, app_store):
    page = LogEncounterPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.form.code.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.form.code)
    type_text(qtbot, RETURNING)
    qtbot.waitUntil(lambda: "returning" in page.form.status.text())

    counter = InputCounter()
    app = QApplication.instance()
    app.installEventFilter(counter)
    try:
        press(qtbot, Qt.Key.Key_Return)  # to the supplies: Syringe first
        type_text(qtbot, "10")
        type_text(qtbot, "n")  # type-ahead to Naloxone nasal kit
        type_text(qtbot, "1")
        press(qtbot, Qt.Key.Key_Return)  # leave supplies: to the naloxone reason
        type_text(qtbot, "u")  # Used on someone
        press(qtbot, Qt.Key.Key_Tab)  # used syringes returned
        type_text(qtbot, "10")
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    finally:
        app.removeEventFilter(counter)

    assert counter.keys + counter.clicks <= BUDGET, (counter.keys, counter.clicks)
    assert counter.keys == 12
    assert "Saved" in page.form.message.text()
    with app_store.unit_of_work() as uow:
        last = participants.last_visit(uow, RETURNING)
        names = {i.code for i in catalog.list_items(uow)}
    assert "SYRINGE" in names
    assert dict(last.items) == {"SYRINGE": 10, "NALOXONE-NASAL": 1}
    assert last.naloxone_reason == "USED"
    assert last.syringes_returned == 10
    assert last.age_band == "30-39" and last.gender == "woman"  # remembered per code
    assert page.form.code.text() == ""  # cleared for the next person
