"""The count sheet of a stocktake: expected from the ledger, counted typed in, variance live.

Expected is the ledger as of the moment the sheet was opened (the count-at-a-moment rule), so
encounters logged while people count do not change it; the service commits against that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from outreach_app.domain.codes import AdjustReason, parse_enum
from outreach_app.domain.values import StocktakeLineDraft
from outreach_app.i18n import N_, _

from outreach_app.ui.models.rows import Index, RowsTableModel

COL_CODE = 0
COL_NAME = 1
COL_LOT = 2
COL_EXPIRES = 3
COL_EXPECTED = 4
COL_COUNTED = 5
COL_VARIANCE = 6
COL_REASON = 7

REASONS = tuple(r.value for r in AdjustReason)


@dataclass(slots=True)
class CountLine:
    """One line of the sheet: what the ledger expects and what the person counted."""

    item_code: str
    item_name: str
    lot: str | None
    expires: str
    expected: int
    counted: int | None = None
    reason: str | None = None

    @property
    def variance(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def needs_reason(self) -> bool:
        return bool(self.variance) and not self.reason


def count_lines(expected_lines: list[Any]) -> list[CountLine]:
    return [
        CountLine(
            line.item_code,
            line.item_name,
            line.lot,
            line.expires_on.isoformat() if line.expires_on else "",
            line.expected,
        )
        for line in expected_lines
    ]


class StocktakeTableModel(RowsTableModel):
    HEADERS = (
        N_("Item"), N_("Name"), N_("Lot"), N_("Expires"), N_("Expected"), N_("Counted"),
        N_("Variance"), N_("Reason"),
    )  # fmt: skip

    def display(self, row: CountLine, column: int) -> str:
        if column == COL_CODE:
            return row.item_code
        if column == COL_NAME:
            return row.item_name
        if column == COL_LOT:
            return row.lot or ""
        if column == COL_EXPIRES:
            return row.expires
        if column == COL_EXPECTED:
            return str(row.expected)
        if column == COL_COUNTED:
            return "" if row.counted is None else str(row.counted)
        if column == COL_VARIANCE:
            return "" if row.variance is None else f"{row.variance:+d}" if row.variance else "0"
        if column == COL_REASON:
            return row.reason or (_("needed") if row.needs_reason else "")
        return ""

    def is_number(self, column: int) -> bool:
        return column in (COL_EXPECTED, COL_COUNTED, COL_VARIANCE)

    def extra(self, row: CountLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.EditRole and column in (COL_COUNTED, COL_REASON):
            return self.display(row, column) if column == COL_COUNTED else (row.reason or "")
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_REASON and row.needs_reason:
            return Qt.GlobalColor.darkRed
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_VARIANCE and row.variance:
            return Qt.GlobalColor.darkRed if row.variance < 0 else Qt.GlobalColor.darkGreen
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_REASON:
            return _("A variance needs a reason: {reasons}", reasons=", ".join(REASONS))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in (COL_COUNTED, COL_REASON):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        line: CountLine = self._rows[index.row()]
        text = str(value if value is not None else "").strip()
        if index.column() == COL_COUNTED:
            if text == "":
                line.counted = None
            elif text.isdigit():
                line.counted = int(text)
            else:
                return False
        elif index.column() == COL_REASON:
            if text == "":
                line.reason = None
            else:
                member = parse_enum(AdjustReason, text)
                if member is None:
                    return False
                line.reason = member.value
        else:
            return False
        self.dataChanged.emit(
            self.index(index.row(), COL_COUNTED),
            self.index(index.row(), COL_REASON),
        )
        return True

    # ---- what the page asks -------------------------------------------------------------
    def counted_lines(self) -> list[CountLine]:
        return [line for line in self._rows if line.counted is not None]

    def missing_reasons(self) -> list[CountLine]:
        return [line for line in self._rows if line.needs_reason]

    def total_variance(self) -> int:
        return sum(line.variance or 0 for line in self._rows)

    def drafts(self) -> list[StocktakeLineDraft]:
        return [
            StocktakeLineDraft(line.item_code, line.lot, line.counted, line.reason)
            for line in self.counted_lines()
            if line.counted is not None
        ]
