"""The monthly tally figures (contracts §6) computed with SQL aggregation, and the records behind
any one figure ("traceable figures": the same filters as the figure).

Rules of contracts §1: voided records are left out and counted; tally records count in
`tally_contacts` and in supply totals, never in `encounters` or in encounter details.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from outreach_app import __version__
from outreach_app.domain.clock import Period
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.figures import ALL_SITES, DayCount, FigureRow, TallyFigures
from outreach_app.domain.roles import Action
from outreach_app.i18n import _l
from outreach_app.services import lookup, staff

# The header helpers moved to report_header; they stay importable from here (the reconciliation
# and the paper forms import them from this module).
from outreach_app.services.report_header import device_name as device_name
from outreach_app.services.report_header import generated_at as generated_at
from outreach_app.services.report_header import means_all_sites as means_all_sites
from outreach_app.services.report_header import org_name as org_name
from outreach_app.services.report_header import resolve_sites as resolve_sites
from outreach_app.services.tally_rows import NOT_RECORDED, Raw, catalog_codes, site_rows
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import (
    Encounter,
    EncounterItem,
    EncounterKit,
    EncounterReferral,
    EncounterVoid,
    Item,
)


def _voided() -> ColumnElement[bool]:
    return exists().where(EncounterVoid.encounter_id == Encounter.id)


def record_filter(
    period: Period, zone: Any, site_ids: Sequence[uuid.UUID], *, voided: bool = False
) -> list[ColumnElement[bool]]:
    """Records of the period at the sites: kept ones, or (voided=True) the voided ones."""
    return _window(*period.utc_bounds(zone), site_ids, voided=voided)


def _window(
    lo: datetime, hi: datetime, site_ids: Sequence[uuid.UUID], *, voided: bool = False
) -> list[ColumnElement[bool]]:
    return [
        Encounter.occurred_at >= lo,
        Encounter.occurred_at < hi,
        Encounter.site_id.in_(site_ids),
        _voided() if voided else not_(_voided()),
    ]


def _naloxone_given() -> ColumnElement[bool]:
    return exists().where(
        EncounterItem.encounter_id == Encounter.id,
        EncounterItem.item_id == Item.id,
        Item.doses_per_unit > 0,
    )


def _is_encounter() -> ColumnElement[bool]:
    return not_(Encounter.is_tally)


def _anonymous() -> ColumnElement[bool]:
    return Encounter.participant_key.is_(None)


def _one_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _raw_figures(
    session: Session, period: Period, zone: Any, site_ids: list[uuid.UUID]
) -> tuple[Raw, Raw]:
    """Per-site (and ALL) raw counts of the period and of the previous one.

    The previous period ends the day before the period starts, so one window covers both and
    each GROUP BY also groups by which of the two a record falls in: a handful of queries for
    both columns of the report instead of the same handful twice.
    """
    start, hi = period.utc_bounds(zone)
    lo = period.previous().utc_bounds(zone)[0]
    where = _window(lo, hi, site_ids)
    when = case((Encounter.occurred_at >= start, 0), else_=1)  # 0: the period, 1: the previous
    raws: tuple[Raw, Raw] = (defaultdict(int), defaultdict(int))

    def add(which: int, section: str, site_id: uuid.UUID, code: str, value: Any) -> None:
        raw = raws[which]
        raw[(section, site_id, code)] += int(value or 0)
        raw[(section, None, code)] += int(value or 0)

    enc = _is_encounter()
    summary = session.execute(
        select(
            when,
            Encounter.site_id,
            func.sum(_one_if(enc)),
            func.sum(case((enc, Encounter.people_served), else_=0)),
            func.sum(_one_if(and_(enc, _anonymous()))),
            func.sum(case((Encounter.is_tally, Encounter.contacts), else_=0)),
            func.sum(Encounter.syringes_returned),
            func.sum(_one_if(and_(enc, Encounter.naloxone_training))),
            func.sum(Encounter.reversals_reported),
        )
        .where(*where)
        .group_by(when, Encounter.site_id)
    )
    codes = (
        "encounters",
        "people_served",
        "anonymous_contacts",
        "tally_contacts",
        "syringes_returned",
        "people_trained",
        "reversals_reported",
    )
    for which, site_id, *values in summary:
        for code, value in zip(codes, values, strict=True):
            add(which, "summary", site_id, code, value)

    # distinct participants do not add up over sites: ALL is a query of its own
    named = and_(enc, not_(_anonymous()))
    new_code = case((Encounter.is_new.is_(True), Encounter.participant_key), else_=None)
    distinct_cols = (
        func.count(distinct(Encounter.participant_key)),
        func.count(distinct(new_code)),
    )
    for which, site_id, unique, new in session.execute(
        select(when, Encounter.site_id, *distinct_cols)
        .where(*where, named)
        .group_by(when, Encounter.site_id)
    ):
        raws[which][("summary", site_id, "unique_participants")] = int(unique)
        raws[which][("summary", site_id, "new_participants")] = int(new)
    for which, unique, new in session.execute(
        select(when, *distinct_cols).where(*where, named).group_by(when)
    ):
        raws[which][("summary", None, "unique_participants")] = int(unique)
        raws[which][("summary", None, "new_participants")] = int(new)

    for which, site_id, item_id, qty in session.execute(
        select(when, Encounter.site_id, EncounterItem.item_id, func.sum(EncounterItem.quantity))
        .join(Encounter, Encounter.id == EncounterItem.encounter_id)
        .where(*where)
        .group_by(when, Encounter.site_id, EncounterItem.item_id)
    ):
        add(which, "items", site_id, str(item_id), qty)
    for which, site_id, kit_id, qty in session.execute(
        select(when, Encounter.site_id, EncounterKit.kit_id, func.sum(EncounterKit.quantity))
        .join(Encounter, Encounter.id == EncounterKit.encounter_id)
        .where(*where)
        .group_by(when, Encounter.site_id, EncounterKit.kit_id)
    ):
        add(which, "kits", site_id, str(kit_id), qty)
    for which, site_id, ref_id, n in session.execute(
        select(when, Encounter.site_id, EncounterReferral.referral_type_id, func.count())
        .join(Encounter, Encounter.id == EncounterReferral.encounter_id)
        .where(*where, enc)
        .group_by(when, Encounter.site_id, EncounterReferral.referral_type_id)
    ):
        add(which, "referrals", site_id, str(ref_id), n)
    for column, prefix in ((Encounter.age_band, "age:"), (Encounter.gender, "gender:")):
        for which, site_id, value, n in session.execute(
            select(when, Encounter.site_id, column, func.count())
            .where(*where, enc)
            .group_by(when, Encounter.site_id, column)
        ):
            add(which, "demographics", site_id, prefix + (value or NOT_RECORDED), n)
    for which, site_id, reason, n in session.execute(
        select(when, Encounter.site_id, Encounter.naloxone_reason, func.count())
        .where(*where, enc, or_(Encounter.naloxone_reason.is_not(None), _naloxone_given()))
        .group_by(when, Encounter.site_id, Encounter.naloxone_reason)
    ):
        add(which, "naloxone", site_id, "reason:" + (reason or NOT_RECORDED), n)
    for which, site_id, n in session.execute(
        select(when, Encounter.site_id, func.count())
        .where(*_window(lo, hi, site_ids, voided=True))
        .group_by(when, Encounter.site_id)
    ):
        add(which, "summary", site_id, "voided_encounters", n)
    return raws


def contacts_per_day(
    session: Session, period: Period, zone: Any, site_ids: list[uuid.UUID]
) -> list[DayCount]:
    """Encounters plus tally contacts per local day, bucketed in SQL by the days' UTC bounds."""
    days = [period.start + timedelta(days=i) for i in range(period.days)]
    bounds = [Period(d, d).utc_bounds(zone)[1] for d in days]
    bucket = case(
        *((Encounter.occurred_at < hi, index) for index, hi in enumerate(bounds)),
        else_=len(days) - 1,
    )
    weight = case((Encounter.is_tally, Encounter.contacts), else_=1)
    counts = dict(
        session.execute(
            select(bucket, func.sum(weight))
            .where(*record_filter(period, zone, site_ids))
            .group_by(bucket)
        ).all()
    )
    return [DayCount(d, int(counts.get(i, 0) or 0)) for i, d in enumerate(days)]


