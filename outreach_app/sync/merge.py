"""The merge core (contracts §9): records in, one transaction, counts out.

Bundle files (`sync/bundles.py`) and the hub sync both go through here. What a store sends:

    records_since(conn, marks, everything=False) -> Iterator[Record]     (sync/records.py)
        append-only records numbered after each device's mark, held pending ones included
    travelling_since(conn, marks, everything=False)                      (the same, as JSON text)
    shared_rows(conn), device_rows(conn), org_settings(conn)             (always sent whole)
    held.read_marks(conn) / held.set_marks(conn, {device: seq})          (how far was sent)

What a store takes, inside the caller's write unit of work:

    merge(uow, Incoming(devices, settings, records), trusted=None, quiet=False) -> MergeCounts
    trusted_devices(uow, incoming) -> {device id: public key}            (sync/trust.py's chain)

A `Record` is a plain row (ids as hex, moments as milliseconds) with its children, known by
`Record.record_id` (its id, or an audit entry's derived from its device and sequence number);
it encodes to one JSON object (`Record.body`, `Record.encode`) and back (`Record.from_body`,
`decode`).
`MergeCounts.rows()` gives (kind, added, already present, quarantined, pending) per kind. The
hub keeps its own marks per device it serves; `merge` lowers this store's marks itself.

`merge` runs inside the caller's write unit of work (which holds the write lock), in this order:

1. the records held pending by earlier merges are taken back and tried with the new ones;
2. devices proven by `sync/trust.py` (`trusted`, or worked out here from the local devices,
   the incoming device rows and every invitation known) are added; revocations are applied
   first, so a revoked device's records in the same merge are quarantined;
3. the organisation's settings and shared rows: the latest change by (time, device id) wins;
4. append-only records: those of a save whose audit entry is here and whose hash they match
   are already present without reading them (`sync/merge_settled.py`); the rest one by one
   (`sync/merge_records.py`): added, already present (another device's copy kept in
   `record_copies`), quarantined or pending;
5. held records written (without their free text when a purge covers them), export marks
   lowered below any record added behind them, purges applied again to what arrived and to
   what is held (`services.retention.reapply`), and one audit entry "merge"
   for this device (it wrote none of its own records, so it covers none).

Merging is idempotent and order-independent: the same records in any order and any number of
times give the same records, stock (kept by the database's triggers) and reports.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, select, update

from outreach_app.services import audit, free_text, retention
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Device, Invitation
from outreach_app.storage.plain_rows import PlainRow, from_plain
from outreach_app.sync import held as held_records
from outreach_app.sync.merge_context import PRESENT, Context, Known, MergeCounts
from outreach_app.sync.merge_records import RecordMerge, insert_copies
from outreach_app.sync.merge_settled import settled
from outreach_app.sync.merge_shared import (
    merge_devices,
    merge_settings,
    merge_shared,
    note_revocations,
)
from outreach_app.sync.records import SHARED_KINDS, TABLES, Record
from outreach_app.sync.trust import DeviceClaim, InvitationClaim, trusted_keys

__all__ = ["Incoming", "MergeCounts", "merge", "trusted_devices"]

DEVICES: Table = Device.__table__  # type: ignore[assignment]
INVITATIONS: Table = Invitation.__table__  # type: ignore[assignment]


@dataclass
class Incoming:
    """What arrived: device rows and organisation settings (plain) and records of any kind."""

    devices: list[PlainRow] = field(default_factory=list)
    settings: list[PlainRow] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    def extend(self, other: Incoming) -> None:
        self.devices += other.devices
        self.settings += other.settings
        self.records += other.records


def _claims(incoming: Incoming) -> tuple[list[DeviceClaim], list[InvitationClaim]]:
    devices = []
    for row in incoming.devices:
        values = from_plain(DEVICES, row)
        if values["verify_key"] is None:
            continue
        devices.append(
            DeviceClaim(
                values["id"],
                values["name"],
                values["verify_key"],
                values["invitation_id"],
                values["join_signature"],
            )
        )
    invitations = []
    for record in incoming.records:
        if record.kind == "invitations":
            values = from_plain(INVITATIONS, record.row)
            invitations.append(
                InvitationClaim(
                    values["id"], values["device_id"], values["invite_key"], values["signature"]
                )
            )
    return devices, invitations


def trusted_devices(uow: UnitOfWork, incoming: Incoming) -> dict[uuid.UUID, bytes]:
    """Device id -> public key of every device this store trusts with what arrived: those it
    knows, and those an invitation chain proves (`sync/trust.py`)."""
    conn = uow.session.connection()
    known = {
        device: bytes(key)
        for device, key in conn.execute(select(DEVICES.c.id, DEVICES.c.verify_key))
        if key is not None
    }
    devices, invitations = _claims(incoming)
    for invitation_id, device, key, signature in conn.execute(
        select(INVITATIONS.c.id, INVITATIONS.c.device_id, INVITATIONS.c.invite_key,
               INVITATIONS.c.signature)
    ):  # fmt: skip
        invitations.append(InvitationClaim(invitation_id, device, bytes(key), bytes(signature)))
    return trusted_keys(known, devices, invitations, uow.organisation_id())


def _unique(records: Iterable[Record]) -> list[Record]:
    """One of each record given several times (the same bundle twice, a relayed copy); the
    same record with other contents is kept, for the merge to quarantine."""
    seen: dict[tuple[str, Any, Any, Any], Record] = {}
    others: list[Record] = []
    for record in records:
        row = record.row
        # Every kind is keyed by its id, or a copy by its record and device, or (a table keyed
        # otherwise) by device and sequence number: all four together tell records apart.
        key = (record.kind, row.get("id") or row.get("record_id"), row.get("device_id"),
               row.get("seq"))  # fmt: skip
        first = seen.setdefault(key, record)
        if first is record:
            continue
        if first.row == row and first.children == record.children:
            continue
        if not any(r.row == row and r.children == record.children for r in others):
            others.append(record)
    return [*seen.values(), *others]


def merge(
    uow: UnitOfWork,
    incoming: Incoming,
    *,
    trusted: Mapping[uuid.UUID, bytes] | None = None,
    quiet: bool = False,
    settled_before: MergeCounts | None = None,
    note: str = "",
) -> MergeCounts:
    """Merge `incoming` into the store of `uow` (see the module's docstring).

    `quiet` (the hub sync): no entry of this merge when all it added is other devices' audit
    entries. Each side's entry for taking in the other's entries would otherwise be a new
    record to send back, and two syncing stores would never run out of something to send.
    `settled_before`: records of the same action counted already (`bundle_again.py`); `note`
    ends the summary of this merge's audit entry (the files it merged)."""
    conn = uow.session.connection()
    uow.session.flush()
    ctx = Context(conn=conn, now=uow.now(), this_device=uow.device_id, known=Known(conn))
    for kind, outcomes in (settled_before.by_kind if settled_before else {}).items():
        for outcome, n in outcomes.items():
            ctx.counts.add(kind, outcome, n)
    retried = held_records.take_pending(conn)
    ctx.retried = {id(r) for r in retried}
    records = _unique([*incoming.records, *retried])
    if trusted is None:
        trusted = trusted_devices(uow, incoming)
    merge_devices(ctx, incoming.devices, trusted)
    revocations = [r for r in records if r.kind == "device_revocations"]
    RecordMerge(ctx).run(revocations)
    note_revocations(ctx)
    merge_settings(ctx, incoming.settings)
    merge_shared(ctx, [r for r in records if r.kind in SHARED_KINDS])
    rest = [r for r in records if r.kind not in SHARED_KINDS and r.kind != "device_revocations"]
    done = settled(ctx, records, retried)  # here already by their save: no per-record read
    for record in rest:
        if id(record) in done:
            ctx.count(record, PRESENT)
    RecordMerge(ctx).run([r for r in rest if id(r) not in done])
    insert_copies(ctx)
    free_text.forget_cut_off(uow.session)  # a purge may have arrived with the records
    held_records.hold(conn, ctx.held, ctx.now, free_text.latest_cut_off(uow.session))
    held_records.lower_marks(conn, ctx.lowest)
    _follow_own_records(uow, ctx)
    retention.reapply(uow)
    counts = ctx.counts
    if quiet and _only_audit_entries(counts):
        return counts
    audit.record(
        uow,
        "merge",
        f"{counts.total('added')} added, {counts.total('already present')} already present, "
        f"{counts.total('quarantined')} quarantined, {counts.total('pending')} pending{note}",
    )
    return counts


def _only_audit_entries(counts: MergeCounts) -> bool:
    return all(
        kind == "audit_log" or not any(outcomes.values())
        for kind, outcomes in counts.by_kind.items()
    )


def _follow_own_records(uow: UnitOfWork, ctx: Context) -> None:
    """Records of this device that came back (a restored backup catching up): its counter
    moves past them, so its next record never reuses a sequence number."""
    if uow.device_id not in ctx.lowest:
        return
    highest = 0
    for table in TABLES.values():
        if "seq" in table.c and "device_id" in table.c:
            value = ctx.conn.scalar(
                select(func.max(table.c.seq)).where(table.c.device_id == uow.device_id)
            )
            highest = max(highest, value or 0)
    ctx.conn.execute(
        update(DEVICES)
        .where(DEVICES.c.id == uow.device_id, DEVICES.c.last_seq < highest)
        .values(last_seq=highest)
    )
