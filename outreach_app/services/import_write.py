"""Writing a checked spreadsheet in bulk: stock planned once per site and item for the whole
file, rows handed to the driver's `executemany` inside the caller's unit of work.

The ORM wrote an import row by row (a flush, and a balance query per item, for every row: about
300 rows a second here). Now the lots are read once per site and item and drawn in memory,
first-expiry-first-out in file order, exactly as the row-by-row draws did against the balances
the triggers kept. Every record is still stamped as the unit of work stamps ORM objects (device,
this device's next `seq`, staff, created_at) and `devices.last_seq` moves with them.

The rows go in as plain tuples already in the database's form (ids as 16 bytes and times as
milliseconds on SQLite, `uuid` and naive UTC on PostgreSQL, as `storage.types` stores them):
SQLAlchemy's per-value processing cost twice the insert itself. The same triggers run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from outreach_app.domain import identity
from outreach_app.domain.codes import MovementKind
from outreach_app.domain.lots import Draw, LotBalance, allocate_fefo
from outreach_app.services.encounter_checks import PreparedEncounter
from outreach_app.services.ledger import lot_balances
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.facts import hash_row
from outreach_app.storage.models import Item
from outreach_app.storage.types import to_millis, truncate_to_millis

BATCH = 2000  # rows per executemany; progress and cancel are looked at between batches
Planned = tuple[uuid.UUID, PreparedEncounter, list[tuple[uuid.UUID, Draw]]]

COLUMNS = {
    "encounters": (
        "id", "device_id", "seq", "staff_id", "created_at", "occurred_at", "site_id",
        "is_tally", "contacts", "participant_key", "age_band", "gender", "is_new",
        "people_served", "syringes_returned", "reversals_reported", "naloxone_reason",
        "naloxone_training", "note", "moves_stock", "import_id",
    ),
    "encounter_items": ("encounter_id", "item_id", "quantity"),
    "encounter_kits": ("encounter_id", "kit_id", "quantity"),
    "encounter_referrals": ("encounter_id", "referral_type_id"),
    "stock_movements": (
        "id", "device_id", "seq", "staff_id", "created_at", "occurred_at", "site_id",
        "item_id", "lot_id", "quantity", "kind", "reason", "note", "encounter_id",
        "transfer_id", "reverses_id",
    ),
}  # fmt: skip  # parents first: the foreign keys are checked row by row


class StockPlanner:
    """Draws for the whole file: a lot item's balances read once, then kept in memory."""

    def __init__(self, uow: UnitOfWork, items: dict[uuid.UUID, Item]) -> None:
        self._session = uow.session
        self._today: date = uow.today()
        self._items = items
        self._lots: dict[tuple[uuid.UUID, uuid.UUID], list[LotBalance]] = {}

    def plan(self, p: PreparedEncounter) -> list[tuple[uuid.UUID, Draw]]:
        """A row's draws, item by item in catalog order (as `encounters.plan_stock`)."""
        order = sorted(p.items, key=lambda item_id: self._items[item_id].sort_order)
        return [(i, d) for i in order for d in self.draws(p.site.id, i, p.items[i])]

    def draws(self, site_id: uuid.UUID, item_id: uuid.UUID, wanted: int) -> list[Draw]:
        """As `ledger.plan_draw` with the override: what lots cannot cover goes without a lot."""
        if not self._items[item_id].tracks_lots:
            return [Draw(None, wanted)]
        key = (site_id, item_id)
        if key not in self._lots:
            self._lots[key] = lot_balances(self._session, site_id, item_id)
        balances = self._lots[key]
        draws, missing = allocate_fefo(balances, wanted, self._today)
        taken = {d.lot_id: d.quantity for d in draws}
        self._lots[key] = [
            LotBalance(b.lot_id, b.lot_number, b.expires_on, b.on_hand - taken.get(b.lot_id, 0))
            for b in balances
        ]
        return [*draws, Draw(None, missing)] if missing else draws


def draw_id(row_id: uuid.UUID, position: int) -> uuid.UUID:
    """The `position`-th stock draw of an imported row. Derived, like the row's own id: the
    same file imported on two devices draws the same records (the same facts when both drew the
    same lots), so merging them keeps the stock drawn once (contracts §9)."""
    return identity.derived_part_id(row_id, f"draw:{position}")


