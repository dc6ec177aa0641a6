"""Reading records' facts from the database for their hashes (domain/facts.py encodes them).

Every record table (those with device, sequence number and who) is listed here with the
columns that are its facts: all of them except provenance and the free text a purge may empty
(`triggers.APPEND_ONLY`). Catalog, sites and staff change in place (the latest change wins), so
only their id is a fact. An encounter's lines, kits and referrals, and a count's lines, are part
of their record's facts.

Both the audit (hashing the records one action wrote) and `check` (hashing every record) read
through here, so they cannot disagree about what a record's facts are. A migration passes
`columns` (the table as it is then), so a column added later is simply not read.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, inspect, select

from outreach_app.domain.facts import canonical, record_hash
from outreach_app.storage.models import (
    AuditEntry,
    Base,
    DeviceRevocation,
    Encounter,
    EncounterItem,
    EncounterKit,
    EncounterReferral,
    EncounterVoid,
    Import,
    Invitation,
    Item,
    Kit,
    Lot,
    Purge,
    RecordCopy,
    ReferralType,
    Site,
    Staff,
    StockMovement,
    Stocktake,
    StocktakeLine,
)
from outreach_app.storage.triggers import APPEND_ONLY

PROVENANCE = frozenset({"device_id", "seq", "staff_id", "created_at", "changed_at", "changed_by"})
SHARED = frozenset({"staff", "sites", "items", "kits", "referral_types"})
RECORD_MODELS: tuple[type[Base], ...] = (
    Staff,
    Site,
    Item,
    Kit,
    ReferralType,
    Lot,
    Import,
    Encounter,
    EncounterVoid,
    StockMovement,
    Stocktake,
    AuditEntry,
    Purge,
    Invitation,
    DeviceRevocation,
)
RECORD_TABLES: dict[str, Table] = {m.__tablename__: m.__table__ for m in RECORD_MODELS}  # type: ignore[misc]
CHILDREN: dict[str, tuple[tuple[str, Any, str], ...]] = {
    "encounters": (
        ("items", EncounterItem.__table__, "encounter_id"),
        ("kits", EncounterKit.__table__, "encounter_id"),
        ("referrals", EncounterReferral.__table__, "encounter_id"),
    ),
    "stocktakes": (("lines", StocktakeLine.__table__, "stocktake_id"),),
}
CHUNK = 500


@dataclass(frozen=True, slots=True)
class RecordFacts:
    kind: str
    id: uuid.UUID
    device_id: uuid.UUID
    seq: int
    hash: bytes


def fact_columns(table: str, present: Iterable[str]) -> list[str]:
    if table in SHARED:
        return ["id"]
    purgeable = set(APPEND_ONLY.get(table, ()))
    return [c for c in present if c not in PROVENANCE and c not in purgeable]


def _present(conn: Connection, table: Table, reflect: bool) -> list[str]:
    if not reflect:
        return [c.name for c in table.columns]
    live = {c["name"] for c in inspect(conn).get_columns(table.name)}
    return [c.name for c in table.columns if c.name in live]


def _children(
    conn: Connection, kind: str, parent_ids: Sequence[uuid.UUID] | None, reflect: bool
) -> dict[uuid.UUID, dict[str, list[bytes]]]:
    found: dict[uuid.UUID, dict[str, list[bytes]]] = defaultdict(lambda: defaultdict(list))
    for label, table, parent in CHILDREN.get(kind, ()):
        names = [n for n in _present(conn, table, reflect) if n != parent]
        columns = [table.c[parent], *(table.c[n] for n in names)]
        for chunk in _chunks(parent_ids):
            query = select(*columns)
            if chunk is not None:
                query = query.where(table.c[parent].in_(chunk))
            for row in conn.execute(query):
                found[row[0]][label].append(canonical(dict(zip(names, row[1:], strict=True))))
    return found


def _chunks(ids: Sequence[uuid.UUID] | None) -> Iterator[Sequence[uuid.UUID] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def read_facts(
    conn: Connection,
    kind: str,
    ids: Sequence[uuid.UUID] | None = None,
    *,
    device_id: uuid.UUID | None = None,
    after_seq: int | None = None,
    reflect: bool = False,
) -> Iterator[RecordFacts]:
    """The records of one table (those with `ids`, or all; of one device if given), hashed."""
    table = RECORD_TABLES[kind]
    names = fact_columns(kind, _present(conn, table, reflect))
    children = _children(conn, kind, ids, reflect) if kind in CHILDREN else {}
    base = [table.c.device_id, table.c.seq, table.c.id]
    for chunk in _chunks(ids):
        query = select(*base, *(table.c[n] for n in names))
        if chunk is not None:
            query = query.where(table.c.id.in_(chunk))
        if device_id is not None:
            query = query.where(table.c.device_id == device_id)
        if after_seq is not None:
            query = query.where(table.c.seq > after_seq)
        if kind == "audit_log":  # chained entries are the boundaries, not records they cover
            query = query.where(table.c.entry_hash.is_(None))
        for row in conn.execute(query):
            values = dict(zip(names, row[3:], strict=True))
            digest = _hash(kind, names, values, children.get(row[2], {}))
            yield RecordFacts(kind, row[2], row[0], row[1], digest)


def _hash(
    kind: str, names: Sequence[str], values: Mapping[str, Any], lines: Mapping[str, list[bytes]]
) -> bytes:
    facts: dict[str, Any] = {name: values.get(name) for name in names}
    for label, encoded in lines.items():
        facts[label] = sorted(e.decode("utf-8") for e in encoded)
    return record_hash(kind, facts)


def hash_row(
    kind: str, row: Mapping[str, Any], lines: Mapping[str, Sequence[Mapping[str, Any]]] = {}
) -> bytes:
    """The hash `read_facts` will find for a record once `row` (and its `lines`, by label of
    CHILDREN) is inserted: for writers that insert many records at once and audit them without
    reading them back (services/demo_bulk.py, the spreadsheet import). Columns left out of
    `row` take their default, as an insert gives them."""
    names, defaults, children = _row_spec(kind)
    facts: dict[str, Any] = {name: row.get(name, defaults.get(name)) for name in names}
    for label, line_names in children:
        found = [canonical({n: line.get(n) for n in line_names}) for line in lines.get(label, ())]
        if found:  # as read back: a record without lines of a kind has no such list
            facts[label] = sorted(e.decode("utf-8") for e in found)
    return record_hash(kind, facts)


@functools.cache
def _row_spec(
    kind: str,
) -> tuple[list[str], dict[str, Any], tuple[tuple[str, list[str]], ...]]:
    """A kind's fact columns, their scalar defaults and its lines' columns, worked out once
    (an import hashes a hundred thousand rows)."""
    table = RECORD_TABLES[kind]
    names = fact_columns(kind, [c.name for c in table.columns])
    defaults = {
        column.name: column.default.arg  # type: ignore[attr-defined]
        for column in table.columns
        if column.default is not None and column.default.is_scalar
    }
    children = tuple(
        (label, [c.name for c in child.columns if c.name != parent])
        for label, child, parent in CHILDREN.get(kind, ())
    )
    return names, defaults, children


def copies(conn: Connection) -> Iterator[tuple[uuid.UUID, uuid.UUID, int]]:
    """(record id, device, seq) of each other device's copy of a record made twice."""
    table: Table = RecordCopy.__table__  # type: ignore[assignment]
    for row in conn.execute(select(table.c.record_id, table.c.device_id, table.c.seq)):
        yield row[0], row[1], row[2]


