"""Records settled by their save: a bundle's records already here, found without reading them.

Each audit entry holds the hash of the records its device numbered since the entry before it
(`services/audit.py`), and every record carries its device and sequence number. So the records
that arrive can be grouped by the save that wrote them, each group's hash worked out from what
arrived alone, and compared with the entry already stored here: one small read per save
instead of reading (with its lines) every record a bundle names. The same bundle merged again,
or a hub sync that sends what is already here, is then settled without a per-record read.

A save is settled only when all of this holds, else its records go through the whole merge
(`merge_records.py`), which compares each one's facts and quarantines what differs:

- its entry arrived as it is stored here (the same row), and is not from a revoked device;
- every sequence number between the device's previous stored entry and it arrived once, and
  none of them is held here (pending or quarantined) or retried from the pending list;
- the hash of what arrived, in the order of the sequence numbers, is the entry's records hash;
- each of its records is here, stored under its own device and number, or kept as that
  device's copy of a record made twice (one read of id, device and number per record, from
  the table's key: no row, no lines, no JSON).

Shared rows (catalog, sites, staff) count in the hash but always go through `merge_shared`.
Nothing is stored for this: the hashes it compares are the audit log's own (issue #8 keeps a
year's size down, so no per-record hash is kept).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, select

from outreach_app.domain.facts import records_hash
from outreach_app.storage.facts import RECORD_TABLES, SHARED
from outreach_app.storage.plain_codec import db_id, reader, to_plain_rows
from outreach_app.storage.plain_rows import payload_hash
from outreach_app.sync.held import HELD
from outreach_app.sync.merge_context import Context
from outreach_app.sync.records import TABLES, Record, key_columns

AUDIT: Table = RECORD_TABLES["audit_log"]
_CHUNK = 500


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _held(conn: Connection, retried: Iterable[Record]) -> set[tuple[str, int]]:
    """(device, seq) of every record held here or retried from the pending list."""
    found = {(d.hex, int(s)) for d, s in conn.execute(select(HELD.c.from_device, HELD.c.seq))}
    found.update((r.row["device_id"], r.row["seq"]) for r in retried)
    return found


def _stored_entries(
    conn: Connection, device: str, low: int, high: int
) -> tuple[dict[int, dict[str, Any]], int]:
    """Every audit row of `device` numbered `low` to `high` (plain, by seq), and the number of
    its last chained entry before `low` (0 when none)."""
    mark, raw = _mark(conn), db_id(conn.dialect.name, device)
    names = ", ".join(f'"{c.name}"' for c in AUDIT.columns)
    rows = conn.exec_driver_sql(
        f'SELECT {names} FROM "audit_log" WHERE "device_id" = {mark} '
        f'AND "seq" >= {mark} AND "seq" <= {mark}',
        (raw, low, high),
    ).all()
    stored = {row["seq"]: row for row in to_plain_rows(conn.dialect.name, AUDIT, rows)}
    before = conn.exec_driver_sql(
        f'SELECT max("seq") FROM "audit_log" WHERE "device_id" = {mark} AND "seq" < {mark} '
        'AND "entry_hash" IS NOT NULL',
        (raw, low),
    ).scalar()
    return stored, int(before or 0)


def _where_stored(
    conn: Connection, wanted: dict[str, set[str]]
) -> dict[tuple[str, str], tuple[str, int]]:
    """(kind, id) -> (device, seq) it is stored under, for the ids wanted per kind."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    dialect, mark = conn.dialect.name, _mark(conn)
    cursor = conn.connection.cursor()
    try:
        for kind, ids in wanted.items():
            table = TABLES[kind]
            to_hex, device_hex = reader(dialect, table.c.id), reader(dialect, table.c.device_id)
            ordered = sorted(ids)
            for start in range(0, len(ordered), _CHUNK):
                part = [db_id(dialect, i) for i in ordered[start : start + _CHUNK]]
                cursor.execute(
                    f'SELECT "id", "device_id", "seq" FROM "{table.name}" '
                    f'WHERE "id" IN ({", ".join([mark] * len(part))})',
                    tuple(part),
                )
                for record_id, device, seq in cursor.fetchall():
                    found[(kind, to_hex(record_id))] = (device_hex(device), int(seq))
    finally:
        cursor.close()
    return found


