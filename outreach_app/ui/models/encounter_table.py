"""The encounters table: pages fetched from the service as the view scrolls (keyset paging).

Sorting and filtering happen in SQL (`services.encounter_list`), never in a proxy, because a
proxy only sees the rows already fetched and a year of encounters is a million rows. The model
keeps the cursor of the last page; `canFetchMore`/`fetchMore` ask the worker for the next one.
A change of filter or sort starts a new generation, so a page that arrives late is dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import N_, _
from outreach_app.services import encounter_list

from outreach_app.ui.theme import cell_colour

Index = QModelIndex | QPersistentModelIndex

COL_WHEN = 0
COL_SITE = 1
COL_KIND = 2
COL_CODE = 3
COL_PEOPLE = 4
COL_SUPPLIES = 5
COL_RETURNED = 6
COL_STATUS = 7
HEADERS = (
    N_("When"), N_("Site"), N_("Record"), N_("Participant"), N_("People"), N_("Supplies"),
    N_("Returned"), N_("Status"),
)  # fmt: skip
NUMBER_COLUMNS = (COL_PEOPLE, COL_RETURNED)

EncounterIdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
VoidedRole = Qt.ItemDataRole.UserRole + 3
IsTallyRole = Qt.ItemDataRole.UserRole + 4

# The service pages by (occurred_at, id), so "When" is the one sortable column, both ways.
SORTABLE_COLUMNS = (COL_WHEN,)

PAGE_SIZE = 200


def supplies_text(row: Any) -> str:
    return row.supplies or "—"


class EncounterTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    load_failed = Signal(str)
    first_page_loaded = Signal()

    def __init__(self, worker: Any, zone: ZoneInfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._zone = zone
        self._rows: list[Any] = []
        self._filter: Any = None
        self._sort_column = COL_WHEN
        self._descending = True
        self._cursor: Any = None
        self._has_more = False
        self._loading = False
        self._generation = 0
        self.page_size = PAGE_SIZE
        self._strike = QFont()
        self._strike.setStrikeOut(True)

    # ---- queries -------------------------------------------------------------------------
    def set_filter(self, flt: Any) -> None:
        """Show the encounters matching `flt` (an `EncounterFilter`), from the first page."""
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._generation += 1
        self._rows = []
        self._cursor = None
        self._has_more = False  # nothing fetches while views react to the reset
        self._set_loading(False)
        self.endResetModel()
        self._has_more = self._filter is not None
        if self._has_more:
            self.fetchMore(QModelIndex())

    @property
    def is_loading(self) -> bool:
        return self._loading

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in SORTABLE_COLUMNS:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._descending = column, descending
        self.reload()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._set_loading(True)
        generation = self._generation
        flt, cursor = self._filter, self._cursor
        descending, page_size = self._descending, self.page_size

        def job(store: Any) -> Any:
            with store.reading() as uow:
                return encounter_list.list_encounters(
                    uow, flt, after=cursor, limit=page_size, descending=descending
                )

        self._worker.submit(
            job,
            lambda page: self._on_page(generation, page),
            lambda error: self._on_error(generation, error),
        )

    def _on_page(self, generation: int, page: Any) -> None:
        if generation != self._generation:
            return  # a filter or sort changed while this page was on its way
        first = not self._rows
        rows = list(page.rows)
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._cursor = page.next_cursor
        self._has_more = page.next_cursor is not None
        self._set_loading(False)
        if first:
            self.first_page_loaded.emit()

    def _on_error(self, generation: int, error: OutreachError) -> None:
        if generation != self._generation:
            return
        self._has_more = False
        self._set_loading(False)
        self.load_failed.emit(error.message)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def replace_row(self, row: Any) -> None:
        """Show a changed encounter (e.g. just voided) in place; voided rows are never removed."""
        for number, existing in enumerate(self._rows):
            if existing.id == row.id:
                self._rows[number] = row
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(HEADERS) - 1))
                return

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    # ---- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return _(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == EncounterIdRole:
            return row.id
        if role == RowRole:
            return row
        if role == VoidedRole:
            return row.voided
        if role == IsTallyRole:
            return row.is_tally
        if role == Qt.ItemDataRole.FontRole and row.voided:
            return self._strike
        if role == Qt.ItemDataRole.ForegroundRole and row.voided:
            return cell_colour("muted")
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.voided:
                return _("Voided: {reason}", reason=row.void_reason)
            if column == COL_SUPPLIES:
                return supplies_text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: Any, column: int) -> str:
        if column == COL_WHEN:
            return self._when(row.occurred_at)
        if column == COL_SITE:
            return row.site
        if column == COL_KIND:
            return _("Tally record") if row.is_tally else _("Encounter")
        if column == COL_CODE:
            return "" if row.is_tally else (row.participant_code or _("(anonymous)"))
        if column == COL_PEOPLE:
            return str(row.contacts if row.is_tally else row.people_served)
        if column == COL_SUPPLIES:
            return supplies_text(row)
        if column == COL_RETURNED:
            return str(row.syringes_returned)
        if column == COL_STATUS:
            return _("Voided: {reason}", reason=row.void_reason) if row.voided else ""
        return ""

    def _when(self, moment: datetime) -> str:
        local = moment.astimezone(self._zone) if self._zone else moment
        return local.strftime("%Y-%m-%d %H:%M")
