"""What a new device needs of its organisation before any merge (contracts §9): the devices,
staff, catalog, kits, sites, lots, purges and the organisation's settings, as plain JSON-able
rows. Lots come so that the new device receives stock into the same lots (their ids derive
from item and lot number anyway), purges so that it never keeps text a purge already emptied
elsewhere (a record that arrives later and occurred before a cut-off is written without it).
An invitation made before lots and purges travelled has neither: the first merge brings them.

Rows keep their ids and their provenance (device, sequence number, who, when, last change), so
when the new device later merges with the others these are the same rows, not copies. Only the
columns listed are read and written: a PIN, a device's own settings and its signing seed never
leave it. The encoding is `domain.facts.plain` (ids and bytes as hex, moments as milliseconds),
read back by each column's type.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Integer, LargeBinary, Table, insert, select
from sqlalchemy.orm import Session

from outreach_app.domain.errors import BadFile
from outreach_app.domain.facts import plain
from outreach_app.domain.org_settings import is_org_setting
from outreach_app.i18n import _l
from outreach_app.storage.models import (
    Device,
    DeviceRevocation,
    Invitation,
    Item,
    Kit,
    KitLine,
    Lot,
    Purge,
    ReferralType,
    Setting,
    Site,
    Staff,
)
from outreach_app.storage.types import Id, UTCDateTime, from_millis

Row = dict[str, Any]
Snapshot = dict[str, list[Row]]

_PROVENANCE = ("id", "device_id", "seq", "staff_id", "created_at")
_SHARED = (*_PROVENANCE, "changed_at", "changed_by")
#: In the order they are written back: whatever a row refers to comes before it.
COLUMNS: dict[str, tuple[Table, tuple[str, ...]]] = {
    "devices": (
        Device.__table__,  # type: ignore[dict-item]
        ("id", "name", "created_at", "verify_key", "invitation_id", "join_signature", "revoked_at"),
    ),
    "staff": (Staff.__table__, (*_SHARED, "name", "initials", "role", "active")),  # type: ignore[dict-item]
    "sites": (Site.__table__, (*_SHARED, "name", "kind", "active")),  # type: ignore[dict-item]
    "items": (
        Item.__table__,  # type: ignore[dict-item]
        (
            *_SHARED,
            "code",
            "name",
            "category",
            "unit",
            "doses_per_unit",
            "reorder_level",
            "tracks_lots",
            "active",
            "sort_order",
        ),
    ),
    "kits": (Kit.__table__, (*_SHARED, "code", "name", "active")),  # type: ignore[dict-item]
    "kit_lines": (KitLine.__table__, ("kit_id", "item_id", "quantity")),  # type: ignore[dict-item]
    "referral_types": (
        ReferralType.__table__,  # type: ignore[dict-item]
        (*_SHARED, "code", "label", "active"),
    ),
    "lots": (Lot.__table__, (*_PROVENANCE, "item_id", "lot_number", "expires_on")),  # type: ignore[dict-item]
    "purges": (Purge.__table__, (*_PROVENANCE, "cut_off", "older_than_months")),  # type: ignore[dict-item]
    "invitations": (
        Invitation.__table__,  # type: ignore[dict-item]
        (*_PROVENANCE, "invite_key", "signature"),
    ),
    "device_revocations": (
        DeviceRevocation.__table__,  # type: ignore[dict-item]
        (*_PROVENANCE, "revoked_device_id", "reason"),
    ),
    "settings": (Setting.__table__, ("key", "value", "changed_at", "changed_by")),  # type: ignore[dict-item]
}


def read_snapshot(session: Session) -> Snapshot:
    """Every row a new device starts with, encoded; of `settings` only the organisation's."""
    snapshot: Snapshot = {}
    for name, (table, columns) in COLUMNS.items():
        rows = [
            {c: plain(v) for c, v in zip(columns, row, strict=True)}
            for row in session.execute(select(*(table.c[c] for c in columns)))
        ]
        if name == "settings":
            rows = [r for r in rows if is_org_setting(str(r["key"]))]
        snapshot[name] = rows
    return snapshot


def _damaged() -> BadFile:
    return BadFile(_l("The invitation's contents are damaged; make a new invitation."))


def _decode(table: Table, column: str, value: Any) -> Any:
    if value is None:
        return None
    kind = table.c[column].type
    try:
        if isinstance(kind, Id):
            return uuid.UUID(hex=str(value))
        if isinstance(kind, UTCDateTime):
            return from_millis(int(value)) if not isinstance(value, datetime) else value
        if isinstance(kind, LargeBinary):
            return bytes.fromhex(str(value))
        if isinstance(kind, Date):
            return date.fromisoformat(str(value))
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise ValueError(column)
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(column)
            return value
    except (ValueError, TypeError, OverflowError):
        raise _damaged() from None
    if not isinstance(value, str):
        raise _damaged()
    return value


def decode_rows(name: str, rows: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Rows of table `name` as the database takes them; BadFile if any is malformed."""
    table, columns = COLUMNS[name]
    decoded = []
    for row in rows:
        if not isinstance(row, Mapping) or not set(columns) <= set(row):
            raise _damaged()
        decoded.append({c: _decode(table, c, row[c]) for c in columns})
    return decoded


def _staff_in_order(rows: list[Row]) -> list[Row]:
    """Staff rows so that the person a row names as its maker is written before it."""
    ordered: list[Row] = []
    placed: set[uuid.UUID] = set()
    waiting = list(rows)
    while waiting:
        ready = [r for r in waiting if r["staff_id"] in (None, r["id"]) or r["staff_id"] in placed]
        if not ready:  # a cycle or a maker missing: the database's foreign key says no
            raise _damaged()
        ordered += ready
        placed |= {r["id"] for r in ready}
        waiting = [r for r in waiting if r["id"] not in placed]
    return ordered


def write_snapshot(session: Session, snapshot: Mapping[str, Any]) -> dict[str, list[Row]]:
    """Writes the rows of `snapshot` (all but `settings`, which the caller merges with the
    device's own) as they are, provenance included; returns every table's decoded rows."""
    decoded = {name: decode_rows(name, snapshot.get(name) or []) for name in COLUMNS}
    decoded["staff"] = _staff_in_order(decoded["staff"])
    for name, (table, _columns) in COLUMNS.items():
        rows = decoded[name]
        if name == "devices":
            rows = [{**r, "last_seq": 0} for r in rows]
        if rows and name != "settings":
            session.execute(insert(table), rows)
    return decoded
