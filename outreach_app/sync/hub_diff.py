"""What one store holds that another lacks, for the hub sync (contracts §9).

A record is known everywhere by its device and that device's sequence number: each device
numbers everything it makes in one series (records, shared rows, its audit entries, its copies
of records another device made too). So what a store *has* is one set of numbers per device,
over every table plus the records it holds back (quarantined or pending: sending those again
would only be held again), and what it can *give* is its records (table by table, so they can
be read back) plus those it holds pending (another store may hold what they wait for).
Comparing the two needs no marks, and survives anything: an interrupted sync, a restored
backup, a bundle merged meanwhile. A year of three sites is about a million small integers a
side, read per table as (device, number) pairs.

The organisation's shared rows (catalog, sites, staff) and settings change in place: one of
them is sent when the other side holds another version of it (time and device of its last
change) or does not know who made it, and the merge keeps the latest. Device rows are few and
go with every batch, so the merge can tell which devices are the organisation's.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, LargeBinary, Table, Text, and_, cast, select, type_coerce

from outreach_app.storage.facts import CHUNK
from outreach_app.storage.models import SyncHeld
from outreach_app.storage.plain_rows import PlainRow, to_plain
from outreach_app.sync.records import (
    RECORD_KINDS,
    SHARED_KINDS,
    TABLES,
    Record,
    device_rows,
    key_columns,
    org_settings,
    read_by_keys,
    shared_rows,
)

HELD: Table = SyncHeld.__table__  # type: ignore[assignment]
#: Kinds in the order they are sent: who may join and who is revoked first (the receiving
#: store decides from them which devices' records it takes), then what records refer to
#: before what refers to it, so a batch seldom waits for the next one.
FIRST = ("invitations", "device_revocations")
SEND_ORDER: tuple[str, ...] = FIRST + tuple(k for k in RECORD_KINDS if k not in FIRST)
PENDING_SOURCE = "(pending)"  # where a record held pending is read from, instead of a kind

Seqs = dict[uuid.UUID, set[int]]
Slice = tuple[str, uuid.UUID, tuple[int, ...]]  # where to read (a kind, or pending), device, seqs


def _version(row: PlainRow) -> tuple[Any, Any]:
    return (row.get("changed_at"), row.get("changed_by"))


@dataclass
class Holdings:
    """What one store holds, as far as a sync needs to know."""

    has: Seqs = field(default_factory=lambda: defaultdict(set))
    gives: dict[str, Seqs] = field(default_factory=dict)  # kind (or PENDING_SOURCE) -> seqs
    shared: dict[str, Record] = field(default_factory=dict)  # kind:id -> the row
    settings: dict[str, PlainRow] = field(default_factory=dict)
    devices: list[PlainRow] = field(default_factory=list)

    def version_of(self, key: str) -> tuple[Any, Any] | None:
        record = self.shared.get(key)
        return _version(record.row) if record is not None else None


def _seqs_by_device(conn: Connection, table: Table) -> Seqs:
    """Each device's sequence numbers in `table`. The device column is read raw (16 bytes on
    SQLite, text on PostgreSQL) and made a UUID once per device, not once per row: a year is a
    million rows, and building a UUID costs more than the rest of the row."""
    column = table.c.device_id
    raw = (
        cast(column, Text)
        if conn.dialect.name == "postgresql"
        else type_coerce(column, LargeBinary)
    )
    found: dict[Any, set[int]] = defaultdict(set)
    for device, seq in conn.execute(select(raw, table.c.seq)):
        found[device].add(seq)
    return {
        uuid.UUID(key) if isinstance(key, str) else uuid.UUID(bytes=bytes(key)): seqs
        for key, seqs in found.items()
    }


def holdings(conn: Connection) -> Holdings:
    """Read in one snapshot (the caller's read unit)."""
    held = Holdings()
    for kind, table in TABLES.items():
        gives = _seqs_by_device(conn, table)
        for device, seqs in gives.items():
            held.has[device] |= seqs
        if kind not in SHARED_KINDS:  # shared rows travel by version, below
            held.gives[kind] = gives
    pending: Seqs = defaultdict(set)
    query = select(HELD.c.kind, HELD.c.from_device, HELD.c.seq, HELD.c.state)
    for kind, device, seq, state in conn.execute(query):
        held.has[device].add(seq)
        if state == "pending" and kind not in SHARED_KINDS:
            pending[device].add(seq)
    held.gives[PENDING_SOURCE] = pending
    for record in shared_rows(conn):
        held.shared[f"{record.kind}:{record.row['id']}"] = record
    held.settings = {row["key"]: row for row in org_settings(conn)}
    held.devices = device_rows(conn)
    return held


@dataclass(frozen=True)
class Wanted:
    """What the target lacks, in the order to send it: who may join and who is revoked
    first, then each device's records by its sequence numbers."""

    shared: tuple[Record, ...]
    settings: tuple[PlainRow, ...]
    first: tuple[Slice, ...]
    series: tuple[tuple[uuid.UUID, tuple[tuple[int, str], ...]], ...]  # device, (seq, where)

    @property
    def total(self) -> int:
        return (
            len(self.shared)
            + len(self.settings)
            + sum(len(seqs) for _k, _d, seqs in self.first)
            + sum(len(items) for _d, items in self.series)
        )

    def __bool__(self) -> bool:
        return self.total > 0


def wanted(source: Holdings, target: Holdings) -> Wanted:
    # A shared row goes when the target holds another version of it, or does not know who made
    # the source's row: two devices that added the same code each keep their own making, and
    # the other's must arrive (kept as a copy) or the maker's audit chain would not fit there.
    shared = tuple(
        record
        for key, record in source.shared.items()
        if target.version_of(key) != _version(record.row)
        or record.seq not in target.has.get(record.device, ())
    )
    settings = tuple(
        row
        for key, row in source.settings.items()
        if key not in target.settings or _version(target.settings[key]) != _version(row)
    )
    first: list[Slice] = []
    series: dict[uuid.UUID, dict[int, str]] = defaultdict(dict)
    for where in (*SEND_ORDER, PENDING_SOURCE):
        for device, seqs in source.gives.get(where, {}).items():
            missing = seqs - target.has.get(device, set()) - series[device].keys()
            if not missing:
                continue
            if where in FIRST:
                first.append((where, device, tuple(sorted(missing))))
                series[device].update(dict.fromkeys(missing, ""))  # "": sent with `first`
            else:
                series[device].update(dict.fromkeys(missing, where))
    ordered = tuple(
        (device, tuple((seq, where) for seq, where in sorted(items.items()) if where))
        for device, items in sorted(series.items(), key=lambda d: d[0].hex)
        if any(items.values())
    )
    return Wanted(shared, settings, tuple(first), ordered)


def _slices(batch: list[tuple[str, uuid.UUID, int]]) -> list[Slice]:
    grouped: dict[tuple[str, uuid.UUID], list[int]] = defaultdict(list)
    for where, device, seq in batch:
        grouped[(where, device)].append(seq)
    return [(where, device, tuple(seqs)) for (where, device), seqs in grouped.items()]


def batches(plan: Wanted, size: int) -> Iterator[list[Slice]]:
    """The records of `plan` in batches of about `size`, cut where one of a device's actions
    ends (after its audit entry, which comes after the records of its action), so an encounter
    never arrives without the stock it drew. An action of more than twice `size` (a big
    spreadsheet) is cut before one of its encounters, which come each followed by their draws:
    the receiving side still never holds up its own writers for more than a batch. Shared rows
    and settings go with the first batch."""
    batch: list[tuple[str, uuid.UUID, int]] = [
        (where, device, seq) for where, device, seqs in plan.first for seq in seqs
    ]
    yielded = False
    for device, items in plan.series:
        for seq, where in items:
            if where == "encounters" and len(batch) >= 2 * size:
                yield _slices(batch)
                batch, yielded = [], True
            batch.append((where, device, seq))
            if len(batch) >= size and where == "audit_log":
                yield _slices(batch)
                batch, yielded = [], True
        if len(batch) >= size:  # another device's records start a new action anyway
            yield _slices(batch)
            batch, yielded = [], True
    if batch or not yielded:
        yield _slices(batch)


def read_batch(conn: Connection, batch: Sequence[Slice]) -> list[Record]:
    """The records of one batch, read from the source store."""
    found: list[Record] = []
    for kind, device, seqs in batch:
        for start in range(0, len(seqs), CHUNK):
            chunk = list(seqs[start : start + CHUNK])
            if kind == PENDING_SOURCE:
                query = select(HELD.c.payload).where(
                    HELD.c.state == "pending", HELD.c.from_device == device, HELD.c.seq.in_(chunk)
                )
                found.extend(Record.decode(bytes(p)) for (p,) in conn.execute(query))
                continue
            found.extend(_read_slice(conn, kind, device, chunk))
    return found


def _read_slice(conn: Connection, kind: str, device: uuid.UUID, seqs: list[int]) -> list[Record]:
    """Records of `kind` numbered `seqs` by `device`: found by id, then read as the bundle
    merge reads them (`read_by_keys`, with their children). A table keyed otherwise (record
    copies by record and device, the audit log by device and sequence number since revision
    0007, whose new entries have no id) has no children and is read here."""
    table = TABLES[kind]
    where = and_(table.c.device_id == device, table.c.seq.in_(seqs))
    if key_columns(kind) != ("id",):
        return [
            Record(kind, to_plain(row), {})
            for row in conn.execute(select(table).where(where)).mappings()
        ]
    ids = [value.hex for value in conn.scalars(select(table.c.id).where(where))]
    return list(read_by_keys(conn, kind, ids))


def pending_among(conn: Connection, sent: Seqs) -> dict[str, int]:
    """Per kind, how many of the records `sent` are held pending here: a record counted pending
    by one batch and added by a later one (it came before what it refers to) is not pending."""
    found: dict[str, int] = defaultdict(int)
    query = select(HELD.c.kind, HELD.c.from_device, HELD.c.seq).where(HELD.c.state == "pending")
    for kind, device, seq in conn.execute(query):
        if seq in sent.get(device, ()):
            found[kind] += 1
    return dict(found)
