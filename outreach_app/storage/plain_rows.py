"""Rows in one plain form for every engine, and back: what bundles and the hub carry.

A row's plain form is `domain.facts.plain` of each column (ids as 32 hex digits, moments as
whole milliseconds since the epoch, dates as ISO text, bytes as hex), NULLs left out. It is the
form a record's facts are hashed in, so the hash of a record received is computed from its
plain form before it is written (`payload_hash`), and is the hash `storage/facts.py` gives the
same record once stored: merging compares them without writing first.

Reading back goes by the receiving table's own column types; a column the table does not have
is ignored (it cannot be stored, nor be part of the facts here).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Date, Integer, LargeBinary, Table, select

from outreach_app.domain.facts import canonical, plain
from outreach_app.storage.facts import CHILDREN, RECORD_TABLES, fact_columns
from outreach_app.storage.models import SyncHeld
from outreach_app.storage.types import Id, UTCDateTime, from_millis

PlainRow = dict[str, Any]
Children = dict[str, list[PlainRow]]


def to_plain(row: Mapping[Any, Any]) -> PlainRow:
    return {name: plain(value) for name, value in row.items() if value is not None}


def _reader(column: Column[Any]) -> Any:
    kind = column.type
    if isinstance(kind, Id):
        return lambda v: uuid.UUID(hex=v)
    if isinstance(kind, UTCDateTime):
        return from_millis
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, LargeBinary):
        return bytes.fromhex
    if isinstance(kind, Boolean):
        return bool
    if isinstance(kind, Integer):
        return int
    return str


_READERS: dict[tuple[str, str], Any] = {}


def from_plain(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """`row` (plain) as the values of `table`'s columns; missing columns are NULL. Raises
    ValueError (or TypeError) for a value that cannot be one of the column."""
    values: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is None:
            values[column.name] = None
            continue
        key = (table.name, column.name)
        reader = _READERS.get(key)
        if reader is None:
            reader = _READERS[key] = _reader(column)
        if reader is bool and not isinstance(value, bool):
            raise TypeError(f"{table.name}.{column.name}: not a boolean")
        values[column.name] = reader(value)
    return values


def child_table(kind: str, label: str) -> tuple[Table, str]:
    for name, table, parent in CHILDREN.get(kind, ()):
        if name == label:
            return table, parent
    raise KeyError(f"{kind} has no children {label!r}")


#: One encoder for every hash (json.dumps builds a new one per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical(values: dict[str, Any]) -> str:
    """`domain.facts.canonical` (as text) of values without NULLs, straight from plain values
    (the same text: plain values are their own plain form), falling back to it for Python
    values."""
    try:
        return _CANONICAL.encode(values)
    except TypeError:
        return canonical(values).decode("utf-8")


_FACTS: dict[str, tuple[list[str], list[tuple[str, list[str]]]]] = {}


def _fact_names(kind: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    if kind not in _FACTS:
        table = RECORD_TABLES[kind]
        names = fact_columns(kind, [c.name for c in table.columns])
        children = [
            (label, [c.name for c in child.columns if c.name != parent])
            for label, child, parent in CHILDREN.get(kind, ())
        ]
        _FACTS[kind] = (names, children)
    return _FACTS[kind]


def payload_hash(kind: str, row: Mapping[str, Any], children: Mapping[str, Sequence[Any]]) -> bytes:
    """The facts hash of a record in plain form (or as Python values): the same bytes
    `storage.facts.read_facts` gives that record once stored."""
    names, child_columns = _fact_names(kind)
    facts: dict[str, Any] = {n: v for n in names if (v := row.get(n)) is not None}
    for label, columns in child_columns:
        rows: Sequence[Mapping[str, Any]] = children.get(label, ())
        if rows:  # each line as its own canonical text, in sorted order (as read_facts does)
            facts[label] = sorted(
                _canonical({c: v for c in columns if (v := r.get(c)) is not None}) for r in rows
            )
    return hashlib.sha256(kind.encode("ascii") + b"\0" + _canonical(facts).encode()).digest()


def decode_payload(raw: bytes) -> tuple[str, PlainRow, Children]:
    """A record as it travels (one JSON object: kind, row, children); ValueError if not."""
    return payload_parts(json.loads(raw))


def payload_parts(body: Any) -> tuple[str, PlainRow, Children]:
    """Kind, row and children of a decoded record; ValueError when it is not one."""
    if not isinstance(body, dict):
        raise ValueError("not a record")
    kind, row, children = body.get("kind"), body.get("row"), body.get("children", {})
    if not isinstance(kind, str) or not isinstance(row, dict) or not isinstance(children, dict):
        raise ValueError("not a record")
    return kind, row, children


def held_facts(conn: Connection) -> Iterator[tuple[uuid.UUID, int, bytes, str, uuid.UUID]]:
    """(device, seq, facts hash, kind, id) of each record held back (quarantined or pending)
    that has a facts hash of its own: what its device's audit chain covers."""
    held: Table = SyncHeld.__table__  # type: ignore[assignment]
    query = select(held.c.kind, held.c.record_id, held.c.from_device, held.c.seq, held.c.payload)
    for kind, record_id, device, seq, payload in conn.execute(query):
        if kind not in RECORD_TABLES:
            continue  # a copy's hash is its record's, which is not here
        try:
            _kind, row, children = decode_payload(bytes(payload))
        except ValueError:
            continue
        yield device, seq, payload_hash(kind, row, children), kind, record_id