def monthly_tally(
    uow: UnitOfWork,
    period: Period,
    site: str | None = None,
    *,
    now: datetime | None = None,
    unsuppressed: bool = False,
) -> TallyFigures:
    """Every figure of contracts §6 for a period, one site or all (`None`/`all`), with the
    previous period beside it and contacts per day for the chart. `unsuppressed`: the figures
    are for a report with small counts shown, which only a coordinator may make."""
    if unsuppressed:
        staff.require(uow, Action.UNSUPPRESSED)
    session = uow.session
    sites = resolve_sites(session, site)
    if not sites:
        raise InvalidInput(_l("There are no sites yet; add a site first."))
    site_ids = [s.id for s in sites]
    previous = period.previous()
    raw_now, raw_before = _raw_figures(session, period, uow.zone, site_ids)
    used = {code for (_, _, code), v in (raw_now | raw_before).items() if v}
    catalog = catalog_codes(session, used)
    multi = means_all_sites(site)
    rows: list[FigureRow] = []
    if multi:
        rows += site_rows(None, ALL_SITES, raw_now, raw_before, catalog)
        for s in sites:
            rows += site_rows(s.id, s.name, raw_now, raw_before, catalog)
    else:
        rows += site_rows(None, sites[0].name, raw_now, raw_before, catalog)
    return TallyFigures(
        org=org_name(uow),
        site=ALL_SITES if multi else sites[0].name,
        sites=tuple(s.name for s in sites),
        start=period.start,
        end=period.end,
        previous_start=previous.start,
        previous_end=previous.end,
        period_label=period.label(),
        previous_label=previous.label(),
        generated_at=generated_at(now),
        device=device_name(uow),
        app_version=__version__,
        rows=tuple(rows),
        per_day=tuple(contacts_per_day(session, period, uow.zone, site_ids)),
    )


