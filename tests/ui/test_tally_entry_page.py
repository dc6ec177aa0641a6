"""Paper tally entry: typed through with the keyboard, saved as a tally record that moves stock;
a shortfall asks one confirmation (no PIN) and saves; the page is reachable from the window."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from outreach_app.domain.clock import date_at_noon
from outreach_app.services import encounter_list
from tests.conftest import FIRST_SITE
from tests.ui.conftest import signed_in_window
from tests.ui.pages_support import on_hand

from outreach_app.ui.pages.tally_entry import TallyEntryPage


def _records(store):
    flt = encounter_list.EncounterFilter(include_voided=False)
    with store.unit_of_work() as uow:
        return [r for r in encounter_list.list_encounters(uow, flt).rows if r.is_tally]


def _page(qtbot, context) -> TallyEntryPage:
    page = TallyEntryPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def test_typed_through_with_the_keyboard_and_saved(qtbot, context, app_store):
    page = _page(qtbot, context)
    syringes_before = on_hand(app_store, FIRST_SITE, "SYRINGE")
    day = date.today() - timedelta(days=2)
    page.date_edit.setDate(QDate(day.year, day.month, day.day))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.contacts)  # focus starts there
    qtbot.keyClicks(page.contacts, "12")
    qtbot.keyClick(page.contacts, Qt.Key.Key_Return)  # Enter moves down to the first item
    codes = list(page.spins)
    assert codes[0] == "SYRINGE" and "KIT-INJECT" in codes  # items in order, then kits
    assert QApplication.focusWidget() is page.spins["SYRINGE"]
    qtbot.keyClicks(page.spins["SYRINGE"], "40")
    qtbot.keyClick(page.spins["SYRINGE"], Qt.Key.Key_Tab)  # Tab moves down too
    assert QApplication.focusWidget() is page.spins[codes[1]]
    kit = page.spins["KIT-INJECT"]
    kit.setFocus()
    qtbot.keyClicks(kit, "1")
    qtbot.keyClick(kit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saves

    records = _records(app_store)
    assert len(records) == 1
    record = records[0]
    assert record.contacts == 12 and record.site == FIRST_SITE
    assert record.occurred_at == date_at_noon(day, context.worker.store.zone)
    assert "SYRINGE 50" in record.supplies  # 40 typed + 10 in the kit
    assert on_hand(app_store, FIRST_SITE, "SYRINGE") == syringes_before - 50
    assert f"Saved a tally record for {day.isoformat()} at {FIRST_SITE}: 12 contacts" in (
        page.message.text()
    )
    assert page.contacts.value() == 0 and not any(s.value() for s in page.spins.values())
    assert QApplication.focusWidget() is page.contacts  # ready for the next sheet


def test_a_shortfall_asks_once_then_saves(qtbot, context, ui_store, refusals, confirm):
    page = _page(qtbot, context)  # a fresh folder: nothing on hand
    page.contacts.setValue(3)
    page.spins["SYRINGE"].setValue(5)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert confirm.asked == ["SYRINGE at Drop-in: 5 wanted, 0 on hand (short by 5)"]
    assert refusals.told == []
    records = _records(ui_store)
    assert [(r.contacts, r.supplies) for r in records] == [(3, "SYRINGE 5")]
    assert on_hand(ui_store, FIRST_SITE, "SYRINGE") == -5
    assert "Recorded below zero: SYRINGE at Drop-in" in page.message.text()


def test_going_back_saves_nothing_and_keeps_the_form(qtbot, context, ui_store, confirm):
    confirm.allow = False
    page = _page(qtbot, context)
    page.contacts.setValue(3)
    page.spins["SYRINGE"].setValue(5)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert len(confirm.asked) == 1
    assert _records(ui_store) == []
    assert page.spins["SYRINGE"].value() == 5 and page.message.isVisible()


def test_an_empty_sheet_is_not_saved(qtbot, context, ui_store, refusals):
    page = _page(qtbot, context)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Nothing to save" in page.message.text()
    assert _records(ui_store) == [] and refusals.told == []


def test_the_window_opens_it_with_ctrl_7_and_from_reports(qtbot, app_store, plain_folder, tmp_path):
    window = signed_in_window(qtbot, app_store, plain_folder, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier
    )
    assert isinstance(window.pages.currentWidget(), TallyEntryPage)
    window.show_page(5)
    reports = window.pages.currentWidget()
    reports.kind_combo.setCurrentIndex(reports.kind_combo.findData("tally_sheet"))
    qtbot.mouseClick(reports.key_in_button, Qt.MouseButton.LeftButton)
    assert isinstance(window.pages.currentWidget(), TallyEntryPage)
