"""The Reports page's tables: the monthly tally figures (as printed, suppression applied), the
inventory reconciliation rows, and the records behind a clicked figure."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from outreach_app.domain.figures import DisplayRow
from outreach_app.domain.reconciliation import MOVEMENT_COLUMNS, ReconciliationRow
from outreach_app.i18n import N_, _
from outreach_app.reports.labels import figure_label
from outreach_app.services.traces import TracedRecord

from outreach_app.ui.models.rows import RowsTableModel
from outreach_app.ui.theme import cell_colour

SECTION_LABELS = {
    "summary": N_("Summary"),
    "items": N_("Supplies"),
    "kits": N_("Kits"),
    "naloxone": N_("Naloxone"),
    "referrals": N_("Referrals"),
    "demographics": N_("Demographics"),
}

# Monthly tally figures -------------------------------------------------------------------------

COL_SECTION = 0
COL_SITE = 1
COL_CODE = 2
COL_LABEL = 3
COL_VALUE = 4
COL_PREVIOUS = 5


class FiguresTableModel(RowsTableModel):
    """One row per figure, showing the text the PDF and CSV print (`<5`, `*`, `0.85`)."""

    HEADERS = (
        N_("Section"), N_("Site"), N_("Code"), N_("Figure"), N_("This period"),
        N_("Previous period"),
    )  # fmt: skip

    def display(self, row: DisplayRow, column: int) -> str:
        if column == COL_SECTION:
            return _(SECTION_LABELS[row.section]) if row.section in SECTION_LABELS else row.section
        if column == COL_SITE:
            return row.site
        if column == COL_CODE:
            return row.code
        if column == COL_LABEL:
            return figure_label(row)
        if column == COL_VALUE:
            return row.value
        if column == COL_PREVIOUS:
            return row.previous
        return ""

    def is_number(self, column: int) -> bool:
        return column in (COL_VALUE, COL_PREVIOUS)

    def extra(self, row: DisplayRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_LABEL:
            return f"{row.section} / {row.code}"
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_VALUE, COL_PREVIOUS):
            text = row.value if column == COL_VALUE else row.previous
            if text.startswith("<"):
                return _("A small count, hidden to protect privacy. Click to list the records.")
            if text == "*":
                return _("Hidden so the small count beside it cannot be worked out from the total.")
            return _("Click to list the records behind this figure.")
        if role == Qt.ItemDataRole.ForegroundRole and column in (COL_VALUE, COL_PREVIOUS):
            text = row.value if column == COL_VALUE else row.previous
            if text.startswith("<") or text == "*":
                return cell_colour("hidden")
        return None


# Inventory reconciliation ------------------------------------------------------------------------

RC_SITE = 0
RC_ITEM = 1
RC_LOT = 2
RC_EXPIRES = 3
RC_OPENING = 4
RC_FIRST_MOVEMENT = 5
RC_EXPECTED = RC_FIRST_MOVEMENT + len(MOVEMENT_COLUMNS)
RC_COUNTED = RC_EXPECTED + 1
RC_VARIANCE = RC_COUNTED + 1
MOVEMENT_HEADERS = {
    "received": N_("Received"),
    "distributed": N_("Given out"),
    "transfer_in": N_("Transfer in"),
    "transfer_out": N_("Transfer out"),
    "adjust_damaged": N_("Damaged"),
    "adjust_expired": N_("Expired"),
    "adjust_lost": N_("Lost"),
    "adjust_found": N_("Found"),
    "adjust_recount": N_("Recount"),
    "adjust_other": N_("Other adj."),
}


def reconciliation_column(column: int) -> str | None:
    """The contracts §7 column a table column traces to (None: not made of movements)."""
    if column == RC_OPENING:
        return "opening"
    if RC_FIRST_MOVEMENT <= column < RC_EXPECTED:
        return MOVEMENT_COLUMNS[column - RC_FIRST_MOVEMENT]
    if column == RC_EXPECTED:
        return "expected_closing"
    return None


class ReconciliationTableModel(RowsTableModel):
    HEADERS = (
        N_("Site"),
        N_("Item"),
        N_("Lot"),
        N_("Expires"),
        N_("Opening"),
        *(MOVEMENT_HEADERS[c] for c in MOVEMENT_COLUMNS),
        N_("Expected"),
        N_("Counted"),
        N_("Variance"),
    )

    def display(self, row: ReconciliationRow, column: int) -> str:
        if column == RC_SITE:
            return row.site
        if column == RC_ITEM:
            return row.item_code
        if column == RC_LOT:
            return row.lot or ""
        if column == RC_EXPIRES:
            return row.expires.isoformat() if row.expires else ""
        if column == RC_OPENING:
            return str(row.opening)
        if RC_FIRST_MOVEMENT <= column < RC_EXPECTED:
            return str(row.movements[column - RC_FIRST_MOVEMENT])
        if column == RC_EXPECTED:
            return str(row.expected_closing)
        if column == RC_COUNTED:
            return "" if row.counted is None else str(row.counted)
        if column == RC_VARIANCE:
            return "" if row.variance is None else f"{row.variance:+d}"
        return ""

    def is_number(self, column: int) -> bool:
        return column >= RC_OPENING

    def extra(self, row: ReconciliationRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == RC_ITEM:
                return row.item_name
            if reconciliation_column(column) is not None:
                return _("Click to list the stock movements behind this number.")
        return None


# Records behind a figure ----------------------------------------------------------------------

TR_WHEN = 0
TR_SITE = 1
TR_KIND = 2
TR_SUPPLIES = 3


class TraceTableModel(RowsTableModel):
    """Date, site, kind and supplies of each record behind a figure — never notes."""

    HEADERS = (N_("When"), N_("Site"), N_("Record"), N_("Supplies"))

    def __init__(self, zone: ZoneInfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.zone = zone

    def display(self, row: TracedRecord, column: int) -> str:
        if column == TR_WHEN:
            moment = row.occurred_at.astimezone(self.zone) if self.zone else row.occurred_at
            return moment.strftime("%Y-%m-%d %H:%M")
        if column == TR_SITE:
            return row.site
        if column == TR_KIND:
            return row.kind
        if column == TR_SUPPLIES:
            return row.supplies
        return ""

    def extra(self, row: TracedRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (TR_KIND, TR_SUPPLIES):
            return self.display(row, column)
        return None
