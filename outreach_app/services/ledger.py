"""Stock on hand, derived from the ledger of movements and counts.

Also the one place that writes distribute movements, so that encounters, tally records and
imports draw stock by the same rules: first-expiry-first-out, refusal of a shortfall or an
expired lot unless the person confirms (contracts §1: the supplies are already handed out).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from outreach_app.domain.codes import MovementKind
from outreach_app.domain.lots import Draw, LotBalance, allocate_fefo
from outreach_app.domain.values import Shortfall
from outreach_app.storage.models import (
    Item,
    Lot,
    Site,
    StockBalance,
    StockMovement,
    StocktakeLine,
)

Key = tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]  # site, item, lot
NO_LOT = uuid.UUID(int=0)  # stock_balances.lot_key of stock without a lot


def ledger_balances(
    session: Session,
    *,
    until: datetime | None = None,
    strict: bool = False,
    counts_before: datetime | None = None,
    site_ids: Iterable[uuid.UUID] | None = None,
    item_id: uuid.UUID | None = None,
) -> dict[Key, int]:
    """On hand per site, item and lot from the ledger itself (contracts §1).

    A count is the fact "N at T": on hand after it is N plus the movements after T; without a
    count, the sum of the movements. `until` bounds both (`strict`: before it, else at or
    before it); `counts_before` instead takes only counts strictly before that moment (the
    expected quantity of a count being made then). Ties between counts of one moment go to the
    larger id, as in the database's triggers.
    """
    sites = list(site_ids) if site_ids is not None else None
    line, move = StocktakeLine, StockMovement
    count_filters: list[ColumnElement[bool]] = []
    move_filters: list[ColumnElement[bool]] = []
    if until is not None:
        move_filters.append(move.occurred_at < until if strict else move.occurred_at <= until)
        count_filters.append(line.counted_at < until if strict else line.counted_at <= until)
    if counts_before is not None:
        count_filters = [line.counted_at < counts_before]
    if sites is not None:
        count_filters.append(line.site_id.in_(sites))
        move_filters.append(move.site_id.in_(sites))
    if item_id is not None:
        count_filters.append(line.item_id == item_id)
        move_filters.append(move.item_id == item_id)
    totals: dict[Key, int] = {}
    latest: dict[Key, tuple[datetime, uuid.UUID]] = {}
    for s_id, i_id, l_id, at, line_id, counted in session.execute(
        select(line.site_id, line.item_id, line.lot_id, line.counted_at, line.id, line.counted)
        .where(*count_filters)
        .order_by(line.counted_at, line.id)
    ):
        key = (s_id, i_id, l_id)
        if key not in latest or (at, line_id) > latest[key]:
            latest[key] = (at, line_id)
            totals[key] = int(counted)
    last = (
        select(
            line.site_id, line.item_id, line.lot_id, func.max(line.counted_at).label("counted_at")
        )
        .where(*count_filters)
        .group_by(line.site_id, line.item_id, line.lot_id)
        .subquery()
    )
    keys = (move.site_id, move.item_id, move.lot_id)
    for s_id, i_id, l_id, total in session.execute(
        select(*keys, func.sum(move.quantity))
        .outerjoin(
            last,
            and_(
                last.c.site_id == move.site_id,
                last.c.item_id == move.item_id,
                last.c.lot_id.is_not_distinct_from(move.lot_id),
            ),
        )
        .where(
            *move_filters, or_(last.c.counted_at.is_(None), move.occurred_at > last.c.counted_at)
        )
        .group_by(*keys)
    ):
        key = (s_id, i_id, l_id)
        totals[key] = totals.get(key, 0) + int(total)
    return totals


def lot_balances(
    session: Session, site_id: uuid.UUID, item_id: uuid.UUID, as_of: datetime | None = None
) -> list[LotBalance]:
    """Per-lot balances now (from the kept balances) or as of a past moment (from the ledger)."""
    lots = {lot.id: lot for lot in session.scalars(select(Lot).where(Lot.item_id == item_id))}
    if as_of is None:
        rows = session.execute(
            select(StockBalance.lot_id, StockBalance.on_hand).where(
                StockBalance.site_id == site_id,
                StockBalance.item_id == item_id,
                StockBalance.lot_id.is_not(None),
            )
        ).all()
    else:
        found = ledger_balances(session, until=as_of, site_ids=[site_id], item_id=item_id)
        rows = [(l_id, total) for (_, _, l_id), total in found.items() if l_id is not None]  # type: ignore[misc]
    return [
        LotBalance(l_id, lots[l_id].lot_number, lots[l_id].expires_on, int(total))
        for l_id, total in rows
        if l_id in lots
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
    count): derived from the ledger itself.
    """
    if as_of is None:
        query = select(func.coalesce(func.sum(StockBalance.on_hand), 0)).where(
            StockBalance.site_id == site_id, StockBalance.item_id == item_id
        )
        if not any_lot:
            query = query.where(StockBalance.lot_key == (lot_id or NO_LOT))
        return int(session.scalar(query) or 0)
    found = ledger_balances(session, until=as_of, site_ids=[site_id], item_id=item_id)
    return sum(total for (_, _, l_id), total in found.items() if any_lot or l_id == lot_id)


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
