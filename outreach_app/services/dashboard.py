"""The coordinator's dashboard as of a day (contracts §11), aggregated in SQL in one unit of work.

- Week figures: the 7 days ending on the date and the 4 weeks before, from encounters and tally
  records like the monthly tally (voided ones left out), in two grouped queries.
- Stock at the end of the date: the balances the database keeps, less the movements recorded
  after the date (few, for the usual "as of today"), so the whole ledger is never summed.
- Distributed in the 28 days: the site's distribute movements (a void's reversal shares the
  kind and the moment of what it reverses, so it cancels it).
- The per-site reorder target is an organisation setting (`reorder_target_days:<site id>`),
  not a column: the schema stays as it is.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, not_, select

from outreach_app import __version__
from outreach_app.domain.clock import Period
from outreach_app.domain.codes import MovementKind
from outreach_app.domain.dashboard import (
    ALL_SITES,
    DEFAULT_TARGET_DAYS,
    USAGE_DAYS,
    WEEK_LABELS,
    WEEKS_BEFORE,
    Dashboard,
    ExpiringLot,
    StockLine,
    WeekFigure,
    expiry_window,
)
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.org_settings import REORDER_TARGET_PREFIX
from outreach_app.domain.roles import Action
from outreach_app.i18n import _l
from outreach_app.services import audit, lookup, staff
from outreach_app.services.ledger import ledger_balances
from outreach_app.services.tally import (
    device_name,
    generated_at,
    means_all_sites,
    org_name,
    record_filter,
    resolve_sites,
)
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import (
    Encounter,
    EncounterItem,
    Item,
    Lot,
    Setting,
    Site,
    StockBalance,
    StockMovement,
    StocktakeLine,
)

TARGET_KEY = REORDER_TARGET_PREFIX
MAX_TARGET_DAYS = 365
Key = tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]  # site, item, lot


def dashboard(
    uow: UnitOfWork,
    as_of: date | None = None,
    site: str | None = None,
    *,
    target_days: int | None = None,
    now: datetime | None = None,
    unsuppressed: bool = False,
) -> Dashboard:
    """Every figure of the dashboard for one site or all (`None`/`all`) as of a local day
    (default today); `target_days` replaces each site's own reorder target. `unsuppressed`:
    for a report with small counts shown (coordinators only)."""
    if unsuppressed:
        staff.require(uow, Action.UNSUPPRESSED)
    if target_days is not None:
        _check_target(target_days)
    session = uow.session
    day = as_of or uow.today()
    sites = resolve_sites(session, site)
    if not sites:
        raise InvalidInput(_l("There are no sites yet; add a site first."))
    site_ids = [s.id for s in sites]
    names = {s.id: s.name for s in sites}
    multi = means_all_sites(site)
    saved = _saved_targets(uow)
    targets = {s.id: target_days or saved.get(s.id) or DEFAULT_TARGET_DAYS for s in sites}

    weeks = _week_figures(uow, day, site_ids)
    order: list[uuid.UUID | None] = [None, *site_ids] if multi else [None]
    week_rows = []
    for key in order:
        label = ALL_SITES if key is None else names[key]
        if not multi:
            label = sites[0].name
        for code in WEEK_LABELS:
            values = weeks[(key, code)]
            week_rows.append(WeekFigure(label, code, values[-1], tuple(values[:-1])))

    end = Period(day, day).utc_bounds(uow.zone)[1]
    on_hand = _on_hand_at(uow, site_ids, end)
    given = _distributed(uow, day, site_ids)
    items = {i.id: i for i in session.scalars(select(Item))}
    totals: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
    for (s_id, i_id, _lot), qty in on_hand.items():
        totals[(s_id, i_id)] += qty
    stock = [
        StockLine(
            site=names[s_id],
            item_code=items[i_id].code,
            item_name=items[i_id].name,
            unit=items[i_id].unit,
            on_hand=totals.get((s_id, i_id), 0),
            distributed=given.get((s_id, i_id), 0),
            target_days=targets[s_id],
            sort_order=items[i_id].sort_order,
        )
        for s_id, i_id in set(totals) | set(given)
        if totals.get((s_id, i_id), 0) != 0 or given.get((s_id, i_id), 0) != 0
    ]
    stock.sort(key=lambda line: (line.site, line.sort_order, line.item_code))
    return Dashboard(
        org=org_name(uow),
        site=ALL_SITES if multi else sites[0].name,
        sites=tuple(names[s] for s in site_ids),
        as_of=day,
        generated_at=generated_at(now),
        device=device_name(uow),
        app_version=__version__,
        targets=tuple((names[s], targets[s]) for s in site_ids),
        target_override=target_days,
        weeks=tuple(week_rows),
        stock=tuple(stock),
        expiring=tuple(_expiring(uow, day, on_hand, names, items)),
    )


def _week_bounds(day: date, zone: Any) -> tuple[Period, list[datetime]]:
    """The five weeks ending on `day` as one period, and each week's end in UTC (oldest first)."""
    weeks = WEEKS_BEFORE + 1
    span = Period(day - timedelta(days=7 * weeks - 1), day)
    last_days = [day - timedelta(days=7 * (weeks - 1 - i)) for i in range(weeks)]
    ends = [Period(last, last).utc_bounds(zone)[1] for last in last_days]
    return span, ends


