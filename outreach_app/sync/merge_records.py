"""Merging append-only records (contracts §9): each ends added, already present, quarantined or
pending.

- Already present: its id is here with the same facts hash. When another device made it (a row
  of the same spreadsheet, a void of the same encounter, a reversal of the same movement), that
  device's who / when / why is kept as a copy (`record_copies`), so its audit chain still fits.
- Quarantined: its id is here with other facts (damage, or a misbehaving device), it comes from
  a revoked device, or it is stock drawn for an encounter another device made (two devices that
  imported the same rows drew stock twice: only the encounter's maker's draws count).
- Pending: something it refers to is not here yet (its encounter, lot, movement, file, device,
  person). Records that only make sense together travel as a group and are applied together
  or not at all: an encounter with the stock it drew, a void with the stock it gave back, the
  two legs of a transfer. Groups are applied in passes until none can be, so references inside
  one merge resolve in any order.

Rows go in with the driver's executemany per table, parents first; the database's triggers keep
stock balances whatever order the records arrive in.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select

from outreach_app.storage.facts import RECORD_TABLES, SHARED
from outreach_app.storage.plain_rows import from_plain, payload_hash
from outreach_app.sync.held import PENDING, QUARANTINED
from outreach_app.sync.merge_context import COPIES, PRESENT, Context
from outreach_app.sync.records import CHILD_TABLES, RECORD_KINDS, TABLES, Record, read_by_keys

_RANK = {kind: n for n, kind in enumerate(RECORD_KINDS)}
#: References checked as the record's provenance (before its facts are looked at).
_PROVENANCE = frozenset({"device_id", "staff_id"})
_WAIT_ORDER = {
    name: n
    for n, name in enumerate(
        ("encounters", "imports", "stocktakes", "lots", "sites", "items", "kits", "referral_types")
    )
}


@dataclass(eq=False)
class _Item:
    record: Record
    values: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    hash: bytes
    applied: bool = False
    twins: list[_Item] = field(default_factory=list)  # the same record from other devices

    @property
    def id(self) -> uuid.UUID:
        return self.values["id"]


def convert(record: Record) -> _Item:
    """The record as the values of its table (children with their parent's id)."""
    table = TABLES[record.kind]
    values = from_plain(table, record.row)
    children: dict[str, list[dict[str, Any]]] = {}
    for label, child, parent in CHILD_TABLES.get(record.kind, ()):
        rows = []
        for row in record.children.get(label, ()):
            converted = from_plain(child, row)
            converted[parent] = values["id"]
            rows.append(converted)
        children[label] = rows
    digest = (
        b""
        if record.kind not in RECORD_TABLES
        else payload_hash(record.kind, record.row, record.children)
    )
    return _Item(record, values, children, digest)


def _references(item: _Item) -> Iterator[tuple[str, uuid.UUID]]:
    """(table, id) of every row the record and its children refer to, provenance aside."""
    table = TABLES[item.record.kind]
    for fk in table.foreign_keys:
        column = fk.parent.name
        value = item.values.get(column)
        if value is not None and column not in _PROVENANCE and value != item.id:
            yield fk.column.table.name, value
    for label, child, parent in CHILD_TABLES.get(item.record.kind, ()):
        for fk in child.foreign_keys:
            if fk.parent.name == parent:
                continue
            for row in item.children.get(label, ()):
                if row.get(fk.parent.name) is not None:
                    yield fk.column.table.name, row[fk.parent.name]


def _group(item: _Item) -> tuple[str, uuid.UUID]:
    """Records applied together: an encounter with its draws, a void with what it gave back,
    the legs of a transfer."""
    v = item.values
    kind = item.record.kind
    if kind == "encounters":
        return ("encounter", item.id)
    if kind == "encounter_voids":
        return ("void", v["encounter_id"])
    if kind == "stock_movements":
        if v.get("encounter_id") is not None:
            return ("void" if v.get("reverses_id") else "encounter", v["encounter_id"])
        if v.get("transfer_id") is not None:
            return ("transfer", v["transfer_id"])
    return (kind, item.id)


class RecordMerge:
    """Merges append-only records (never shared rows, see `merge_shared`)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.chosen: dict[tuple[str, uuid.UUID], _Item] = {}  # candidates by kind and id
        self.quarantined: set[uuid.UUID] = set()
        self.makers: dict[uuid.UUID, uuid.UUID] = {}  # encounter id -> device that made it

    def run(self, records: list[Record]) -> None:
        items = [convert(r) for r in records if r.kind not in SHARED]
        items.sort(key=lambda i: (_RANK.get(i.record.kind, 99), i.record.device.hex, i.record.seq))
        copies = [i for i in items if i.record.kind == "record_copies"]
        others = [i for i in items if i.record.kind != "record_copies"]
        existing = self._existing(others)
        candidates = [i for i in others if self._classify(i, existing)]
        self._apply(candidates)
        self._copies(copies)

    # --- Classifying ---------------------------------------------------------------------

    def _existing(self, items: list[_Item]) -> dict[tuple[str, uuid.UUID], tuple[uuid.UUID, bytes]]:
        """(kind, id) -> (device that made it, facts hash) of the records already here."""
        by_kind: dict[str, set[uuid.UUID]] = defaultdict(set)
        for item in items:
            by_kind[item.record.kind].add(item.id)
        found = {}
        for kind, ids in by_kind.items():
            for rec in read_by_keys(self.ctx.conn, kind, sorted(ids)):
                digest = payload_hash(kind, rec.row, rec.children)
                found[(kind, uuid.UUID(hex=rec.row["id"]))] = (rec.device, digest)
        encounter_refs = {
            i.values["encounter_id"]
            for i in items
            if i.record.kind == "stock_movements" and i.values.get("encounter_id") is not None
        }
        table = TABLES["encounters"]
        refs = sorted(encounter_refs)
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            query = select(table.c.id, table.c.device_id).where(table.c.id.in_(chunk))
            self.makers.update(dict(self.ctx.conn.execute(query).all()))
        return found

    def _classify(
        self, item: _Item, existing: dict[tuple[str, uuid.UUID], tuple[uuid.UUID, bytes]]
    ) -> bool:
        """True when the record is a candidate to apply; otherwise its outcome is counted."""
        ctx, record, key = self.ctx, item.record, (item.record.kind, item.id)
        waiting = ctx.missing_provenance(item.values)
        if waiting:
            ctx.hold(record, PENDING, waiting)
            return False
        if key in existing:
            maker, digest = existing[key]
            if digest != item.hash:
                self._quarantine(item, "conflict")
            else:
                ctx.count(record, PRESENT)
                if maker != record.device:
                    ctx.add_copy(record, item.values, item.id)
            return False
        first = self.chosen.get(key)
        if first is not None:
            if first.hash != item.hash:
                self._quarantine(item, "conflict")
            elif first.record.device != record.device:
                first.twins.append(item)
            else:
                ctx.count(record, PRESENT)
            return False
        if record.device in ctx.revoked:
            self._quarantine(item, "revoked")
            return False
        if record.kind == "stock_movements" and not self._draw_allowed(item):
            return False
        self.chosen[key] = item
        if record.kind == "encounters":
            self.makers.setdefault(item.id, record.device)
        return True

    def _draw_allowed(self, item: _Item) -> bool:
        encounter = item.values.get("encounter_id")
        if encounter is None or item.values.get("reverses_id") is not None:
            return True
        if encounter in self.quarantined:
            self._quarantine(item, "with-quarantined")
            return False
        maker = self.makers.get(encounter)
        if maker is not None and maker != item.record.device:
            self._quarantine(item, "copy-stock")
            return False
        return True

    def _quarantine(self, item: _Item, reason: str) -> None:
        self.quarantined.add(item.id)
        self.ctx.hold(item.record, QUARANTINED, reason)

    # --- Applying --------------------------------------------------------------------------

    def _apply(self, candidates: list[_Item]) -> None:
        groups: dict[tuple[str, uuid.UUID], list[_Item]] = defaultdict(list)
        for item in candidates:
            groups[_group(item)].append(item)
        known = self.ctx.known
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for item in candidates:
            for table, value in _references(item):
                wanted[table].add(value)
        for table, values in wanted.items():
            known.prefetch(table, values)
        waiting = list(groups.values())
        while waiting:
            still: list[list[_Item]] = []
            for group in waiting:
                if self._missing(group) is None:
                    for item in group:
                        item.applied = True
                        known.add(item.record.kind, item.id)
                else:
                    still.append(group)
            if len(still) == len(waiting):
                break
            waiting = still
        for group in waiting:
            reason = self._missing(group) or "waiting:record:"
            for item in group:
                self.ctx.hold(item.record, PENDING, reason)
                for twin in item.twins:
                    self.ctx.hold(twin.record, PENDING, reason)
        self._insert([i for i in candidates if i.applied])

    def _missing(self, group: list[_Item]) -> str | None:
        """What the group waits for: the record people would name first (a void waits for
        its encounter, rather than for the stock movement its reversal reverses)."""
        inside = {item.id for item in group}
        missing = [
            (_WAIT_ORDER.get(table, len(_WAIT_ORDER)), table, value)
            for item in group
            for table, value in _references(item)
            if value not in inside and not self.ctx.known.has(table, value)
        ]
        if not missing:
            return None
        _rank, table, value = min(missing)
        return f"waiting:{table}:{value.hex}"

    def _insert(self, applied: list[_Item]) -> None:
        conn, ctx = self.ctx.conn, self.ctx
        by_kind: dict[str, list[_Item]] = defaultdict(list)
        for item in applied:
            by_kind[item.record.kind].append(item)
        for kind in RECORD_KINDS:
            items = by_kind.get(kind, [])
            if not items:
                continue
            if kind == "stock_movements":  # what a reversal reverses goes in first
                items.sort(key=lambda i: i.values.get("reverses_id") is not None)
            conn.execute(insert(TABLES[kind]), [i.values for i in items])
            for label, child, _parent in CHILD_TABLES.get(kind, ()):
                rows = [row for i in items for row in i.children.get(label, ())]
                if rows:
                    conn.execute(insert(child), rows)
            for item in items:
                ctx.added(item.record)
                for twin in item.twins:
                    ctx.count(twin.record, PRESENT)
                    ctx.add_copy(twin.record, twin.values, item.id)

    # --- Copies received -------------------------------------------------------------------

    def _copies(self, items: list[_Item]) -> None:
        """Another device's making of a record, relayed: kept when the record is here."""
        ctx = self.ctx
        ids = sorted({i.values["record_id"] for i in items})
        makers = self._makers_of(ids)
        for item in items:
            record, values = item.record, item.values
            waiting = ctx.missing_provenance(values)
            record_id, device = values["record_id"], values["device_id"]
            if waiting is None and record_id not in makers:
                waiting = f"waiting:record:{record_id.hex}"
            if waiting:
                ctx.hold(record, PENDING, waiting)
            elif makers[record_id] == device or ctx.copy_exists(record_id, device):
                ctx.count(record, PRESENT)
            elif device in ctx.revoked:
                self._quarantine(item, "revoked")
            else:
                ctx.add_copy(record, values, record_id)
                ctx.count(record, "added")

    def _makers_of(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        found = {item.id: item.record.device for item in self.chosen.values() if item.applied}
        for table in RECORD_TABLES.values():
            if "id" not in table.c:
                continue
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                query = select(table.c.id, table.c.device_id).where(table.c.id.in_(chunk))
                found.update(dict(self.ctx.conn.execute(query).all()))
        return found


def insert_copies(ctx: Context) -> None:
    if ctx.copies:
        ctx.conn.execute(insert(COPIES), ctx.copies)
