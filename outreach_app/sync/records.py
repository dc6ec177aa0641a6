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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select

from outreach_app.domain.facts import canonical
from outreach_app.domain.org_settings import is_org_setting
from outreach_app.storage.facts import CHILDREN, CHUNK, RECORD_TABLES, SHARED
from outreach_app.storage.models import Device, KitLine, RecordCopy, Setting, SyncHeld
from outreach_app.storage.plain_rows import Children, PlainRow, decode_payload, to_plain

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
DEVICE_COLUMNS = ("id", "name", "verify_key", "invitation_id", "join_signature", "created_at")
_HELD_NAMESPACE = uuid.UUID("5b0e7c1e-6a52-4d4c-9d0a-1a7f0f3e2b11")


def key_columns(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in TABLES[kind].primary_key.columns)


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
        """The id a held record is kept under: its id, the record a copy is of, or (a table
        keyed otherwise) one derived from its key."""
        for name in ("id", "record_id"):
            if name in self.row:
                return uuid.UUID(hex=self.row[name])
        return uuid.uuid5(_HELD_NAMESPACE, canonical({"kind": self.kind, "key": self.key}).hex())

    def encode(self) -> bytes:
        if self.raw is None:
            body: dict[str, Any] = {"kind": self.kind, "row": self.row}
            if self.children:
                body["children"] = self.children
            self.raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        return self.raw

    @staticmethod
    def decode(raw: bytes) -> Record:
        """A record as encoded by `encode`; ValueError when it is not one."""
        kind, row, children = decode_payload(raw)
        if kind not in TABLES:
            raise ValueError("not a record")
        for label, rows in children.items():
            if label not in {name for name, _t, _p in CHILD_TABLES.get(kind, ())}:
                raise ValueError("unknown children")
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValueError("bad children")
        device, seq = row.get("device_id"), row.get("seq")
        if not isinstance(device, str) or type(seq) is not int:
            raise ValueError("a record without its device and sequence number")
        uuid.UUID(hex=device)
        return Record(kind, row, children, raw)


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _children_of(conn: Connection, kind: str, parents: Sequence[Any]) -> dict[Any, Children]:
    found: dict[Any, Children] = {}
    for label, child, parent in CHILD_TABLES.get(kind, ()):
        for chunk in _chunks(parents):
            for row in conn.execute(select(child).where(child.c[parent].in_(chunk))).mappings():
                values = to_plain({k: v for k, v in row.items() if k != parent})
                found.setdefault(row[parent], {}).setdefault(label, []).append(values)
    return found


def read_records(
    conn: Connection, kind: str, *, where: Any = None, batch: int = 2000
) -> Iterator[Record]:
    """The rows of `kind` (those matching `where`), with their children, in plain form."""
    table = TABLES[kind]
    query = select(table)
    if where is not None:
        query = query.where(where)
    result = conn.execute(query.execution_options(yield_per=batch)).mappings()
    for rows in result.partitions(batch):
        children = _children_of(conn, kind, [r["id"] for r in rows]) if kind in CHILD_TABLES else {}
        for row in rows:
            yield Record(kind, to_plain(row), children.get(row.get("id"), {}))


def read_by_keys(conn: Connection, kind: str, keys: Sequence[Any]) -> Iterator[Record]:
    """The records of `kind` whose primary key (a single column) is among `keys` (Python
    values); records of tables keyed otherwise are read by `read_records` with a filter."""
    table = TABLES[kind]
    (column,) = table.primary_key.columns
    for chunk in _chunks(list(keys)):
        yield from read_records(conn, kind, where=column.in_(chunk))


def records_since(
    conn: Connection, marks: Mapping[uuid.UUID, int], *, everything: bool = False
) -> Iterator[Record]:
    """Every append-only record this store holds that its device numbered after that device's
    mark (all of them with `everything`), records held pending included, shared rows not
    (`shared_rows`). Invitations always travel whole: they prove who may join."""
    low = 0 if everything or not marks else min(marks.values(), default=0)
    for kind in RECORD_KINDS:
        table = TABLES[kind]
        where = None if everything or kind == "invitations" else table.c.seq > low
        for record in read_records(conn, kind, where=where):
            if everything or kind == "invitations" or record.seq > marks.get(record.device, 0):
                yield record
    yield from held_pending(conn, marks, everything=everything)


def held_pending(
    conn: Connection, marks: Mapping[uuid.UUID, int], *, everything: bool = False
) -> Iterator[Record]:
    held: Table = SyncHeld.__table__  # type: ignore[assignment]
    query = select(held.c.from_device, held.c.seq, held.c.payload).where(held.c.state == "pending")
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
