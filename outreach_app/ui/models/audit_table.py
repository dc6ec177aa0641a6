"""The audit log (coordinators): one row per action, oldest first, times in the org's zone."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from outreach_app.domain.audit_actions import action_label
from outreach_app.i18n import N_, _

from outreach_app.ui.models.rows import RowsTableModel

COL_AT = 0
COL_DEVICE = 1
COL_STAFF = 2
COL_ACTION = 3
COL_SUMMARY = 4

SETUP = N_("(setup)")  # an entry written before anyone acted: the folder's init


class AuditTableModel(RowsTableModel):
    HEADERS = (N_("Time"), N_("Device"), N_("Person"), N_("Action"), N_("Summary"))

    def __init__(self, zone: ZoneInfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone

    def display(self, row: Any, column: int) -> str:
        if column == COL_AT:
            moment = row.at.astimezone(self._zone) if self._zone else row.at
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        if column == COL_DEVICE:
            return str(row.device)
        if column == COL_STAFF:
            return str(row.staff or _(SETUP))
        if column == COL_ACTION:
            return str(action_label(row.action))
        if column == COL_SUMMARY:
            return str(row.summary)
        return ""

    def sort_value(self, row: Any, column: int) -> Any:
        return row.at if column == COL_AT else self.display(row, column)
