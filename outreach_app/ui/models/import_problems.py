"""The bad cells of a refused spreadsheet: one row per cell, by spreadsheet row and column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from outreach_app.domain.values import CellProblem
from outreach_app.i18n import N_

from outreach_app.ui.models.rows import RowsTableModel

COL_ROW = 0
COL_COLUMN = 1
COL_PROBLEM = 2


class CellProblemsModel(RowsTableModel):
    HEADERS = (N_("Row"), N_("Column"), N_("What to fix"))

    def display(self, row: CellProblem, column: int) -> str:
        if column == COL_ROW:
            return str(row.row)
        if column == COL_COLUMN:
            return str(row.column)  # a label such as "(row)" is translated when shown
        if column == COL_PROBLEM:
            return str(row.message)
        return ""

    def sort_value(self, row: CellProblem, column: int) -> Any:
        return row.row if column == COL_ROW else self.display(row, column)

    def is_number(self, column: int) -> bool:
        return column == COL_ROW

    def extra(self, row: CellProblem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:  # a long message or column name, whole
            return row.describe()
        return None
