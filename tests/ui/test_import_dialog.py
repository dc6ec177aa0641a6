"""File › Import spreadsheet…: the check pass lists every bad cell by row and column, a good
file imports with the progress bar reaching the end (on the real worker), Cancel writes
nothing, and a shortfall needs a coordinator's "Import anyway"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from PySide6.QtCore import Qt

from outreach_app.storage.models import Encounter
from tests.conftest import FIRST_SITE
from tests.ui.conftest import WORKER, add_worker, close_window, person, signed_in_window
from tests.ui.pages_support import on_hand, receive

from outreach_app.ui.dialogs.import_dialog import ImportDialog
from outreach_app.ui.models import import_problems as ip

LEFT = Qt.MouseButton.LeftButton
HEADER = "occurred_at,site,participant_code,notes,SYRINGE\n"


def _sheet(tmp_path: Path, rows: str, name: str = "zz-import.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _good_rows(count: int) -> str:
    return "".join(f"2026-10-01,{FIRST_SITE},ZZ-{n:05d},,2\n" for n in range(count))


def _dialog(qtbot: Any, context: Any, path: Path) -> ImportDialog:
    dialog = ImportDialog(context, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.start_check()
    return dialog


def _encounters(store: Any) -> int:
    with store.reading() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Encounter)) or 0)


def test_the_preview_lists_every_bad_cell_and_writes_nothing(
    qtbot, context, ui_store, tmp_path, qtmodeltester
):
    path = tmp_path / "zz-broken.csv"
    path.write_text(
        "occurred_at,site,SYRINGE,colour\n"
        "2026-02-30,Drop-in,5,\n"
        "2026-10-01,Moonbase,-2,\n"
        "2026-10-01,Drop-in,2.5,\n",
        encoding="utf-8",
    )
    dialog = _dialog(qtbot, context, path)
    qtmodeltester.check(dialog.problems)
    shown = [
        tuple(dialog.problems.index(r, c).data() for c in (ip.COL_ROW, ip.COL_COLUMN))
        for r in range(dialog.problems.rowCount())
    ]
    assert shown == [
        ("1", "colour"),
        ("2", "occurred_at"),
        ("3", "SYRINGE"),
        ("3", "site"),
        ("4", "SYRINGE"),
    ]
    assert "Moonbase" in dialog.problems.index(3, ip.COL_PROBLEM).data()
    assert dialog.table.isVisible() and not dialog.import_button.isVisible()
    assert "these 5 cells" in dialog.message.text() and "nothing was written" in (
        dialog.message.text()
    )
    assert _encounters(ui_store) == 0
    path.write_text(HEADER + _good_rows(2), encoding="utf-8")  # fixed in the spreadsheet
    qtbot.mouseClick(dialog.check_again, LEFT)
    assert not dialog.table.isVisible() and dialog.import_button.isVisible()
    assert "Ready to import 2 encounters and 2 lines" in dialog.message.text()


def test_a_good_file_imports_with_the_bar_reaching_the_end(
    qtbot, threaded_context, ui_store, tmp_path
):
    receive(ui_store, "SYRINGE", 20_000)
    rows = 4500  # more than two batches: the bar moves on the way
    path = _sheet(tmp_path, _good_rows(rows - 1) + f"2026-10-02,{FIRST_SITE},,Jane Smith,1\n")
    dialog = _dialog(qtbot, threaded_context, path)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=20_000)
    assert "Check the note of row 4501: it looks identifying" in dialog.details.text()
    values: list[int] = []
    dialog.bar.valueChanged.connect(values.append)
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
    assert dialog.bar.maximum() == rows and dialog.bar.value() == rows
    assert any(0 < v < rows for v in values)  # it moved on the way, not only at the end
    assert f"Imported {rows:,} encounters and {rows:,} lines" in dialog.message.text()
    assert "looks identifying" in dialog.details.text()
    assert _encounters(ui_store) == rows
    assert on_hand(ui_store, FIRST_SITE, "SYRINGE") == 20_000 - 2 * (rows - 1) - 1
    qtbot.waitUntil(lambda: not threaded_context.worker.is_busy)


def test_cancel_writes_nothing(qtbot, context, ui_store, tmp_path):
    receive(ui_store, "SYRINGE", 20_000)
    dialog = _dialog(qtbot, context, _sheet(tmp_path, _good_rows(4500)))
    assert dialog.import_button.isVisible()

    def cancel_on_the_way(value: int) -> None:
        if dialog.stage.text().startswith("Writing") and 0 < value < 4500:
            dialog.cancel_button.click()  # the synchronous worker reports inside the job

    dialog.bar.valueChanged.connect(cancel_on_the_way)
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.result is None
    assert "cancelled; nothing was written" in dialog.message.text()
    assert _encounters(ui_store) == 0 and on_hand(ui_store, FIRST_SITE, "SYRINGE") == 20_000
    dialog.bar.valueChanged.disconnect(cancel_on_the_way)
    qtbot.mouseClick(dialog.check_again, LEFT)  # the same file still goes in afterwards
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.result is not None and _encounters(ui_store) == 4500


def test_a_shortfall_needs_a_coordinator_to_import_anyway(
    qtbot, context, ui_store, tmp_path, refusals
):
    add_worker(ui_store)
    context.set_person(person(ui_store, WORKER))
    dialog = _dialog(qtbot, context, _sheet(tmp_path, _good_rows(3)))  # nothing on hand
    assert "SYRINGE at Drop-in: 6 wanted, 0 on hand (short by 6)" in dialog.details.text()
    assert dialog.import_button.text() == "Import &anyway…"
    assert not dialog.import_button.isEnabled()
    assert "Only a coordinator can import this file anyway" in dialog.details.text()
    dialog._on_import()  # reached anyway: told a coordinator must
    assert refusals.told == ["import despite a shortfall"] and _encounters(ui_store) == 0
    context.set_person(person(ui_store))
    qtbot.mouseClick(dialog.check_again, LEFT)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert _encounters(ui_store) == 3 and on_hand(ui_store, FIRST_SITE, "SYRINGE") == -6
    assert "Recorded below zero: SYRINGE at Drop-in" in dialog.details.text()


def test_file_menu_opens_it(qtbot, ui_store, plain_folder, tmp_path, monkeypatch):
    receive(ui_store, "SYRINGE", 10)
    path = _sheet(tmp_path, _good_rows(1))
    monkeypatch.setattr(ImportDialog, "choose_file", classmethod(lambda cls, parent: path))
    window = signed_in_window(qtbot, ui_store, plain_folder, tmp_path)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "&Import spreadsheet…")
    action.trigger()
    dialog = window.tool_windows["import"]
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(lambda: dialog.result is not None)  # writes wait for the opening check
    assert _encounters(ui_store) == 1
    dialog.close()
    close_window(qtbot, window)
