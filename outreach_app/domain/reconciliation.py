"""The inventory reconciliation (contracts §7) as frozen values.

A row per site, item and lot: opening + the signed movement columns = expected closing, beside
the last count of the period when there was one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from outreach_app.domain.codes import AdjustReason, MovementKind

#: Movement columns of contracts §7, in order.
MOVEMENT_COLUMNS = (
    "received",
    "distributed",
    "transfer_in",
    "transfer_out",
    *(f"adjust_{r.value.lower()}" for r in AdjustReason),
)
HEADER = (
    "site",
    "item_code",
    "lot",
    "expires",
    "opening",
    *MOVEMENT_COLUMNS,
    "expected_closing",
    "counted",
    "variance",
)
EXPIRY_WARNING_DAYS = 60


def column_for(kind: str, reason: str | None) -> str:
    """The column a movement (or its reversal, which shares its kind) goes in."""
    if kind == MovementKind.RECEIVE:
        return "received"
    if kind == MovementKind.DISTRIBUTE:
        return "distributed"
    if kind in (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT):
        return str(kind)
    if kind == MovementKind.COUNT_CORRECTION:
        return "adjust_recount"
    known = {r.value for r in AdjustReason}
    return f"adjust_{(reason if reason in known else AdjustReason.OTHER.value).lower()}"


@dataclass(frozen=True, slots=True)
class ReconciliationRow:
    site: str
    item_code: str
    item_name: str
    lot: str | None
    expires: date | None
    opening: int
    movements: tuple[int, ...]  # in MOVEMENT_COLUMNS order
    counted: int | None
    variance: int | None
    sort_order: int = 0

    @property
    def expected_closing(self) -> int:
        return self.opening + sum(self.movements)

    def movement(self, column: str) -> int:
        return self.movements[MOVEMENT_COLUMNS.index(column)]

    def csv_cells(self) -> tuple[object, ...]:
        return (
            self.site,
            self.item_code,
            self.lot or "",
            self.expires.isoformat() if self.expires else "",
            self.opening,
            *self.movements,
            self.expected_closing,
            "" if self.counted is None else self.counted,
            "" if self.variance is None else self.variance,
        )


@dataclass(frozen=True, slots=True)
class ExpiringLot:
    site: str
    item_code: str
    lot: str
    expires: date
    on_hand: int
    expired: bool


@dataclass(frozen=True, slots=True)
class ReorderLine:
    site: str
    item_code: str
    item_name: str
    on_hand: int
    reorder_level: int


@dataclass(frozen=True, slots=True)
class InventoryReport:
    org: str
    site: str  # a site's name or ALL
    start: date
    end: date
    period_label: str
    generated_at: datetime
    device: str
    app_version: str
    rows: tuple[ReconciliationRow, ...]
    expiring: tuple[ExpiringLot, ...]
    under_reorder: tuple[ReorderLine, ...]
    counts_taken: tuple[tuple[str, datetime], ...]  # (site, when) of the last count per site
