"""On hand per site, item and lot, with expiry and reorder flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from outreach_app.domain.values import OnHandRow
from outreach_app.i18n import N_, _, ngettext

from outreach_app.ui.models.rows import Index, RowRole, RowsTableModel, SortRole
from outreach_app.ui.theme import cell_colour

COL_SITE = 0
COL_CODE = 1
COL_NAME = 2
COL_LOT = 3
COL_EXPIRES = 4
COL_ON_HAND = 5
COL_FLAGS = 6

FlagRole = Qt.ItemDataRole.UserRole + 10  # "count needed", "expired", "expiring", "reorder", ""
COUNT_NEEDED = "count needed"

EXPIRING_DAYS = 60


@dataclass(frozen=True, slots=True)
class StockRow:
    """One on-hand row with what the coordinator should notice about it."""

    row: OnHandRow
    expired: bool
    expiring_in: int | None  # days until expiry when within EXPIRING_DAYS
    reorder_level: int | None  # the item's level when the site's total is under it
    # The site's total for the item is below zero: more was handed out than recorded (a
    # shortfall saved anyway, contracts §1) until someone counts it.
    count_needed: bool = False

    @property
    def flag(self) -> str:
        if self.count_needed:
            return COUNT_NEEDED
        if self.expired:
            return "expired"
        if self.expiring_in is not None:
            return "expiring"
        if self.reorder_level is not None:
            return "reorder"
        return ""


def stock_rows(
    rows: list[OnHandRow], today: date, under: dict[tuple[str, str], int]
) -> list[StockRow]:
    totals: dict[tuple[str, str], int] = {}
    for r in rows:
        totals[(r.site, r.item_code)] = totals.get((r.site, r.item_code), 0) + r.on_hand
    out = []
    for r in rows:
        expired = r.expires_on is not None and r.expires_on < today and r.on_hand > 0
        days = (r.expires_on - today).days if r.expires_on is not None else None
        expiring = days if days is not None and 0 <= days <= EXPIRING_DAYS else None
        key = (r.site, r.item_code)
        out.append(StockRow(r, expired, expiring, under.get(key), totals[key] < 0))
    return out


class StockTableModel(RowsTableModel):
    HEADERS = (
        N_("Site"), N_("Item"), N_("Name"), N_("Lot"), N_("Expires"), N_("On hand"),
        N_("Needs attention"),
    )  # fmt: skip

    def display(self, row: StockRow, column: int) -> str:
        r = row.row
        if column == COL_SITE:
            return r.site
        if column == COL_CODE:
            return r.item_code
        if column == COL_NAME:
            return r.item_name
        if column == COL_LOT:
            return r.lot or ""
        if column == COL_EXPIRES:
            return r.expires_on.isoformat() if r.expires_on else ""
        if column == COL_ON_HAND:
            return str(r.on_hand)
        if column == COL_FLAGS:
            notes = [_("Count needed (below zero)")] if row.count_needed else []
            if row.expired:
                notes.append(_("Expired"))
            elif row.expiring_in is not None:
                days = row.expiring_in
                notes.append(ngettext("Expires in {n} day", "Expires in {n} days", days))
            if row.reorder_level is not None:
                notes.append(_("Under reorder level ({level})", level=row.reorder_level))
            return "; ".join(notes)
        return ""

    def sort_value(self, row: StockRow, column: int) -> Any:
        if column == COL_ON_HAND:
            return row.row.on_hand
        if column == COL_CODE:
            return row.row.sort_order
        if column == COL_EXPIRES:
            return row.row.expires_on.isoformat() if row.row.expires_on else "9999"
        return self.display(row, column)

    def is_number(self, column: int) -> bool:
        return column == COL_ON_HAND

    def extra(self, row: StockRow, column: int, role: int) -> Any:
        if role == FlagRole:
            return row.flag
        # Colours asked of the theme as each cell is drawn: they follow File › High contrast.
        if role == Qt.ItemDataRole.ForegroundRole and row.expired:
            return cell_colour("expired")
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.count_needed and column in (COL_CODE, COL_ON_HAND, COL_FLAGS):
                return cell_colour("count-needed-background")
            if row.expiring_in is not None:
                return cell_colour("expiring-background")
            if row.reorder_level is not None and column in (COL_CODE, COL_ON_HAND, COL_FLAGS):
                return cell_colour("reorder-background")
        return None


class StockFilterProxy(QSortFilterProxyModel):
    """Filters the small on-hand table by text and by what needs attention."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._only_flagged = False
        self._hide_empty = False
        self.setSortRole(SortRole)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only_flagged(self, on: bool) -> None:
        self.beginFilterChange()
        self._only_flagged = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_hide_empty(self, on: bool) -> None:
        self.beginFilterChange()
        self._hide_empty = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        row: StockRow = model.data(model.index(source_row, 0, source_parent), RowRole)
        if self._only_flagged and not row.flag:
            return False
        if self._hide_empty and row.row.on_hand == 0:
            return False
        if self._text:
            hay = f"{row.row.item_code} {row.row.item_name} {row.row.lot or ''}".lower()
            return self._text in hay
        return True
