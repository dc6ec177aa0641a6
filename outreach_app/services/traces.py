"""The records behind one report figure, as rows a person can read ("traceable figures").

The ids come from `tally.trace_figure` and `reconciliation.trace_movements`, the same filters the
figure was computed with; this module only turns them into date, site, kind and supplies. Notes
and participant codes are left out on purpose: the list is for checking a number, not for
reading about people.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from outreach_app.domain.clock import Period
from outreach_app.i18n import N_, _, ngettext
from outreach_app.services import encounter_list, reconciliation, tally
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import (
    Item,
    Lot,
    Site,
    StockMovement,
)

MOVEMENT_LABELS = {
    "receive": N_("Received"),
    "distribute": N_("Given out"),
    "transfer_out": N_("Transferred out"),
    "transfer_in": N_("Transferred in"),
    "adjust": N_("Adjusted"),
    "count_correction": N_("Stocktake correction"),
}


@dataclass(frozen=True, slots=True)
class TracedRecord:
    """One encounter, tally record or stock movement behind a figure."""

    id: uuid.UUID
    occurred_at: datetime  # UTC
    site: str
    kind: str  # "Encounter", "Tally record (3 contacts)", "Given out", … (language shown)
    supplies: str  # "SYRINGE 10, SWAB 10", or for a movement "SYRINGE −10"


def figure_records(
    uow: UnitOfWork,
    period: Period,
    section: str,
    code: str,
    site: str | None = None,
    *,
    previous: bool = False,
) -> list[TracedRecord]:
    """The encounters and tally records behind one monthly tally figure, oldest first."""
    ids = tally.trace_figure(uow, period, section, code, site, previous=previous)
    return encounter_records(uow, ids)


def movement_records(
    uow: UnitOfWork, period: Period, site: str, item_code: str, column: str, lot: str | None
) -> list[TracedRecord]:
    """The stock movements behind one reconciliation cell, oldest first."""
    ids = reconciliation.trace_movements(uow, period, site, item_code, column, lot)
    return _movements(uow, ids)


def encounter_records(uow: UnitOfWork, ids: Sequence[uuid.UUID]) -> list[TracedRecord]:
    records = []
    for row in encounter_list.encounter_rows(uow.session, list(ids)):
        if row.is_tally:
            kind = ngettext(
                "Tally record ({n} contact)", "Tally record ({n} contacts)", row.contacts
            )
        else:
            kind = _("Encounter")
        if row.voided:
            kind = _("{kind} — voided", kind=kind)
        records.append(TracedRecord(row.id, row.occurred_at, row.site, kind, row.supplies))
    return records


def _movements(uow: UnitOfWork, ids: Sequence[uuid.UUID]) -> list[TracedRecord]:
    if not ids:
        return []
    found = {
        row.id: row
        for row in uow.session.execute(
            select(
                StockMovement.id,
                StockMovement.occurred_at,
                StockMovement.kind,
                StockMovement.reason,
                StockMovement.quantity,
                StockMovement.reverses_id,
                Site.name.label("site"),
                Item.code.label("item"),
                Lot.lot_number.label("lot"),
            )
            .join(Site, Site.id == StockMovement.site_id)
            .join(Item, Item.id == StockMovement.item_id)
            .outerjoin(Lot, Lot.id == StockMovement.lot_id)
            .where(StockMovement.id.in_(ids))
        )
    }
    out = []
    for movement_id in ids:
        row = found[movement_id]
        kind = _(MOVEMENT_LABELS[row.kind]) if row.kind in MOVEMENT_LABELS else row.kind
        if row.reason:
            kind += f" ({row.reason.lower()})"
        if row.reverses_id is not None:
            kind = _("{kind} — reversal", kind=kind)
        lot = " " + _("lot {lot}", lot=row.lot) if row.lot else ""
        out.append(
            TracedRecord(
                movement_id, row.occurred_at, row.site, kind, f"{row.item}{lot} {row.quantity:+d}"
            )
        )
    return out
