"""UI test fixtures: a real SQLite data folder opened through the services, an AppContext on a
synchronous worker (or the real one) with the folder's first coordinator signed in, stand-ins
for the "a coordinator must do this" message and for the shortfall confirmation, and
`sign_in` for windows (which show the sign-in screen first).

`context` works on `ui_store`, a freshly initialised folder; a test that also asks for
`app_store` gets that same store with some stock and one returning participant's visit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QSettings, Qt

from outreach_app.domain.clock import utc_now
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory, staff
from outreach_app.services.store import Store, open_store
from tests.conftest import FIRST_SITE

from outreach_app.ui import theme
from outreach_app.ui.context import AppContext
from outreach_app.ui.widgets.role_notice import CoordinatorOnly
from outreach_app.ui.widgets.shortfall import ShortfallConfirm
from outreach_app.ui.worker import DbWorker

RETURNING = "ZZ-TEST-01"
COORDINATOR = "Coordinator"  # the test folders' first coordinator (no PIN on the device yet)
PIN = "2468"
WORKER = "ZZ Test Worker"
WORKER_PIN = "1357"


class Refusals:
    """Stands in for the "a coordinator must do this" message: records what was refused."""

    def __init__(self) -> None:
        self.told: list[str] = []

    def __call__(self, parent: Any, what: str, name: str | None) -> None:
        self.told.append(what)


@pytest.fixture(autouse=True)
def platform_palette(qapp: Any) -> Iterator[None]:
    """A test (or a walk through Settings) that turns high contrast on leaves it off again."""
    yield
    if theme.is_high_contrast():
        theme.apply_theme(qapp, False)


@pytest.fixture(autouse=True)
def refusals(monkeypatch: pytest.MonkeyPatch) -> Refusals:
    stand_in = Refusals()
    monkeypatch.setattr(
        CoordinatorOnly, "tell", classmethod(lambda cls, *a, **k: stand_in(*a, **k))
    )
    return stand_in


def person(store: Store, name: str = COORDINATOR) -> Any:
    """The services' StaffInfo of `name` (what the sign-in gives the context)."""
    with store.reading() as uow:
        return next(p for p in staff.list_staff(uow) if p.name == name)


def add_worker(store: Store, name: str = WORKER, pin: str = WORKER_PIN) -> Any:
    """A worker with a PIN on this device, added by the first coordinator."""
    with store.unit_of_work() as uow:
        uow.staff_id = person(store).id
        return staff.add_staff(uow, name, "worker", pin)


def sign_in(qtbot: Any, window: Any, name: str = COORDINATOR, pin: str = PIN) -> None:
    """Signs in through the window's sign-in screen, with the keyboard; the first
    coordinator's PIN is chosen (typed twice) when none is set on this device yet."""
    screen = window.sign_in.screen
    qtbot.waitUntil(
        lambda: screen.names.count() > 0 and not screen.busy.isVisible(), timeout=10_000
    )
    screen.names.setCurrentIndex(screen.names.findData(name))
    qtbot.keyClicks(screen.pin, pin)
    if screen.setting_pin:
        qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
        qtbot.keyClicks(screen.again, pin)
        qtbot.keyClick(screen.again, Qt.Key.Key_Return)
    else:
        qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    try:
        qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    except qtbot.TimeoutError:
        state = (screen.error.text(), screen.busy.isVisible(), window.worker.is_busy)
        raise AssertionError(f"not signed in: {state!r}") from None


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
def context(ui_store: Store, qtbot: Any) -> AppContext:
    """The first coordinator signed in; `context.set_person(...)` to be someone else."""
    worker = DbWorker(ui_store, synchronous=True)
    return AppContext(
        worker, org_name=ui_store.org_name, current_site=FIRST_SITE, person=person(ui_store)
    )


@pytest.fixture
def threaded_context(ui_store: Store, qtbot: Any) -> Iterator[AppContext]:
    worker = DbWorker(ui_store)
    yield AppContext(
        worker, org_name=ui_store.org_name, current_site=FIRST_SITE, person=person(ui_store)
    )
    worker.shutdown()


def signed_in_window(
    qtbot: Any, store: Store, folder: Path, tmp_path: Path, *, synchronous: bool = True
) -> Any:
    """The real main window on `store` (its settings in `tmp_path`), shown, with the first
    coordinator signed in."""
    from outreach_app.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, folder, synchronous=synchronous, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    return window


def close_window(qtbot: Any, window: Any) -> None:
    """Closes a main window and waits while it finishes: on the real worker the queued jobs
    and the backup run after `close()` returns, and pytest-qt deletes the window at the end of
    the test, before they could report."""
    window.close()
    qtbot.waitUntil(lambda: not window.finishing, timeout=10_000)