def _bucket(ends: list[datetime]) -> ColumnElement[int]:
    """Which week (0 the oldest, 4 this week) a record falls in, from its UTC time."""
    return case(
        *((Encounter.occurred_at < hi, index) for index, hi in enumerate(ends)),
        else_=len(ends) - 1,
    )


def _week_figures(
    uow: UnitOfWork, day: date, site_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID | None, str], list[int]]:
    """(site id or None for the whole selection, code) -> the five weeks' values, oldest first."""
    session = uow.session
    span, ends = _week_bounds(day, uow.zone)
    where = record_filter(span, uow.zone, site_ids)
    bucket = _bucket(ends)
    out: dict[tuple[uuid.UUID | None, str], list[int]] = defaultdict(lambda: [0] * len(ends))

    def add(week: int, site_id: uuid.UUID, code: str, value: Any) -> None:
        out[(site_id, code)][week] += int(value or 0)
        out[(None, code)][week] += int(value or 0)

    encounter = not_(Encounter.is_tally)
    for week, site_id, contacts, people, reversals in session.execute(
        select(
            bucket,
            Encounter.site_id,
            func.sum(case((encounter, 1), else_=Encounter.contacts)),
            func.sum(case((encounter, Encounter.people_served), else_=0)),
            func.sum(Encounter.reversals_reported),
        )
        .where(*where)
        .group_by(bucket, Encounter.site_id)
    ):
        add(week, site_id, "contacts", contacts)
        add(week, site_id, "people_served", people)
        add(week, site_id, "reversals_reported", reversals)
    for week, site_id, syringes, naloxone in session.execute(
        select(
            bucket,
            Encounter.site_id,
            func.sum(case((Item.code == "SYRINGE", EncounterItem.quantity), else_=0)),
            func.sum(case((Item.doses_per_unit > 0, EncounterItem.quantity), else_=0)),
        )
        .join(Encounter, Encounter.id == EncounterItem.encounter_id)
        .join(Item, Item.id == EncounterItem.item_id)
        .where(*where)
        .group_by(bucket, Encounter.site_id)
    ):
        add(week, site_id, "syringes_distributed", syringes)
        add(week, site_id, "naloxone_kits", naloxone)
    for site_id in [None, *site_ids]:
        for code in WEEK_LABELS:
            out[(site_id, code)]  # every site has every figure, 0 when nothing happened
    return out


def _on_hand_at(uow: UnitOfWork, site_ids: list[uuid.UUID], end: datetime) -> dict[Key, int]:
    """Per site, item and lot at `end`: the kept balances less what was recorded after it.

    A count made after `end` fixed the kept balance at its moment, so subtracting the later
    movements would be wrong: then the ledger itself is read as of `end` (contracts §1).
    """
    counted_since = uow.session.scalar(
        select(func.count())
        .select_from(StocktakeLine)
        .where(StocktakeLine.site_id.in_(site_ids), StocktakeLine.counted_at >= end)
    )
    if counted_since:
        found = ledger_balances(uow.session, until=end, strict=True, site_ids=site_ids)
        return {key: qty for key, qty in found.items() if qty != 0}
    on_hand: dict[Key, int] = defaultdict(int)
    for s_id, i_id, l_id, qty in uow.session.execute(
        select(
            StockBalance.site_id, StockBalance.item_id, StockBalance.lot_id, StockBalance.on_hand
        ).where(StockBalance.site_id.in_(site_ids))
    ):
        on_hand[(s_id, i_id, l_id)] += int(qty)
    keys = (StockMovement.site_id, StockMovement.item_id, StockMovement.lot_id)
    for s_id, i_id, l_id, later in uow.session.execute(
        select(*keys, func.sum(StockMovement.quantity))
        .where(StockMovement.site_id.in_(site_ids), StockMovement.occurred_at >= end)
        .group_by(*keys)
    ):
        on_hand[(s_id, i_id, l_id)] -= int(later)
    return {key: qty for key, qty in on_hand.items() if qty != 0}


