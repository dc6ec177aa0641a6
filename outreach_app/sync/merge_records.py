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

from collections import defaultdict
from collections.abc import Iterator

from outreach_app.storage.facts import RECORD_TABLES, SHARED
from outreach_app.storage.plain_codec import Inserter
from outreach_app.storage.plain_rows import payload_hash
from outreach_app.sync.held import PENDING, QUARANTINED
from outreach_app.sync.merge_context import COPIES, PRESENT, Context
from outreach_app.sync.records import (
    CHILD_TABLES,
    RECORD_KINDS,
    TABLES,
    Record,
    key_columns,
    read_by_device_seq,
    read_by_keys,
)

_RANK = {kind: n for n, kind in enumerate(RECORD_KINDS)}
#: References checked as the record's provenance (before its facts are looked at).
_PROVENANCE = frozenset({"device_id", "staff_id"})
_WAIT_ORDER = {
    name: n
    for n, name in enumerate(
        ("encounters", "imports", "stocktakes", "lots", "sites", "items", "kits", "referral_types")
    )
}


class _Item:
    """A received record on its way through the merge."""

    __slots__ = ("_hash", "applied", "id", "record", "row", "twins")

    def __init__(self, record: Record) -> None:
        self.record = record
        self.row = record.row
        # Known by its id, or an audit entry (no id since revision 0007) by one derived from
        # its device and sequence number: never row["id"], which new entries leave out.
        self.id = record.record_id.hex
        self.applied = False
        self.twins: list[_Item] = []  # the same record from other devices
        self._hash: bytes | None = None

    @property
    def hash(self) -> bytes:
        """Its facts hash, worked out only when a comparison needs it."""
        if self._hash is None:
            self._hash = _hash_of(self.record)
        return self._hash


def _hash_of(record: Record) -> bytes:
    if record.kind not in RECORD_TABLES:
        return b""
    return payload_hash(record.kind, record.row, record.children)


def _same_facts(stored: Record, item: _Item) -> bool:
    """Whether a record here has the facts of one received. The same row and children (the
    same record sent again, the commonest case) needs no hashing."""
    if stored.row == item.row and stored.children == item.record.children:
        return True
    return _hash_of(stored) == item.hash


_REFERENCES: dict[str, list[tuple[str | None, str, str]]] = {}


def _reference_columns(kind: str) -> list[tuple[str | None, str, str]]:
    """(children label or None, column, table referred to) of every reference of a kind,
    provenance aside."""
    if kind not in _REFERENCES:
        found: list[tuple[str | None, str, str]] = []
        for fk in TABLES[kind].foreign_keys:
            if fk.parent.name not in _PROVENANCE:
                found.append((None, fk.parent.name, fk.column.table.name))
        for label, child, parent in CHILD_TABLES.get(kind, ()):
            for fk in child.foreign_keys:
                if fk.parent.name != parent:
                    found.append((label, fk.parent.name, fk.column.table.name))
        _REFERENCES[kind] = found
    return _REFERENCES[kind]


def _references(item: _Item) -> Iterator[tuple[str, str]]:
    """(table, plain id) of every row the record and its children refer to."""
    record = item.record
    for label, column, table in _reference_columns(record.kind):
        if label is None:
            value = record.row.get(column)
            if value is not None and value != item.id:
                yield table, value
        else:
            for row in record.children.get(label, ()):
                if row.get(column) is not None:
                    yield table, row[column]


def _group(item: _Item) -> tuple[str, str]:
    """Records applied together: an encounter with its draws, a void with what it gave back,
    the legs of a transfer."""
    row, kind = item.row, item.record.kind
    if kind == "encounters":
        return ("encounter", item.id)
    if kind == "encounter_voids":
        return ("void", str(row.get("encounter_id")))
    if kind == "stock_movements":
        if row.get("encounter_id") is not None:
            return ("void" if row.get("reverses_id") else "encounter", row["encounter_id"])
        if row.get("transfer_id") is not None:
            return ("transfer", row["transfer_id"])
    return (kind, item.id)


