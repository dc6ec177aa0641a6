"""The staff list (Staff…, coordinators): name, role, active, whether a PIN is set here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from outreach_app.domain.roles import role_label
from outreach_app.i18n import N_, _

from outreach_app.ui.models.rows import RowsTableModel
from outreach_app.ui.theme import cell_colour

COL_NAME = 0
COL_ROLE = 1
COL_STATE = 2
COL_PIN = 3


class StaffTableModel(RowsTableModel):
    HEADERS = (N_("Name"), N_("Role"), N_("State"), N_("PIN on this device"))

    def display(self, row: Any, column: int) -> str:
        if column == COL_NAME:
            return str(row.name)
        if column == COL_ROLE:
            return role_label(str(row.role))
        if column == COL_STATE:
            return _("active") if row.active else _("deactivated")
        if column == COL_PIN:
            return _("set") if row.has_pin else _("not set")
        return ""

    def extra(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return cell_colour("muted")
        return None
