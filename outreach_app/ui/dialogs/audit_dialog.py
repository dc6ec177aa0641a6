"""Audit… (Records menu, coordinators): who did what, with filters by person, action and dates,
and Save CSV with the columns of `outreach audit --csv` (contracts §10).

The entries are read on the database worker (`audit.entries`, which refuses anyone but a
coordinator); the table shows them through `models.audit_table`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.audit_actions import action_label
from outreach_app.domain.clock import FIRST_DAY, Period
from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _, ngettext
from outreach_app.reports.audit_csv import audit_csv
from outreach_app.services import audit, staff

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.save_file import SaveFileDialog, write_file
from outreach_app.ui.models import audit_table as at
from outreach_app.ui.widgets.common import MessageLine, compact_table, org_zone

ALL = ""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def load_choices(store: Any) -> tuple[list[str], list[str]]:
    with store.reading() as uow:
        people = [p.name for p in staff.list_staff(uow)]
        return people, audit.actions(uow)


class AuditDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(_("Audit log"))
        self.resize(1000, 600)
        self.model = at.AuditTableModel(org_zone(context), self)
        self.person_combo = QComboBox()
        self.action_combo = QComboBox()
        for combo, text in (
            (self.person_combo, _("Everyone")),
            (self.action_combo, _("Every action")),
        ):
            combo.addItem(text, ALL)
            combo.setMinimumContentsLength(14)
        today = date.today()
        self.from_edit = QDateEdit(_qdate(today.replace(day=1)), calendarPopup=True)
        self.to_edit = QDateEdit(_qdate(today), calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.show_button = QPushButton(_("&Show"))
        self.show_button.setDefault(True)
        self.save_button = QPushButton(_("Save &CSV…"))
        self.table = QTableView()
        self.table.setAccessibleName(_("Audit log"))
        self.table.setModel(self.model)
        compact_table(self.table)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(
            at.COL_SUMMARY, QHeaderView.ResizeMode.Stretch
        )
        for column, width in ((at.COL_AT, 150), (at.COL_DEVICE, 130), (at.COL_STAFF, 130)):
            self.table.setColumnWidth(column, width)
        self.summary = QLabel()
        self.message = MessageLine()
        filters = QHBoxLayout()
        for text, widget in (
            (_("&Person"), self.person_combo),
            (_("&Action"), self.action_combo),
            (_("&From"), self.from_edit),
            (_("&To"), self.to_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.show_button)
        filters.addStretch(1)
        filters.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.show_button.clicked.connect(self._on_show)
        self.save_button.clicked.connect(self._on_save)
        for combo in (self.person_combo, self.action_combo):
            combo.activated.connect(lambda _i: self._on_show())
        context.worker.submit(load_choices, self._on_choices, self._on_error)
        self._on_show()

    def period(self) -> Period:
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        return Period(max(start, FIRST_DAY), max(end, start))

    def _on_choices(self, choices: tuple[list[str], list[str]]) -> None:
        people, actions = choices
        for name in people:
            self.person_combo.addItem(name, name)
        for code in actions:  # shown in words, filtered by the code
            self.action_combo.addItem(str(action_label(code)), code)

    def _on_show(self) -> None:
        period = self.period()
        person = self.person_combo.currentData() or None
        action = self.action_combo.currentData() or None

        def job(store: Any) -> Any:
            with store.reading() as uow:
                return audit.entries(uow, period, staff=person, action=action)

        self.show_button.setEnabled(False)
        self._context.worker.submit(job, self._on_entries, self._on_error)

    def _on_entries(self, rows: list[Any]) -> None:
        self.show_button.setEnabled(True)
        self.message.clear_message()
        self.model.set_rows(rows)
        self.save_button.setEnabled(bool(rows))
        period = self.period()
        self.summary.setText(
            ngettext(
                "{n} entry from {start} to {end}, oldest first. The check (outreach check) "
                "verifies every entry.",
                "{n} entries from {start} to {end}, oldest first. The check (outreach check) "
                "verifies every entry.",
                len(rows),
                start=period.start,
                end=period.end,
            )
        )

    def _on_save(self) -> None:
        rows = self.model.rows
        period = self.period()
        suggested = Path.home() / f"audit-{period.start}-{period.end}.csv"
        path = SaveFileDialog.ask(self, _("Save the audit log"), suggested, _("CSV (*.csv)"))
        if path is None:
            return
        try:
            write_file(path, audit_csv(rows))
        except OSError as error:
            self.message.show_error(
                _("Could not save {path}: {reason}.", path=path, reason=error.strerror or error)
            )
            return
        self.message.show_info(
            ngettext(
                "Saved {n} entry to {path}.", "Saved {n} entries to {path}.", len(rows), path=path
            )
        )

    def _on_error(self, error: OutreachError) -> None:
        self.show_button.setEnabled(True)
        self.message.show_error(error.message)


def open_audit(context: AppContext, parent: QWidget | None = None) -> AuditDialog | None:
    if not context.require_coordinator(parent, _("view the audit log")):
        return None
    dialog = AuditDialog(context, parent)
    dialog.show()
    return dialog
