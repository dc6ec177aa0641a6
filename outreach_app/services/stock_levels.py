"""What is on hand where: per site, item and lot from the kept balances, lots expiring, items
under their reorder level, and the movements of one item at one site (the ledger view)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outreach_app.domain.values import MovementInfo, OnHandRow
from outreach_app.services import lookup
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Lot, Site, StockBalance, StockMovement


def movement_info(
    session: Session, movement: StockMovement, balance_after: int = 0
) -> MovementInfo:
    site = session.get(Site, movement.site_id)
    item = session.get(Item, movement.item_id)
    lot = session.get(Lot, movement.lot_id) if movement.lot_id else None
    return MovementInfo(
        id=movement.id,
        occurred_at=movement.occurred_at,
        site=site.name if site else "?",
        item_code=item.code if item else "?",
        lot=lot.lot_number if lot else None,
        quantity=movement.quantity,
        kind=movement.kind,
        reason=movement.reason,
        note=movement.note,
        staff=None,
        reverses=movement.reverses_id,
        balance=balance_after,
    )


def on_hand(uow: UnitOfWork, site: str | None = None) -> list[OnHandRow]:
    """One row per site, item and lot with stock; active items with nothing show as 0."""
    session = uow.session
    sites = (
        [lookup.site_by_name(session, site)]
        if site
        else list(session.scalars(select(Site).where(Site.active).order_by(Site.name)))
    )
    site_ids = [s.id for s in sites]
    totals = session.execute(
        select(
            StockBalance.site_id, StockBalance.item_id, StockBalance.lot_id, StockBalance.on_hand
        ).where(StockBalance.site_id.in_(site_ids))
    ).all()
    items = {i.id: i for i in session.scalars(select(Item))}
    lots = {lot.id: lot for lot in session.scalars(select(Lot))}
    by_site: dict[uuid.UUID, list[OnHandRow]] = {s.id: [] for s in sites}
    names = {s.id: s.name for s in sites}
    for site_id, item_id, lot_id, total in totals:
        if int(total) == 0:
            continue
        item, lot = items[item_id], lots.get(lot_id) if lot_id else None
        by_site[site_id].append(
            OnHandRow(
                names[site_id],
                item.code,
                item.name,
                lot.lot_number if lot else None,
                lot.expires_on if lot else None,
                int(total),
                item.sort_order,
            )
        )
    rows: list[OnHandRow] = []
    for s in sites:
        present = {r.item_code for r in by_site[s.id]}
        for item in items.values():
            if item.active and item.code not in present:
                by_site[s.id].append(
                    OnHandRow(s.name, item.code, item.name, None, None, 0, item.sort_order)
                )
        by_site[s.id].sort(
            key=lambda r: (r.sort_order, r.item_code, r.expires_on or date.max, r.lot or "")
        )
        rows.extend(by_site[s.id])
    return rows


def expiring_lots(uow: UnitOfWork, within_days: int, site: str | None = None) -> list[OnHandRow]:
    """Lots with stock that expire within N days (or already have)."""
    limit = uow.today() + timedelta(days=within_days)
    return [
        r
        for r in on_hand(uow, site)
        if r.expires_on is not None and r.on_hand > 0 and r.expires_on <= limit
    ]


def under_reorder_level(
    uow: UnitOfWork, site: str | None = None
) -> list[tuple[str, str, int, int]]:
    """(site, item code, on hand, reorder level) for active items below their level."""
    totals: dict[tuple[str, str], int] = {}
    for r in on_hand(uow, site):
        totals[(r.site, r.item_code)] = totals.get((r.site, r.item_code), 0) + r.on_hand
    levels = {i.code: i.reorder_level for i in uow.session.scalars(select(Item).where(Item.active))}
    return [
        (s, code, qty, levels[code])
        for (s, code), qty in totals.items()
        if code in levels and qty < levels[code]
    ]


def ledger(uow: UnitOfWork, site: str, item_code: str) -> list[MovementInfo]:
    """Every movement of one item at one site, oldest first, with the running balance."""
    session = uow.session
    site_row = lookup.site_by_name(session, site)
    item = lookup.item_by_code(session, item_code)
    rows = session.scalars(
        select(StockMovement)
        .where(StockMovement.site_id == site_row.id, StockMovement.item_id == item.id)
        .order_by(StockMovement.occurred_at, StockMovement.created_at, StockMovement.id)
    )
    running = 0
    out = []
    for movement in rows:
        running += movement.quantity
        out.append(movement_info(session, movement, running))
    return out
