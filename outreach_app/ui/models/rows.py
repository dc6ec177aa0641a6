"""A read-only table over a small list of frozen rows, for tables that fit in memory.

Subclasses name their columns as constants, say how a row shows in each column and may add
colours or fonts. Small tables sort through a QSortFilterProxyModel using `SortRole`; big
tables (encounters) fetch pages instead, see `encounter_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from outreach_app.i18n import _

Index = QModelIndex | QPersistentModelIndex

RowRole = Qt.ItemDataRole.UserRole + 1  # the frozen row object itself
SortRole = Qt.ItemDataRole.UserRole + 2  # a plain value that sorts correctly (numbers, dates)


class RowsTableModel(QAbstractTableModel):
    # English, marked with N_ (tests and code find a column by it); shown translated.
    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return _(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == SortRole:
            return self.sort_value(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self.is_number(index.column()):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.extra(row, index.column(), role)

    # What subclasses fill in.
    def display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: Any, column: int) -> Any:
        return self.display(row, column)

    def is_number(self, column: int) -> bool:
        return False

    def extra(self, row: Any, column: int, role: int) -> Any:
        return None
