"""The Encounters page: paged model, filters, detail and void, checked through the services."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer

from outreach_app.domain.participant import code_tag
from outreach_app.services import encounter_list, encounters, staff
from tests.ui.pages_support import log

from outreach_app.ui.dialogs.void_dialog import VoidDialog
from outreach_app.ui.models import encounter_table as et
from outreach_app.ui.pages.encounters import EncountersPage


def _page(context: Any, qtbot: Any) -> EncountersPage:
    page = EncountersPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_model_pages_through_all_rows_and_passes_modeltester(ui_store, context, qtmodeltester):
    for n in range(7):
        log(ui_store, minutes_ago=n + 1, participant_code=f"ZZ-TEST-{n:02d}", items={"SYRINGE": 1})
    model = et.EncounterTableModel(context.worker)
    model.page_size = 3
    model.set_filter(encounter_list.EncounterFilter())
    assert model.rowCount() == 3
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 7
    codes = [model.index(r, et.COL_CODE).data() for r in range(7)]
    with ui_store.reading() as uow:  # lists show a short tag of each keyed code
        tags = [code_tag(uow.code_key(f"ZZTEST{n:02d}")) for n in range(7)]
    assert codes == tags  # newest first
    model.sort(et.COL_WHEN, Qt.SortOrder.AscendingOrder)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.index(0, et.COL_CODE).data() == tags[6]
    assert model.index(0, et.COL_SUPPLIES).data() == "SYRINGE 1"


def test_tally_records_are_labelled_and_can_be_filtered_out(ui_store, context, qtbot):
    log(ui_store, participant_code="ZZ-TEST-01", items={"SYRINGE": 10})
    log(ui_store, is_tally=True, contacts=4, items={"SWAB": 5})
    page = _page(context, qtbot)
    labels = {page.model.index(r, et.COL_KIND).data() for r in range(page.model.rowCount())}
    assert labels == {"Encounter", "Tally record"}
    assert page.count_label.text() == "2 of 2 records shown"
    qtbot.mouseClick(page.tally_check, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1
    assert page.model.index(0, et.COL_KIND).data() == "Encounter"


def test_filters_by_participant_code_and_item(ui_store, context, qtbot):
    log(ui_store, participant_code="ZZ-TEST-01", items={"SYRINGE": 10})
    log(ui_store, participant_code="ZZ-TEST-02", items={"CONDOM": 3})
    page = _page(context, qtbot)
    assert page.model.rowCount() == 2
    qtbot.keyClicks(page.code_edit, "zz-test-02")
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    assert page.model.rowCount() == 1
    with ui_store.reading() as uow:
        assert page.model.index(0, et.COL_CODE).data() == code_tag(uow.code_key("ZZTEST02"))
    page.code_edit.clear()
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    page.item_combo.setCurrentIndex(page.item_combo.findData("SYRINGE"))
    assert page.model.rowCount() == 1
    with ui_store.reading() as uow:
        assert page.model.index(0, et.COL_CODE).data() == code_tag(uow.code_key("ZZTEST01"))
    page.code_edit.setText("ZZ-TEST-99")
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    assert page.model.rowCount() == 0
    assert "No encounters" in page.count_label.text()


def test_detail_and_void_with_reason_without_a_coordinator_gate(
    ui_store,
    context,
    gate,
    qtbot,
    monkeypatch,
):
    saved = log(
        ui_store, participant_code="ZZ-TEST-07", items={"SYRINGE": 10}, note="synthetic note"
    )
    page = _page(context, qtbot)
    rect = page.table.visualRect(page.model.index(0, et.COL_SITE))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # The detail shows a short tag of the keyed code, never the code (contracts §10).
    assert "ZZ-TEST-07" not in page.detail.toPlainText() and "#" in page.detail.toPlainText()
    assert page.void_button.isEnabled()

    monkeypatch.setattr(VoidDialog, "ask", classmethod(lambda cls, parent, what: None))
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    assert gate.asked == []  # cancelled before the gate

    monkeypatch.setattr(VoidDialog, "ask", classmethod(lambda cls, parent, what: "entered twice"))
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    assert gate.asked == []  # voiding one's own record needs no coordinator
    with ui_store.unit_of_work() as uow:
        summary = encounters.get_encounter(uow, saved.id)
    assert summary.voided and summary.void_reason == "entered twice"
    assert page.model.rowCount() == 1  # still listed
    index = page.model.index(0, et.COL_STATUS)
    assert index.data() == "Voided: entered twice"
    assert index.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert not page.void_button.isEnabled()


def test_a_worker_voiding_someone_elses_record_is_refused_and_nothing_written(
    ui_store, context, gate, qtbot, monkeypatch
):
    saved = log(ui_store, participant_code="ZZ-TEST-08")  # by the first coordinator
    with ui_store.unit_of_work() as uow:
        staff.add_staff(uow, "ZZ Worker", "worker", "246810")
    ui_store.act_as("ZZ Worker", "246810")
    page = _page(context, qtbot)
    page.table.selectRow(0)
    monkeypatch.setattr(VoidDialog, "ask", classmethod(lambda cls, parent, what: "wrong site"))
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    with ui_store.unit_of_work() as uow:
        assert not encounters.get_encounter(uow, saved.id).voided
    assert gate.asked == []  # the services refuse it, naming the role


def test_void_dialog_needs_a_reason(qtbot):
    dialog = VoidDialog("the encounter of today")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "entered twice")
    assert dialog.ok_button.isEnabled()
    assert dialog.reason() == "entered twice"


def test_opening_the_list_on_the_real_worker_keeps_the_window_responsive(
    ui_store,
    threaded_context,
    qtbot,
):
    for n in range(30):
        log(ui_store, minutes_ago=n + 1, participant_code=f"ZZ-TEST-{n:02d}")
    events: list[str] = []
    page = EncountersPage(threaded_context)  # the first page is asked for here
    qtbot.addWidget(page)
    page.model.first_page_loaded.connect(lambda: events.append("page"))
    QTimer.singleShot(0, lambda: events.append("timer"))
    assert page.busy.isVisibleTo(page)  # the busy indicator is up while the page loads
    qtbot.waitUntil(lambda: "page" in events, timeout=10000)
    assert events[0] == "timer"
    assert page.model.rowCount() == 30
    qtbot.waitUntil(lambda: not threaded_context.worker.is_busy)
    assert not page.busy.isVisibleTo(page)
