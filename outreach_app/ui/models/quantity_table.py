"""Quantities per item typed into a table (shift bag load and return)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from outreach_app.i18n import N_

from outreach_app.ui.models.rows import Index, RowsTableModel

COL_CODE = 0
COL_NAME = 1
COL_AVAILABLE = 2
COL_QTY = 3


@dataclass(slots=True)
class QuantityLine:
    item_code: str
    item_name: str
    available: int | None
    quantity: int = 0


class QuantityTableModel(RowsTableModel):
    HEADERS = (N_("Item"), N_("Name"), N_("Available"), N_("Quantity"))

    def __init__(self, available_label: str = N_("Available"), parent: Any = None) -> None:
        """`available_label`: a message id (marked with N_), translated when shown."""
        super().__init__(parent)
        self.HEADERS = (N_("Item"), N_("Name"), available_label, N_("Quantity"))

    def display(self, row: QuantityLine, column: int) -> str:
        if column == COL_CODE:
            return row.item_code
        if column == COL_NAME:
            return row.item_name
        if column == COL_AVAILABLE:
            return "" if row.available is None else str(row.available)
        if column == COL_QTY:
            return str(row.quantity)
        return ""

    def is_number(self, column: int) -> bool:
        return column in (COL_AVAILABLE, COL_QTY)

    def extra(self, row: QuantityLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.EditRole and column == COL_QTY:
            return row.quantity
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == COL_QTY:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() != COL_QTY:
            return False
        text = str(value if value is not None else "").strip() or "0"
        if not text.isdigit():
            return False
        self._rows[index.row()].quantity = int(text)
        self.dataChanged.emit(index, index)
        return True

    def quantities(self) -> dict[str, int]:
        return {line.item_code: line.quantity for line in self._rows if line.quantity}
