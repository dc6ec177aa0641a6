"""What the blank paper forms print: the catalog rows of a tally sheet or a count sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class SheetLine:
    code: str
    name: str
    unit: str
    category: str


@dataclass(frozen=True, slots=True)
class TallySheet:
    org: str
    site: str
    lines: tuple[SheetLine, ...]  # active items, then active kits
    generated_at: datetime
    app_version: str


@dataclass(frozen=True, slots=True)
class CountLine:
    code: str
    name: str
    lot: str | None
    expires: date | None
    expected: int


@dataclass(frozen=True, slots=True)
class CountSheet:
    org: str
    site: str
    lines: tuple[CountLine, ...]
    generated_at: datetime
    app_version: str
