"""Shared setup for the Encounters, Inventory and Catalog page tests.

A real seeded data folder (SQLite) opened through the services, an AppContext whose coordinator
gate says yes (or counts the asks), and small helpers that write through the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory
from outreach_app.services.store import Store, open_store

from outreach_app.ui.context import AppContext
from outreach_app.ui.worker import DbWorker


class Gate:
    """The coordinator gate as tests see it: records each ask, answers `allow`."""

    def __init__(self) -> None:
        self.allow = True
        self.asked: list[str] = []

    def __call__(self, parent: Any, action: str) -> bool:
        self.asked.append(action)
        return self.allow


@pytest.fixture
def ui_store(plain_folder: Path) -> Iterator[Store]:
    store = open_store(plain_folder)
    yield store
    store.close()


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def context(ui_store: Store, gate: Gate, qtbot: Any) -> AppContext:
    worker = DbWorker(ui_store, synchronous=True)
    return AppContext(worker, org_name="Test Org", current_site="Drop-in", coordinator_gate=gate)


@pytest.fixture
def threaded_context(ui_store: Store, gate: Gate, qtbot: Any) -> Iterator[AppContext]:
    worker = DbWorker(ui_store)
    yield AppContext(worker, org_name="Test Org", current_site="Drop-in", coordinator_gate=gate)
    worker.shutdown()


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
