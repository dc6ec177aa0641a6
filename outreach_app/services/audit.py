"""Who did what: one entry per action, chained per device (contracts §10).

Each entry holds the person, the time, the device, the action, a short summary (never a
participant code, a note or a typed reason: those are personal or purgeable), the hash of the
records the action wrote, and its own hash, which covers all that and the hash of the device's
previous entry. An entry covers the records its device numbered between the previous entry and
itself (sequence numbers are per device and given in order under the write lock), so `verify`
can recompute every records' hash from the records themselves and every entry's hash from the
entry and the one before it: a record or entry changed, added or removed with plain SQL no
longer fits, and `check` names the first that does not.

An entry is known by its device and sequence number (the audit log's key); the previous entry's
hash is read from the entry before, never stored twice (revision 0007).

A unit of work that wrote records without calling `record` gets one entry ("save") when it
commits, so no record is ever left outside the chain.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from outreach_app.domain import facts
from outreach_app.domain.clock import Period
from outreach_app.domain.roles import Action
from outreach_app.i18n import _
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.facts import every_record, read_facts
from outreach_app.storage.models import AuditEntry, Device, Setting, Staff
from outreach_app.storage.plain_rows import held_facts

SUMMARY_MAX = 500


def head(conn: Connection | Session, device_id: uuid.UUID) -> tuple[int, bytes] | None:
    """(seq, entry hash) of the device's last entry, which the next one chains to."""
    row = conn.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash)
        .where(AuditEntry.device_id == device_id, AuditEntry.entry_hash.is_not(None))
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    return (row[0], bytes(row[1] or b"")) if row else None


def _head(uow: UnitOfWork) -> tuple[int, bytes] | None:
    if uow.audit_head is None:
        uow.audit_head = head(uow.session, uow.device_id)
    return uow.audit_head


def record(uow: UnitOfWork, action: str, summary: str = "") -> AuditEntry:
    """The entry of one action, covering every record the unit wrote since its last entry."""
    return _append(uow, action, summary, facts.records_hash(h for _seq, h in _written(uow)))


def record_bulk(
    uow: UnitOfWork, action: str, summary: str, inserted: Sequence[tuple[int, bytes]]
) -> AuditEntry:
    """The entry of an action that also inserted records in bulk (Core inserts, as an import
    does): those come as (seq, hash) from their writer (`storage.facts.hash_row`), so a file's
    hundred thousand records are not read back to be hashed; `check` reads them all the same."""
    covered = _written(uow) + list(inserted)
    covered.sort()
    return _append(uow, action, summary, facts.records_hash(h for _seq, h in covered))


def _written(uow: UnitOfWork) -> list[tuple[int, bytes]]:
    """(seq, hash) of the records the unit added through its session since its last entry."""
    session = uow.session
    session.flush()  # gives the action's records their sequence numbers
    written, uow.written = uow.written, []
    by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
    for kind, record_id in written:
        by_kind[kind].append(record_id)
    conn = session.connection()
    found = [
        (rec.seq, rec.hash) for kind, ids in by_kind.items() for rec in read_facts(conn, kind, ids)
    ]
    found.sort()
    return found


def _append(uow: UnitOfWork, action: str, summary: str, records: bytes) -> AuditEntry:
    last = _head(uow)
    entry = AuditEntry(
        **entry_row(
            device_id=uow.device_id,
            seq=uow.next_seq(),
            staff_id=uow.staff_id,
            created_at=uow.now(),
            action=action,
            summary=summary,
            records=records,
            prev=last[1] if last else None,
        )
    )
    uow.session.add(entry)
    uow.session.flush()
    uow.audit_head = (entry.seq, bytes(entry.entry_hash or b""))
    return entry