class RecordMerge:
    """Merges append-only records (never shared rows, see `merge_shared`)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.chosen: dict[tuple[str, str], _Item] = {}  # candidates by kind and id
        self.quarantined: set[str] = set()
        self.makers: dict[str, str] = {}  # encounter id -> device that made it

    def run(self, records: list[Record]) -> None:
        received = [r for r in records if r.kind not in SHARED]
        existing = self._existing([r for r in received if r.kind != "record_copies"])
        fresh = []
        for record in received:
            stored = existing.get((record.kind, record.record_id.hex))
            # The same record again, the commonest case, settled before anything else.
            if (
                stored is not None
                and stored.row == record.row
                and stored.children == record.children
            ):
                self.ctx.count(record, PRESENT)
                continue
            fresh.append(_Item(record))
        fresh.sort(key=lambda i: (_RANK.get(i.record.kind, 99), i.row["device_id"], i.row["seq"]))
        copies = [i for i in fresh if i.record.kind == "record_copies"]
        others = [i for i in fresh if i.record.kind != "record_copies"]
        candidates = [i for i in others if self._classify(i, existing)]
        self._apply(self._draws_allowed(candidates))
        self._copies(copies)

    # --- Classifying ---------------------------------------------------------------------

    def _existing(self, records: list[Record]) -> dict[tuple[str, str], Record]:
        """(kind, the id it is known by) -> the record already here, of those received."""
        by_kind: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            by_kind[record.kind].append(record)
        found = {}
        for kind, same in by_kind.items():
            if key_columns(kind) != ("id",):  # the audit log: by device and sequence number
                keys = {(r.row["device_id"], int(r.row["seq"])) for r in same}
                for rec in read_by_device_seq(self.ctx.conn, kind, keys):
                    found[(kind, rec.record_id.hex)] = rec
                continue
            ids = sorted({r.record_id.hex for r in same})
            for rec in read_by_keys(self.ctx.conn, kind, ids):
                found[(kind, rec.row["id"])] = rec
        return found

    def _classify(self, item: _Item, existing: dict[tuple[str, str], Record]) -> bool:
        """True when the record is a candidate to apply; otherwise its outcome is counted."""
        ctx, record, key = self.ctx, item.record, (item.record.kind, item.id)
        stored = existing.get(key)
        waiting = ctx.missing_provenance(item.row)
        if waiting:
            ctx.hold(record, PENDING, waiting)
            return False
        if stored is not None:
            if not _same_facts(stored, item):
                self._differs(item, stored)
            else:
                ctx.count(record, PRESENT)
                if stored.row["device_id"] != item.row["device_id"]:
                    ctx.add_copy(record, item.row, item.id)
            return False
        first = self.chosen.get(key)
        if first is not None:
            if first.hash != item.hash:
                self._differs(item, first.record)
            elif first.row["device_id"] != item.row["device_id"]:
                first.twins.append(item)
            else:
                ctx.count(record, PRESENT)
            return False
        if item.row["device_id"] in ctx.revoked:
            self._quarantine(item, "revoked")
            return False
        self.chosen[key] = item
        if record.kind == "encounters":
            self.makers.setdefault(item.id, item.row["device_id"])
        return True

    def _draws_allowed(self, candidates: list[_Item]) -> list[_Item]:
        """Candidates without the stock drawn for another device's copy of an encounter, or
        for an encounter quarantined now (`_draw_allowed`)."""
        draws = [
            i.row["encounter_id"]
            for i in candidates
            if i.record.kind == "stock_movements"
            and i.row.get("encounter_id") is not None
            and i.row.get("reverses_id") is None
        ]
        unknown = sorted({e for e in draws if e not in self.makers})
        for rec in read_by_keys(self.ctx.conn, "encounters", unknown, children=False):
            self.makers[rec.row["id"]] = rec.row["device_id"]
        kept = []
        for item in candidates:
            if item.record.kind != "stock_movements" or self._draw_allowed(item):
                kept.append(item)
                continue
            del self.chosen[(item.record.kind, item.id)]
            for twin in item.twins:  # the same draw from another device: set aside with it
                self.ctx.hold(twin.record, QUARANTINED, "copy-stock")
        return kept

    def _draw_allowed(self, item: _Item) -> bool:
        encounter = item.row.get("encounter_id")
        if encounter is None or item.row.get("reverses_id") is not None:
            return True
        if encounter in self.quarantined:
            self._quarantine(item, "with-quarantined")
            return False
        maker = self.makers.get(encounter)
        if maker is not None and maker != item.row["device_id"]:
            self._quarantine(item, "copy-stock")
            return False
        return True

    def _differs(self, item: _Item, kept: Record) -> None:
        """A record known here with other facts: quarantined. The same spreadsheet imported
        on another device under another file name is no damage: held aside as a note, the
        file's rows merging as one all the same."""
        if item.record.kind == "imports":
            renamed = {**item.row, "filename": kept.row.get("filename")}
            if payload_hash("imports", renamed, {}) == _hash_of(kept):
                self.ctx.held.append((item.record, QUARANTINED, "renamed"))
                self.ctx.count(item.record, PRESENT)
                return
        self._quarantine(item, "conflict")

    def _quarantine(self, item: _Item, reason: str) -> None:
        self.quarantined.add(item.id)
        self.ctx.hold(item.record, QUARANTINED, reason)

    # --- Applying --------------------------------------------------------------------------

    def _apply(self, candidates: list[_Item]) -> None:
        groups: dict[tuple[str, str], list[_Item]] = defaultdict(list)
        for item in candidates:
            groups[_group(item)].append(item)
        known = self.ctx.known
        wanted: dict[str, set[str]] = defaultdict(set)
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
        return f"waiting:{table}:{value}"

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
                items.sort(key=lambda i: i.row.get("reverses_id") is not None)
            Inserter(conn, TABLES[kind]).insert(i.row for i in items)
            for label, child, parent in CHILD_TABLES.get(kind, ()):
                rows = [
                    {**row, parent: i.id} for i in items for row in i.record.children.get(label, ())
                ]
                Inserter(conn, child).insert(rows)
            for item in items:
                ctx.added(item.record)
                for twin in item.twins:
                    ctx.count(twin.record, PRESENT)
                    ctx.add_copy(twin.record, twin.row, item.id)

    # --- Copies received -------------------------------------------------------------------

    def _copies(self, items: list[_Item]) -> None:
        """Another device's making of a record, relayed: kept when the record is here."""
        ctx = self.ctx
        makers = self._makers_of(sorted({str(i.row.get("record_id")) for i in items}))
        for item in items:
            record, row = item.record, item.row
            waiting = ctx.missing_provenance(row)
            record_id, device = str(row.get("record_id")), row["device_id"]
            if waiting is None and record_id not in makers:
                waiting = f"waiting:record:{record_id}"
            if waiting:
                ctx.hold(record, PENDING, waiting)
            elif makers[record_id] == device or ctx.copy_exists(record_id, device):
                ctx.count(record, PRESENT)
            elif device in ctx.revoked:
                self._quarantine(item, "revoked")
            else:
                ctx.add_copy(record, row, record_id)
                ctx.count(record, "added")

    def _makers_of(self, ids: list[str]) -> dict[str, str]:
        found = {item.id: item.row["device_id"] for item in self.chosen.values() if item.applied}
        for kind, table in RECORD_TABLES.items():
            if "id" in table.c and ids:
                for rec in read_by_keys(self.ctx.conn, kind, ids, children=False):
                    found[rec.row["id"]] = rec.row["device_id"]
        return found


def insert_copies(ctx: Context) -> None:
    Inserter(ctx.conn, COPIES).insert(ctx.copies)
