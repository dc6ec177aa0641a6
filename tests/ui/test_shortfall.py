"""Shortfall without a barrier (contracts §1): the tally counter and a shift bag's check-out ask
one confirmation (no PIN) and save below zero; Inventory shows "count needed" while a site's
total for an item is below zero; the real confirmation says what falls short and saves by
default. (The log form and paper tally entry have theirs in their own test modules.)"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from outreach_app.domain.values import Shortfall
from outreach_app.services import catalog, encounter_list
from tests.ui.pages_support import log, on_hand, receive

from outreach_app.ui.dialogs.shift_bag_dialog import CHECK_OUT, ShiftBagDialog
from outreach_app.ui.models import quantity_table as qt
from outreach_app.ui.models import stock_table as sm
from outreach_app.ui.pages.inventory import InventoryPage
from outreach_app.ui.pages.tally_counter import TallyCounterPage
from outreach_app.ui.widgets.shortfall import SAVE_ANYWAY, ShortfallConfirm

REAL_ASK = ShortfallConfirm.ask  # taken before the autouse stand-in replaces it
LEFT = Qt.MouseButton.LeftButton


def _show(widget: Any, qtbot: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _tallies(store: Any) -> list[Any]:
    flt = encounter_list.EncounterFilter(include_voided=False)
    with store.reading() as uow:
        return [r for r in encounter_list.list_encounters(uow, flt).rows if r.is_tally]


def test_tally_counter_asks_once_per_item_and_saves_every_click(
    qtbot, context, ui_store, gate, confirm
):
    page = _show(TallyCounterPage(context), qtbot)  # a fresh folder: nothing on hand
    for _ in range(3):
        qtbot.mouseClick(page.tiles["COOKER"], LEFT)
    assert confirm.asked == ["COOKER at Drop-in: 1 wanted, 0 on hand (short by 1)"]
    assert gate.asked == []
    assert page.counts["COOKER"] == 3 and len(_tallies(ui_store)) == 3
    assert on_hand(ui_store, "Drop-in", "COOKER") == -3
    assert "Recorded below zero: COOKER at Drop-in (count needed)" in page.message.text()


def test_tally_counter_going_back_counts_nothing(qtbot, context, ui_store, confirm):
    confirm.allow = False
    page = _show(TallyCounterPage(context), qtbot)
    qtbot.mouseClick(page.tiles["COOKER"], LEFT)
    assert len(confirm.asked) == 1 and page.counts.get("COOKER", 0) == 0
    assert _tallies(ui_store) == [] and "Not counted" in page.message.text()


def test_bag_out_with_a_shortfall_asks_once_and_checks_out(qtbot, context, ui_store, gate, confirm):
    with ui_store.unit_of_work() as uow:
        catalog.add_site(uow, "Van 1", "van")
    receive(ui_store, "SYRINGE", 10)
    dialog = _show(ShiftBagDialog(context, CHECK_OUT, "Drop-in"), qtbot)
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).item_code == "SYRINGE")
    assert model.setData(model.index(row, qt.COL_QTY), 30, Qt.ItemDataRole.EditRole)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert confirm.asked == ["SYRINGE at Drop-in: 30 wanted, 10 on hand (short by 20)"]
    assert gate.asked == []
    assert on_hand(ui_store, "Van 1", "SYRINGE") == 30
    assert on_hand(ui_store, "Drop-in", "SYRINGE") == -20


def test_inventory_shows_count_needed_while_the_site_total_is_below_zero(
    qtbot, context, ui_store, qtmodeltester
):
    receive(ui_store, "SYRINGE", 10)
    receive(ui_store, "COOKER", 4)
    log(ui_store, items={"COOKER": 6})  # saved with the shortfall: -2
    log(ui_store, items={"SYRINGE": 3})
    page = _show(InventoryPage(context), qtbot)
    qtmodeltester.check(page.model)
    rows = {page.model.row_at(r).row.item_code: r for r in range(page.model.rowCount())}
    cooker, syringe = page.model.row_at(rows["COOKER"]), page.model.row_at(rows["SYRINGE"])
    assert cooker.count_needed and cooker.flag == sm.COUNT_NEEDED
    assert not syringe.count_needed and syringe.flag != sm.COUNT_NEEDED
    flags = page.model.index(rows["COOKER"], sm.COL_FLAGS).data()
    assert flags.startswith("Count needed")
    assert page.model.index(rows["COOKER"], sm.COL_ON_HAND).data() == "-2"
    assert "Count needed" in page.summary.text() and "COOKER at Drop-in" in page.summary.text()
    page.flagged_check.setChecked(True)  # "Needs attention only" keeps it
    shown = {page.proxy.index(r, sm.COL_CODE).data() for r in range(page.proxy.rowCount())}
    assert "COOKER" in shown


def test_a_lot_item_below_zero_is_a_row_without_a_lot_and_needs_a_count(qtbot, context, ui_store):
    receive(ui_store, "FTS", 2, lot="ZZ-FTS-1", expires=date(2031, 1, 1))
    log(ui_store, items={"FTS": 5})
    page = _show(InventoryPage(context), qtbot)
    fts = {
        page.model.row_at(r).row.lot: page.model.row_at(r)
        for r in range(page.model.rowCount())
        if page.model.row_at(r).row.item_code == "FTS"
    }
    assert fts[None].row.on_hand == -3 and "ZZ-FTS-1" not in fts  # the lot was emptied first
    assert fts[None].count_needed


def test_the_real_confirmation_names_the_shortfall_and_saves_by_default(qtbot):
    short = [Shortfall("Drop-in", "COOKER", 3, 1)]
    box = ShortfallConfirm.dialog(None, short, "this record")
    qtbot.addWidget(box)
    assert "COOKER at Drop-in: 3 wanted, 1 on hand (short by 2)" in box.informativeText()
    assert "count needed" in box.informativeText()
    assert box.defaultButton().text() == SAVE_ANYWAY

    def press_enter() -> None:
        shown = QApplication.activeModalWidget()
        assert isinstance(shown, QMessageBox)
        shown.defaultButton().click()

    QTimer.singleShot(50, press_enter)
    assert REAL_ASK(None, short) is True
