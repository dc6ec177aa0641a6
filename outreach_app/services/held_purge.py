"""Retention for records held back by a merge (contracts §10 with §9's quarantine and pending).

A record quarantined or pending is kept as it arrived (`sync_held.payload`, one JSON object:
kind, row in plain form, children), free text included. A purge empties that text too, for
held records that occurred before its cut-off, as it does for stored ones (`retention`), and
a record held after a purge is written without it (`purged_record`, called by `sync/held.py`
before the row is written, so the text never reaches the file). The facts hash of a held
record never covers its free text, so emptying it changes nothing that `check` compares.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select, update

from outreach_app.services import free_text
from outreach_app.storage.models import SyncHeld
from outreach_app.storage.types import to_millis

HELD: Table = SyncHeld.__table__  # type: ignore[assignment]
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def purged_row(kind: str, row: Mapping[str, Any], cut_off_ms: int) -> dict[str, Any] | None:
    """`row` (plain) with its free text emptied, when a purge of `cut_off_ms` covers it and it
    holds any; None otherwise."""
    columns = free_text.PURGEABLE.get(kind)
    if not columns:
        return None
    moment = row.get(free_text.MOMENT[kind])
    if not isinstance(moment, int) or moment >= cut_off_ms:
        return None
    if not any(row.get(c) for c in columns):
        return None
    return {**row, **{c: "" for c in columns if c in row}}


def purged_payload(payload: bytes, cut_off_ms: int) -> bytes | None:
    """A held record's payload with its free text emptied, or None when there is none to
    empty (or the payload is not a record: left as it is, `check` reports it)."""
    try:
        body = json.loads(payload)
        kind, row = body["kind"], body["row"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(kind, str) or not isinstance(row, dict):
        return None
    emptied = purged_row(kind, row, cut_off_ms)
    if emptied is None:
        return None
    return _ENCODER.encode({**body, "row": emptied}).encode()


def empty_held(conn: Connection, cut_off: datetime) -> int:
    """Every held record that occurred before `cut_off`, its free text emptied; how many."""
    kinds = list(free_text.PURGEABLE)
    millis = to_millis(cut_off)
    rows = conn.execute(
        select(HELD.c.kind, HELD.c.record_id, HELD.c.from_device, HELD.c.seq, HELD.c.payload).where(
            HELD.c.kind.in_(kinds)
        )
    ).all()
    emptied = 0
    for kind, record_id, device, seq, payload in rows:
        new = purged_payload(bytes(payload), millis)
        if new is None:
            continue
        conn.execute(
            update(HELD)
            .where(
                HELD.c.kind == kind,
                HELD.c.record_id == record_id,
                HELD.c.from_device == device,
                HELD.c.seq == seq,
            )
            .values(payload=new)
        )
        emptied += 1
    return emptied


def empty_held_sqlite(db: sqlite3.Connection, cut_off_ms: int) -> int:
    """The same on a backup file opened by the driver alone (`retention._purge_backup`), inside
    its caller's transaction; a backup from before the merging tables has none."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_held'").fetchone():
        return 0
    marks = ", ".join("?" * len(free_text.PURGEABLE))
    rows = db.execute(
        f"SELECT kind, record_id, from_device, seq, payload FROM sync_held WHERE kind IN ({marks})",
        tuple(free_text.PURGEABLE),
    ).fetchall()
    emptied = 0
    for kind, record_id, device, seq, payload in rows:
        new = purged_payload(bytes(payload), cut_off_ms)
        if new is None:
            continue
        db.execute(
            "UPDATE sync_held SET payload = ? WHERE kind = ? AND record_id = ? "
            "AND from_device = ? AND seq = ?",
            (new, kind, record_id, device, seq),
        )
        emptied += 1
    return emptied