def entry_row(
    *,
    device_id: uuid.UUID,
    seq: int,
    staff_id: uuid.UUID | None,
    created_at: datetime,
    action: str,
    summary: str,
    records: bytes,
    prev: bytes | None,
) -> dict[str, Any]:
    """An entry's columns, its hash included: for `_append`, and for writers that insert many
    entries at once (services/demo_bulk.py), so both chain the same way."""
    row: dict[str, Any] = {
        "device_id": device_id,
        "seq": seq,
        "staff_id": staff_id,
        "created_at": created_at,
        "action": action[:60],
        "summary": summary[:SUMMARY_MAX],
        "records_hash": records,
        "id": None,  # an entry is known by (device, seq); only older entries have an id
    }
    row["entry_hash"] = _digest(row, prev)
    return row


def entry_digest(entry: AuditEntry, prev: bytes | None) -> bytes:
    """The hash `entry` should carry when `prev` is the hash of its device's entry before it."""
    return _digest(
        {
            "id": entry.id,
            "device_id": entry.device_id,
            "seq": entry.seq,
            "staff_id": entry.staff_id,
            "created_at": entry.created_at,
            "action": entry.action,
            "summary": entry.summary,
            "records_hash": entry.records_hash,
        },
        prev,
    )


def _digest(row: dict[str, Any], prev: bytes | None) -> bytes:
    return facts.entry_hash(
        entry_id=row["id"],
        device_id=row["device_id"],
        seq=row["seq"],
        staff_id=row["staff_id"],
        created_at=row["created_at"],
        action=row["action"],
        summary=row["summary"],
        records=row["records_hash"],
        prev=prev,
    )


def _seal_pending(session: Session) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        return
    session.flush()
    if uow.written:
        record(uow, "save", f"{len(uow.written)} records")


event.listen(Session, "before_commit", _seal_pending)


# --- Verifying ---------------------------------------------------------------------------


def verify(session: Session, notes: list[str] | None = None) -> list[str]:
    """Every device's chain and every record against its entry; the first misfit per device.

    Another device's history arrives by bundles or the hub, possibly with a part missing for a
    while (a bundle it wrote for a third device): its chain is checked from each part that is
    here, the records of the entry after a gap left aside, and `notes` says so. This device's
    own chain must be whole."""
    names = {d.id: d.name for d in session.scalars(select(Device))}
    mine = session.get(Setting, "device_id")
    entries: dict[uuid.UUID, list[AuditEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entry_hash.is_not(None))
        .order_by(AuditEntry.device_id, AuditEntry.seq)  # the key's order: no sort
    ):
        entries[entry.device_id].append(entry)
    records = every_record(session.connection())
    _add_held(session, entries, records)
    problems = []
    for device in sorted(set(entries) | set(records), key=lambda d: names.get(d, str(d))):
        name = names.get(device, str(device))
        partial = mine is None or str(device) != mine.value
        problem, gap = _verify_device(
            entries.get(device, []), records.get(device, []), name, partial=partial
        )
        if problem:
            problems.append(problem)
        elif gap is not None and notes is not None:
            notes.append(
                _(
                    "Part of the history of device {device} has not arrived here yet (before "
                    "its audit entry {seq}); what is here fits.",
                    device=name,
                    seq=gap,
                )
            )
    return problems


def _add_held(
    session: Session,
    entries: dict[uuid.UUID, list[AuditEntry]],
    records: dict[uuid.UUID, list[tuple[int, bytes, str, uuid.UUID]]],
) -> None:
    """Records of other devices held back by a merge (pending until what they refer to
    arrives, or quarantined) still belong to their device's chain: each fills its place by
    its own facts hash, where its entry is here and no record here holds that place."""
    last = {device: chain[-1].seq for device, chain in entries.items() if chain}
    taken: dict[uuid.UUID, set[int]] = {}
    for device, seq, value, kind, record_id in held_facts(session.connection()):
        if seq >= last.get(device, 0):
            continue
        rows = records.setdefault(device, [])
        if device not in taken:
            taken[device] = {row[0] for row in rows}
        if seq not in taken[device]:
            taken[device].add(seq)
            rows.append((seq, value, kind, record_id))
    for device in taken:
        records[device].sort(key=lambda row: row[0])


