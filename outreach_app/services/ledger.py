"""Stock on hand, derived from the movement ledger and never stored.

Also the one place that writes distribute movements, so that encounters, tally records and
imports draw stock by the same rules: first-expiry-first-out, refusal of a shortfall or an
expired lot unless the coordinator override is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outreach_app.domain.codes import MovementKind
from outreach_app.domain.lots import Draw, LotBalance, allocate_fefo
from outreach_app.domain.values import Shortfall
from outreach_app.storage.models import Item, Lot, Site, StockBalance, StockMovement


def lot_balances(
    session: Session, site_id: uuid.UUID, item_id: uuid.UUID, as_of: datetime | None = None
) -> list[LotBalance]:
    """Per-lot balances now (from the kept balances) or as of a past moment (from the ledger)."""
    if as_of is None:
        query = (
            select(Lot.id, Lot.lot_number, Lot.expires_on, StockBalance.on_hand)
            .join(StockBalance, StockBalance.lot_id == Lot.id)
            .where(StockBalance.site_id == site_id, StockBalance.item_id == item_id)
        )
    else:
        query = (
            select(Lot.id, Lot.lot_number, Lot.expires_on, func.sum(StockMovement.quantity))
            .join(StockMovement, StockMovement.lot_id == Lot.id)
            .where(
                StockMovement.site_id == site_id,
                StockMovement.item_id == item_id,
                StockMovement.occurred_at <= as_of,
            )
            .group_by(Lot.id, Lot.lot_number, Lot.expires_on)
        )
    return [
        LotBalance(lot_id, number, expires, int(total))
        for lot_id, number, expires, total in session.execute(query)
    ]


def balance(
    session: Session,
    site_id: uuid.UUID,
    item_id: uuid.UUID,
    lot_id: uuid.UUID | None = None,
    *,
    any_lot: bool = True,
    as_of: datetime | None = None,
) -> int:
    """On hand at a site; `any_lot=False` restricts to `lot_id` (None meaning 'no lot').

    Now: read from the balances the database keeps beside the ledger. As of a past moment (a
    count): summed from the ledger itself.
    """
    if as_of is None:
        query = select(func.coalesce(func.sum(StockBalance.on_hand), 0)).where(
            StockBalance.site_id == site_id, StockBalance.item_id == item_id
        )
        if not any_lot:
            query = query.where(
                StockBalance.lot_id.is_(None) if lot_id is None else StockBalance.lot_id == lot_id
            )
        return int(session.scalar(query) or 0)
    query = select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
        StockMovement.site_id == site_id,
        StockMovement.item_id == item_id,
        StockMovement.occurred_at <= as_of,
    )
    if not any_lot:
        query = query.where(
            StockMovement.lot_id.is_(None) if lot_id is None else StockMovement.lot_id == lot_id
        )
    return int(session.scalar(query) or 0)


def usable_on_hand(session: Session, site: Site, item: Item, today: date) -> int:
    """What can be handed out without the override: unexpired lots, or the plain balance."""
    if not item.tracks_lots:
        return balance(session, site.id, item.id)
    return sum(
        b.on_hand
        for b in lot_balances(session, site.id, item.id)
        if b.on_hand > 0 and (b.expires_on is None or b.expires_on >= today)
    )


@dataclass(frozen=True, slots=True)
class PlannedDraw:
    item: Item
    draws: list[Draw]
    shortfall: Shortfall | None


def plan_draw(session: Session, site: Site, item: Item, wanted: int, today: date) -> PlannedDraw:
    if item.tracks_lots:
        draws, missing = allocate_fefo(lot_balances(session, site.id, item.id), wanted, today)
        if missing:
            draws.append(Draw(None, missing))
        available = wanted - missing
    else:
        available = max(balance(session, site.id, item.id), 0)
        draws = [Draw(None, wanted)]
        missing = max(wanted - available, 0)
    short = Shortfall(site.name, item.code, wanted, available) if missing else None
    return PlannedDraw(item, draws, short)


def write_draws(
    session: Session,
    plans: Iterable[PlannedDraw],
    *,
    site: Site,
    kind: MovementKind,
    occurred_at: datetime,
    device_id: uuid.UUID,
    created_at: datetime,
    encounter_id: uuid.UUID | None = None,
    transfer_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
    note: str = "",
) -> list[StockMovement]:
    movements = []
    for plan in plans:
        for draw in plan.draws:
            movement = StockMovement(
                id=uuid.uuid4(),
                device_id=device_id,
                created_at=created_at,
                occurred_at=occurred_at,
                site_id=site.id,
                item_id=plan.item.id,
                lot_id=draw.lot_id,
                quantity=-draw.quantity,
                kind=kind.value,
                encounter_id=encounter_id,
                transfer_id=transfer_id,
                staff_id=staff_id,
                note=note,
            )
            session.add(movement)
            movements.append(movement)
    return movements
