"""Counting a site's shelf: a count is the fact "N counted at T" (contracts §1).

Expected is whatever the ledger knows about that moment; on hand after T is N plus the movements
after T. Encounters logged while a count sheet is open happen after its moment, so they never
distort it, and records dated before it that arrive later change its variance, never the on
hand after it. Nothing but the counted quantities is stored.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select

from outreach_app.domain.codes import AdjustReason, parse_enum
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.values import StocktakeLineDraft, StocktakeLineInfo
from outreach_app.i18n import _l
from outreach_app.services import audit, lookup
from outreach_app.services.ledger import ledger_balances
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Lot, Stocktake, StocktakeLine


def count_sheet(uow: UnitOfWork, site: str, at: datetime | None = None) -> list[StocktakeLineInfo]:
    """Expected quantities per active item and lot at `at` (default: now)."""
    session = uow.session
    site_row = lookup.site_by_name(session, site)
    moment = at or uow.now()
    balances = [
        (i_id, l_id, total)
        for (_, i_id, l_id), total in ledger_balances(
            session, until=moment, site_ids=[site_row.id]
        ).items()
    ]
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
    """Record the counted quantities; a difference from expected needs a reason."""
    session = uow.session
    if at > uow.now():
        raise InvalidInput(_l("A count cannot be dated in the future."))
    if not lines:
        raise InvalidInput(_l("The count sheet is empty; type at least one counted quantity."))
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
            raise InvalidInput(
                _l(
                    "{item} {lot} is counted twice on this sheet.",
                    item=item.code,
                    lot=line.lot or "",
                )
            )
        seen.add(key)
        if line.counted < 0:
            raise InvalidInput(_l("The count of {item} cannot be negative.", item=item.code))
        lot = lookup.lot_by_number(session, item, line.lot) if line.lot else None
        expected = _expected_at(uow, site_row.id, item.id, lot.id if lot else None, at)
        variance = line.counted - expected
        reason = None
        if variance:
            code = parse_enum(AdjustReason, line.reason or "")
            if code is None:
                options = ", ".join(r.value for r in AdjustReason)
                args = {"counted": line.counted, "expected": expected, "options": options}
                raise InvalidInput(
                    _l(
                        "{item} lot {lot}: counted {counted}, expected {expected}. Give a reason "
                        "for the difference ({options}).",
                        item=item.code,
                        lot=line.lot,
                        **args,
                    )
                    if line.lot
                    else _l(
                        "{item}: counted {counted}, expected {expected}. Give a reason for the "
                        "difference ({options}).",
                        item=item.code,
                        **args,
                    )
                )
            reason = code.value
        session.add(
            StocktakeLine(
                stocktake_id=stocktake.id,
                site_id=site_row.id,
                counted_at=at,
                item_id=item.id,
                lot_id=lot.id if lot else None,
                counted=line.counted,
                reason=reason,
            )
        )
    session.flush()
    audit.record(uow, "stocktake", f"{site_row.name}: {len(lines)} lines")
    return stocktake.id


def _expected_at(
    uow: UnitOfWork, site_id: uuid.UUID, item_id: uuid.UUID, lot_id: uuid.UUID | None, at: datetime
) -> int:
    """The ledger at the count's moment: movements at or before it, earlier counts only."""
    found = ledger_balances(
        uow.session, until=at, counts_before=at, site_ids=[site_id], item_id=item_id
    )
    return found.get((site_id, item_id, lot_id), 0)


def key_in_count(
    uow: UnitOfWork, site: str, at: datetime, counts: list[tuple[str, str | None, int]]
) -> list[StocktakeLineInfo]:
    """A count keyed in from paper (`outreach count`): only the listed items and lots are
    counted; a lot item must name its lot. A difference is recorded as a recount."""
    session = uow.session
    drafts = []
    for code, lot_number, counted in counts:
        item = lookup.item_by_code(session, code)
        if item.tracks_lots and not lot_number:
            raise InvalidInput(
                _l("{item} tracks lots: write each lot counted as {item}:LOT=N.", item=item.code)
            )
        if lot_number and not item.tracks_lots:
            raise InvalidInput(_l("{item} does not track lots: write {item}=N.", item=item.code))
        drafts.append(
            StocktakeLineDraft(item.code, lot_number, counted, AdjustReason.RECOUNT.value)
        )
    site_row = lookup.site_by_name(session, site)
    expected = {
        (item_id, lot_id): total
        for (_, item_id, lot_id), total in ledger_balances(
            session, until=at, counts_before=at, site_ids=[site_row.id]
        ).items()
    }
    lines = []
    for draft in drafts:
        item = lookup.item_by_code(session, draft.item_code)
        lot = lookup.lot_by_number(session, item, draft.lot) if draft.lot else None
        before = expected.get((item.id, lot.id if lot else None), 0)
        lines.append(
            StocktakeLineInfo(
                item.code,
                item.name,
                draft.lot,
                lot.expires_on if lot else None,
                before,
                draft.counted,
                draft.counted - before,
                draft.reason if draft.counted != before else None,
            )
        )
    commit_stocktake(uow, site, at, drafts)
    return lines
