"""Listing encounters a page at a time, filtered and sorted in SQL (keyset paging).

A page is found by the sort key of the last row seen, never by OFFSET, so page 5,000 of a
million rows is as fast as page one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from outreach_app.domain.clock import Period
from outreach_app.domain.participant import clean_participant_code, code_tag
from outreach_app.services import lookup
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.indexed import has_participant_key
from outreach_app.storage.models import (
    Encounter,
    EncounterItem,
    EncounterVoid,
    Item,
    Site,
)


@dataclass(frozen=True, slots=True)
class EncounterFilter:
    period: Period | None = None
    site: str | None = None
    item_code: str | None = None
    participant_code: str | None = None
    include_voided: bool = True
    include_tally: bool = True


@dataclass(frozen=True, slots=True)
class PageCursor:
    occurred_at: datetime
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class EncounterRow:
    id: uuid.UUID
    occurred_at: datetime
    site: str
    participant_code: str | None
    is_tally: bool
    contacts: int
    people_served: int
    syringes_returned: int
    supplies: str  # "SYRINGE 10, NALOXONE-NASAL 1"
    voided: bool
    void_reason: str | None
    staff_id: uuid.UUID | None = None  # who recorded it (a worker may void only their own)


@dataclass(frozen=True, slots=True)
class EncounterPage:
    rows: tuple[EncounterRow, ...]
    next_cursor: PageCursor | None


def _filtered(session: Session, uow: UnitOfWork, flt: EncounterFilter) -> Select[Any]:
    query = select(Encounter.id)
    if flt.period is not None:
        lo, hi = flt.period.utc_bounds(uow.zone)
        query = query.where(Encounter.occurred_at >= lo, Encounter.occurred_at < hi)
    if flt.site:
        query = query.where(Encounter.site_id == lookup.site_by_name(session, flt.site).id)
    if flt.item_code:
        item = lookup.item_by_code(session, flt.item_code)
        # EXISTS, probed by the lines' primary key for each encounter walked in time order: a
        # page stops after its rows (IN built the whole list of the item's encounters first).
        query = query.where(
            exists().where(
                EncounterItem.encounter_id == Encounter.id, EncounterItem.item_id == item.id
            )
        )
    if flt.participant_code:
        key = uow.code_key(clean_participant_code(flt.participant_code))
        query = query.where(
            has_participant_key(key) if key else Encounter.participant_key.is_(None)
        )
    if not flt.include_voided:
        query = query.where(Encounter.id.not_in(select(EncounterVoid.encounter_id)))
    if not flt.include_tally:
        query = query.where(Encounter.is_tally.is_(False))
    return query


def count_encounters(uow: UnitOfWork, flt: EncounterFilter) -> int:
    inner = _filtered(uow.session, uow, flt).subquery()
    return int(uow.session.scalar(select(func.count()).select_from(inner)) or 0)


def list_encounters(
    uow: UnitOfWork,
    flt: EncounterFilter,
    *,
    after: PageCursor | None = None,
    limit: int = 200,
    descending: bool = True,
) -> EncounterPage:
    """One page ordered by (occurred_at, id), newest first unless `descending` is False."""
    session = uow.session
    query = _filtered(session, uow, flt).add_columns(Encounter.occurred_at)
    if after is not None:
        if descending:
            query = query.where(
                or_(
                    Encounter.occurred_at < after.occurred_at,
                    and_(Encounter.occurred_at == after.occurred_at, Encounter.id < after.id),
                )
            )
        else:
            query = query.where(
                or_(
                    Encounter.occurred_at > after.occurred_at,
                    and_(Encounter.occurred_at == after.occurred_at, Encounter.id > after.id),
                )
            )
    order = (
        (Encounter.occurred_at.desc(), Encounter.id.desc())
        if descending
        else (Encounter.occurred_at.asc(), Encounter.id.asc())
    )
    ids = [row[0] for row in session.execute(query.order_by(*order).limit(limit + 1))]
    more = len(ids) > limit
    ids = ids[:limit]
    rows = encounter_rows(session, ids)
    next_cursor = PageCursor(rows[-1].occurred_at, rows[-1].id) if more and rows else None
    return EncounterPage(tuple(rows), next_cursor)


def encounter_rows(session: Session, ids: list[uuid.UUID]) -> list[EncounterRow]:
    """Display rows for the given encounters, in the order of `ids`."""
    if not ids:
        return []
    encounters = {
        e.id: (e, site)
        for e, site in session.execute(
            select(Encounter, Site.name)
            .join(Site, Site.id == Encounter.site_id)
            .where(Encounter.id.in_(ids))
        )
    }
    voids = dict(
        session.execute(
            select(EncounterVoid.encounter_id, EncounterVoid.reason).where(
                EncounterVoid.encounter_id.in_(ids)
            )
        ).all()
    )
    supplies: dict[uuid.UUID, list[tuple[int, str, int]]] = {}
    for enc_id, code, order, qty in session.execute(
        select(EncounterItem.encounter_id, Item.code, Item.sort_order, EncounterItem.quantity)
        .join(Item, Item.id == EncounterItem.item_id)
        .where(EncounterItem.encounter_id.in_(ids))
    ):
        supplies.setdefault(enc_id, []).append((order, code, qty))
    rows = []
    for enc_id in ids:
        enc, site = encounters[enc_id]
        lines = sorted(supplies.get(enc_id, []))
        rows.append(
            EncounterRow(
                id=enc.id,
                occurred_at=enc.occurred_at,
                site=site,
                participant_code=code_tag(enc.participant_key),
                is_tally=enc.is_tally,
                contacts=enc.contacts,
                people_served=enc.people_served,
                syringes_returned=enc.syringes_returned,
                supplies=", ".join(f"{code} {qty}" for _, code, qty in lines),
                voided=enc_id in voids,
                void_reason=voids.get(enc_id),
                staff_id=enc.staff_id,
            )
        )
    return rows