class _Values:
    """Python values in the database's own form, as `storage.types` binds them."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"
        self._ids: dict[uuid.UUID, Any] = {}

    def id(self, value: uuid.UUID | None) -> Any:
        if value is None or not self.sqlite:
            return value
        found = self._ids.get(value)  # catalog and site ids recur on every row
        if found is None:
            found = self._ids[value] = value.bytes
        return found

    def row_id(self, value: uuid.UUID) -> Any:
        return value.bytes if self.sqlite else value

    def moment(self, value: datetime) -> Any:
        if self.sqlite:
            return to_millis(value)
        return truncate_to_millis(value.astimezone(UTC)).replace(tzinfo=None)


class BulkWriter:
    """Collects rows per table and inserts them in batches, parents first."""

    def __init__(self, uow: UnitOfWork, import_id: uuid.UUID, moves_stock: bool) -> None:
        self._conn: Connection = uow.session.connection()
        self._v = _Values(self._conn.dialect.name)
        mark = "?" if self._conn.dialect.paramstyle == "qmark" else "%s"
        self._sql = {
            table: f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
            f"({', '.join(mark for _ in cols)})"
            for table, cols in COLUMNS.items()
        }
        self._rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
        v = self._v
        self._device, self._staff = v.id(uow.device_id), v.id(uow.staff_id)
        self._code_key = uow.code_key  # codes are stored only keyed (contracts §10)
        self._now, self._import = v.moment(uow.now()), v.id(import_id)
        self._moves = moves_stock
        self._distribute = MovementKind.DISTRIBUTE.value
        self.pending = 0  # encounters collected since the last flush
        self.hashes: list[tuple[int, bytes]] = []  # (seq, facts hash) of every record written

    def add(self, planned: Planned, seq: Callable[[], int]) -> None:
        encounter_id, p, draws = planned
        v, draft = self._v, planned[1].draft
        eid, site, when = v.row_id(encounter_id), v.id(p.site.id), v.moment(draft.occurred_at)
        tally, code = draft.is_tally, self._code_key(p.participant_code)
        encounter = (
            eid, self._device, seq(), self._staff, self._now, when, site, tally,
            draft.contacts if tally else 0, code, p.age_band, p.gender,
            None if tally else draft.is_new, 0 if tally else draft.people_served,
            draft.syringes_returned, draft.reversals_reported, p.naloxone_reason,
            draft.naloxone_training, draft.note.strip(), self._moves, self._import,
        )  # fmt: skip
        items = [(eid, v.id(i), q) for i, q in p.items.items()]
        kits = [(eid, v.id(k), q) for k, q in p.kits.items()]
        referrals = [(eid, v.id(r.id)) for r in p.referrals]
        movements = [
            (v.row_id(draw_id(encounter_id, n)), self._device, seq(), self._staff, self._now,
             when, site, v.id(item_id), v.id(draw.lot_id), -draw.quantity, self._distribute,
             None, "", eid, None, None)
            for n, (item_id, draw) in enumerate(draws, start=1)
        ]  # fmt: skip
        self._rows["encounters"].append(encounter)
        self._rows["encounter_items"].extend(items)
        self._rows["encounter_kits"].extend(kits)
        self._rows["encounter_referrals"].extend(referrals)
        self._rows["stock_movements"].extend(movements)
        self._hash(encounter, items, kits, referrals, movements)
        self.pending += 1

    def _hash(
        self,
        encounter: tuple[Any, ...],
        items: list[tuple[Any, ...]],
        kits: list[tuple[Any, ...]],
        referrals: list[tuple[Any, ...]],
        movements: list[tuple[Any, ...]],
    ) -> None:
        """Each record's hash as `check` will read it back, for the import's audit entry."""
        lines = {
            "items": [{"item_id": i, "quantity": q} for _e, i, q in items],
            "kits": [{"kit_id": k, "quantity": q} for _e, k, q in kits],
            "referrals": [{"referral_type_id": r} for _e, r in referrals],
        }
        row = dict(zip(COLUMNS["encounters"], encounter, strict=True))
        self.hashes.append((row["seq"], hash_row("encounters", row, lines)))
        for movement in movements:
            row = dict(zip(COLUMNS["stock_movements"], movement, strict=True))
            self.hashes.append((row["seq"], hash_row("stock_movements", row)))

    def flush(self) -> None:
        for table, rows in self._rows.items():
            if rows:
                self._conn.exec_driver_sql(self._sql[table], rows)
                rows.clear()
        self.pending = 0
