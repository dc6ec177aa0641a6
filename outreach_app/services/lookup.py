"""Finding catalog rows by the names and codes people type, with messages that list the options."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outreach_app.domain.codes import normalize_code
from outreach_app.domain.errors import NotFound
from outreach_app.i18n import _l
from outreach_app.storage.models import Item, Kit, Lot, ReferralType, Site


def site_by_name(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(func.lower(Site.name) == name.strip().lower()))
    if site is None:
        known = ", ".join(session.scalars(select(Site.name).order_by(Site.name)))
        raise NotFound(
            _l("No site is called {name!r}. Known sites: {known}.", name=name, known=known)
            if known
            else _l("No site is called {name!r}. There are no sites yet.", name=name)
        )
    return site


def items_by_code(session: Session) -> dict[str, Item]:
    return {normalize_code(i.code): i for i in session.scalars(select(Item))}


def kits_by_code(session: Session) -> dict[str, Kit]:
    return {normalize_code(k.code): k for k in session.scalars(select(Kit))}


def referrals_by_code(session: Session) -> dict[str, ReferralType]:
    return {normalize_code(r.code): r for r in session.scalars(select(ReferralType))}


def item_by_code(session: Session, code: str) -> Item:
    # Stored codes are already in normal form (seed and catalog edits normalise them).
    item = session.scalar(select(Item).where(Item.code == normalize_code(code)))
    if item is None:
        raise NotFound(
            _l("No item has the code {code!r}. See `outreach stock` for the catalog.", code=code)
        )
    return item


def kit_by_code(session: Session, code: str) -> Kit:
    kit = session.scalar(select(Kit).where(Kit.code == normalize_code(code)))
    if kit is None:
        raise NotFound(_l("No kit has the code {code!r}.", code=code))
    return kit


def lot_by_number(session: Session, item: Item, lot_number: str) -> Lot:
    lot = session.scalar(
        select(Lot).where(Lot.item_id == item.id, Lot.lot_number == lot_number.strip())
    )
    if lot is None:
        raise NotFound(_l("{item} has no lot {lot!r}.", item=item.code, lot=lot_number))
    return lot