def trace_figure(
    uow: UnitOfWork,
    period: Period,
    section: str,
    code: str,
    site: str | None = None,
    *,
    previous: bool = False,
) -> tuple[uuid.UUID, ...]:
    """Ids of the encounters and tally records behind one figure, with the figure's filters.

    `site` is a site's name, or None/`all`/`ALL` for the whole report. Derived supply figures
    (`syringes_distributed`, naloxone kits and doses) list the records that gave those items.
    """
    session = uow.session
    sites = resolve_sites(session, None if site in (None, ALL_SITES) else site)
    if previous:
        period = period.previous()
    site_ids = [s.id for s in sites]
    if section == "summary" and code == "voided_encounters":
        where = record_filter(period, uow.zone, site_ids, voided=True)
    else:
        where = record_filter(period, uow.zone, site_ids)
    where += _trace_condition(session, section, code)
    query = select(Encounter.id).where(*where).order_by(Encounter.occurred_at, Encounter.id)
    return tuple(session.scalars(query))


def _gave(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        EncounterItem.encounter_id == Encounter.id, EncounterItem.item_id == Item.id, condition
    )


def _trace_condition(session: Session, section: str, code: str) -> list[ColumnElement[bool]]:
    enc = _is_encounter()
    if section == "summary":
        by_code: dict[str, list[ColumnElement[bool]]] = {
            "encounters": [enc],
            "people_served": [enc],
            "unique_participants": [enc, not_(_anonymous())],
            "new_participants": [enc, not_(_anonymous()), Encounter.is_new.is_(True)],
            "anonymous_contacts": [enc, _anonymous()],
            "tally_contacts": [Encounter.is_tally.is_(True)],
            "syringes_distributed": [_gave(Item.code == "SYRINGE")],
            "syringes_returned": [Encounter.syringes_returned > 0],
            "return_ratio": [or_(Encounter.syringes_returned > 0, _gave(Item.code == "SYRINGE"))],
            "naloxone_kits": [_gave(Item.doses_per_unit > 0)],
            "naloxone_doses": [_gave(Item.doses_per_unit > 0)],
            "people_trained": [enc, Encounter.naloxone_training.is_(True)],
            "reversals_reported": [Encounter.reversals_reported > 0],
            "voided_encounters": [],
        }
        if code not in by_code:
            raise InvalidInput(_l("No summary figure is called {code!r}.", code=code))
        return by_code[code]
    if section == "items":
        item = lookup.item_by_code(session, code)
        return [_gave(Item.id == item.id)]
    if section == "kits":
        kit = lookup.kit_by_code(session, code)
        return [
            exists().where(EncounterKit.encounter_id == Encounter.id, EncounterKit.kit_id == kit.id)
        ]
    if section == "referrals":
        ref = lookup.referrals_by_code(session).get(code.upper())
        if ref is None:
            raise InvalidInput(_l("No referral type has the code {code!r}.", code=code))
        return [
            enc,
            exists().where(
                EncounterReferral.encounter_id == Encounter.id,
                EncounterReferral.referral_type_id == ref.id,
            ),
        ]
    kind, _, value = code.partition(":")
    if section == "naloxone" and kind in ("kits", "doses"):
        item = lookup.item_by_code(session, value)
        return [_gave(Item.id == item.id)]
    if section == "naloxone" and kind == "reason":
        if value == NOT_RECORDED:
            return [enc, Encounter.naloxone_reason.is_(None), _naloxone_given()]
        return [enc, Encounter.naloxone_reason == value]
    if section == "demographics" and kind in ("age", "gender"):
        column = Encounter.age_band if kind == "age" else Encounter.gender
        return [enc, column.is_(None) if value == NOT_RECORDED else column == value]
    raise InvalidInput(_l("No figure {section}/{code} to trace.", section=section, code=code))
