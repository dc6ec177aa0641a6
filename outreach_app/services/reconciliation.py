"""Inventory reconciliation for a period (contracts §7), aggregated in SQL.

Opening and closing are the ledger (movements and counts, contracts §1) before the period starts
and before it ends; each movement of the period goes in the column of its kind (a reversal shares
the kind of the movement it reverses, so it lands in that column and cancels it). Counts store
no movement: what they changed goes in `adjust_recount`, as closing − opening − the other columns.
The last count of the period gives counted, and its variance against the ledger at its moment.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outreach_app import __version__
from outreach_app.domain.clock import Period
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.figures import ALL_SITES
from outreach_app.domain.reconciliation import (
    EXPIRY_WARNING_DAYS,
    MOVEMENT_COLUMNS,
    ExpiringLot,
    InventoryReport,
    ReconciliationRow,
    ReorderLine,
    column_for,
)
from outreach_app.i18n import _l
from outreach_app.services.ledger import Key, ledger_balances
from outreach_app.services.tally import (
    device_name,
    generated_at,
    means_all_sites,
    org_name,
    resolve_sites,
)
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Lot, StockMovement, StocktakeLine


def reconcile(
    uow: UnitOfWork, period: Period, site: str | None = None, *, now: datetime | None = None
) -> InventoryReport:
    session = uow.session
    sites = resolve_sites(session, site)
    if not sites:
        raise InvalidInput(_l("There are no sites yet; add a site first."))
    site_ids = [s.id for s in sites]
    lo, hi = period.utc_bounds(uow.zone)
    in_sites = StockMovement.site_id.in_(site_ids)
    keys = (StockMovement.site_id, StockMovement.item_id, StockMovement.lot_id)

    opening = ledger_balances(session, until=lo, strict=True, site_ids=site_ids)
    closing = ledger_balances(session, until=hi, strict=True, site_ids=site_ids)
    moved: dict[Key, list[int]] = defaultdict(lambda: [0] * len(MOVEMENT_COLUMNS))
    for s_id, i_id, l_id, kind, reason, total in session.execute(
        select(*keys, StockMovement.kind, StockMovement.reason, func.sum(StockMovement.quantity))
        .where(in_sites, StockMovement.occurred_at >= lo, StockMovement.occurred_at < hi)
        .group_by(*keys, StockMovement.kind, StockMovement.reason)
    ):
        moved[(s_id, i_id, l_id)][MOVEMENT_COLUMNS.index(column_for(kind, reason))] += int(total)
    recount = MOVEMENT_COLUMNS.index("adjust_recount")
    for key in set(opening) | set(closing) | set(moved):
        columns = moved[key]
        columns[recount] += closing.get(key, 0) - opening.get(key, 0) - sum(columns)
    counts, last_count = _last_counts(session, site_ids, lo, hi)
    names = {s.id: s.name for s in sites}
    counts_taken = [(s.name, last_count[s.id]) for s in sites if s.id in last_count]

    items = {i.id: i for i in session.scalars(select(Item))}
    lots = {lot.id: lot for lot in session.scalars(select(Lot))}
    present = set(opening) | set(closing) | set(moved) | set(counts)
    seen_items = {(s_id, i_id) for s_id, i_id, _ in present}
    for s in sites:  # active items with no history show as a row of zeros
        for item in items.values():
            if item.active and (s.id, item.id) not in seen_items:
                present.add((s.id, item.id, None))

    rows = []
    for key in present:
        s_id, i_id, l_id = key
        item, lot = items[i_id], lots.get(l_id) if l_id else None
        counted, variance = counts.get(key, (None, None))
        rows.append(
            ReconciliationRow(
                site=names[s_id],
                item_code=item.code,
                item_name=item.name,
                lot=lot.lot_number if lot else None,
                expires=lot.expires_on if lot else None,
                opening=opening.get(key, 0),
                movements=tuple(moved[key]) if key in moved else (0,) * len(MOVEMENT_COLUMNS),
                counted=counted,
                variance=variance,
                sort_order=item.sort_order,
            )
        )
    rows.sort(key=lambda r: (r.site, r.sort_order, r.item_code, r.expires or date.max, r.lot or ""))
    return InventoryReport(
        org=org_name(uow),
        site=ALL_SITES if means_all_sites(site) else sites[0].name,
        start=period.start,
        end=period.end,
        period_label=period.label(),
        generated_at=generated_at(now),
        device=device_name(uow),
        app_version=__version__,
        rows=tuple(rows),
        expiring=tuple(_expiring(rows, period.end)),
        under_reorder=tuple(_under_reorder(rows, items)),
        counts_taken=tuple(counts_taken),
    )


def _last_counts(
    session: Session, site_ids: list[uuid.UUID], lo: datetime, hi: datetime
) -> tuple[dict[Key, tuple[int, int]], dict[uuid.UUID, datetime]]:
    """(counted, variance) of each item and lot's last count in the period, and the moment of
    each site's last count. The variance is against the ledger as known now at that moment."""
    counts: dict[Key, tuple[int, int]] = {}
    moments: dict[Key, datetime] = {}
    last_count: dict[uuid.UUID, datetime] = {}
    for s_id, when, i_id, l_id, n_counted in session.execute(
        select(
            StocktakeLine.site_id,
            StocktakeLine.counted_at,
            StocktakeLine.item_id,
            StocktakeLine.lot_id,
            StocktakeLine.counted,
        )
        .where(
            StocktakeLine.site_id.in_(site_ids),
            StocktakeLine.counted_at >= lo,
            StocktakeLine.counted_at < hi,
        )
        .order_by(StocktakeLine.counted_at, StocktakeLine.id)
    ):
        counts[(s_id, i_id, l_id)] = (n_counted, 0)
        moments[(s_id, i_id, l_id)] = when
        last_count[s_id] = when
    expected_at: dict[tuple[uuid.UUID, datetime], dict[Key, int]] = {}
    for key, when in moments.items():
        if (key[0], when) not in expected_at:
            expected_at[(key[0], when)] = ledger_balances(
                session, until=when, counts_before=when, site_ids=[key[0]]
            )
        n_counted = counts[key][0]
        counts[key] = (n_counted, n_counted - expected_at[(key[0], when)].get(key, 0))
    return counts, last_count


