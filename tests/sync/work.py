"""Offline work on a device and what the merge tests compare: the contract's CSVs and check."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

from outreach_app.domain.clock import Period
from outreach_app.domain.values import EncounterDraft
from outreach_app.reports.inventory_csv import inventory_csv
from outreach_app.reports.monthly_csv import monthly_csv
from outreach_app.reports.stock_csv import stock_csv
from outreach_app.services import checks, encounters, inventory, reconciliation, tally
from outreach_app.services.store import Store
from outreach_app.sync.bundles import export_bundle, import_bundles
from outreach_app.sync.merge import MergeCounts


def log(
    store: Store,
    when: datetime,
    items: dict[str, int] | None = None,
    *,
    site: str = "Drop-in",
    kits: dict[str, int] | None = None,
    code: str | None = None,
    referrals: tuple[str, ...] = (),
    note: str = "",
) -> uuid.UUID:
    draft = EncounterDraft(
        site=site,
        occurred_at=when,
        items=items or {},
        kits=kits or {},
        participant_code=code,
        age_band="30-39",
        gender="not-stated",
        referrals=referrals,
        note=note,
    )
    with store.unit_of_work() as uow:
        return encounters.log_encounter(uow, draft, override=True).id


def void(store: Store, encounter: uuid.UUID, reason: str = "entered twice") -> None:
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, encounter, reason)


def receive(store: Store, item: str, qty: int, **kw: object) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, kw.pop("site", "Drop-in"), item, qty, **kw)  # type: ignore[arg-type]


def export(store: Store, path: Path, *, everything: bool = False) -> Path:
    export_bundle(store, path, everything=everything)
    return path


def merge_files(store: Store, *paths: Path) -> MergeCounts:
    return import_bundles(store, list(paths))


def reports(store: Store, month: Period) -> dict[str, bytes]:
    """The three CSVs of the contract that every merged device must agree on."""
    with store.reading() as uow:
        figures = tally.monthly_tally(uow, month, "all")
        stock = reconciliation.reconcile(uow, month, "all")
        rows = inventory.on_hand(uow, None)
    return {
        "monthly": monthly_csv(figures, 5),
        "inventory": inventory_csv(stock),
        "stock": stock_csv(rows),
    }


def problems(store: Store) -> list[str]:
    return checks.run_checks(store).problems


def now_minus(store: Store, **delta: float) -> datetime:
    with store.reading() as uow:
        return uow.now() - timedelta(**delta)
