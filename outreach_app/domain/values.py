"""Frozen values passed between layers. Services return these, never live ORM objects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from outreach_app.i18n import Text, _l

if TYPE_CHECKING:  # its patterns compile on import: not before the app's window shows
    from outreach_app.domain.text_warnings import TextWarning


@dataclass(frozen=True, slots=True)
class SiteInfo:
    id: uuid.UUID
    name: str
    kind: str
    active: bool


@dataclass(frozen=True, slots=True)
class ItemInfo:
    id: uuid.UUID
    code: str
    name: str
    category: str
    unit: str
    doses_per_unit: int
    reorder_level: int
    tracks_lots: bool
    active: bool
    sort_order: int

    @property
    def is_naloxone(self) -> bool:
        return self.doses_per_unit > 0


@dataclass(frozen=True, slots=True)
class KitInfo:
    id: uuid.UUID
    code: str
    name: str
    active: bool
    lines: tuple[tuple[str, int], ...]  # (item code, quantity per kit)


@dataclass(frozen=True, slots=True)
class ReferralTypeInfo:
    id: uuid.UUID
    code: str
    label: str
    active: bool


@dataclass(frozen=True, slots=True)
class Shortfall:
    site: str
    item_code: str
    wanted: int
    available: int
    expired_lot: str | None = None

    @property
    def missing(self) -> int:
        return self.wanted - self.available

    def text(self) -> Text:
        """The shortfall in words, translated when shown."""
        if self.expired_lot:
            return _l(
                "{item} at {site}: lot {lot} has expired",
                item=self.item_code,
                site=self.site,
                lot=self.expired_lot,
            )
        return _l(
            "{item} at {site}: {wanted} wanted, {available} on hand (short by {missing})",
            item=self.item_code,
            site=self.site,
            wanted=self.wanted,
            available=self.available,
            missing=self.missing,
        )

    def describe(self) -> str:
        """The shortfall in words, in the current language."""
        return str(self.text())


@dataclass(frozen=True, slots=True)
class EncounterDraft:
    """What a worker enters for one encounter (or a tally record when `is_tally`)."""

    site: str
    occurred_at: datetime
    items: dict[str, int] = field(default_factory=dict)  # item code -> quantity given directly
    kits: dict[str, int] = field(default_factory=dict)  # kit code -> kits given
    participant_code: str | None = None
    age_band: str | None = None
    gender: str | None = None
    is_new: bool | None = None
    people_served: int = 1
    syringes_returned: int = 0
    reversals_reported: int = 0
    naloxone_reason: str | None = None
    naloxone_training: bool = False
    referrals: tuple[str, ...] = ()
    note: str = ""
    is_tally: bool = False
    contacts: int = 0
    staff: str | None = None


@dataclass(frozen=True, slots=True)
class EncounterSummary:
    id: uuid.UUID
    occurred_at: datetime
    site: str
    participant_code: str | None
    age_band: str | None
    gender: str | None
    is_new: bool | None
    people_served: int
    syringes_returned: int
    reversals_reported: int
    naloxone_reason: str | None
    naloxone_training: bool
    referrals: tuple[str, ...]
    note: str
    is_tally: bool
    contacts: int
    items: tuple[tuple[str, int], ...]
    kits: tuple[tuple[str, int], ...]
    voided: bool
    void_reason: str | None
    device: str
    staff: str | None
    # What this record drew below zero (saved anyway: contracts §1, "Shortfall").
    negative_recorded: tuple[Shortfall, ...] = ()
    # Free text of this action that looks identifying (saved anyway: issue 10 point 5).
    text_warnings: tuple[TextWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class OnHandRow:
    site: str
    item_code: str
    item_name: str
    lot: str | None
    expires_on: date | None
    on_hand: int
    sort_order: int


@dataclass(frozen=True, slots=True)
class MovementInfo:
    id: uuid.UUID
    occurred_at: datetime
    site: str
    item_code: str
    lot: str | None
    quantity: int
    kind: str
    reason: str | None
    note: str
    staff: str | None
    reverses: uuid.UUID | None
    balance: int = 0
    text_warnings: tuple[TextWarning, ...] = ()  # as on EncounterSummary


@dataclass(frozen=True, slots=True)
class StocktakeLineDraft:
    item_code: str
    lot: str | None
    counted: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class StocktakeLineInfo:
    item_code: str
    item_name: str
    lot: str | None
    expires_on: date | None
    expected: int
    counted: int | None
    variance: int | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    encounters: int
    lines: int
    stock_moved: bool
    negative_recorded: tuple[Shortfall, ...] = ()
    identifying_rows: tuple[int, ...] = ()  # spreadsheet rows whose notes look identifying


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One bad cell of a spreadsheet: its row (the header is row 1), column and what is wrong."""

    row: int
    column: str | Text  # as written in row 1; a label such as "(row)" translates when shown
    message: str | Text  # translated when shown (`str(...)`)

    def text(self) -> Text:
        """The cell and what is wrong with it, translated when shown."""
        return _l(
            "row {row}, column {column}: {message}",
            row=self.row,
            column=self.column,
            message=self.message,
        )

    def describe(self) -> str:
        """The cell and what is wrong with it, in the current language."""
        return str(self.text())


@dataclass(frozen=True, slots=True)
class ImportCheck:
    """What an import would add, found by the check pass (nothing written)."""

    filename: str
    encounters: int
    lines: int
    stock_moved: bool
    shortfalls: tuple[Shortfall, ...] = ()  # refused unless allowed (contracts §4)
    identifying_rows: tuple[int, ...] = ()
