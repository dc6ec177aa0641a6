"""The demo generator in bulk: a year of activity written with SQLAlchemy Core, for benchmarks.

The encounters come from `demo.generate` (the same model as `outreach demo`); here they are
expanded and written as plain rows in large batches, with the distribute movements the services
would have written and a monthly receipt per site that covers them, so `outreach check` agrees.
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
from sqlalchemy.orm import Session

from outreach_app.domain import identity
from outreach_app.domain.clock import utc_now
from outreach_app.domain.participant import clean_participant_code, participant_key
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import audit, catalog
from outreach_app.services.demo import DemoSite, expand, generate
from outreach_app.services.store import Store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import (
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

    def __init__(
        self, conn: Connection, device_id: uuid.UUID, now: datetime, seq: Iterator[int]
    ) -> None:
        self.sites = dict(conn.execute(select(Site.name, Site.id)).all())
        items = conn.execute(select(Item.code, Item.id, Item.tracks_lots)).all()
        self.items = {code: item_id for code, item_id, _ in items}
        self.kits = dict(conn.execute(select(Kit.code, Kit.id)).all())
        self.referrals = dict(conn.execute(select(ReferralType.code, ReferralType.id)).all())
        self.secret = bytes.fromhex(
            conn.execute(select(Setting.value).where(Setting.key == "org_secret")).scalar_one()
        )
        self.lots: dict[str, uuid.UUID] = {}
        rows = []
        for code, item_id, tracks in items:
            if tracks:
                number = f"BENCH-{code}-{now:%Y%m%d%H%M%S}"
                self.lots[code] = identity.lot_id(item_id, number)
                rows.append(
                    {
                        "id": self.lots[code],
                        "device_id": device_id,
                        "seq": next(seq),
                        "created_at": now,
                        "item_id": item_id,
                        "lot_number": number,
                        "expires_on": now.date() + timedelta(days=3650),
                    }
                )
        if rows:
            conn.execute(insert(Lot), rows)


class _Writer:
    def __init__(
        self, conn: Connection, ids: _Ids, device_id: uuid.UUID, now: datetime, seq: Iterator[int]
    ) -> None:
        self.conn, self.ids, self.device, self.now, self.seq = conn, ids, device_id, now, seq
        self.rows: dict[Any, list[dict[str, Any]]] = {
            t: [] for t in (Encounter, EncounterItem, EncounterKit, EncounterReferral)
        }
        self.rows[StockMovement] = []
        self.encounters = self.lines = self.movements = 0

    def movement(
        self, site: str, item: str, qty: int, when: datetime, kind: str, eid: Any = None
    ) -> None:
        self.rows[StockMovement].append(
            {
                "id": uuid.uuid4(),
                "device_id": self.device,
                "seq": next(self.seq),
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
        )
        self.movements += 1

    def _key(self, code: str | None) -> bytes | None:
        clean = clean_participant_code(code)
        return participant_key(self.ids.secret, clean) if clean else None

    def encounter(self, e: EncounterDraft, totals: Counter[str]) -> None:
        eid = uuid.uuid4()
        self.rows[Encounter].append(
            {
                "id": eid,
                "device_id": self.device,
                "seq": next(self.seq),
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
        )
        for item, qty in totals.items():
            self.rows[EncounterItem].append(
                {"encounter_id": eid, "item_id": self.ids.items[item], "quantity": qty}
            )
            self.movement(e.site, item, -qty, e.occurred_at, "distribute", eid)
        for kit, qty in e.kits.items():
            self.rows[EncounterKit].append(
                {"encounter_id": eid, "kit_id": self.ids.kits[kit], "quantity": qty}
            )
        for code in e.referrals:
            self.rows[EncounterReferral].append(
                {"encounter_id": eid, "referral_type_id": self.ids.referrals[code]}
            )
        self.encounters += 1
        self.lines += len(totals)
        if len(self.rows[Encounter]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        # Parents first: the foreign keys are checked row by row.
        for table in (Encounter, EncounterItem, EncounterKit, EncounterReferral, StockMovement):
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
        ids = _Ids(conn, store.device_id, now, seq)
        writer = _Writer(conn, ids, store.device_id, now, seq)
        month: tuple[int, int] | None = None
        need: dict[str, Counter[str]] = {}

        def receive_month() -> None:
            if month is None:
                return
            when = datetime.combine(date(month[0], month[1], 1), time(7), store.zone)
            for site, counter in need.items():
                for item, qty in sorted(counter.items()):
                    writer.movement(site, item, int(qty * 1.1) + 10, when, "receive")

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
        # The audit entry in the same transaction, covering every record written above.
        with Session(bind=conn) as session:
            uow = UnitOfWork(
                session, store.device_id, store.zone, org_id=store.org_id, staff_id=store.staff_id
            )
            audit.record_range(uow, "demo", f"{writer.encounters} synthetic encounters")
            session.commit()  # joins the outer transaction: commits only when it does
    return BulkSummary(writer.encounters, writer.lines, writer.movements)


def store_sites(session: Any) -> list[str]:
    return list(session.scalars(select(Site.name)))
