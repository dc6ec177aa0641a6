"""The whole-file check after opening runs beside the app's work: the first save never waits for
it (its time grows with the data), a damaged file it finds refuses the writes after, and a
check under way ends at once when the store closes (Lock and close, quitting), then runs again
on the reopened store.

`Gate` holds the real check at its start until the test opens it (or the window stops it), so
the save is shown to go ahead while the check is still under way, whatever the machine's speed.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt

from outreach_app.services import health
from outreach_app.services.store import open_store
from tests.conftest import PASSPHRASE
from tests.ui.conftest import close_window, sign_in, signed_in_window

from outreach_app.ui import store_upkeep
from outreach_app.ui.main_window import MainWindow

CANCELLED = "cancelled"


class Gate:
    """Stands before `health.quick_check`: waits until `open` (or the window's cancel), then
    runs the real check; `outcomes` holds what each run gave, `stores` what it checked."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.outcomes: list[Any] = []
        self.stores: list[Any] = []
        self.niceness: list[int] = []  # the check thread's (Linux)
        self._real = health.quick_check

    def __call__(self, store: Any, is_cancelled: Any = None) -> list[str]:
        self.stores.append(store)
        if sys.platform.startswith("linux"):
            self.niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        self.entered.set()
        while not self.open.wait(0.01) and not (is_cancelled and is_cancelled()):
            pass
        try:
            problems = self._real(store, is_cancelled)
        except health.CheckCancelled:
            self.outcomes.append(CANCELLED)
            raise
        self.outcomes.append(problems)
        return problems


def _gate(monkeypatch: Any) -> Gate:
    gate = Gate()
    monkeypatch.setattr(health, "quick_check", gate)
    return gate


def _window(qtbot: Any, store: Any, folder: Path, tmp_path: Path, synchronous: bool) -> MainWindow:
    return signed_in_window(qtbot, store, folder, tmp_path, synchronous=synchronous)


def _fill(page: Any, code: str) -> None:
    page.form.code.setText(code)
    page.form.referral_boxes["OAT"].setChecked(True)


def test_the_first_save_goes_ahead_while_the_check_runs(
    qtbot: Any, encrypted_folder: Path, tmp_path: Path, monkeypatch: Any
):
    gate = _gate(monkeypatch)
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    window = _window(qtbot, store, encrypted_folder, tmp_path, synchronous=False)
    qtbot.waitUntil(gate.entered.is_set, timeout=10_000)  # under way, on its own thread
    page = window.pages.widget(0)
    qtbot.waitUntil(lambda: bool(page.form.item_rows), timeout=10_000)
    _fill(page, "ZZ-TEST-11")
    page.save_action.trigger()
    qtbot.waitUntil(lambda: "Saved #" in page.form.message.text(), timeout=10_000)
    assert window.opening_check.running and not window.opening_check.done
    gate.open.set()
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    assert gate.outcomes == [[]] and window.context.writes_refused == ""
    if sys.platform.startswith("linux"):  # behind the sign-in and the saves for the CPU
        assert gate.niceness[0] >= store_upkeep.CHECK_NICENESS
    close_window(qtbot, window)


def test_at_start_the_check_waits_for_the_sign_in_and_the_first_page(
    qtbot: Any, plain_folder: Path, tmp_path: Path, monkeypatch: Any
):
    """The person waits for the PIN's hashing and the Log form: the check, which reads the
    whole file, does not take a core from them."""
    gate = _gate(monkeypatch)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_store(plain_folder), plain_folder, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(300)
    assert not gate.entered.is_set() and not window.opening_check.running
    sign_in(qtbot, window)
    page = window.pages.widget(0)
    qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
    assert page.form.item_rows  # the form had loaded before the check began
    gate.open.set()
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    assert gate.outcomes == [[]]
    close_window(qtbot, window)


def _damage_an_index(folder: Path) -> None:
    path = folder / "outreach.db"
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_encounters_occurred'"
        ).fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


def test_a_damaged_file_found_by_the_check_refuses_later_writes(
    qtbot: Any, plain_folder: Path, tmp_path: Path, monkeypatch: Any
):
    warned: list[str] = []
    monkeypatch.setattr(
        store_upkeep.QMessageBox, "warning", lambda _parent, _title, text: warned.append(text)
    )
    _damage_an_index(plain_folder)
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path, synchronous=True)
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    assert "looks damaged, so nothing new is saved" in window.context.writes_refused
    assert warned and "outreach check" in warned[0]
    page = window.pages.widget(0)
    _fill(page, "ZZ-TEST-12")
    page.save_action.trigger()
    assert "looks damaged" in page.form.message.text()  # refused, with what to do
    assert page.form.code.text() == "ZZ-TEST-12"  # nothing typed is lost
    close_window(qtbot, window)


def test_lock_and_close_stops_the_check_and_the_reopened_store_is_checked(
    qtbot: Any, encrypted_folder: Path, tmp_path: Path, monkeypatch: Any
):
    gate = _gate(monkeypatch)
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    window = _window(qtbot, store, encrypted_folder, tmp_path, synchronous=False)
    qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
    window.session.lock_and_close()
    qtbot.waitUntil(lambda: gate.outcomes == [CANCELLED], timeout=10_000)  # ended at once
    assert not window.opening_check.running and not window.opening_check.done
    gate.open.set()
    qtbot.keyClicks(window.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.central.currentWidget() is window.sign_in.screen, timeout=10_000)
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    assert gate.outcomes == [CANCELLED, []]
    assert gate.stores[-1] is window.worker.store and gate.stores[-1] is not store
    sign_in(qtbot, window)
    close_window(qtbot, window)


def test_closing_while_the_check_runs_stops_it_and_still_backs_up(
    qtbot: Any, plain_folder: Path, tmp_path: Path, monkeypatch: Any
):
    gate = _gate(monkeypatch)
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path, synchronous=False)
    qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
    close_window(qtbot, window)  # never waits for the gate: the window's stop ends the check
    assert gate.outcomes == [CANCELLED]
    assert list((plain_folder / "backups").glob("daily-*.db"))


def test_a_failure_of_the_check_itself_is_logged_and_leaves_saves_alone(
    qtbot: Any, plain_folder: Path, tmp_path: Path, monkeypatch: Any, caplog: Any
):
    def broken(store: Any, is_cancelled: Any = None) -> list[str]:
        raise RuntimeError("a bug in the check")

    monkeypatch.setattr(health, "quick_check", broken)
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path, synchronous=False)
    with caplog.at_level(logging.ERROR):
        qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    assert "a bug in the check" in caplog.text  # the traceback, in the log
    assert window.context.writes_refused == ""  # not known to be damaged: saves go on
    page = window.pages.widget(0)
    qtbot.waitUntil(lambda: bool(page.form.item_rows), timeout=10_000)
    _fill(page, "ZZ-TEST-13")
    page.save_action.trigger()
    qtbot.waitUntil(lambda: "Saved #" in page.form.message.text(), timeout=10_000)
    close_window(qtbot, window)
