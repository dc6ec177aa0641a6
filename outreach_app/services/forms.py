"""The data the blank paper forms need: a site's active catalog, and its items and lots."""

from __future__ import annotations

from sqlalchemy import select

from outreach_app import __version__
from outreach_app.domain.forms import CountLine, CountSheet, SheetLine, TallySheet
from outreach_app.services import inventory, lookup
from outreach_app.services.tally import generated_at, org_name
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Kit


def tally_sheet(uow: UnitOfWork, site: str) -> TallySheet:
    site_row = lookup.site_by_name(uow.session, site)
    items = uow.session.scalars(
        select(Item).where(Item.active).order_by(Item.sort_order, Item.code)
    )
    kits = uow.session.scalars(select(Kit).where(Kit.active).order_by(Kit.code))
    lines = [SheetLine(i.code, i.name, i.unit, i.category) for i in items]
    lines += [SheetLine(k.code, k.name, "kit", "Kits") for k in kits]
    return TallySheet(org_name(uow), site_row.name, tuple(lines), generated_at(), __version__)


def count_sheet(uow: UnitOfWork, site: str) -> CountSheet:
    site_row = lookup.site_by_name(uow.session, site)
    lines = tuple(
        CountLine(r.item_code, r.item_name, r.lot, r.expires_on, r.on_hand)
        for r in inventory.on_hand(uow, site_row.name)
    )
    return CountSheet(org_name(uow), site_row.name, lines, generated_at(), __version__)