class _Hashes:
    """Facts hashes of what arrived, each worked out once; a copy's is its record's."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._records = records
        self._known: dict[int, bytes] = {}
        self._by_id: dict[str, list[Record]] | None = None

    def of(self, record: Record) -> bytes | None:
        if record.kind == "record_copies":
            return self._of_id(str(record.row.get("record_id")))
        if record.kind not in RECORD_TABLES:
            return None
        value = self._known.get(id(record))
        if value is None:
            value = self._known[id(record)] = payload_hash(record.kind, record.row, record.children)
        return value

    def _of_id(self, record_id: str) -> bytes | None:
        if self._by_id is None:
            self._by_id = defaultdict(list)
            for record in self._records:
                if record.kind in RECORD_TABLES and key_columns(record.kind) == ("id",):
                    self._by_id[record.row["id"]].append(record)
        values = {self.of(r) for r in self._by_id.get(record_id, ())}
        return values.pop() if len(values) == 1 else None


def _by_device(records: Iterable[Record]) -> dict[str, dict[int, Record | None]]:
    """Per device, each sequence number's record (None where two different ones arrived)."""
    found: dict[str, dict[int, Record | None]] = defaultdict(dict)
    for record in records:
        seqs = found[record.row["device_id"]]
        seq = record.row["seq"]
        seqs[seq] = None if seq in seqs else record
    return found


class _Save:
    """One save of one device that may be settled: its entry and the records before it."""

    __slots__ = ("device", "entry", "records")

    def __init__(self, device: str, entry: Record, records: list[Record]) -> None:
        self.device, self.entry, self.records = device, entry, records


def _saves(ctx: Context, records: Sequence[Record], retried: Iterable[Record]) -> list[_Save]:
    """The saves whose entry arrived as stored and whose records all arrived, hash checked."""
    held = _held(ctx.conn, retried)
    hashes = _Hashes(records)
    found: list[_Save] = []
    for device, seqs in _by_device(records).items():
        if device in ctx.revoked:
            continue
        entries = sorted(
            seq
            for seq, r in seqs.items()
            if r is not None and r.kind == "audit_log" and "entry_hash" in r.row
        )
        if not entries:
            continue
        stored, before = _stored_entries(ctx.conn, device, min(seqs), entries[-1])
        chained = sorted(seq for seq, row in stored.items() if "entry_hash" in row)
        for seq in entries:
            entry, row = seqs[seq], stored.get(seq)
            if entry is None or row != entry.row or (device, seq) in held:
                continue
            at = bisect_left(chained, seq)  # the device's stored entry before this one
            start = chained[at - 1] if at else before
            group = [seqs.get(s) for s in range(start + 1, seq)]
            if any(r is None or (device, r.row["seq"]) in held for r in group):
                continue
            save = _Save(device, entry, [r for r in group if r is not None])
            if _fits(save, row, hashes):
                found.append(save)
    return found


def _fits(save: _Save, entry: dict[str, Any], hashes: _Hashes) -> bool:
    values = [hashes.of(r) for r in save.records]
    if any(v is None for v in values):
        return False
    return records_hash(v for v in values if v is not None).hex() == entry.get("records_hash")


def settled(ctx: Context, records: Sequence[Record], retried: Iterable[Record] = ()) -> set[int]:
    """id() of the records (shared rows aside) that are here already by their save; `retried`
    are those taken back from the pending list (never settled this way)."""
    saves = _saves(ctx, records, retried)
    wanted: dict[str, set[str]] = defaultdict(set)
    for save in saves:
        for record in save.records:
            if record.kind not in SHARED and key_columns(record.kind) == ("id",):
                wanted[record.kind].add(record.row["id"])
    where = _where_stored(ctx.conn, wanted)
    done: set[int] = set()
    for save in saves:
        if all(_here(ctx, record, save.device, where) for record in save.records):
            done.add(id(save.entry))
            done.update(id(r) for r in save.records if r.kind not in SHARED)
    return done


def _here(
    ctx: Context, record: Record, device: str, where: dict[tuple[str, str], tuple[str, int]]
) -> bool:
    row = record.row
    if record.kind in SHARED:
        return True  # merged whole by merge_shared whatever happens here
    if record.kind == "record_copies":
        return ctx.copy_exists(row["record_id"], device)
    if key_columns(record.kind) != ("id",):
        return False  # an audit row that is a record (an older entry): the whole merge
    stored = where.get((record.kind, row["id"]))
    if stored == (device, row["seq"]):
        return True
    return stored is not None and ctx.copy_exists(row["id"], device)
