"""Records in their travelling form, and reading them out of a store.

A `Record` is one row of a record table in plain form (`storage/plain_rows.py`: ids as hex,
moments as milliseconds, NULLs left out) with its children: an encounter's items, kits and
referrals, a count's lines, a kit's lines. Its encoding, one JSON object per line, is also what
`sync_held.payload` keeps of a record held back, so a held record is applied later exactly as
it arrived.

Kinds are table names. Shared rows (`SHARED_KINDS`: staff, sites, items, referral types, kits)
change in place and always travel whole; every other kind is append-only and travels by its
device's sequence number (`records_since`). Rows are keyed by their table's primary key, read
from the table itself, so a table keyed otherwise (the audit log by device and sequence number)
travels without a change here.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select

from outreach_app.domain.facts import canonical
from outreach_app.domain.org_settings import is_org_setting
from outreach_app.storage.facts import CHILDREN, RECORD_TABLES, SHARED
from outreach_app.storage.models import Device, KitLine, RecordCopy, Setting, SyncHeld
from outreach_app.storage.plain_codec import (
    db_id,
    rows_after,
    rows_where_in,
    to_plain_children,
    to_plain_rows,
)
from outreach_app.storage.plain_json import record_json, records_by_ids
from outreach_app.storage.plain_rows import Children, PlainRow, to_plain

#: Shared rows, parents first (a kit's lines name items).
SHARED_KINDS: tuple[str, ...] = ("staff", "sites", "items", "referral_types", "kits")
#: Append-only kinds in the order they can be applied: what a record refers to comes first.
_ORDER = (
    "lots",
    "imports",
    "encounters",
    "stocktakes",
    "stock_movements",
    "encounter_voids",
    "purges",
    "invitations",
    "device_revocations",
    "audit_log",
    "record_copies",
)
RECORD_KINDS: tuple[str, ...] = tuple(
    [k for k in _ORDER if k in RECORD_TABLES or k == "record_copies"]
    + [k for k in RECORD_TABLES if k not in _ORDER and k not in SHARED]
)
TABLES: dict[str, Table] = {**RECORD_TABLES, "record_copies": RecordCopy.__table__}  # type: ignore[dict-item]
CHILD_TABLES: dict[str, tuple[tuple[str, Any, str], ...]] = {
    **CHILDREN,
    "kits": (("lines", KitLine.__table__, "kit_id"),),
}
_LABELS: dict[str, frozenset[str]] = {
    kind: frozenset(label for label, _t, _p in CHILD_TABLES.get(kind, ())) for kind in TABLES
}
DEVICE_COLUMNS = ("id", "name", "verify_key", "invitation_id", "join_signature", "created_at")
#: One encoder for every record: compact, UTF-8 as it is.
ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
_HELD_NAMESPACE = uuid.UUID("5b0e7c1e-6a52-4d4c-9d0a-1a7f0f3e2b11")


_KEYS = {kind: tuple(c.name for c in table.primary_key.columns) for kind, table in TABLES.items()}


def key_columns(kind: str) -> tuple[str, ...]:
    return _KEYS[kind]


@dataclass(slots=True, eq=False)
class Record:
    kind: str
    row: PlainRow
    children: Children = field(default_factory=dict)
    raw: bytes | None = field(default=None, repr=False)  # as it arrived

    def __repr__(self) -> str:  # rows hold participant keys and notes: never in a repr
        return f"Record({self.kind}, {self.row.get('device_id')}:{self.row.get('seq')})"

    @property
    def device(self) -> uuid.UUID:
        return uuid.UUID(hex=self.row["device_id"])

    @property
    def seq(self) -> int:
        return int(self.row["seq"])

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(self.row.get(c) for c in key_columns(self.kind))

    @property
    def record_id(self) -> uuid.UUID:
        """The id a record is known by when merging and held under: its id, the record a copy
        is of, or (a table keyed otherwise: audit entries, by device and sequence number since
        revision 0007) one derived from its key."""
        if self.kind == "record_copies":
            return uuid.UUID(hex=self.row["record_id"])
        if key_columns(self.kind) == ("id",):
            return uuid.UUID(hex=self.row["id"])
        return uuid.uuid5(_HELD_NAMESPACE, canonical({"kind": self.kind, "key": self.key}).hex())

    def body(self) -> dict[str, Any]:
        """The JSON object a record travels as."""
        if self.children:
            return {"kind": self.kind, "row": self.row, "children": self.children}
        return {"kind": self.kind, "row": self.row}

    def encode(self) -> bytes:
        if self.raw is None:
            self.raw = ENCODER.encode(self.body()).encode()
        return self.raw

    @staticmethod
    def decode(raw: bytes) -> Record:
        """A record as encoded by `encode`; ValueError when it is not one."""
        record = Record.from_body(json.loads(raw))
        record.raw = raw
        return record

    @staticmethod
    def from_body(body: Any) -> Record:
        """A record from its decoded JSON object; ValueError when it is not one."""
        if type(body) is not dict:
            raise ValueError("not a record")
        kind, row, children = body.get("kind"), body.get("row"), body.get("children")
        labels = _LABELS.get(kind)  # type: ignore[arg-type]
        if labels is None or type(row) is not dict:
            raise ValueError("not a record")
        if children is None:
            children = {}
        elif type(children) is not dict:
            raise ValueError("bad children")
        else:
            for label, rows in children.items():
                if label not in labels:
                    raise ValueError("unknown children")
                if type(rows) is not list or not all(type(r) is dict for r in rows):
                    raise ValueError("bad children")
        device, seq = row.get("device_id"), row.get("seq")
        # Enough to sort and key it; every value is checked against its column when stored.
        if type(device) is not str or len(device) != 32 or type(seq) is not int:
            raise ValueError("a record without its device and sequence number")
        return Record(kind, row, children)  # type: ignore[arg-type]


def _children_of(conn: Connection, kind: str, parents: Sequence[Any]) -> dict[Any, Children]:
    """Children of the parents given as the driver's ids, by that same id."""
    found: dict[Any, Children] = {}
    dialect = conn.dialect.name
    for label, child, parent in CHILD_TABLES.get(kind, ()):
        rows = rows_where_in(conn, child, parent, parents)
        for owner, values in to_plain_children(dialect, child, rows, parent):
            found.setdefault(owner, {}).setdefault(label, []).append(values)
    return found


