"""The Dashboard page's tables: the week against the four before, days of stock left (count
needed flagged, reorder quantities beside), and lots expiring. Every figure shows the text of
`dashboard_rows`, the CSV's own, so the page, the PDF and the CSV agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from outreach_app.domain.dashboard import (
    WEEK_LABELS,
    Dashboard,
    DashboardRow,
    ExpiringLot,
    StockLine,
)
from outreach_app.i18n import N_, _, ngettext

from outreach_app.ui.models.rows import RowsTableModel
from outreach_app.ui.theme import cell_colour

WINDOW_WORDS = {"expired": N_("expired"), "30": N_("within 30 days"),
                "60": N_("within 60 days"), "90": N_("within 90 days")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class WeekRow:
    site: str
    code: str
    label: str
    this_week: str  # as printed: `7`, `<5`, `*`
    mean: str  # as printed: `2.5`, `<5`, `*`


@dataclass(frozen=True, slots=True)
class StockRow:
    line: StockLine
    days_left: str  # as printed (blank when nothing was given out)


def week_rows(rows: Sequence[DashboardRow]) -> list[WeekRow]:
    texts = {(r.site, r.label): r.value for r in rows if r.section == "week"}
    sites = dict.fromkeys(r.site for r in rows if r.section == "week")
    return [
        WeekRow(site, code, label, texts[(site, f"{code}:this")], texts[(site, f"{code}:avg4")])
        for site in sites
        for code, label in WEEK_LABELS.items()
    ]


def stock_rows(board: Dashboard, rows: Sequence[DashboardRow]) -> list[StockRow]:
    shown = {(r.site, r.item_code): r.value for r in rows if r.section == "days_left"}
    return [StockRow(line, shown[(line.site, line.item_code)]) for line in board.stock]


def _hidden(text: str) -> bool:
    return text.startswith("<") or text == "*"


# The week ---------------------------------------------------------------------------------------

WK_LABEL = 0
WK_SITE = 1
WK_THIS = 2
WK_MEAN = 3


class WeekTableModel(RowsTableModel):
    HEADERS = (N_("Figure"), N_("Site"), N_("This week"), N_("Mean, 4 weeks before"))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        text = super().headerData(section, orientation, role)
        if section == WK_MEAN and isinstance(text, str):
            # On two lines: on one, in French ("Moyenne, 4 semaines précédentes"), it took the
            # width the figures' names need, which were cut to a few letters.
            return text.replace(", ", ",\n", 1)
        return text

    def display(self, row: WeekRow, column: int) -> str:
        return (_(row.label), row.site, row.this_week, row.mean)[column]

    def is_number(self, column: int) -> bool:
        return column in (WK_THIS, WK_MEAN)

    def extra(self, row: WeekRow, column: int, role: int) -> Any:
        if column not in (WK_THIS, WK_MEAN):
            return None
        text = row.this_week if column == WK_THIS else row.mean
        if role == Qt.ItemDataRole.ForegroundRole and _hidden(text):
            return cell_colour("hidden")
        if role == Qt.ItemDataRole.ToolTipRole and text.startswith("<"):
            return _("A small count of people, hidden to protect privacy.")
        if role == Qt.ItemDataRole.ToolTipRole and text == "*":
            return _("Hidden so the small count beside it cannot be worked out from the total.")
        return None


# Days of stock left -----------------------------------------------------------------------------

ST_SITE = 0
ST_ITEM = 1
ST_CODE = 2
ST_ON_HAND = 3
ST_GIVEN = 4
ST_DAYS = 5
ST_TARGET = 6
ST_ORDER = 7


class StockTableModel(RowsTableModel):
    HEADERS = (
        N_("Site"), N_("Item"), N_("Code"), N_("On hand"), N_("Given, 28 days"), N_("Days left"),
        N_("Target"), N_("Order"),
    )  # fmt: skip

    def display(self, row: StockRow, column: int) -> str:
        line = row.line
        if column == ST_ITEM:
            if line.count_needed:
                return _("{item} — count needed", item=line.item_name)
            return line.item_name
        if column == ST_ORDER:
            return str(line.reorder) if line.reorder else ""
        values = {
            ST_SITE: line.site,
            ST_CODE: line.item_code,
            ST_ON_HAND: str(line.on_hand),
            ST_GIVEN: str(line.distributed),
            ST_DAYS: row.days_left,
            ST_TARGET: str(line.target_days),
        }
        return values[column]

    def sort_value(self, row: StockRow, column: int) -> Any:
        line = row.line
        numbers = {
            ST_ON_HAND: line.on_hand,
            ST_GIVEN: line.distributed,
            ST_DAYS: line.days_left if line.days_left is not None else 10**9,
            ST_TARGET: line.target_days,
            ST_ORDER: line.reorder,
        }
        return numbers.get(column, self.display(row, column))

    def is_number(self, column: int) -> bool:
        return column >= ST_ON_HAND

    def extra(self, row: StockRow, column: int, role: int) -> Any:
        line = row.line
        if line.count_needed:
            if role == Qt.ItemDataRole.BackgroundRole:
                return cell_colour("alert-background")
            if role == Qt.ItemDataRole.ForegroundRole:
                return cell_colour("alert")
            if role == Qt.ItemDataRole.ToolTipRole:
                return _(
                    "Count needed: more was handed out than the records show on hand. Count "
                    "this item and enter the count."
                )
        if role == Qt.ItemDataRole.FontRole and column in (ST_DAYS, ST_ORDER) and line.reorder:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole and column == ST_ITEM:
            return line.item_code
        if role == Qt.ItemDataRole.ToolTipRole and column == ST_DAYS:
            if not row.days_left:
                return _("Nothing was given out in the 28 days: no rate to divide by.")
            return _(
                "{on_hand} on hand ÷ ({given} given out ÷ 28), rounded down",
                on_hand=line.on_hand,
                given=line.distributed,
            )
        if role == Qt.ItemDataRole.ToolTipRole and column == ST_ORDER and line.reorder:
            return ngettext(
                "Units to last {n} day at the last 28 days' rate",
                "Units to last {n} days at the last 28 days' rate",
                line.target_days,
            )
        return None


# Lots expiring ----------------------------------------------------------------------------------

EX_SITE = 0
EX_ITEM = 1
EX_LOT = 2
EX_EXPIRES = 3
EX_WHEN = 4
EX_ON_HAND = 5


class ExpiringTableModel(RowsTableModel):
    HEADERS = (N_("Site"), N_("Item"), N_("Lot"), N_("Expires"), N_("When"), N_("On hand"))

    def display(self, row: ExpiringLot, column: int) -> str:
        return (
            row.site,
            row.item_name,
            row.lot,
            row.expires.isoformat(),
            _(WINDOW_WORDS[row.window]),
            str(row.on_hand),
        )[column]

    def sort_value(self, row: ExpiringLot, column: int) -> Any:
        if column == EX_ON_HAND:
            return row.on_hand
        return self.display(row, column)

    def is_number(self, column: int) -> bool:
        return column == EX_ON_HAND

    def extra(self, row: ExpiringLot, column: int, role: int) -> Any:
        if row.window == "expired" and role == Qt.ItemDataRole.ForegroundRole:
            return cell_colour("alert")
        if role == Qt.ItemDataRole.ToolTipRole and column == EX_ITEM:
            return row.item_code
        return None