def _distributed(
    uow: UnitOfWork, day: date, site_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Units handed out per site and item in the 28 days ending on `day`."""
    lo, hi = Period(day - timedelta(days=USAGE_DAYS - 1), day).utc_bounds(uow.zone)
    rows = uow.session.execute(
        select(StockMovement.site_id, StockMovement.item_id, func.sum(StockMovement.quantity))
        .where(
            StockMovement.site_id.in_(site_ids),
            StockMovement.kind == MovementKind.DISTRIBUTE.value,
            StockMovement.occurred_at >= lo,
            StockMovement.occurred_at < hi,
        )
        .group_by(StockMovement.site_id, StockMovement.item_id)
    )
    return {(s_id, i_id): -int(qty) for s_id, i_id, qty in rows if int(qty) != 0}


def _expiring(
    uow: UnitOfWork,
    day: date,
    on_hand: dict[Key, int],
    names: dict[uuid.UUID, str],
    items: dict[uuid.UUID, Item],
) -> list[ExpiringLot]:
    """Lots with stock at a site that expired or expire within 90 days of the date."""
    lot_ids = {l_id for (_, _, l_id), qty in on_hand.items() if l_id is not None and qty > 0}
    if not lot_ids:
        return []
    lots = {lot.id: lot for lot in uow.session.scalars(select(Lot).where(Lot.id.in_(lot_ids)))}
    out = []
    for (s_id, i_id, l_id), qty in on_hand.items():
        lot = lots.get(l_id) if l_id is not None else None
        if lot is None or lot.expires_on is None or qty <= 0:
            continue
        window = expiry_window(lot.expires_on, day)
        if window is not None:
            item = items[i_id]
            out.append(
                ExpiringLot(
                    names[s_id], item.code, item.name, lot.lot_number, lot.expires_on, qty, window
                )
            )
    out.sort(key=lambda e: (e.site, e.expires, e.item_code, e.lot))
    return out


# ---- the per-site reorder target ---------------------------------------------------------------


def _check_target(days: int) -> None:
    if not 1 <= days <= MAX_TARGET_DAYS:
        raise InvalidInput(
            _l(
                "A reorder target is 1 to {limit} days (got {days}).",
                limit=MAX_TARGET_DAYS,
                days=days,
            )
        )


def _saved_targets(uow: UnitOfWork) -> dict[uuid.UUID, int]:
    out: dict[uuid.UUID, int] = {}
    for key, value in uow.session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(TARGET_KEY))
    ):
        try:
            out[uuid.UUID(key[len(TARGET_KEY) :])] = int(value)
        except ValueError:
            continue  # a damaged setting falls back to the default rather than failing
    return out


def site_target_days(uow: UnitOfWork, site: str) -> int:
    """The site's reorder target in days: its setting, else 30."""
    row = lookup.site_by_name(uow.session, site)
    return _saved_targets(uow).get(row.id, DEFAULT_TARGET_DAYS)


def set_site_target_days(uow: UnitOfWork, site: str, days: int) -> int:
    """Save a site's reorder target (an organisation setting, kept by site id through renames)."""
    staff.require(uow, Action.SETTINGS)
    _check_target(days)
    row: Site = lookup.site_by_name(uow.session, site)
    key = f"{TARGET_KEY}{row.id}"
    setting = uow.session.get(Setting, key)
    if setting is None:
        uow.session.add(Setting(key=key, value=str(days)))
    else:
        setting.value = str(days)
    uow.session.flush()
    audit.record(uow, "reorder_target", f"{row.name}: {days} days")
    return days
