"""The coordinators' Audit view (filters, Save CSV with the `audit --csv` columns) and Staff
dialog, on a real data folder; the audit table model checked on its own."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings, Qt

from outreach_app.cli.staff_commands import AUDIT_HEADER
from outreach_app.services import audit, staff
from tests.ui.conftest import COORDINATOR, WORKER, WORKER_PIN, add_worker, close_window, sign_in

from outreach_app.ui.dialogs.audit_dialog import AuditDialog
from outreach_app.ui.dialogs.save_file import SaveFileDialog
from outreach_app.ui.dialogs.staff_dialog import PersonDialog, StaffDialog
from outreach_app.ui.models import audit_table as at
from outreach_app.ui.models.staff_table import StaffTableModel


def _window(qtbot, store, folder, tmp_path):
    from outreach_app.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, folder, synchronous=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _records_menu(window):
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    return {a.text(): a for a in menus["&Records"].actions()}


def test_the_audit_view_lists_filters_and_saves_the_contract_csv(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch, qtmodeltester
):
    add_worker(app_store)
    window = _window(qtbot, app_store, plain_folder, tmp_path)
    sign_in(qtbot, window)
    entry = _records_menu(window)["&Audit…"]
    assert entry.isVisible() and entry.isEnabled()
    entry.trigger()
    dialog = window.tool_windows["audit"]
    assert isinstance(dialog, AuditDialog) and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    actions = [dialog.model.index(r, at.COL_ACTION).data() for r in range(dialog.model.rowCount())]
    # Shown in words (the CSV below keeps the codes of contracts §10).
    assert "Set up" in actions and "Staff member added" in actions and "Stock received" in actions
    people = {dialog.model.index(r, at.COL_STAFF).data() for r in range(dialog.model.rowCount())}
    assert COORDINATOR in people
    assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "Time"

    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("staff add"))
    dialog.show_button.click()
    summaries = [r.summary for r in dialog.model.rows]
    assert summaries == ["Coordinator (coordinator, first)", f"{WORKER} (worker)"]

    target = tmp_path / "audit.csv"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: target))
    dialog.save_button.click()
    lines = target.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0] == ",".join(AUDIT_HEADER) == "at,device,staff,action,summary,records,entry_hash"
    assert len(lines) == 2 + 2 and lines[-1] == ""
    assert all(",staff add," in line for line in lines[1:3])  # the code, whatever the language
    with app_store.reading() as uow:
        entries = audit.entries(uow, None, action="staff add")
    assert lines[2].endswith(entries[1].entry_hash) and f",{WORKER}," not in lines[2]
    assert "Saved 2 entries" in dialog.message.text()

    dialog.from_edit.setDate(date(2001, 1, 1))
    dialog.to_edit.setDate(date(2001, 1, 2))
    dialog.show_button.click()
    assert dialog.model.rowCount() == 0 and not dialog.save_button.isEnabled()
    dialog.close()
    close_window(qtbot, window)


def test_a_worker_has_no_audit_or_staff_and_the_services_refuse(
    qtbot, app_store, plain_folder, tmp_path, refusals
):
    add_worker(app_store)
    window = _window(qtbot, app_store, plain_folder, tmp_path)
    sign_in(qtbot, window, WORKER, WORKER_PIN)
    records = _records_menu(window)
    assert not records["&Audit…"].isVisible() and not records["S&taff…"].isVisible()
    records["&Audit…"].trigger()  # a disabled action does nothing
    assert "audit" not in window.tool_windows
    from outreach_app.ui.dialogs.audit_dialog import open_audit

    assert open_audit(window.context, window) is None  # reached anyway: told
    assert refusals.told == ["view the audit log"]
    errors = []

    def read_audit(store):
        with store.reading() as uow:
            return audit.entries(uow)

    window.worker.submit(read_audit, errors.append, errors.append)  # as the worker
    assert "worker" in errors[0].message
    close_window(qtbot, window)


def test_staff_dialog_adds_sets_a_pin_and_deactivates(
    qtbot, context, ui_store, monkeypatch, qtmodeltester
):
    dialog = StaffDialog(context)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert [p.name for p in dialog.model.rows] == [COORDINATOR]
    monkeypatch.setattr(
        PersonDialog, "ask", classmethod(lambda cls, parent, name=None: (WORKER, "worker", "8642"))
    )
    dialog.add_button.click()
    assert "Added ZZ Test Worker as a worker" in dialog.message.text()
    with ui_store.unit_of_work() as uow:
        assert staff.check_pin(uow, WORKER, "8642").ok
    row = next(r for r, p in enumerate(dialog.model.rows) if p.name == WORKER)
    dialog.table.selectRow(row)
    assert dialog.model.index(row, 3).data() == "set"
    monkeypatch.setattr(
        PersonDialog, "ask", classmethod(lambda cls, parent, name=None: (name, "", "97531"))
    )
    dialog.pin_button.click()
    with ui_store.unit_of_work() as uow:
        assert staff.check_pin(uow, WORKER, "97531").ok
    monkeypatch.setattr("outreach_app.ui.dialogs.staff_dialog.run_modal", lambda box: 0x4000)
    dialog.table.selectRow(row)
    dialog.deactivate_button.click()
    assert f"{WORKER} is deactivated" in dialog.message.text()
    with ui_store.reading() as uow:
        assert not next(p for p in staff.list_staff(uow) if p.name == WORKER).active
    assert StaffTableModel().columnCount() == 4


def test_the_person_dialog_checks_the_pin_typed_twice(qtbot):
    dialog = PersonDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "ZZ New")
    qtbot.keyClicks(dialog.pin, "12")
    dialog._on_ok()
    assert "4 to 12 digits" in dialog.error.text()
    qtbot.keyClicks(dialog.pin, "34")
    qtbot.keyClicks(dialog.again, "1235")
    dialog._on_ok()
    assert "differ" in dialog.error.text() and dialog.result() == 0


def test_audit_actions_read_in_the_language_of_the_app():
    from outreach_app.domain.audit_actions import action_label
    from outreach_app.i18n import current_language, set_language

    before = current_language()
    try:
        set_language("fr")
        assert str(action_label("receive")) == "Stock reçu"
        set_language("es")
        assert str(action_label("void")) == "Registro anulado"
        assert str(action_label("a-newer-action")) == "a-newer-action"  # unknown: its code
    finally:
        set_language(before)
