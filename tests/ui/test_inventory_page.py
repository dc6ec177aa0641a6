"""The Inventory page and its dialogs, driven through the widgets, checked through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shiboken6 import isValid

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from outreach_app.services import catalog, encounter_list, inventory
from tests.ui.conftest import WORKER, add_worker, person
from tests.ui.pages_support import log, on_hand, receive

from outreach_app.ui import theme
from outreach_app.ui.dialogs.ledger_dialog import LedgerDialog
from outreach_app.ui.dialogs.shift_bag_dialog import ShiftBagDialog
from outreach_app.ui.dialogs.stock_dialogs import (
    AdjustDialog,
    AdjustRequest,
    ReceiveDialog,
    TransferDialog,
    TransferRequest,
)
from outreach_app.ui.dialogs.stocktake_dialog import StocktakeDialog
from outreach_app.ui.models import ledger_table as lt
from outreach_app.ui.models import quantity_table as qt
from outreach_app.ui.models import stock_table as sm
from outreach_app.ui.models import stocktake_table as st
from outreach_app.ui.pages.inventory import InventoryPage

LEFT = Qt.MouseButton.LeftButton


def _show(widget: Any, qtbot: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _page(context: Any, qtbot: Any) -> InventoryPage:
    return _show(InventoryPage(context), qtbot)


def _add_van(store: Any, name: str = "Van 1") -> None:
    with store.unit_of_work() as uow:
        catalog.add_site(uow, name, "van")


def _flag_of(page: InventoryPage, code: str, lot: str | None = None) -> str:
    for r in range(page.model.rowCount()):
        row = page.model.row_at(r)
        if row.row.item_code == code and row.row.lot == lot:
            return row.flag
    raise AssertionError(f"{code} {lot} not shown")


def test_in_high_contrast_the_rows_needing_attention_are_dark(context: Any, qtbot: Any):
    """White text on a light pink cell was unreadable: in high contrast the cells that need
    attention turn dark, at once, on a page already shown."""
    page = _page(context, qtbot)
    assert _flag_of(page, "COOKER") == "reorder"  # 0 on hand, level 200
    rows = range(page.model.rowCount())
    cooker = next(r for r in rows if page.model.row_at(r).row.item_code == "COOKER")
    cell = page.model.index(cooker, sm.COL_ON_HAND)
    assert cell.data(Qt.ItemDataRole.BackgroundRole).lightness() > 200  # the ordinary pink
    theme.apply_theme(QApplication.instance(), True)
    assert cell.data(Qt.ItemDataRole.BackgroundRole).lightness() < 40


def test_on_hand_flags_expired_expiring_and_reorder(
    ui_store, context, refusals, qtbot, qtmodeltester
):
    today = date.today()
    receive(ui_store, "NALOXONE-NASAL", 5, lot="ZZ-OLD", expires=today - timedelta(days=3))
    receive(ui_store, "NALOXONE-NASAL", 30, lot="ZZ-SOON", expires=today + timedelta(days=30))
    receive(ui_store, "NALOXONE-NASAL", 30, lot="ZZ-LATER", expires=today + timedelta(days=400))
    receive(ui_store, "SYRINGE", 2000)
    page = _page(context, qtbot)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    assert _flag_of(page, "NALOXONE-NASAL", "ZZ-OLD") == "expired"
    assert _flag_of(page, "NALOXONE-NASAL", "ZZ-SOON") == "expiring"
    assert _flag_of(page, "NALOXONE-NASAL", "ZZ-LATER") == ""
    assert _flag_of(page, "SYRINGE") == ""
    assert _flag_of(page, "COOKER") == "reorder"  # 0 on hand, level 200
    expired_row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).row.lot == "ZZ-OLD"
    )
    colour = page.model.index(expired_row, sm.COL_ON_HAND).data(Qt.ItemDataRole.ForegroundRole)
    assert colour == theme.cell_colour("expired")
    assert "1 expired lot" in page.summary.text()

    qtbot.keyClicks(page.search_edit, "naloxone-nasal")
    assert page.proxy.rowCount() == 3
    page.search_edit.clear()
    qtbot.mouseClick(page.flagged_check, LEFT)
    flags = {page.proxy.index(r, sm.COL_FLAGS).data() for r in range(page.proxy.rowCount())}
    assert "" not in flags and page.proxy.rowCount() < page.model.rowCount()


def test_receive_dialog_through_its_widgets(ui_store, context, qtbot, monkeypatch):
    page = _page(context, qtbot)
    dialog = _show(ReceiveDialog(page.choices), qtbot)
    dialog.item_combo.setCurrentIndex(dialog.item_combo.findData("NALOXONE-NASAL"))
    assert dialog.lot_edit.isEnabled()
    dialog.qty_spin.selectAll()  # as tabbing into it does
    qtbot.keyClicks(dialog.qty_spin, "24")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "lot number" in dialog.error.text()  # refused without the lot
    qtbot.keyClicks(dialog.lot_edit, "ZZ-LOT-1")
    qtbot.keyClicks(dialog.source_edit, "synthetic shipment")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    request = dialog.request()
    assert (request.item_code, request.qty, request.lot) == ("NALOXONE-NASAL", 24, "ZZ-LOT-1")

    monkeypatch.setattr(ReceiveDialog, "ask", classmethod(lambda cls, parent, choices: request))
    qtbot.mouseClick(page.receive_button, LEFT)
    assert on_hand(ui_store, "Drop-in", "NALOXONE-NASAL") == 24
    assert "Received 24 NALOXONE-NASAL" in page.message.text()
    assert _flag_of(page, "NALOXONE-NASAL", "ZZ-LOT-1") == ""  # the page refreshed


def test_transfer_with_a_shortfall_asks_the_coordinator_to_confirm(
    ui_store, context, confirm, refusals, qtbot, monkeypatch
):
    _add_van(ui_store)
    receive(ui_store, "SYRINGE", 100)
    page = _page(context, qtbot)
    dialog = _show(TransferDialog(page.choices), qtbot)
    dialog.to_combo.setCurrentText("Drop-in")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), LEFT)
    assert "two different sites" in dialog.error.text()

    request = TransferRequest("Drop-in", "Van 1", "SYRINGE", 40, None, "")
    monkeypatch.setattr(TransferDialog, "ask", classmethod(lambda cls, parent, c: request))
    qtbot.mouseClick(page.transfer_button, LEFT)
    assert on_hand(ui_store, "Drop-in", "SYRINGE") == 60
    assert on_hand(ui_store, "Van 1", "SYRINGE") == 40
    assert confirm.asked == [] and refusals.told == []

    too_many = TransferRequest("Drop-in", "Van 1", "SYRINGE", 100, None, "")
    monkeypatch.setattr(TransferDialog, "ask", classmethod(lambda cls, parent, c: too_many))
    confirm.allow = False
    qtbot.mouseClick(page.transfer_button, LEFT)
    assert len(confirm.asked) == 1  # the coordinator signed in confirms; no second PIN
    assert "Not enough on hand" in page.message.text()
    assert on_hand(ui_store, "Drop-in", "SYRINGE") == 60
    confirm.allow = True
    qtbot.mouseClick(page.transfer_button, LEFT)
    assert on_hand(ui_store, "Drop-in", "SYRINGE") == -40


def test_adjust_with_reason_by_a_coordinator_and_not_a_worker(
    ui_store, context, qtbot, monkeypatch
):
    receive(ui_store, "CONDOM", 50)
    page = _page(context, qtbot)
    dialog = _show(AdjustDialog(page.choices), qtbot)
    dialog.item_combo.setCurrentIndex(dialog.item_combo.findData("CONDOM"))
    dialog.qty_spin.selectAll()
    qtbot.keyClicks(dialog.qty_spin, "-5")
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("DAMAGED"))
    request = dialog.request()
    assert request == AdjustRequest("Drop-in", "CONDOM", None, -5, "DAMAGED", "")

    monkeypatch.setattr(AdjustDialog, "ask", classmethod(lambda cls, parent, c: request))
    add_worker(ui_store)
    context.set_person(person(ui_store, WORKER))
    assert not page.adjust_button.isEnabled() and not page.transfer_button.isEnabled()
    page._on_adjust()  # reached anyway: the services refuse, naming the role
    assert "worker" in page.message.text() and on_hand(ui_store, "Drop-in", "CONDOM") == 50
    context.set_person(person(ui_store))
    assert page.adjust_button.isEnabled()
    qtbot.mouseClick(page.adjust_button, LEFT)
    assert on_hand(ui_store, "Drop-in", "CONDOM") == 45
    with ui_store.unit_of_work() as uow:
        last = inventory.ledger(uow, "Drop-in", "CONDOM")[-1]
    assert (last.kind, last.reason, last.quantity) == ("adjust", "DAMAGED", -5)


def _line_row(model: st.StocktakeTableModel, code: str) -> int:
    return next(r for r in range(model.rowCount()) if model.row_at(r).item_code == code)


def _type_into_cell(qtbot: Any, view: Any, index: Any, text: str) -> None:
    editor = _open_editor(view, index, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _closed(editor))  # the delegate commits on a queued call


def _closed(editor: Any) -> bool:
    return not isValid(editor) or not editor.isVisible()


def _open_editor(view: Any, index: Any, kind: type) -> Any:
    view.setCurrentIndex(index)
    assert view.edit(index, view.EditTrigger.EditKeyPressed, None)
    (editor,) = [w for w in view.viewport().findChildren(kind) if w.isVisible()]
    return editor


def test_stocktake_counts_at_the_moment_the_sheet_opened(
    ui_store, context, refusals, qtbot, qtmodeltester
):
    receive(ui_store, "SYRINGE", 500)
    receive(ui_store, "SWAB", 100)
    page = _page(context, qtbot)
    qtbot.mouseClick(page.stocktake_button, LEFT)
    sheet = page.open_dialog
    assert isinstance(sheet, StocktakeDialog)
    qtbot.addWidget(sheet)
    qtbot.waitExposed(sheet)
    sheet.activateWindow()
    qtmodeltester.check(sheet.model)
    syringe = _line_row(sheet.model, "SYRINGE")
    swab = _line_row(sheet.model, "SWAB")
    assert sheet.model.index(syringe, st.COL_EXPECTED).data() == "500"

    # Someone at the counter hands out 10 syringes while the shelf is being counted.
    log(ui_store, minutes_ago=0, participant_code="ZZ-TEST-01", items={"SYRINGE": 10})

    _type_into_cell(qtbot, sheet.table, sheet.model.index(syringe, st.COL_COUNTED), "500")
    _type_into_cell(qtbot, sheet.table, sheet.model.index(swab, st.COL_COUNTED), "96")
    assert sheet.model.index(swab, st.COL_VARIANCE).data() == "-4"
    assert "1 difference needs a reason" in sheet.summary.text()
    qtbot.mouseClick(sheet.commit_button, LEFT)
    assert "reason" in sheet.message.text()

    combo = _open_editor(sheet.table, sheet.model.index(swab, st.COL_REASON), QComboBox)
    combo.setCurrentIndex(combo.findData("LOST"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _closed(combo))
    assert sheet.model.row_at(swab).reason == "LOST"
    assert "need a reason" not in sheet.summary.text()

    qtbot.mouseClick(sheet.commit_button, LEFT)
    assert refusals.told == []  # counts need no coordinator (contracts §10)
    assert not sheet.isVisible()
    assert on_hand(ui_store, "Drop-in", "SYRINGE") == 490  # the 10 given later still count
    assert on_hand(ui_store, "Drop-in", "SWAB") == 96
    assert "Stocktake of Drop-in committed" in page.message.text()


def test_committing_a_stocktake_on_the_real_worker_stays_responsive(
    ui_store, threaded_context, qtbot
):
    receive(ui_store, "SWAB", 100)
    sheet = _show(StocktakeDialog(threaded_context, "Drop-in"), qtbot)
    qtbot.waitUntil(lambda: sheet.model.rowCount() > 0, timeout=10000)
    swab = _line_row(sheet.model, "SWAB")
    sheet.model.setData(sheet.model.index(swab, st.COL_COUNTED), "90")
    sheet.model.setData(sheet.model.index(swab, st.COL_REASON), "LOST")
    events: list[str] = []
    sheet.committed.connect(lambda _id: events.append("committed"))
    qtbot.mouseClick(sheet.commit_button, LEFT)
    QTimer.singleShot(0, lambda: events.append("timer"))
    assert sheet.busy.isVisibleTo(sheet)
    qtbot.waitUntil(lambda: "committed" in events, timeout=10000)
    assert events[0] == "timer"
    qtbot.waitUntil(lambda: not threaded_context.worker.is_busy)
    assert on_hand(ui_store, "Drop-in", "SWAB") == 90


def test_shift_bag_out_and_in_records_the_rest_as_a_tally_record(
    ui_store, context, refusals, qtbot, qtmodeltester
):
    _add_van(ui_store)
    receive(ui_store, "SYRINGE", 200)
    receive(ui_store, "SWAB", 200)
    page = _page(context, qtbot)
    qtbot.mouseClick(page.bag_out_button, LEFT)
    out = page.open_dialog
    assert isinstance(out, ShiftBagDialog)
    qtbot.addWidget(out)
    qtbot.waitExposed(out)
    out.activateWindow()
    qtmodeltester.check(out.model)
    assert out.bag_combo.currentText() == "Van 1"
    model = out.model
    syringe = next(r for r in range(model.rowCount()) if model.row_at(r).item_code == "SYRINGE")
    swab = next(r for r in range(model.rowCount()) if model.row_at(r).item_code == "SWAB")
    assert model.index(syringe, qt.COL_AVAILABLE).data() == "200"
    _type_into_cell(qtbot, out.table, model.index(syringe, qt.COL_QTY), "100")
    _type_into_cell(qtbot, out.table, model.index(swab, qt.COL_QTY), "50")
    qtbot.mouseClick(out.save_button, LEFT)
    assert on_hand(ui_store, "Van 1", "SYRINGE") == 100
    assert on_hand(ui_store, "Drop-in", "SWAB") == 150

    # During the shift 20 syringes are logged from the van.
    log(ui_store, site="Van 1", participant_code="ZZ-TEST-02", items={"SYRINGE": 20})

    qtbot.mouseClick(page.bag_in_button, LEFT)
    back = page.open_dialog
    qtbot.addWidget(back)
    qtbot.waitExposed(back)
    back.activateWindow()
    model = back.model
    assert {model.row_at(r).item_code for r in range(model.rowCount())} == {"SYRINGE", "SWAB"}
    syringe = next(r for r in range(model.rowCount()) if model.row_at(r).item_code == "SYRINGE")
    assert model.index(syringe, qt.COL_AVAILABLE).data() == "80"
    _type_into_cell(qtbot, back.table, model.index(syringe, qt.COL_QTY), "30")
    back.contacts_spin.selectAll()
    qtbot.keyClicks(back.contacts_spin, "7")
    qtbot.mouseClick(back.save_button, LEFT)
    assert on_hand(ui_store, "Van 1", "SYRINGE") == 0
    assert on_hand(ui_store, "Drop-in", "SYRINGE") == 130
    assert "50 SYRINGE, 50 SWAB recorded as the shift's tally record" in page.message.text()
    with ui_store.unit_of_work() as uow:
        page_rows = encounter_list.list_encounters(
            uow, encounter_list.EncounterFilter(site="Van 1")
        ).rows
    tally = [r for r in page_rows if r.is_tally]
    assert len(tally) == 1 and tally[0].contacts == 7
    assert "SYRINGE 50" in tally[0].supplies


def test_ledger_shows_every_movement_with_running_balance(
    ui_store, context, refusals, qtbot, qtmodeltester
):
    receive(ui_store, "CONDOM", 100)
    log(ui_store, minutes_ago=0, participant_code="ZZ-TEST-03", items={"CONDOM": 12})
    page = _page(context, qtbot)
    condom = next(
        r
        for r in range(page.proxy.rowCount())
        if page.proxy.index(r, sm.COL_CODE).data() == "CONDOM"
    )
    page.table.scrollTo(page.proxy.index(condom, sm.COL_NAME))
    rect = page.table.visualRect(page.proxy.index(condom, sm.COL_NAME))
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), LEFT, pos=rect.center())
    ledger = page.open_dialog
    assert isinstance(ledger, LedgerDialog)
    qtbot.addWidget(ledger)
    qtmodeltester.check(ledger.model)
    shown = [
        [ledger.model.index(r, c).data() for c in (lt.COL_KIND, lt.COL_QTY, lt.COL_BALANCE)]
        for r in range(ledger.model.rowCount())
    ]
    assert shown == [["Received", "+100", "100"], ["Given out", "-12", "88"]]
    assert "balance now 88" in ledger.summary.text()
    ledger.item_combo.setCurrentIndex(ledger.item_combo.findData("WATER"))
    assert ledger.model.rowCount() == 0
    assert "No movements" in ledger.summary.text()
    assert not page.model.canFetchMore(QModelIndex())
