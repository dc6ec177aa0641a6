"""UI test fixtures: a real SQLite data folder opened through the services, an AppContext on a
synchronous worker (or the real one), and stand-ins for the coordinator PIN dialog and for the
shortfall confirmation.

`context` works on `ui_store`, a freshly initialised folder; a test that also asks for
`app_store` gets that same store with some stock and one returning participant's visit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from outreach_app.domain.clock import utc_now
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory
from outreach_app.services.store import Store, open_store
from tests.conftest import FIRST_SITE

from outreach_app.ui.context import AppContext
from outreach_app.ui.widgets.shortfall import ShortfallConfirm
from outreach_app.ui.worker import DbWorker

RETURNING = "ZZ-TEST-01"


class Gate:
    """Stands in for the coordinator PIN dialog: records what was asked, answers `allow`."""

    def __init__(self, allow: bool = True) -> None:
        self.allow = allow
        self.asked: list[str] = []

    def __call__(self, parent: Any, action: str) -> bool:
        self.asked.append(action)
        return self.allow


class Confirm:
    """Stands in for the shortfall confirmation: records what it was shown, answers `allow`."""

    def __init__(self, allow: bool = True) -> None:
        self.allow = allow
        self.asked: list[str] = []  # the shortfalls shown, one string per confirmation

    def __call__(self, parent: Any, shortfalls: Any, what: str = "") -> bool:
        self.asked.append("; ".join(s.describe() for s in shortfalls))
        return self.allow


@pytest.fixture(autouse=True)
def confirm(monkeypatch: pytest.MonkeyPatch) -> Confirm:
    """Every UI test gets the stand-in: a real modal dialog would wait forever offscreen."""
    stand_in = Confirm()
    monkeypatch.setattr(
        ShortfallConfirm, "ask", classmethod(lambda cls, *a, **k: stand_in(*a, **k))
    )
    return stand_in


@pytest.fixture
def ui_store(plain_folder: Path) -> Iterator[Store]:
    store = open_store(plain_folder)
    yield store
    store.close()


@pytest.fixture
def app_store(ui_store: Store) -> Store:
    """`ui_store` with stock at the first site and one earlier visit of RETURNING."""
    store = ui_store
    with store.unit_of_work() as uow:
        inventory.receive(uow, FIRST_SITE, "SYRINGE", 200)
        inventory.receive(uow, FIRST_SITE, "SWAB", 200)
        inventory.receive(uow, FIRST_SITE, "COOKER", 50)
        inventory.receive(uow, FIRST_SITE, "WATER", 50)
        inventory.receive(uow, FIRST_SITE, "FILTER", 50)
        inventory.receive(
            uow,
            FIRST_SITE,
            "NALOXONE-NASAL",
            5,
            lot="ZZ-LOT-1",
            expires=date.today() + timedelta(days=400),
        )
        encounters.log_encounter(
            uow,
            EncounterDraft(
                site=FIRST_SITE,
                occurred_at=utc_now() - timedelta(days=3),
                participant_code=RETURNING,
                age_band="30-39",
                gender="woman",
                items={"SYRINGE": 20},
                kits={"KIT-INJECT": 1},
                referrals=("OAT",),
            ),
        )
    return store


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def context(ui_store: Store, gate: Gate, qtbot: Any) -> AppContext:
    worker = DbWorker(ui_store, synchronous=True)
    return AppContext(
        worker, org_name=ui_store.org_name, current_site=FIRST_SITE, coordinator_gate=gate
    )


@pytest.fixture
def threaded_context(ui_store: Store, gate: Gate, qtbot: Any) -> Iterator[AppContext]:
    worker = DbWorker(ui_store)
    yield AppContext(
        worker, org_name=ui_store.org_name, current_site=FIRST_SITE, coordinator_gate=gate
    )
    worker.shutdown()


def close_window(qtbot: Any, window: Any) -> None:
    """Closes a main window and waits while it finishes: on the real worker the queued jobs
    and the backup run after `close()` returns, and pytest-qt deletes the window at the end of
    the test, before they could report."""
    window.close()
    qtbot.waitUntil(lambda: not window.finishing, timeout=10_000)