def every_record(
    conn: Connection,
    *,
    device_id: uuid.UUID | None = None,
    after_seq: int | None = None,
    reflect: bool = False,
) -> dict[uuid.UUID, list[tuple[int, bytes, str, uuid.UUID]]]:
    """Per device, (seq, hash, kind, id) of every record it numbered, copies included."""
    by_device: dict[uuid.UUID, list[tuple[int, bytes, str, uuid.UUID]]] = defaultdict(list)
    hashes: dict[uuid.UUID, tuple[bytes, str]] = {}
    for kind in RECORD_TABLES:
        if reflect and not inspect(conn).has_table(kind):
            continue  # a migration runs before the revision that adds this table
        for rec in read_facts(
            conn, kind, device_id=device_id, after_seq=after_seq, reflect=reflect
        ):
            by_device[rec.device_id].append((rec.seq, rec.hash, kind, rec.id))
            hashes[rec.id] = (rec.hash, kind)
    if not reflect or inspect(conn).has_table("record_copies"):
        for record_id, device, seq in copies(conn):
            if device_id is not None and device != device_id:
                continue
            if after_seq is not None and seq <= after_seq:
                continue
            value, kind = hashes.get(record_id, (b"\0" * 32, "missing"))
            by_device[device].append((seq, value, kind, record_id))
    for rows in by_device.values():
        rows.sort(key=lambda r: r[0])
    return by_device