def _expiring(rows: list[ReconciliationRow], end: date) -> list[ExpiringLot]:
    """Lots with stock at the period's end that have expired or expire within 60 days of it."""
    limit = end + timedelta(days=EXPIRY_WARNING_DAYS)
    return [
        ExpiringLot(r.site, r.item_code, r.lot, r.expires, r.expected_closing, r.expires < end)
        for r in rows
        if r.lot and r.expires and r.expected_closing > 0 and r.expires <= limit
    ]


def _under_reorder(
    rows: list[ReconciliationRow], items: dict[uuid.UUID, Item]
) -> list[ReorderLine]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    order: dict[tuple[str, str], int] = {}
    for r in rows:
        totals[(r.site, r.item_code)] += r.expected_closing
        order[(r.site, r.item_code)] = r.sort_order
    by_code = {i.code: i for i in items.values() if i.active}
    return [
        ReorderLine(site, code, by_code[code].name, qty, by_code[code].reorder_level)
        for (site, code), qty in sorted(totals.items(), key=lambda kv: (kv[0][0], order[kv[0]]))
        if code in by_code and qty < by_code[code].reorder_level
    ]


def trace_movements(
    uow: UnitOfWork, period: Period, site: str, item_code: str, column: str, lot: str | None = None
) -> tuple[uuid.UUID, ...]:
    """Ids of the movements behind one reconciliation cell (same filters as the cell)."""
    from outreach_app.services import lookup

    session = uow.session
    site_row = lookup.site_by_name(session, site)
    item = lookup.item_by_code(session, item_code)
    lot_row = lookup.lot_by_number(session, item, lot) if lot else None
    lo, hi = period.utc_bounds(uow.zone)
    where = [
        StockMovement.site_id == site_row.id,
        StockMovement.item_id == item.id,
        StockMovement.lot_id.is_(None) if lot_row is None else StockMovement.lot_id == lot_row.id,
        StockMovement.occurred_at < hi,
    ]
    if column == "opening":
        where[-1] = StockMovement.occurred_at < lo
    elif column != "expected_closing":
        where.append(StockMovement.occurred_at >= lo)
    movements = session.execute(
        select(StockMovement.id, StockMovement.kind, StockMovement.reason)
        .where(*where)
        .order_by(StockMovement.occurred_at, StockMovement.id)
    ).all()
    if column in ("opening", "expected_closing"):
        return tuple(m_id for m_id, _, _ in movements)
    if column not in MOVEMENT_COLUMNS:
        raise InvalidInput(_l("No reconciliation column is called {column!r}.", column=column))
    return tuple(m_id for m_id, kind, reason in movements if column_for(kind, reason) == column)
