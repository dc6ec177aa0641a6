"""Helpers for the Encounters, Inventory and Catalog page tests: small writes through the
services on the test's store (the fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory
from outreach_app.services.store import Store


def log(store: Store, *, minutes_ago: int = 5, site: str = "Drop-in", **fields: Any) -> Any:
    draft = EncounterDraft(
        site=site, occurred_at=datetime.now(UTC) - timedelta(minutes=minutes_ago), **fields
    )
    with store.unit_of_work() as uow:
        return encounters.log_encounter(uow, draft, override=True)


def receive(store: Store, item: str, qty: int, site: str = "Drop-in", **kw: Any) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, site, item, qty, **kw)


def on_hand(store: Store, site: str, item: str) -> int:
    with store.unit_of_work() as uow:
        return sum(r.on_hand for r in inventory.on_hand(uow, site) if r.item_code == item)
