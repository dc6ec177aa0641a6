"""File › Import spreadsheet…: check first, show every bad cell, then import with a progress bar.

1. The check pass (`importer.check_csv`, a read unit: nothing written) runs on the database
   worker. A refused file shows every bad cell by spreadsheet row and column in a table, to fix
   in the spreadsheet in one pass; "Check again" reads the saved file again.
2. A file that passes says what it would add, any shortfall (contracts §4: refused unless a
   coordinator chooses "Import anyway") and the rows whose notes look identifying.
3. The import runs on the worker as one unit of work with a progress bar and Cancel: a cancel
   (or closing the dialog) rolls it back, so nothing is written.
4. A summary: encounters and lines added, what went below zero, rows to check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import BadCells, Cancelled, OutreachError
from outreach_app.domain.roles import Action
from outreach_app.domain.values import ImportCheck, ImportResult
from outreach_app.i18n import _, _l, format_number, ngettext

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.import_jobs import ImportRun
from outreach_app.ui.models import import_problems as ip
from outreach_app.ui.models.import_problems import CellProblemsModel
from outreach_app.ui.widgets.common import MessageLine, compact_table, submit_write

COORDINATOR_MUST = _l(
    "<b>Only a coordinator can import this file anyway:</b> ask one to sign in (Switch person) "
    "and import it."
)
STAGE_TEXT = {"checking": _l("Checking every cell…"), "writing": _l("Writing the rows…")}


def identifying_text(rows: tuple[int, ...], limit: int = 20) -> str:
    shown = ", ".join(str(n) for n in rows[:limit])
    if len(rows) > limit:
        shown = _("{rows} and {n} more", rows=shown, n=len(rows) - limit)
    if len(rows) == 1:
        return _(
            "Check the note of row {rows}: it looks identifying (a name, a phone number).",
            rows=shown,
        )
    return _(
        "Check the notes of rows {rows}: they look identifying (a name, a phone number).",
        rows=shown,
    )


class ImportDialog(QDialog):
    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.path = path
        self.checked: ImportCheck | None = None
        self.result: ImportResult | None = None
        self._run: ImportRun | None = None
        self.delete_when_done = False  # opened from the menu: deleted once closed and idle
        self.setWindowTitle(_("Import spreadsheet — {name}", name=path.name))
        self.resize(760, 480)
        self._build()

    @classmethod
    def choose_file(cls, parent: QWidget | None) -> Path | None:
        """The system's file dialog; tests replace this."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, _("Import spreadsheet"), str(Path.home()), _("Spreadsheet export (*.csv)")
        )
        return Path(name) if name else None

    def _build(self) -> None:
        self.file_label = QLabel(f"<b>{self.path.name}</b> — {self.path.parent}")
        self.file_label.setWordWrap(True)
        self.move_stock = QCheckBox(_("&Move stock (untick to add history for reports only)"))
        self.move_stock.setChecked(True)
        self.move_stock.toggled.connect(lambda _on: self.start_check())
        self.message = MessageLine()
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = CellProblemsModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Cells to fix"))
        self.table.setModel(self.problems)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for column in (ip.COL_ROW, ip.COL_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ip.COL_PROBLEM, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        compact_table(self.table)
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setFormat(_("%v of %m rows"))
        self.check_again = QPushButton(_("Check &again"))
        self.import_button = QPushButton(_("&Import"))
        self.cancel_button = QPushButton(_("&Cancel"))
        self.close_button = QPushButton(_("Close"))
        self.check_again.clicked.connect(self.start_check)
        self.import_button.clicked.connect(self._on_import)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_again)
        buttons.addStretch(1)
        for button in (self.import_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = self._layout = QVBoxLayout(self)
        for widget in (self.file_label, self.move_stock, self.message, self.details):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the table's room while the table is hidden
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self._show(table=False, bar=False)

    def _show(self, *, table: bool, bar: bool, importable: bool = False) -> None:
        running = self.running
        self.details.setVisible(bool(self.details.text()))
        self.table.setVisible(table)
        self._layout.setStretch(self._layout.indexOf(self.table) + 1, 0 if table else 1)
        self.stage.setVisible(bar)
        self.bar.setVisible(bar)
        self.import_button.setVisible(importable and not running)
        self.cancel_button.setVisible(running)
        self.check_again.setEnabled(not running)
        self.move_stock.setEnabled(not running)
        self.close_button.setEnabled(not running)

    @property
    def running(self) -> bool:
        return self._run is not None

    # Check -------------------------------------------------------------------------------

    def start_check(self) -> None:
        if self.running:
            return
        self.checked = self.result = None
        self.problems.set_rows([])
        self.details.clear()
        self.message.show_info(_("Checking every cell; nothing is written yet…"))
        run = self._start_run()
        move = self.move_stock.isChecked()
        self._context.worker.submit(
            lambda store: run.check(store, self.path, move), self._on_checked, self._on_failed
        )

    def _on_checked(self, checked: ImportCheck) -> None:
        self._end_run()
        self.checked = checked
        found = _(
            "Ready to import {encounters} encounters and {lines} lines from {name}.",
            encounters=format_number(checked.encounters),
            lines=format_number(checked.lines),
            name=checked.filename,
        )
        notes = []
        if not checked.stock_moved:
            notes.append(_("Stock will not move: the rows count in reports only."))
        if checked.shortfalls:
            shorts = "".join(f"<li>{s.describe()}</li>" for s in checked.shortfalls)
            notes.append(
                _("<b>Not enough on hand for the whole file:</b>")
                + f"<ul>{shorts}</ul>"
                + _(
                    "A coordinator can import anyway: the stock goes below zero and the items "
                    "show “count needed” until counted."
                )
                + ("" if self._context.may(Action.IMPORT_ANYWAY) else f"<br>{COORDINATOR_MUST}")
            )
        if checked.identifying_rows:
            notes.append(identifying_text(checked.identifying_rows))
        self.message.show_info(found)
        self.details.setText("<br>".join(notes))
        self.import_button.setText(_("Import &anyway…") if checked.shortfalls else _("&Import"))
        allowed = not checked.shortfalls or self._context.may(Action.IMPORT_ANYWAY)
        self.import_button.setEnabled(allowed)  # the services refuse a worker's anyway
        self._show(table=False, bar=False, importable=True)
        self.import_button.setFocus()

    # Import ------------------------------------------------------------------------------

    def _on_import(self) -> None:
        checked = self.checked
        if checked is None or self.running:
            return
        allow = bool(checked.shortfalls)
        what = _("import despite a shortfall")
        if allow and not self._context.require_coordinator(self, what):
            return
        run = self._start_run()
        self.bar.setRange(0, max(checked.encounters, 1))
        self.bar.setValue(0)
        move = checked.stock_moved
        self.message.show_info(_("Importing {name}…", name=checked.filename))
        submit_write(
            self._context,
            lambda store: run.run(store, self.path, move, allow),
            self._on_imported,
            self._on_failed,
        )

    def _on_imported(self, result: ImportResult) -> None:
        self._end_run()
        self.result = result
        self.checked = None
        self.bar.setValue(self.bar.maximum())
        self.stage.setText(_("Done."))
        self.message.show_info(
            _(
                "Imported {encounters} encounters and {lines} lines from {name}.",
                encounters=format_number(result.encounters),
                lines=format_number(result.lines),
                name=self.path.name,
            )
        )
        notes = [
            _("Recorded below zero: {shortfall}.", shortfall=s.describe())
            for s in result.negative_recorded
        ]
        if not result.stock_moved:
            notes.append(_("Stock was not moved: the rows count in reports only."))
        if result.identifying_rows:
            notes.append(
                identifying_text(result.identifying_rows)
                + " "
                + _("Void and log it again without the name or number.")
            )
        self.details.setText("<br>".join(notes))
        self._show(table=False, bar=True)
        self.check_again.setEnabled(False)
        self._context.data_changed.emit()

    # Progress, cancel, refusals ----------------------------------------------------------

    def _start_run(self) -> ImportRun:
        run = ImportRun()  # no parent: the job holds it until it ends, whatever the dialog does
        run.progressed.connect(self._on_progress)
        self._run = run
        self._show(table=False, bar=True)
        self.stage.setText(str(STAGE_TEXT["checking"]))
        self.bar.setRange(0, 0)
        return run

    def _end_run(self) -> None:
        self._run = None
        if self.delete_when_done and not self.isVisible():  # closed while it ran
            self.deleteLater()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.stage.setText(str(STAGE_TEXT.get(stage, stage)))
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_cancel(self) -> None:
        if self._run is not None:
            self._run.cancel()
            self.cancel_button.setEnabled(False)
            self.stage.setText(_("Cancelling; nothing will be written…"))

    def _on_failed(self, error: OutreachError) -> None:
        self._end_run()
        self.cancel_button.setEnabled(True)
        self.checked = None
        self.details.clear()
        if isinstance(error, Cancelled):
            self.message.show_info(error.message)
            self._show(table=False, bar=False)
            return
        if isinstance(error, BadCells):
            self.problems.set_rows(error.cells)
            count = len(error.cells)
            self.message.show_error(
                ngettext(
                    "{name} was not imported; nothing was written. Fix this cell in the "
                    "spreadsheet, save it, then Check again.",
                    "{name} was not imported; nothing was written. Fix these {n} cells in the "
                    "spreadsheet, save it, then Check again.",
                    count,
                    name=self.path.name,
                )
            )
            self._show(table=True, bar=False)
            return
        self.message.show_error(error.message)
        self._show(table=False, bar=False)

    def closeEvent(self, event: Any) -> None:
        if self._run is not None:  # closing while it runs: cancelled, nothing written
            self._run.cancel()
        elif self.delete_when_done:
            self.deleteLater()
        super().closeEvent(event)


def open_import(context: AppContext, parent: QWidget | None) -> ImportDialog | None:
    """Asks for the file, then shows the dialog already checking it."""
    path = ImportDialog.choose_file(parent)
    if path is None:
        return None
    dialog = ImportDialog(context, path, parent)
    dialog.delete_when_done = True
    dialog.show()
    dialog.start_check()
    return dialog
