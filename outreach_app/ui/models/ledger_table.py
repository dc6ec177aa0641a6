"""Every movement of one item at one site, oldest first, with the running balance."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from outreach_app.domain.values import MovementInfo
from outreach_app.i18n import N_, _

from outreach_app.ui.models.rows import RowsTableModel
from outreach_app.ui.theme import cell_colour

COL_WHEN = 0
COL_KIND = 1
COL_WHY = 2
COL_LOT = 3
COL_QTY = 4
COL_BALANCE = 5
COL_WHO = 6

KIND_LABELS = {
    "receive": N_("Received"),
    "distribute": N_("Given out"),
    "transfer_out": N_("Transferred out"),
    "transfer_in": N_("Transferred in"),
    "adjust": N_("Adjusted"),
    "count_correction": N_("Stocktake correction"),
}
DEFAULT_WHY = {"distribute": N_("encounter or tally record")}


class LedgerTableModel(RowsTableModel):
    HEADERS = (
        N_("When"), N_("Movement"), N_("Why"), N_("Lot"), N_("Change"), N_("Balance"), N_("Who"),
    )  # fmt: skip

    def __init__(self, zone: ZoneInfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone

    def display(self, row: MovementInfo, column: int) -> str:
        if column == COL_WHEN:
            moment = row.occurred_at.astimezone(self._zone) if self._zone else row.occurred_at
            return moment.strftime("%Y-%m-%d %H:%M")
        if column == COL_KIND:
            label = _(KIND_LABELS[row.kind]) if row.kind in KIND_LABELS else row.kind
            return _("{label} (reversal)", label=label) if row.reverses else label
        if column == COL_WHY:
            why = " — ".join(part for part in (row.reason or "", row.note) if part)
            return why or (_(DEFAULT_WHY[row.kind]) if row.kind in DEFAULT_WHY else "")
        if column == COL_LOT:
            return row.lot or ""
        if column == COL_QTY:
            return f"{row.quantity:+d}"
        if column == COL_BALANCE:
            return str(row.balance)
        if column == COL_WHO:
            return row.staff or _("this device")
        return ""

    def is_number(self, column: int) -> bool:
        return column in (COL_QTY, COL_BALANCE)

    def extra(self, row: MovementInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.reverses:
            return cell_colour("muted")
        return None
