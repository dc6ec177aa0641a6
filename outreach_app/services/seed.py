"""Seeds a new database with the default catalog, kits and referral types (contracts §2).

Names are seeded in the language the organisation is set up in (the catalogue's own
`translations`, English when a text has none) and are data from then on: a person may rename
them, and changing the app's language later does not rename the shelf.
"""

from __future__ import annotations

import json
from typing import Any

from outreach_app.domain import identity
from outreach_app.i18n import current_language
from outreach_app.resources import resources_dir
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Item, Kit, KitLine, ReferralType


def load_default_catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (resources_dir() / "catalog.json").read_text(encoding="utf-8")
    )
    return data


def seed_catalog(uow: UnitOfWork, language: str | None = None) -> None:
    """The default catalog with the organisation's ids, so two devices seed the same rows."""
    session, org_id = uow.session, uow.organisation_id()
    catalog = load_default_catalog()
    names: dict[str, str] = catalog.get("translations", {}).get(language or current_language(), {})

    def local(text: str) -> str:
        return names.get(text, text)

    items: dict[str, Item] = {}
    for order, spec in enumerate(catalog["items"], start=1):
        item = Item(
            id=identity.item_id(org_id, spec["code"]),
            code=spec["code"],
            name=local(spec["name"]),
            category=local(spec["category"]),
            unit=local(spec["unit"]),
            doses_per_unit=spec.get("doses_per_unit", 0),
            reorder_level=spec.get("reorder_level", 0),
            tracks_lots=spec.get("tracks_lots", False),
            active=True,
            sort_order=order * 10,
        )
        session.add(item)
        items[item.code] = item
    session.flush()
    for spec in catalog["kits"]:
        kit = Kit(
            id=identity.kit_id(org_id, spec["code"]),
            code=spec["code"],
            name=local(spec["name"]),
            active=True,
        )
        kit.lines = [
            KitLine(item_id=items[code].id, quantity=qty) for code, qty in spec["lines"].items()
        ]
        session.add(kit)
    for spec in catalog["referral_types"]:
        session.add(
            ReferralType(
                id=identity.referral_type_id(org_id, spec["code"]),
                code=spec["code"],
                label=local(spec["label"]),
                active=True,
            )
        )