def _describe(entry: AuditEntry, device: str) -> str:
    when = entry.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return _(
        "audit entry {seq} of device {device} ({action!r} at {when})",
        seq=entry.seq,
        device=device,
        action=entry.action,
        when=when,
    )


def _verify_device(
    entries: list[AuditEntry],
    records: list[tuple[int, bytes, str, uuid.UUID]],
    device: str,
    *,
    partial: bool = False,
) -> tuple[str | None, int | None]:
    """(The first misfit, or None; the first entry after a gap in another device's chain).

    `partial`: another device's chain, which arrives by bundles or the hub. Its records after
    the last of its entries held here are not a misfit: they came before their entry (a new
    device starts with the catalog and staff of its organisation, and their entries arrive
    with that device's next bundle); every entry held must still fit."""
    prev: bytes | None = None
    prev_seq = 0
    position = 0
    gap: int | None = None
    for entry in entries:
        covered = []
        while position < len(records) and records[position][0] < entry.seq:
            covered.append(records[position][1])  # a seq at or before `after` cannot fit
            position += 1
        # Every number a device gives goes to one record or entry, so a number missing between
        # two entries tells a missing part from a changed entry (the previous hash is derived
        # from the entry before, not stored).
        missing = len(covered) < entry.seq - prev_seq - 1
        if entry_digest(entry, prev) != entry.entry_hash:
            if missing and partial:
                # Another device's part not here yet: this entry's previous hash and first
                # records are among what has not arrived.
                gap = entry.seq if gap is None else gap
                prev, prev_seq = entry.entry_hash, entry.seq
                continue
            if missing:
                return _(
                    "{entry} does not follow the entry before it: an entry was removed or changed",
                    entry=_describe(entry, device),
                ), None
            return _(
                "{entry} was changed after it was written", entry=_describe(entry, device)
            ), None
        if facts.records_hash(covered) != entry.records_hash:
            return _(
                "the records of {entry} do not match it: a record it covers was changed, added "
                "or removed",
                entry=_describe(entry, device),
            ), None
        prev, prev_seq = entry.entry_hash, entry.seq
    if position < len(records) and not partial:
        seq, _hash, kind, _id = records[position]  # not `_`: that is the translation
        return _(
            "record {seq} of device {device} ({kind}) is covered by no audit entry: it was added "
            "outside the app, or the entry covering it was removed",
            seq=seq,
            device=device,
            kind=kind,
        ), None
    return None, gap


# --- Listing -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    device: str
    staff: str
    action: str
    summary: str
    records: str  # hex SHA-256 of the records the action wrote
    entry_hash: str


def entries(
    uow: UnitOfWork,
    period: Period | None = None,
    *,
    staff: str | None = None,
    action: str | None = None,
) -> list[AuditRow]:
    """The audit log (coordinators only), oldest first, optionally for a period, person, action."""
    from outreach_app.services.staff import require

    require(uow, Action.AUDIT)
    names = {d.id: d.name for d in uow.session.scalars(select(Device))}
    people = {s.id: s.name for s in uow.session.scalars(select(Staff))}
    query = select(AuditEntry).order_by(AuditEntry.created_at, AuditEntry.seq)
    if period is not None:
        start, end = period.utc_bounds(uow.zone)
        query = query.where(AuditEntry.created_at >= start, AuditEntry.created_at < end)
    if action:
        query = query.where(AuditEntry.action == action)
    rows = []
    for entry in uow.session.scalars(query):
        who = people.get(entry.staff_id, "") if entry.staff_id else ""
        if staff and who.casefold() != " ".join(staff.split()).casefold():
            continue
        rows.append(
            AuditRow(
                at=entry.created_at,
                device=names.get(entry.device_id, str(entry.device_id)),
                staff=who,
                action=entry.action,
                summary=entry.summary,
                records=entry.records_hash.hex() if entry.records_hash else "",
                entry_hash=entry.entry_hash.hex() if entry.entry_hash else "",
            )
        )
    return rows


def actions(uow: UnitOfWork) -> list[str]:
    return sorted(set(uow.session.scalars(select(AuditEntry.action).distinct())))
