"""Receiving, transferring and adjusting stock. What is on hand where: `stock_levels`, whose
names are reachable from here too, as callers have always used them."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outreach_app.domain import identity
from outreach_app.domain.codes import AdjustReason, MovementKind, parse_enum
from outreach_app.domain.errors import InvalidInput, ShortfallError
from outreach_app.domain.lots import Draw
from outreach_app.domain.roles import Action
from outreach_app.domain.values import MovementInfo, Shortfall
from outreach_app.i18n import _l
from outreach_app.services import audit, free_text, lookup, staff
from outreach_app.services.encounters import refuse_shortfalls, reversal_of
from outreach_app.services.ledger import PlannedDraw, balance, plan_draw, write_draws
from outreach_app.services.stock_levels import (  # noqa: F401 - reachable from here as before
    expiring_lots,
    ledger,
    movement_info,
    on_hand,
    under_reorder_level,
)
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Lot, Site, StockMovement


def _positive(qty: int) -> None:
    if qty <= 0:
        raise InvalidInput(
            _l("The quantity must be a whole number above zero (got {qty}).", qty=qty)
        )


def receive(
    uow: UnitOfWork,
    site: str,
    item_code: str,
    qty: int,
    *,
    lot: str | None = None,
    expires: date | None = None,
    source: str = "",
    at: datetime | None = None,
) -> MovementInfo:
    """Stock arriving at a site, now or at `at` (a delivery keyed in later)."""
    _positive(qty)
    when = _not_in_future(uow, at)
    session = uow.session
    site_row = lookup.site_by_name(session, site)
    item = lookup.item_by_code(session, item_code)
    lot_row = _lot_for_receipt(uow, item, lot, expires)
    movement = StockMovement(
        id=uuid.uuid4(),
        device_id=uow.device_id,
        created_at=uow.now(),
        occurred_at=when,
        site_id=site_row.id,
        item_id=item.id,
        lot_id=lot_row.id if lot_row else None,
        quantity=qty,
        kind=MovementKind.RECEIVE.value,
        note=source.strip()[:200],
    )
    session.add(movement)
    session.flush()
    audit.record(
        uow, "receive", f"{qty} {item.code} at {site_row.name}" + (f" lot {lot}" if lot else "")
    )
    return replace(movement_info(session, movement), text_warnings=free_text.take(uow))


def _not_in_future(uow: UnitOfWork, at: datetime | None) -> datetime:
    if at is None:
        return uow.now()
    if at > uow.now():
        raise InvalidInput(_l("Stock cannot be recorded as moved in the future."))
    return at


def _lot_for_receipt(
    uow: UnitOfWork, item: Item, lot: str | None, expires: date | None
) -> Lot | None:
    if not item.tracks_lots:
        if lot or expires:
            raise InvalidInput(
                _l("{item} does not track lots; leave out --lot and --expires.", item=item.code)
            )
        return None
    if not lot or not lot.strip():
        raise InvalidInput(
            _l(
                "{item} tracks lots and expiry: give the lot number and expiry date printed on "
                "the box (--lot L --expires YYYY-MM-DD).",
                item=item.code,
            )
        )
    existing = uow.session.scalar(
        select(Lot).where(Lot.item_id == item.id, Lot.lot_number == lot.strip())
    )
    if existing is not None:
        if expires is not None and existing.expires_on != expires:
            raise InvalidInput(
                _l(
                    "Lot {lot} of {item} is recorded as expiring {recorded}, not {given}. Check "
                    "the box; lot numbers are unique per item.",
                    lot=lot,
                    item=item.code,
                    recorded=existing.expires_on,
                    given=expires,
                )
            )
        return existing
    if expires is None:
        raise InvalidInput(
            _l(
                "Lot {lot} of {item} is new: give its expiry date (--expires).",
                lot=lot,
                item=item.code,
            )
        )
    new_lot = Lot(
        id=identity.lot_id(item.id, lot),
        device_id=uow.device_id,
        created_at=uow.now(),
        item_id=item.id,
        lot_number=lot.strip(),
        expires_on=expires,
    )
    uow.session.add(new_lot)
    uow.session.flush()
    return new_lot


def _plan_from_lot(
    session: Session, site: Site, item: Item, qty: int, lot: str | None, today: date
) -> PlannedDraw:
    """Draw from a named lot, or first-expiry-first-out when none is named."""
    if lot is None:
        return plan_draw(session, site, item, qty, today)
    if not item.tracks_lots:
        raise InvalidInput(_l("{item} does not track lots.", item=item.code))
    lot_row = lookup.lot_by_number(session, item, lot)
    in_stock = balance(session, site.id, item.id, lot_row.id, any_lot=False)
    short = None
    if lot_row.expires_on is not None and lot_row.expires_on < today:
        short = Shortfall(site.name, item.code, qty, in_stock, expired_lot=lot_row.lot_number)
    elif in_stock < qty:
        short = Shortfall(site.name, item.code, qty, max(in_stock, 0))
    return PlannedDraw(item, [Draw(lot_row.id, qty)], short)


def transfer(
    uow: UnitOfWork,
    from_site: str,
    to_site: str,
    item_code: str,
    qty: int,
    *,
    lot: str | None = None,
    override: bool = False,
    note: str = "",
    at: datetime | None = None,
) -> uuid.UUID:
    """Stock from one site to another (coordinators; a shift bag goes through `shift_bag`)."""
    staff.require(uow, Action.TRANSFER)
    return move_between(
        uow, from_site, to_site, item_code, qty, lot=lot, override=override, note=note, at=at
    )


def move_between(
    uow: UnitOfWork,
    from_site: str,
    to_site: str,
    item_code: str,
    qty: int,
    *,
    lot: str | None = None,
    override: bool = False,
    note: str = "",
    at: datetime | None = None,
    action: str = "transfer",
) -> uuid.UUID:
    """The two legs of a transfer, without the role check (bag out and in are workers' too)."""
    _positive(qty)
    when = _not_in_future(uow, at)
    session = uow.session
    source = lookup.site_by_name(session, from_site)
    dest = lookup.site_by_name(session, to_site)
    if source.id == dest.id:
        raise InvalidInput(_l("Choose two different sites for a transfer."))
    item = lookup.item_by_code(session, item_code)
    plan = _plan_from_lot(session, source, item, qty, lot, uow.today())
    if not override:
        refuse_shortfalls([plan.shortfall] if plan.shortfall else [])
    transfer_id = uuid.uuid4()
    outs = write_draws(
        session,
        [plan],
        site=source,
        kind=MovementKind.TRANSFER_OUT,
        occurred_at=when,
        device_id=uow.device_id,
        created_at=uow.now(),
        transfer_id=transfer_id,
        note=note,
    )
    for out in outs:
        session.add(
            StockMovement(
                id=uuid.uuid4(),
                device_id=uow.device_id,
                created_at=uow.now(),
                occurred_at=when,
                site_id=dest.id,
                item_id=item.id,
                lot_id=out.lot_id,
                quantity=-out.quantity,
                kind=MovementKind.TRANSFER_IN.value,
                transfer_id=transfer_id,
                note=note,
            )
        )
    session.flush()
    audit.record(uow, action, f"{qty} {item.code} from {source.name} to {dest.name}")
    return transfer_id


def adjust(
    uow: UnitOfWork,
    site: str,
    item_code: str,
    qty: int,
    reason: str,
    *,
    lot: str | None = None,
    override: bool = False,
    note: str = "",
) -> MovementInfo:
    """A signed correction with a reason code; taking stock below zero needs the override."""
    staff.require(uow, Action.ADJUST)
    if qty == 0:
        raise InvalidInput(_l("An adjustment of zero changes nothing."))
    code = parse_enum(AdjustReason, reason)
    if code is None:
        options = ", ".join(r.value for r in AdjustReason)
        raise InvalidInput(
            _l(
                "Unknown adjustment reason {reason!r}; use one of {options}.",
                reason=reason,
                options=options,
            )
        )
    session = uow.session
    site_row = lookup.site_by_name(session, site)
    item = lookup.item_by_code(session, item_code)
    lot_row = lookup.lot_by_number(session, item, lot) if lot else None
    if item.tracks_lots and lot_row is None:
        raise InvalidInput(_l("{item} tracks lots: name the lot being adjusted.", item=item.code))
    if qty < 0 and not override:
        in_stock = balance(
            session,
            site_row.id,
            item.id,
            lot_row.id if lot_row else None,
            any_lot=not item.tracks_lots,
        )
        if in_stock + qty < 0:
            raise ShortfallError(
                _l(
                    "{item} at {site}: only {on_hand} on hand, so removing {qty} takes it below "
                    "zero. Count that shelf first, or confirm the adjustment.",
                    item=item.code,
                    site=site_row.name,
                    on_hand=in_stock,
                    qty=-qty,
                ),
                [Shortfall(site_row.name, item.code, -qty, in_stock)],
            )
    movement = StockMovement(
        id=uuid.uuid4(),
        device_id=uow.device_id,
        created_at=uow.now(),
        occurred_at=uow.now(),
        site_id=site_row.id,
        item_id=item.id,
        lot_id=lot_row.id if lot_row else None,
        quantity=qty,
        kind=MovementKind.ADJUST.value,
        reason=code.value,
        note=note.strip()[:200],
    )
    session.add(movement)
    session.flush()
    audit.record(uow, "adjust", f"{qty:+d} {item.code} at {site_row.name} ({code.value})")
    return replace(movement_info(session, movement), text_warnings=free_text.take(uow))


def reverse_movement(uow: UnitOfWork, movement_id: uuid.UUID, reason: str) -> MovementInfo:
    """Undo a receipt or adjustment entered by mistake, as a new reversing movement."""
    session = uow.session
    movement = session.get(StockMovement, movement_id)
    if movement is None:
        raise InvalidInput(_l("That movement does not exist."))
    if movement.reverses_id is not None:
        raise InvalidInput(_l("That movement is itself a reversal."))
    if movement.encounter_id is not None:
        raise InvalidInput(_l("Void the encounter instead; its stock comes back with it."))
    if movement.kind == MovementKind.RECEIVE.value:
        staff.require_own_or(uow, movement.staff_id, Action.VOID_OTHERS)
    else:
        staff.require(uow, Action.ADJUST)
    if session.scalar(select(StockMovement.id).where(StockMovement.reverses_id == movement_id)):
        raise InvalidInput(_l("That movement was already reversed."))
    if not reason.strip():
        raise InvalidInput(_l("Give a reason for the reversal."))
    reversal = reversal_of(uow, movement, reason.strip()[:200])
    session.add(reversal)
    session.flush()
    audit.record(uow, "reverse", f"a {movement.kind} movement")  # never the typed reason
    return replace(movement_info(session, reversal), text_warnings=free_text.take(uow))