def _with_children(
    conn: Connection, kind: str, rows: Sequence[Sequence[Any]], children: bool
) -> Iterator[Record]:
    table = TABLES[kind]
    plain = to_plain_rows(conn.dialect.name, table, rows)
    if not (children and kind in CHILD_TABLES):
        for row in plain:
            yield Record(kind, row, {})
        return
    position = [c.name for c in table.columns].index("id")
    found = _children_of(conn, kind, [r[position] for r in rows])
    for raw, row in zip(rows, plain, strict=True):
        yield Record(kind, row, found.get(raw[position], {}))


def read_records(
    conn: Connection, kind: str, *, after_seq: int | None = None, batch: int = 2000
) -> Iterator[Record]:
    """The rows of `kind` (those numbered after `after_seq` by their device, when given),
    with their children, in plain form."""
    for rows in rows_after(conn, TABLES[kind], after_seq, batch):
        yield from _with_children(conn, kind, rows, True)


def read_by_device_seq(
    conn: Connection, kind: str, keys: Iterable[tuple[str, int]]
) -> list[Record]:
    """The records of a table keyed by (device, sequence number) among `keys` (plain device
    ids): the audit log since revision 0007."""
    table, dialect = TABLES[kind], conn.dialect.name
    by_device: dict[str, set[int]] = defaultdict(set)
    for device, seq in keys:
        by_device[device].add(seq)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    found: list[Record] = []
    for device, seqs in by_device.items():
        ordered = sorted(seqs)
        for start in range(0, len(ordered), 500):
            part = ordered[start : start + 500]
            sql = (
                f'SELECT {names} FROM "{table.name}" WHERE "device_id" = {mark} '
                f'AND "seq" IN ({", ".join([mark] * len(part))})'
            )
            rows = conn.exec_driver_sql(sql, (db_id(dialect, device), *part)).all()
            found.extend(Record(kind, row) for row in to_plain_rows(dialect, table, rows))
    return found


