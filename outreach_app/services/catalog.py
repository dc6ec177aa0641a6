"""The catalog and sites: add, edit and deactivate. Nothing history refers to is ever deleted."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outreach_app.domain import identity
from outreach_app.domain.codes import SiteKind, normalize_code, parse_enum
from outreach_app.domain.errors import InvalidInput, NotFound
from outreach_app.domain.roles import Action
from outreach_app.domain.values import ItemInfo, KitInfo, ReferralTypeInfo, SiteInfo
from outreach_app.i18n import N_, _l
from outreach_app.services import audit, staff
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Kit, KitLine, ReferralType, Site


def _site_info(site: Site) -> SiteInfo:
    return SiteInfo(site.id, site.name, site.kind, site.active)


def item_info(item: Item) -> ItemInfo:
    return ItemInfo(
        item.id,
        item.code,
        item.name,
        item.category,
        item.unit,
        item.doses_per_unit,
        item.reorder_level,
        item.tracks_lots,
        item.active,
        item.sort_order,
    )


def _kit_info(session: Session, kit: Kit) -> KitInfo:
    items = {i.id: i.code for i in session.scalars(select(Item))}
    return KitInfo(
        kit.id,
        kit.code,
        kit.name,
        kit.active,
        tuple(sorted((items[line.item_id], line.quantity) for line in kit.lines)),
    )


# What is being named: the message when the name is missing, and when it is too long.
_NAMING = {
    "site": (N_("Give the site a name."), N_("Keep the site's name under 120 characters.")),
    "item": (N_("Give the item a name."), N_("Keep the item's name under 120 characters.")),
    "category": (
        N_("Give the category a name."),
        N_("Keep the category's name under 120 characters."),
    ),
    "kit": (N_("Give the kit a name."), N_("Keep the kit's name under 120 characters.")),
    "referral type": (
        N_("Give the referral type a name."),
        N_("Keep the referral type's name under 120 characters."),
    ),
}


def _name(text: str, what: str) -> str:
    value = " ".join(text.split())
    missing, too_long = _NAMING[what]
    if not value:
        raise InvalidInput(_l(missing))
    if len(value) > 120:
        raise InvalidInput(_l(too_long))
    return value


def _code(text: str) -> str:
    code = normalize_code(text)
    if not code or len(code) > 40:
        raise InvalidInput(_l("A code is 1 to 40 letters, digits or hyphens (e.g. SHARPS-1L)."))
    return code


# Sites -------------------------------------------------------------------------------------


def list_sites(uow: UnitOfWork, include_inactive: bool = False) -> list[SiteInfo]:
    query = select(Site).order_by(Site.name)
    if not include_inactive:
        query = query.where(Site.active)
    return [_site_info(s) for s in uow.session.scalars(query)]


def add_site(uow: UnitOfWork, name: str, kind: str) -> SiteInfo:
    staff.require(uow, Action.CATALOG)
    clean = _name(name, "site")
    member = parse_enum(SiteKind, kind)
    if member is None:
        raise InvalidInput(
            _l("Site kind must be one of {options}", options=", ".join(k.value for k in SiteKind))
        )
    if uow.session.scalar(select(Site).where(func.lower(Site.name) == clean.lower())):
        raise InvalidInput(_l("A site called {name!r} already exists.", name=clean))
    site_id = identity.site_id(uow.organisation_id(), clean)
    if uow.session.get(Site, site_id) is not None:
        site_id = identity.random_id()  # a site first created under this name was renamed
    site = Site(id=site_id, name=clean, kind=member.value, active=True)
    uow.session.add(site)
    uow.session.flush()
    audit.record(uow, "add site", clean)
    return _site_info(site)


def _site(uow: UnitOfWork, site_id: uuid.UUID) -> Site:
    site = uow.session.get(Site, site_id)
    if site is None:
        raise NotFound(_l("That site does not exist."))
    return site


def rename_site(uow: UnitOfWork, site_id: uuid.UUID, new_name: str) -> SiteInfo:
    staff.require(uow, Action.CATALOG)
    site = _site(uow, site_id)
    clean = _name(new_name, "site")
    clash = uow.session.scalar(select(Site).where(func.lower(Site.name) == clean.lower()))
    if clash is not None and clash.id != site.id:
        raise InvalidInput(_l("A site called {name!r} already exists.", name=clean))
    audit.record(uow, "rename site", f"{site.name} -> {clean}")
    site.name = clean
    return _site_info(site)


def set_site_kind(uow: UnitOfWork, site_id: uuid.UUID, kind: str) -> SiteInfo:
    staff.require(uow, Action.CATALOG)
    site = _site(uow, site_id)
    member = parse_enum(SiteKind, kind)
    if member is None:
        raise InvalidInput(
            _l("Site kind must be one of {options}", options=", ".join(k.value for k in SiteKind))
        )
    site.kind = member.value
    audit.record(uow, "site kind", f"{site.name}: {member.value}")
    return _site_info(site)


def set_site_active(uow: UnitOfWork, site_id: uuid.UUID, active: bool) -> SiteInfo:
    staff.require(uow, Action.CATALOG)
    site = _site(uow, site_id)
    if (
        not active
        and uow.session.scalar(select(func.count()).select_from(Site).where(Site.active)) == 1
        and site.active
    ):
        raise InvalidInput(_l("Keep at least one active site."))
    site.active = active
    audit.record(uow, "activate site" if active else "deactivate site", site.name)
    return _site_info(site)


# Items -------------------------------------------------------------------------------------


def list_items(uow: UnitOfWork, include_inactive: bool = False) -> list[ItemInfo]:
    query = select(Item).order_by(Item.sort_order, Item.code)
    if not include_inactive:
        query = query.where(Item.active)
    return [item_info(i) for i in uow.session.scalars(query)]


def add_item(
    uow: UnitOfWork,
    code: str,
    name: str,
    category: str,
    unit: str = "each",
    *,
    doses_per_unit: int = 0,
    reorder_level: int = 0,
    tracks_lots: bool = False,
) -> ItemInfo:
    staff.require(uow, Action.CATALOG)
    clean_code = _code(code)
    session = uow.session
    if session.scalar(select(Item).where(Item.code == clean_code)) or session.scalar(
        select(Kit).where(Kit.code == clean_code)
    ):
        raise InvalidInput(_l("The code {code} is already used.", code=clean_code))
    if doses_per_unit < 0 or reorder_level < 0:
        raise InvalidInput(_l("Doses per unit and reorder level cannot be negative."))
    last = session.scalar(select(func.max(Item.sort_order))) or 0
    item = Item(
        id=identity.item_id(uow.organisation_id(), clean_code),
        code=clean_code,
        name=_name(name, "item"),
        category=_name(category, "category"),
        unit=unit.strip() or "each",
        doses_per_unit=doses_per_unit,
        reorder_level=reorder_level,
        tracks_lots=tracks_lots,
        active=True,
        sort_order=last + 10,
    )
    session.add(item)
    session.flush()
    audit.record(uow, "add item", clean_code)
    return item_info(item)


def update_item(
    uow: UnitOfWork,
    item_id: uuid.UUID,
    *,
    name: str | None = None,
    category: str | None = None,
    unit: str | None = None,
    reorder_level: int | None = None,
    sort_order: int | None = None,
) -> ItemInfo:
    """Codes, lot tracking and doses stay fixed: past records and reports depend on them."""
    staff.require(uow, Action.CATALOG)
    item = uow.session.get(Item, item_id)
    if item is None:
        raise NotFound(_l("That item does not exist."))
    if name is not None:
        item.name = _name(name, "item")
    if category is not None:
        item.category = _name(category, "category")
    if unit is not None:
        item.unit = unit.strip() or item.unit
    if reorder_level is not None:
        if reorder_level < 0:
            raise InvalidInput(_l("The reorder level cannot be negative."))
        item.reorder_level = reorder_level
    if sort_order is not None:
        item.sort_order = sort_order
    audit.record(uow, "edit item", item.code)
    return item_info(item)


def set_item_active(uow: UnitOfWork, item_id: uuid.UUID, active: bool) -> ItemInfo:
    staff.require(uow, Action.CATALOG)
    item = uow.session.get(Item, item_id)
    if item is None:
        raise NotFound(_l("That item does not exist."))
    item.active = active
    audit.record(uow, "activate item" if active else "deactivate item", item.code)
    return item_info(item)


# Kits --------------------------------------------------------------------------------------


def list_kits(uow: UnitOfWork, include_inactive: bool = False) -> list[KitInfo]:
    query = select(Kit).order_by(Kit.code)
    if not include_inactive:
        query = query.where(Kit.active)
    return [_kit_info(uow.session, k) for k in uow.session.scalars(query)]


def add_kit(uow: UnitOfWork, code: str, name: str, lines: dict[str, int]) -> KitInfo:
    staff.require(uow, Action.CATALOG)
    clean_code = _code(code)
    session = uow.session
    if session.scalar(select(Kit).where(Kit.code == clean_code)) or session.scalar(
        select(Item).where(Item.code == clean_code)
    ):
        raise InvalidInput(_l("The code {code} is already used.", code=clean_code))
    if not lines:
        raise InvalidInput(_l("A kit needs at least one item."))
    from outreach_app.services.lookup import item_by_code

    kit = Kit(
        id=identity.kit_id(uow.organisation_id(), clean_code),
        code=clean_code,
        name=_name(name, "kit"),
        active=True,
    )
    for item_code, qty in lines.items():
        if qty <= 0:
            raise InvalidInput(
                _l("Each kit line needs a quantity above zero ({code}).", code=item_code)
            )
        kit.lines.append(KitLine(item_id=item_by_code(session, item_code).id, quantity=qty))
    session.add(kit)
    session.flush()
    audit.record(uow, "add kit", clean_code)
    return _kit_info(session, kit)


def set_kit_active(uow: UnitOfWork, kit_id: uuid.UUID, active: bool) -> KitInfo:
    staff.require(uow, Action.CATALOG)
    kit = uow.session.get(Kit, kit_id)
    if kit is None:
        raise NotFound(_l("That kit does not exist."))
    kit.active = active
    audit.record(uow, "activate kit" if active else "deactivate kit", kit.code)
    return _kit_info(uow.session, kit)


# Referral types ----------------------------------------------------------------------------


def list_referral_types(uow: UnitOfWork, include_inactive: bool = False) -> list[ReferralTypeInfo]:
    query = select(ReferralType).order_by(ReferralType.code)
    if not include_inactive:
        query = query.where(ReferralType.active)
    return [ReferralTypeInfo(r.id, r.code, r.label, r.active) for r in uow.session.scalars(query)]


def add_referral_type(uow: UnitOfWork, code: str, label: str) -> ReferralTypeInfo:
    staff.require(uow, Action.CATALOG)
    clean_code = _code(code)
    if uow.session.scalar(select(ReferralType).where(ReferralType.code == clean_code)):
        raise InvalidInput(_l("The referral code {code} is already used.", code=clean_code))
    ref = ReferralType(
        id=identity.referral_type_id(uow.organisation_id(), clean_code),
        code=clean_code,
        label=_name(label, "referral type"),
        active=True,
    )
    uow.session.add(ref)
    uow.session.flush()
    audit.record(uow, "add referral type", clean_code)
    return ReferralTypeInfo(ref.id, ref.code, ref.label, ref.active)


def set_referral_type_active(uow: UnitOfWork, ref_id: uuid.UUID, active: bool) -> ReferralTypeInfo:
    staff.require(uow, Action.CATALOG)
    ref = uow.session.get(ReferralType, ref_id)
    if ref is None:
        raise NotFound(_l("That referral type does not exist."))
    ref.active = active
    audit.record(uow, "activate referral" if active else "deactivate referral", ref.code)
    return ReferralTypeInfo(ref.id, ref.code, ref.label, ref.active)
