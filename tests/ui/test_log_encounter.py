"""Log encounter flows through the real widgets, checked through the services."""

from __future__ import annotations

from PySide6.QtCore import Qt

from outreach_app.services import encounter_list, inventory, participants
from tests.conftest import FIRST_SITE
from tests.ui.conftest import RETURNING

from outreach_app.ui.pages.log_encounter import LogEncounterPage


def _page(qtbot, context) -> LogEncounterPage:
    page = LogEncounterPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def _row(page, code):
    return next(r for r in page.form.item_rows + page.form.kit_rows if r.code == code)


def _on_hand(store, code):
    with store.unit_of_work() as uow:
        return sum(r.on_hand for r in inventory.on_hand(uow, FIRST_SITE) if r.item_code == code)


def test_save_clears_the_form_and_undo_voids(qtbot, context, app_store):
    page = _page(qtbot, context)
    before = _on_hand(app_store, "SYRINGE")
    qtbot.keyClicks(page.form.code, "ZZ-TEST-02")
    qtbot.waitUntil(lambda: page.form.status.text() == "new")
    _row(page, "SYRINGE").spin.setValue(5)
    qtbot.mouseClick(page.form.save, Qt.MouseButton.LeftButton)
    assert "Saved #" in page.form.message.text()  # a short tag of the keyed code
    assert "5 Syringe" in page.form.message.text() and "ZZ-TEST" not in page.form.message.text()
    assert page.form.code.text() == "" and _row(page, "SYRINGE").value() == 0
    assert _on_hand(app_store, "SYRINGE") == before - 5
    assert page.form.undo.isVisible()
    qtbot.mouseClick(page.form.undo, Qt.MouseButton.LeftButton)
    assert "Undone" in page.form.message.text()
    assert _on_hand(app_store, "SYRINGE") == before
    with app_store.unit_of_work() as uow:
        assert participants.last_visit(uow, "ZZ-TEST-02") is None  # voided visits do not count


def test_shortfall_asks_once_then_saves_below_zero(qtbot, context, app_store, gate, confirm):
    """Contracts §1: one confirmation, no PIN; the record is saved and the stock goes below 0."""
    page = _page(qtbot, context)
    row = _row(page, "NALOXONE-NASAL")
    row.spin.setValue(7)
    assert "5 on hand — short 2" in row.on_hand.text()
    confirm.allow = False  # "Go back": nothing saved, the form kept for another try
    qtbot.mouseClick(page.form.save, Qt.MouseButton.LeftButton)
    assert "not enough on hand" in page.form.message.text()
    assert row.value() == 7 and _on_hand(app_store, "NALOXONE-NASAL") == 5
    confirm.allow = True
    confirm.asked.clear()
    qtbot.mouseClick(page.form.save, Qt.MouseButton.LeftButton)
    assert confirm.asked == ["NALOXONE-NASAL at Drop-in: 7 wanted, 5 on hand (short by 2)"]
    assert gate.asked == []  # no coordinator PIN at the point of contact
    assert "Saved" in page.form.message.text()
    assert "Recorded below zero: NALOXONE-NASAL at Drop-in (count needed)" in (
        page.form.message.text()
    )
    assert _on_hand(app_store, "NALOXONE-NASAL") == -2


def test_repeat_last_visit_fills_kits_and_items(qtbot, context, app_store):
    page = _page(qtbot, context)
    qtbot.keyClicks(page.form.code, RETURNING)
    qtbot.waitUntil(lambda: page.form.repeat.isEnabled())
    assert page.form.status.text() == "returning, last seen 3 days ago"
    qtbot.keyClick(page.form.code, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert _row(page, "SYRINGE").value() == 20
    assert _row(page, "KIT-INJECT").value() == 1
    assert _row(page, "SWAB").value() == 0  # kit contents are not counted twice
    assert page.form.referral_boxes["OAT"].isChecked()
    qtbot.keyClick(page.form.code, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with app_store.unit_of_work() as uow:
        last = participants.last_visit(uow, RETURNING)
    assert dict(last.items)["SYRINGE"] == 30 and dict(last.kits) == {"KIT-INJECT": 1}


def test_note_warns_but_still_saves(qtbot, context, app_store):
    page = _page(qtbot, context)
    qtbot.keyClicks(page.form.note, "Asked about OAT")
    assert not page.form.note_warning.isVisible()
    page.form.note.clear()
    qtbot.keyClicks(page.form.note, "John Smith 416-555-0199")
    assert page.form.note_warning.isVisible()
    assert "phone number" in page.form.note_warning.text()
    qtbot.mouseClick(page.form.save, Qt.MouseButton.LeftButton)
    assert "Saved anonymous contact" in page.form.message.text()


def test_empty_form_is_not_saved(qtbot, context, app_store):
    page = _page(qtbot, context)
    qtbot.mouseClick(page.form.save, Qt.MouseButton.LeftButton)
    assert "Nothing to save" in page.form.message.text()
    with app_store.unit_of_work() as uow:
        assert encounter_list.count_encounters(uow, encounter_list.EncounterFilter()) == 1