def read_by_keys(
    conn: Connection, kind: str, keys: Sequence[str], *, children: bool = True
) -> Iterator[Record]:
    """The records of `kind` whose id (plain: 32 hex digits) is among `keys`."""
    dialect = conn.dialect.name
    raw_ids = [db_id(dialect, k) for k in keys]
    if dialect == "sqlite":  # SQLite writes their plain form itself, much faster
        kids = CHILD_TABLES.get(kind, ()) if children else ()
        for row, found in records_by_ids(conn, TABLES[kind], kids, raw_ids):
            yield Record(kind, row, found)
        return
    rows = rows_where_in(conn, TABLES[kind], "id", raw_ids)
    yield from _with_children(conn, kind, rows, children)


def records_since(
    conn: Connection, marks: Mapping[uuid.UUID, int], *, everything: bool = False
) -> Iterator[Record]:
    """Every append-only record this store holds that its device numbered after that device's
    mark (all of them with `everything`), records held pending included, shared rows not
    (`shared_rows`). Invitations always travel whole: they prove who may join."""
    low = 0 if everything or not marks else min(marks.values(), default=0)
    by_hex = {device.hex: seq for device, seq in marks.items()}
    for kind in RECORD_KINDS:
        whole = everything or kind == "invitations"
        for record in read_records(conn, kind, after_seq=None if whole else low):
            if whole or record.row["seq"] > by_hex.get(record.row["device_id"], 0):
                yield record
    yield from held_pending(conn, marks, everything=everything)


def travelling_since(
    conn: Connection, marks: Mapping[uuid.UUID, int], *, everything: bool = False
) -> Iterator[tuple[str, str, int, str]]:
    """What `records_since` gives, as (kind, device id, seq, the record's JSON text): on
    SQLite the text comes from SQLite itself (`storage/plain_json.py`), fast enough for a
    year; elsewhere from the records read in Python."""
    if conn.dialect.name != "sqlite":
        for record in records_since(conn, marks, everything=everything):
            yield (
                record.kind,
                record.row["device_id"],
                record.row["seq"],
                ENCODER.encode(record.body()),
            )
        return
    low = 0 if everything or not marks else min(marks.values(), default=0)
    by_hex = {device.hex: seq for device, seq in marks.items()}
    for kind in RECORD_KINDS:
        whole = everything or kind == "invitations"
        children = CHILD_TABLES.get(kind, ())
        head = f'{{"kind":"{kind}","row":'
        for rows in record_json(conn, TABLES[kind], children, None if whole else low):
            for device, seq, row, kids in rows:
                if whole or seq > by_hex.get(device, 0):
                    if kids and kids != "{}":
                        yield kind, device, seq, f'{head}{row},"children":{kids}}}'
                    else:
                        yield kind, device, seq, f"{head}{row}}}"
    for record in held_pending(conn, marks, everything=everything):
        yield record.kind, record.row["device_id"], record.row["seq"], record.encode().decode()


def held_pending(
    conn: Connection, marks: Mapping[uuid.UUID, int], *, everything: bool = False
) -> Iterator[Record]:
    """Held records that still travel: those pending (they are records of their device, only
    early here) and another device's import of a spreadsheet this one holds under another
    name. A record quarantined as damage, or from a revoked device, goes no further."""
    held: Table = SyncHeld.__table__  # type: ignore[assignment]
    query = select(held.c.from_device, held.c.seq, held.c.payload).where(
        (held.c.state == "pending") | (held.c.reason == "renamed")
    )
    for device, seq, payload in conn.execute(query):
        if everything or seq > marks.get(device, 0):
            yield Record.decode(bytes(payload))


def shared_rows(conn: Connection) -> Iterator[Record]:
    for kind in SHARED_KINDS:
        yield from read_records(conn, kind)


def device_rows(conn: Connection) -> list[PlainRow]:
    table: Table = Device.__table__  # type: ignore[assignment]
    columns = [table.c[name] for name in DEVICE_COLUMNS]
    return [to_plain(row) for row in conn.execute(select(*columns)).mappings()]


def org_settings(conn: Connection) -> list[PlainRow]:
    """The organisation's settings with their last change (never a device's own)."""
    table: Table = Setting.__table__  # type: ignore[assignment]
    return [
        to_plain(row)
        for row in conn.execute(select(table)).mappings()
        if is_org_setting(row["key"]) and row["changed_at"] is not None
    ]
