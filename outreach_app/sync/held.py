"""Records held back (quarantined or pending) and the per-device export marks: both local.

A held record is kept as it arrived (`Record.encode`) with a reason. The reason is stored as a
short code (`conflict`, `revoked`, `waiting:encounters:<hex>` ...) and worded when listed, so
the list reads in the language of the moment while `quarantine --csv` stays English.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from outreach_app.i18n import N_, Text, _l
from outreach_app.services.held_purge import purged_row
from outreach_app.storage.models import SyncHeld, SyncMark
from outreach_app.storage.types import from_millis, to_millis
from outreach_app.sync.records import Record

HELD: Table = SyncHeld.__table__  # type: ignore[assignment]
MARKS: Table = SyncMark.__table__  # type: ignore[assignment]
QUARANTINED = "quarantined"
PENDING = "pending"
HeldKey = tuple[str, uuid.UUID, uuid.UUID, int]

#: What a kind is called in a reason ("waiting for encounter 1a2b3c4d").
NOUNS: dict[str, str] = {
    "devices": N_("device"),
    "staff": N_("person"),
    "sites": N_("site"),
    "items": N_("item"),
    "kits": N_("kit"),
    "referral_types": N_("referral type"),
    "lots": N_("lot"),
    "imports": N_("imported file"),
    "encounters": N_("encounter"),
    "stock_movements": N_("stock movement"),
    "stocktakes": N_("stock count"),
    "record": N_("record"),
}


def _noun(kind: str) -> Text | str:
    noun = NOUNS.get(kind)
    return _l(noun) if noun else kind


def held_key(record: Record) -> HeldKey:
    return (record.kind, record.record_id, record.device, record.seq)


def take_pending(conn: Connection) -> list[Record]:
    """Every pending record, removed from the list: the merge tries them again and holds
    those still waiting once more."""
    rows = conn.execute(select(HELD.c.payload).where(HELD.c.state == PENDING)).all()
    conn.execute(delete(HELD).where(HELD.c.state == PENDING))
    return [Record.decode(bytes(payload)) for (payload,) in rows]


def quarantined_keys(conn: Connection) -> set[HeldKey]:
    query = select(HELD.c.kind, HELD.c.record_id, HELD.c.from_device, HELD.c.seq).where(
        HELD.c.state == QUARANTINED
    )
    return {(k, r, d, s) for k, r, d, s in conn.execute(query)}


def hold(
    conn: Connection,
    held: Iterable[tuple[Record, str, str]],
    received_at: datetime,
    cut_off: datetime | None = None,
) -> None:
    """(record, state, reason) rows written; a record already held the same way is kept. A
    record that occurred before `cut_off` (the latest purge's) is written without its free
    text, as a stored one would be."""
    rows: dict[HeldKey, dict[str, Any]] = {}
    millis = to_millis(cut_off) if cut_off is not None else None
    for received, state, reason in held:
        emptied = purged_row(received.kind, received.row, millis) if millis is not None else None
        record = received if emptied is None else Record(received.kind, emptied, received.children)
        kind, record_id, device, seq = held_key(record)
        rows[(kind, record_id, device, seq)] = {
            "kind": kind,
            "record_id": record_id,
            "from_device": device,
            "seq": seq,
            "state": state,
            "created_at": from_millis(int(record.row.get("created_at", 0))),
            "received_at": received_at,
            "reason": reason,
            "payload": record.encode(),
        }
    if not rows:
        return
    existing = quarantined_keys(conn)
    fresh = [row for key, row in rows.items() if key not in existing]
    if fresh:
        conn.execute(insert(HELD), fresh)


def reason_text(code: str) -> Text:
    """A stored reason code in words (`_l`: shown in the language of the moment)."""
    what, _sep, rest = code.partition(":")
    if what == "waiting":
        kind, _sep, ident = rest.partition(":")
        return _l("pending: waiting for {what} {id}", what=_noun(kind), id=ident[:8])
    if what == "unique":
        kind, _sep, column = rest.partition(":")
        return _l(
            "pending: waiting until no other {what} has the same {column}",
            what=_noun(kind),
            column=column,
        )
    if what == "revoked":
        return _l("from a revoked device")
    if what == "renamed":
        return _l("the same spreadsheet, imported on that device under another file name")
    if what == "copy-stock":
        return _l("stock drawn for another device's copy of its encounter")
    if what == "with-quarantined":
        return _l("part of a record that was quarantined")
    return _l("its id is known here with other facts (damage or a misbehaving device)")


@dataclass(frozen=True, slots=True)
class HeldRow:
    kind: str
    record_id: uuid.UUID
    from_device: uuid.UUID
    created_at: datetime
    state: str
    reason: str  # the stored code: `reason_text` words it


def listing(conn: Connection) -> list[HeldRow]:
    query = select(
        HELD.c.kind,
        HELD.c.record_id,
        HELD.c.from_device,
        HELD.c.created_at,
        HELD.c.state,
        HELD.c.reason,
    ).order_by(HELD.c.state.desc(), HELD.c.created_at, HELD.c.kind, HELD.c.seq)
    return [HeldRow(*row) for row in conn.execute(query)]


# --- Export marks ------------------------------------------------------------------------------


def read_marks(conn: Connection) -> dict[uuid.UUID, int]:
    return dict(conn.execute(select(MARKS.c.device_id, MARKS.c.exported_seq)).all())


def set_marks(conn: Connection, marks: Mapping[uuid.UUID, int]) -> None:
    """Each device's mark set to the value given (rows created as needed)."""
    known = read_marks(conn)
    for device, seq in marks.items():
        if device in known:
            if known[device] != seq:
                conn.execute(
                    update(MARKS).where(MARKS.c.device_id == device).values(exported_seq=seq)
                )
        else:
            conn.execute(insert(MARKS).values(device_id=device, exported_seq=seq))


def lower_marks(conn: Connection, lowest: Mapping[uuid.UUID, int]) -> None:
    """A record of device d numbered `seq` was added: a mark at or past it goes back below it,
    so the next export carries it (re-sending is harmless, merging being idempotent)."""
    known = read_marks(conn)
    lowered = {d: seq - 1 for d, seq in lowest.items() if d in known and seq <= known[d]}
    if lowered:
        set_marks(conn, lowered)
