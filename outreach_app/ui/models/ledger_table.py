"""Every movement of one item at one site, oldest first, with the running balance."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from outreach_app.domain.values import MovementInfo

from outreach_app.ui.models.rows import RowsTableModel

COL_WHEN = 0
COL_KIND = 1
COL_WHY = 2
COL_LOT = 3
COL_QTY = 4
COL_BALANCE = 5
COL_WHO = 6

KIND_LABELS = {
    "receive": "Received",
    "distribute": "Given out",
    "transfer_out": "Transferred out",
    "transfer_in": "Transferred in",
    "adjust": "Adjusted",
    "count_correction": "Stocktake correction",
}
DEFAULT_WHY = {"distribute": "encounter or tally record"}
REVERSAL_COLOUR = QColor("#6b6b6b")


class LedgerTableModel(RowsTableModel):
    HEADERS = ("When", "Movement", "Why", "Lot", "Change", "Balance", "Who")

    def __init__(self, zone: ZoneInfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone

    def display(self, row: MovementInfo, column: int) -> str:
        if column == COL_WHEN:
            moment = row.occurred_at.astimezone(self._zone) if self._zone else row.occurred_at
            return moment.strftime("%Y-%m-%d %H:%M")
        if column == COL_KIND:
            label = KIND_LABELS.get(row.kind, row.kind)
            return f"{label} (reversal)" if row.reverses else label
        if column == COL_WHY:
            why = " — ".join(part for part in (row.reason or "", row.note) if part)
            return why or DEFAULT_WHY.get(row.kind, "")
        if column == COL_LOT:
            return row.lot or ""
        if column == COL_QTY:
            return f"{row.quantity:+d}"
        if column == COL_BALANCE:
            return str(row.balance)
        if column == COL_WHO:
            return row.staff or "this device"
        return ""

    def is_number(self, column: int) -> bool:
        return column in (COL_QTY, COL_BALANCE)

    def extra(self, row: MovementInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.reverses:
            return REVERSAL_COLOUR
        return None
