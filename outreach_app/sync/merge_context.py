"""What one merge knows as it goes: which ids exist, what it counted, held and copied.

`Known` answers "is this row here?" from the store and from what this merge already applied,
so a record's references are checked in memory (the merge of a year asks the database once per
few hundred ids, not once per reference).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select, type_coerce
from sqlalchemy.types import NullType

from outreach_app.storage.facts import CHUNK
from outreach_app.storage.models import Base, RecordCopy
from outreach_app.storage.plain_codec import db_id, reader, select_raw, to_plain_rows
from outreach_app.storage.triggers import APPEND_ONLY
from outreach_app.sync.records import Record

ADDED = "added"
PRESENT = "already present"
QUARANTINED = "quarantined"
PENDING = "pending"
OUTCOMES = (ADDED, PRESENT, QUARANTINED, PENDING)
#: Tables small enough to read whole once per merge.
SMALL = frozenset({"devices", "staff", "sites", "items", "kits", "referral_types", "lots"})
COPIES: Table = RecordCopy.__table__  # type: ignore[assignment]


@dataclass
class MergeCounts:
    """Per kind (table name), how many records ended each way (`OUTCOMES`)."""

    by_kind: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        counts = self.by_kind.get(kind)
        if counts is None:
            counts = self.by_kind[kind] = Counter()
        counts[outcome] += n

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.by_kind.values())

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        """(kind, added, already present, quarantined, pending), kinds with anything."""
        return [
            (kind, counts[ADDED], counts[PRESENT], counts[QUARANTINED], counts[PENDING])
            for kind, counts in sorted(self.by_kind.items())
            if any(counts.values())
        ]


class Known:
    """Which ids (plain: 32 hex digits) each table holds: read from the store as needed, plus
    what the merge adds."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._dialect = conn.dialect.name
        self._ids: dict[str, set[str]] = {}
        self._asked: dict[str, set[str]] = {}

    def _query(self, name: str, ids: list[str] | None) -> set[str]:
        table = Base.metadata.tables[name]
        raw = type_coerce(table.c.id, NullType())
        query = select(raw)
        if ids is not None:
            query = query.where(raw.in_([db_id(self._dialect, i) for i in ids]))
        to_hex = reader(self._dialect, table.c.id)
        return {to_hex(value) for value in self._conn.scalars(query)}

    def prefetch(self, name: str, ids: Iterable[str]) -> None:
        found = self._ids.setdefault(name, set())
        if name in SMALL:
            if name not in self._asked:
                found.update(self._query(name, None))
                self._asked[name] = set()
            return
        asked = self._asked.setdefault(name, set())
        wanted = [i for i in set(ids) if i not in asked and i not in found]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found.update(self._query(name, chunk))
            asked.update(chunk)

    def has(self, name: str, value: str) -> bool:
        if value in self._ids.get(name, ()):
            return True
        if name in SMALL and name not in self._asked:
            self.prefetch(name, ())
            return value in self._ids[name]
        if value not in self._asked.get(name, ()):
            self.prefetch(name, [value])
        return value in self._ids.get(name, ())

    def add(self, name: str, value: str) -> None:
        self._ids.setdefault(name, set()).add(value)


@dataclass
class Context:
    """One merge's state, shared by its steps (devices, settings, shared rows, records)."""

    conn: Connection
    now: datetime
    this_device: uuid.UUID
    known: Known
    counts: MergeCounts = field(default_factory=MergeCounts)
    revoked: set[str] = field(default_factory=set)  # devices, plain ids
    retried: set[int] = field(default_factory=set)  # id() of records taken from the pending
    held: list[tuple[Record, str, str]] = field(default_factory=list)
    copies: list[dict[str, Any]] = field(default_factory=list)  # plain rows of record_copies
    lowest: dict[uuid.UUID, int] = field(default_factory=dict)  # per device, seq added
    _copy_keys: set[tuple[str, str]] | None = None

    def count(self, record: Record, outcome: str) -> None:
        # A record tried again from the pending list counts once it is added, not while waiting.
        if id(record) not in self.retried or outcome == ADDED:
            self.counts.add(record.kind, outcome)

    def hold(self, record: Record, state: str, reason: str) -> None:
        self.held.append((record, state, reason))
        self.count(record, PENDING if state == "pending" else QUARANTINED)

    def _touch(self, device: uuid.UUID, seq: int) -> None:
        self.lowest[device] = min(self.lowest.get(device, seq), seq)

    def added(self, record: Record) -> None:
        self.count(record, ADDED)
        self._touch(record.device, record.seq)

    def missing_provenance(self, row: Mapping[str, Any]) -> str | None:
        """A reason to wait when the record's device is not trusted here or its maker unknown."""
        device = row.get("device_id")
        if not isinstance(device, str) or not self.known.has("devices", device):
            return f"waiting:devices:{device or ''}"
        for column in ("staff_id", "changed_by"):
            value = row.get(column)
            table = "staff" if column == "staff_id" else "devices"
            if value is not None and not self.known.has(table, value):
                return f"waiting:{table}:{value}"
        return None

    def copy_exists(self, record_id: str, device: str) -> bool:
        if self._copy_keys is None:
            dialect = self.conn.dialect.name
            rows = to_plain_rows(dialect, COPIES, self.conn.execute(select_raw(COPIES)))
            self._copy_keys = {(r["record_id"], r["device_id"]) for r in rows}
        return (record_id, device) in self._copy_keys

    def add_copy(self, record: Record, row: Mapping[str, Any], record_id: str) -> None:
        """`record` (another device's making of a record already here) kept as a copy: who,
        when, on which device and why. A revoked device's copy is not kept."""
        device = row["device_id"]
        if device in self.revoked or self.copy_exists(record_id, device):
            return
        typed = APPEND_ONLY.get(record.kind, ())
        reason = str(row.get(typed[0]) or "") if typed else ""
        self.copies.append(
            {
                "record_id": record_id,
                "device_id": device,
                "seq": row["seq"],
                "staff_id": row.get("staff_id"),
                "created_at": row["created_at"],
                "reason": reason[:200],
            }
        )
        assert self._copy_keys is not None
        self._copy_keys.add((record_id, device))
        self._touch(uuid.UUID(hex=device), row["seq"])
