"""Closing the window (or quitting, or Lock and close) while a hub sync runs: the sync stops
after the batch under way, the window says it is finishing the sync, and only then is the
store backed up and closed. A sync that fails meanwhile, or never answers, never keeps the
window open for good."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QSettings, Qt

from outreach_app.services.store import Store, open_store
from outreach_app.sync.hub import sync_with_hub
from tests.sync.hub_org import APP_NAME, Org, make_org, outputs, problems
from tests.ui.conftest import sign_in

from outreach_app.ui import page_work
from outreach_app.ui.main_window import MainWindow
from outreach_app.ui.page_registry import page_index
from outreach_app.ui.pages import sync_hub
from outreach_app.ui.pages.sync import SyncPage

HUB = "postgresql://desk@hub.example.org/outreach"


def open_window(qtbot: Any, folder: Path, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_store(folder), folder, settings=settings)  # threads, as in the app
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    return window


def sync_page(window: MainWindow) -> SyncPage:
    window.show_page(page_index("Sync"))
    page = window.pages.widget(page_index("Sync"))
    assert isinstance(page, SyncPage)
    return page


def screen_text(window: MainWindow) -> str:
    return str(window.central.currentWidget().text())


class StuckSync:
    """Stands in for the hub (not for our storage): a sync that waits until `release`, then
    fails as a bug would, whatever Cancel says."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.thread = threading.current_thread()
        self.started.set()
        self.release.wait(30)
        raise RuntimeError("a bug in the sync")


@pytest.fixture
def stuck(monkeypatch: pytest.MonkeyPatch) -> Iterator[StuckSync]:
    fake = StuckSync()
    monkeypatch.setattr(sync_hub, "sync_with_hub", fake)
    yield fake
    fake.release.set()


def start_sync(qtbot: Any, page: SyncPage, address: str) -> None:
    page.hub.address.setText(address)
    qtbot.mouseClick(page.hub.sync_button, Qt.MouseButton.LeftButton)
    assert page.hub.running


def test_a_sync_that_fails_while_closing_still_lets_the_window_close(
    qtbot: Any, plain_folder: Path, tmp_path: Path, stuck: StuckSync
) -> None:
    window = open_window(qtbot, plain_folder, tmp_path)
    start_sync(qtbot, sync_page(window), HUB)
    assert stuck.started.wait(10)
    window.close()
    qtbot.wait(200)
    assert window.isVisible() and window.finishing  # waiting for the sync, not the backup
    assert "Finishing the sync" in screen_text(window)
    assert "Finishing the sync" in window.statusBar().currentMessage()
    assert not window.worker.is_shut_down  # the store is still open, its backup not begun
    stuck.release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    assert stuck.thread is not None and not stuck.thread.is_alive()
    assert list((plain_folder / "backups").glob("daily-*.db"))  # then the day's backup


def test_a_sync_that_never_ends_keeps_the_window_only_so_long(
    qtbot: Any,
    plain_folder: Path,
    tmp_path: Path,
    stuck: StuckSync,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page_work, "WAIT_LIMIT_MS", 500)
    window = open_window(qtbot, plain_folder, tmp_path)
    start_sync(qtbot, sync_page(window), HUB)
    assert stuck.started.wait(10)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    assert stuck.thread is not None and stuck.thread.is_alive()  # given up on, not waited for
    stuck.release.set()
    stuck.thread.join(10)
    qtbot.wait(50)  # its failure arrives at a closed window: nothing shows, nothing breaks


def test_lock_and_close_closes_the_store_only_after_the_sync(
    qtbot: Any, plain_folder: Path, tmp_path: Path, stuck: StuckSync
) -> None:
    window = open_window(qtbot, plain_folder, tmp_path)
    page = sync_page(window)
    start_sync(qtbot, page, HUB)
    assert stuck.started.wait(10)
    window.session.lock_and_close()
    assert window.central.currentWidget() is window.lock_screen
    assert "Finishing the sync" in window.statusBar().currentMessage()
    stuck.release.set()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Locked and closed")
    assert not page.hub.running and page.hub.sync_button.isEnabled()
    # The passphrase screen opens the store again (unencrypted: the button), then the PIN.
    qtbot.mouseClick(window.lock_screen.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.central.currentWidget() is window.sign_in.screen)
    sign_in(qtbot, window)
    assert "RuntimeError" in page.message.text()  # the sync's failure, told on its page
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)


# With the real hub ---------------------------------------------------------------------------


@pytest.fixture
def org(template_folders: dict[str, Path], pg: Any, tmp_path: Path) -> Iterator[Org]:
    made = make_org(template_folders["sqlite"], pg, tmp_path / "org", others=())
    made.stores.pop("A").close()  # the window opens device A's folder itself
    yield made
    made.close()


@contextlib.contextmanager
def hub_table_locked(org: Org, table: str = "audit_log") -> Iterator[None]:
    """Another session of the hub holds `table`: a sync's batch that writes to it waits in the
    middle of its transaction until this lets go."""
    holder = org.psql()
    holder.execute(f"LOCK TABLE {table} IN SHARE MODE")  # type: ignore[arg-type]
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


def sync_waits_on_a_lock(org: Org) -> bool:
    with org.psql() as watcher:
        row = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND application_name = %s AND wait_event_type = 'Lock'",
            (org.hub_db, APP_NAME),
        ).fetchone()
    return bool(row and int(str(row[0])) > 0)


@pytest.mark.postgres
@pytest.mark.slow
def test_closing_mid_batch_waits_for_the_batch_then_closes(
    qtbot: Any, org: Org, tmp_path: Path
) -> None:
    folder = org.folders["A"]
    window = open_window(qtbot, folder, tmp_path)
    page = sync_page(window)
    with hub_table_locked(org):
        start_sync(qtbot, page, org.hub_url)
        qtbot.waitUntil(lambda: sync_waits_on_a_lock(org), timeout=30_000)
        window.close()  # mid-batch: the batch has written some rows on the hub, not all
        qtbot.wait(300)
        assert window.isVisible() and "Finishing the sync" in screen_text(window)
        assert page.hub.running
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert "cancelled" in page.message.text() or "Synced" in page.message.text()

    # Nothing was cut: the device and the hub are whole, and the next sync completes them.
    device = open_store(folder)
    hub: Store = org.open_hub()
    try:
        assert problems(device) == [] and problems(hub) == []
        assert sync_with_hub(device, org.hub_url).complete
        assert outputs(device) == outputs(hub)
        assert problems(hub) == []
    finally:
        device.close()
        hub.close()
