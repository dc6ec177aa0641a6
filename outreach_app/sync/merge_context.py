"""What one merge knows as it goes: which ids exist, what it counted, held and copied.

`Known` answers "is this row here?" from the store and from what this merge already applied,
so a record's references are checked in memory (the merge of a year asks the database once per
few hundred ids, not once per reference).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from outreach_app.storage.facts import CHUNK
from outreach_app.storage.models import Base, RecordCopy
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
        self.by_kind.setdefault(kind, Counter())[outcome] += n

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
    """Which ids each table holds: read from the store as needed, plus what the merge adds."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ids: dict[str, set[uuid.UUID]] = {}
        self._asked: dict[str, set[uuid.UUID]] = {}

    def _table(self, name: str) -> Table:
        return Base.metadata.tables[name]

    def prefetch(self, name: str, ids: Iterable[uuid.UUID]) -> None:
        found = self._ids.setdefault(name, set())
        if name in SMALL:
            if name not in self._asked:
                table = self._table(name)
                found.update(self._conn.scalars(select(table.c.id)))
                self._asked[name] = set()
            return
        asked = self._asked.setdefault(name, set())
        wanted = [i for i in set(ids) if i not in asked and i not in found]
        table = self._table(name)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found.update(self._conn.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
            asked.update(chunk)

    def has(self, name: str, value: uuid.UUID) -> bool:
        if value in self._ids.get(name, ()):
            return True
        if name in SMALL and name not in self._asked:
            self.prefetch(name, ())
            return value in self._ids[name]
        if value not in self._asked.get(name, ()):
            self.prefetch(name, [value])
        return value in self._ids.get(name, ())

    def add(self, name: str, value: uuid.UUID) -> None:
        self._ids.setdefault(name, set()).add(value)


@dataclass
class Context:
    """One merge's state, shared by its steps (devices, settings, shared rows, records)."""

    conn: Connection
    now: datetime
    this_device: uuid.UUID
    known: Known
    counts: MergeCounts = field(default_factory=MergeCounts)
    revoked: set[uuid.UUID] = field(default_factory=set)
    retried: set[int] = field(default_factory=set)  # id() of records taken from the pending
    held: list[tuple[Record, str, str]] = field(default_factory=list)
    copies: list[dict[str, Any]] = field(default_factory=list)
    lowest: dict[uuid.UUID, int] = field(default_factory=dict)  # per device, seq added
    _copy_keys: set[tuple[uuid.UUID, uuid.UUID]] | None = None

    def count(self, record: Record, outcome: str) -> None:
        # A record tried again from the pending list counts once it is added, not while waiting.
        if id(record) not in self.retried or outcome == ADDED:
            self.counts.add(record.kind, outcome)

    def hold(self, record: Record, state: str, reason: str) -> None:
        self.held.append((record, state, reason))
        self.count(record, PENDING if state == "pending" else QUARANTINED)

    def added(self, record: Record) -> None:
        self.count(record, ADDED)
        device, seq = record.device, record.seq
        self.lowest[device] = min(self.lowest.get(device, seq), seq)

    def missing_provenance(self, values: dict[str, Any]) -> str | None:
        """A reason to wait when the record's device is not trusted here or its maker unknown."""
        device = values.get("device_id")
        if device is None or not self.known.has("devices", device):
            return f"waiting:devices:{device.hex if device else ''}"
        for column in ("staff_id", "changed_by"):
            value = values.get(column)
            table = "staff" if column == "staff_id" else "devices"
            if value is not None and not self.known.has(table, value):
                return f"waiting:{table}:{value.hex}"
        return None

    def copy_exists(self, record_id: uuid.UUID, device: uuid.UUID) -> bool:
        if self._copy_keys is None:
            rows = self.conn.execute(select(COPIES.c.record_id, COPIES.c.device_id))
            self._copy_keys = {(r, d) for r, d in rows}
        return (record_id, device) in self._copy_keys

    def add_copy(self, record: Record, values: dict[str, Any], record_id: uuid.UUID) -> None:
        """`record` (another device's making of a record already here) kept as a copy: who,
        when, on which device and why. A revoked device's copy is not kept."""
        device = values["device_id"]
        if device in self.revoked or self.copy_exists(record_id, device):
            return
        typed = APPEND_ONLY.get(record.kind, ())
        reason = str(values.get(typed[0]) or "") if typed else ""
        self.copies.append(
            {
                "record_id": record_id,
                "device_id": device,
                "seq": values["seq"],
                "staff_id": values.get("staff_id"),
                "created_at": values["created_at"],
                "reason": reason[:200],
            }
        )
        assert self._copy_keys is not None
        self._copy_keys.add((record_id, device))
        self.lowest[device] = min(self.lowest.get(device, values["seq"]), values["seq"])
