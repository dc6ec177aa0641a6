"""The demo generator in bulk: a year of activity written with SQLAlchemy Core, for benchmarks.

The encounters come from `demo.generate` (the same model as `outreach demo`); here they are
expanded and written as plain rows in large batches, with the distribute movements the services
would have written and a monthly receipt per site that covers them, so `outreach check` agrees.
Rows carry what the services' rows carry, the person who acted included, and every action gets
its own audit entry as in the app (one per encounter, one per receipt), hashed and chained by
the same code (`facts.hash_row`, `audit.entry_row`): the benchmark's size is the app's size.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from outreach_app.domain import identity
from outreach_app.domain.clock import utc_now
from outreach_app.domain.facts import records_hash
from outreach_app.domain.participant import clean_participant_code, participant_key
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import audit, catalog
from outreach_app.services.demo import DemoSite, expand, generate
from outreach_app.services.store import Store
from outreach_app.storage.facts import hash_row
from outreach_app.storage.models import (
    AuditEntry,
    Device,
    Encounter,
    EncounterItem,
    EncounterKit,
    EncounterReferral,
    Item,
    Kit,
    Lot,
    ReferralType,
    Setting,
    Site,
    StockMovement,
)

EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
# About 250,000 encounters a year over three sites at scale 1.
BENCH_SITES = (
    DemoSite("Drop-in Centre", "fixed", 228, EVERY_DAY, (8, 22)),
    DemoSite("Van Route North", "van", 228, EVERY_DAY, (8, 22)),
    DemoSite("Street Route East", "street", 228, EVERY_DAY, (8, 22)),
)
BATCH = 5000


@dataclass(frozen=True, slots=True)
class BulkSummary:
    encounters: int
    lines: int
    movements: int


class _Ids:
    """Catalog ids looked up once, and one long-dated lot per lot-tracked item."""

    def __init__(self, conn: Connection, store: Store, now: datetime, seq: Iterator[int]) -> None:
        self.device, self.staff = store.device_id, store.staff_id
        self.sites = dict(conn.execute(select(Site.name, Site.id)).all())
        items = conn.execute(select(Item.code, Item.id, Item.tracks_lots)).all()
        self.items = {code: item_id for code, item_id, _ in items}
        self.kits = dict(conn.execute(select(Kit.code, Kit.id)).all())
        self.referrals = dict(conn.execute(select(ReferralType.code, ReferralType.id)).all())
        self.secret = bytes.fromhex(
            conn.execute(select(Setting.value).where(Setting.key == "org_secret")).scalar_one()
        )
        self.lots: dict[str, uuid.UUID] = {}
        self.lot_numbers: dict[str, str] = {}
        self.lot_rows: list[dict[str, Any]] = []
        for code, item_id, tracks in items:
            if tracks:
                number = f"BENCH-{code}-{now:%Y%m%d%H%M%S}"
                self.lots[code] = identity.lot_id(item_id, number)
                self.lot_numbers[code] = number
                self.lot_rows.append(
                    {
                        "id": self.lots[code],
                        "device_id": self.device,
                        "seq": next(seq),
                        "staff_id": self.staff,
                        "created_at": now,
                        "item_id": item_id,
                        "lot_number": number,
                        "expires_on": now.date() + timedelta(days=3650),
                    }
                )
        if self.lot_rows:
            conn.execute(insert(Lot), self.lot_rows)


class _Writer:
    def __init__(
        self, conn: Connection, ids: _Ids, now: datetime, seq: Iterator[int], head: bytes | None
    ) -> None:
        self.conn, self.ids, self.device, self.now, self.seq = conn, ids, ids.device, now, seq
        self.rows: dict[Any, list[dict[str, Any]]] = {
            t: [] for t in (Encounter, EncounterItem, EncounterKit, EncounterReferral)
        }
        self.rows[StockMovement] = []
        self.rows[AuditEntry] = []
        self.head = head  # this device's last entry hash, which the next entry chains to
        self.encounters = self.lines = self.movements = 0

    def entry(self, action: str, summary: str, covered: list[bytes]) -> None:
        """The audit entry of one action, covering the records it numbered just before."""
        row = audit.entry_row(
            device_id=self.device,
            seq=next(self.seq),
            staff_id=self.ids.staff,
            created_at=self.now,
            action=action,
            summary=summary,
            records=records_hash(covered),
            prev=self.head,
        )
        self.head = row["entry_hash"]
        self.rows[AuditEntry].append(row)

    def movement(
        self, site: str, item: str, qty: int, when: datetime, kind: str, eid: Any = None
    ) -> bytes:
        row = {
            "id": uuid.uuid4(),
            "device_id": self.device,
            "seq": next(self.seq),
            "staff_id": self.ids.staff,
            "created_at": self.now,
            "occurred_at": when,
            "site_id": self.ids.sites[site],
            "item_id": self.ids.items[item],
            "lot_id": self.ids.lots.get(item),
            "quantity": qty,
            "kind": kind,
            "reason": None,
            "note": "",
            "encounter_id": eid,
        }
        self.rows[StockMovement].append(row)
        self.movements += 1
        return hash_row("stock_movements", row)

    def receipt(self, site: str, item: str, qty: int, when: datetime) -> None:
        covered = [self.movement(site, item, qty, when, "receive")]
        lot = self.ids.lot_numbers.get(item)
        self.entry("receive", f"{qty} {item} at {site}" + (f" lot {lot}" if lot else ""), covered)

    def _key(self, code: str | None) -> bytes | None:
        clean = clean_participant_code(code)
        return participant_key(self.ids.secret, clean) if clean else None

    def encounter(self, e: EncounterDraft, totals: Counter[str]) -> None:
        eid = uuid.uuid4()
        row = {
            "id": eid,
            "device_id": self.device,
            "seq": next(self.seq),
            "staff_id": self.ids.staff,
            "created_at": self.now,
            "occurred_at": e.occurred_at,
            "site_id": self.ids.sites[e.site],
            "is_tally": e.is_tally,
            "contacts": e.contacts,
            "participant_code": None,
            "participant_key": self._key(e.participant_code),
            "age_band": e.age_band,
            "gender": e.gender,
            "is_new": None if e.is_tally else e.is_new,
            "people_served": 0 if e.is_tally else e.people_served,
            "syringes_returned": e.syringes_returned,
            "reversals_reported": e.reversals_reported,
            "naloxone_reason": e.naloxone_reason,
            "naloxone_training": e.naloxone_training,
            "note": e.note,
            "moves_stock": True,
        }
        lines: dict[str, list[dict[str, Any]]] = {
            "items": [
                {"encounter_id": eid, "item_id": self.ids.items[item], "quantity": qty}
                for item, qty in totals.items()
            ],
            "kits": [
                {"encounter_id": eid, "kit_id": self.ids.kits[kit], "quantity": qty}
                for kit, qty in e.kits.items()
            ],
            "referrals": [
                {"encounter_id": eid, "referral_type_id": self.ids.referrals[code]}
                for code in e.referrals
            ],
        }
        self.rows[Encounter].append(row)
        for table, label in (
            (EncounterItem, "items"),
            (EncounterKit, "kits"),
            (EncounterReferral, "referrals"),
        ):
            self.rows[table].extend(lines[label])
        # In sequence order, as the services number them: the encounter, then its draws.
        covered = [hash_row("encounters", row, lines)]
        for item, qty in totals.items():
            covered.append(self.movement(e.site, item, -qty, e.occurred_at, "distribute", eid))
        what = "tally" if e.is_tally else "encounter"
        self.entry(what, f"{what} at {e.site}", covered)
        self.encounters += 1
        self.lines += len(totals)
        if len(self.rows[Encounter]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        # Parents first: the foreign keys are checked row by row.
        for table in (
            Encounter,
            EncounterItem,
            EncounterKit,
            EncounterReferral,
            StockMovement,
            AuditEntry,
        ):
            if self.rows[table]:
                self.conn.execute(insert(table), self.rows[table])
                self.rows[table].clear()


def bulk_fill(
    store: Store,
    first_day: date,
    days: int,
    *,
    scale: float = 1.0,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> BulkSummary:
    """`days` of encounters at the three benchmark sites, with monthly receipts covering them."""
    with store.unit_of_work() as uow:
        existing = set(store_sites(uow.session))
        for site in BENCH_SITES:
            if site.name not in existing:
                catalog.add_site(uow, site.name, site.kind)
        kit_lines = {k.code: dict(k.lines) for k in catalog.list_kits(uow, include_inactive=True)}
    now = utc_now()
    last_day = first_day + timedelta(days=days - 1)
    rng = random.Random(seed)
    with store.engine.begin() as conn:
        first = conn.scalar(select(Device.last_seq).where(Device.id == store.device_id)) or 0
        seq = itertools.count(first + 1)
        last = audit.head(conn, store.device_id)
        ids = _Ids(conn, store, now, seq)
        writer = _Writer(conn, ids, now, seq, last[1] if last else None)
        if ids.lot_rows:
            lots = [hash_row("lots", row) for row in ids.lot_rows]
            writer.entry("demo", f"{len(lots)} lots for the synthetic data", lots)
        month: tuple[int, int] | None = None
        need: dict[str, Counter[str]] = {}

        def receive_month() -> None:
            if month is None:
                return
            when = datetime.combine(date(month[0], month[1], 1), time(7), store.zone)
            for site, counter in need.items():
                for item, qty in sorted(counter.items()):
                    writer.receipt(site, item, int(qty * 1.1) + 10, when)

        for encounter in generate(
            rng, BENCH_SITES, first_day, last_day, store.zone, scale=scale, pool=2000
        ):
            key = (encounter.occurred_at.year, encounter.occurred_at.month)
            if key != month:
                receive_month()
                month, need = key, {}
            totals = expand(encounter, kit_lines)
            need.setdefault(encounter.site, Counter()).update(totals)
            writer.encounter(encounter, totals)
            if progress and writer.encounters % 10000 == 0:
                progress(writer.encounters)
        receive_month()
        writer.flush()
        conn.execute(
            update(Device).where(Device.id == store.device_id).values(last_seq=next(seq) - 1)
        )
    return BulkSummary(writer.encounters, writer.lines, writer.movements)


def store_sites(session: Any) -> list[str]:
    return list(session.scalars(select(Site.name)))
