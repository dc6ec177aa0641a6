"""Counting a site's shelf: expected is the ledger as of the count's moment.

Encounters logged while a count sheet is open happen after that moment, so they never distort
the variance; the correction movements are dated at the moment too, and later movements stay.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select

from outreach_app.domain.codes import AdjustReason, MovementKind, parse_enum
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.values import StocktakeLineDraft, StocktakeLineInfo
from outreach_app.services import audit, lookup
from outreach_app.services.ledger import balance
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Lot, StockMovement, Stocktake, StocktakeLine


def count_sheet(uow: UnitOfWork, site: str, at: datetime | None = None) -> list[StocktakeLineInfo]:
    """Expected quantities per active item and lot at `at` (default: now)."""
    session = uow.session
    site_row = lookup.site_by_name(session, site)
    moment = at or uow.now()
    balances = session.execute(
        select(StockMovement.item_id, StockMovement.lot_id, func.sum(StockMovement.quantity))
        .where(StockMovement.site_id == site_row.id, StockMovement.occurred_at <= moment)
        .group_by(StockMovement.item_id, StockMovement.lot_id)
    ).all()
    lots = {lot.id: lot for lot in session.scalars(select(Lot))}
    by_item: dict[uuid.UUID, list[tuple[Lot | None, int]]] = {}
    for item_id, lot_id, total in balances:
        if int(total) != 0:
            by_item.setdefault(item_id, []).append(
                (lots.get(lot_id) if lot_id else None, int(total))
            )
    lines = []
    for item in session.scalars(
        select(Item).where(Item.active).order_by(Item.sort_order, Item.code)
    ):
        entries = by_item.get(item.id) or [(None, 0)]
        entries.sort(
            key=lambda e: (
                e[0].expires_on or date.max if e[0] else date.max,
                e[0].lot_number if e[0] else "",
            )
        )
        for lot, expected in entries:
            lines.append(
                StocktakeLineInfo(
                    item.code,
                    item.name,
                    lot.lot_number if lot else None,
                    lot.expires_on if lot else None,
                    expected,
                    None,
                    None,
                    None,
                )
            )
    return lines


def commit_stocktake(
    uow: UnitOfWork,
    site: str,
    at: datetime,
    lines: list[StocktakeLineDraft],
    note: str = "",
) -> uuid.UUID:
    """Record the count; each variance becomes a count correction dated at the count's moment."""
    session = uow.session
    if at > uow.now():
        raise InvalidInput("A count cannot be dated in the future.")
    if not lines:
        raise InvalidInput("The count sheet is empty; type at least one counted quantity.")
    site_row = lookup.site_by_name(session, site)
    stocktake = Stocktake(
        id=uuid.uuid4(),
        device_id=uow.device_id,
        created_at=uow.now(),
        occurred_at=at,
        site_id=site_row.id,
        note=note.strip()[:200],
    )
    session.add(stocktake)
    session.flush()
    seen: set[tuple[str, str | None]] = set()
    for line in lines:
        item = lookup.item_by_code(session, line.item_code)
        key = (item.code, line.lot)
        if key in seen:
            raise InvalidInput(f"{item.code} {line.lot or ''} is counted twice on this sheet.")
        seen.add(key)
        if line.counted < 0:
            raise InvalidInput(f"The count of {item.code} cannot be negative.")
        lot = lookup.lot_by_number(session, item, line.lot) if line.lot else None
        expected = _balance_at(uow, site_row.id, item.id, lot.id if lot else None, at)
        variance = line.counted - expected
        reason = None
        if variance:
            code = parse_enum(AdjustReason, line.reason or "")
            if code is None:
                raise InvalidInput(
                    f"{item.code}{' lot ' + line.lot if line.lot else ''}: counted {line.counted}, "
                    f"expected {expected}. Give a reason for the difference ("
                    + ", ".join(r.value for r in AdjustReason)
                    + ")."
                )
            reason = code.value
        session.add(
            StocktakeLine(
                stocktake_id=stocktake.id,
                item_id=item.id,
                lot_id=lot.id if lot else None,
                expected=expected,
                counted=line.counted,
                variance=variance,
                reason=reason,
            )
        )
        if variance:
            session.add(
                StockMovement(
                    id=uuid.uuid4(),
                    device_id=uow.device_id,
                    created_at=uow.now(),
                    occurred_at=at,
                    site_id=site_row.id,
                    item_id=item.id,
                    lot_id=lot.id if lot else None,
                    quantity=variance,
                    kind=MovementKind.COUNT_CORRECTION.value,
                    reason=reason,
                    stocktake_id=stocktake.id,
                    note="count correction",
                )
            )
    session.flush()
    audit.record(uow, "stocktake", f"{site_row.name}: {len(lines)} lines")
    return stocktake.id


def _balance_at(
    uow: UnitOfWork, site_id: uuid.UUID, item_id: uuid.UUID, lot_id: uuid.UUID | None, at: datetime
) -> int:
    return balance(uow.session, site_id, item_id, lot_id, any_lot=False, as_of=at)
