"""Unlocking off the GUI thread: the window stays responsive while the store opens (SQLCipher
key derivation, probe), Open is disabled meanwhile, and a store opened after Cancel is closed."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings, Qt, QTimer

from outreach_app.services.store import open_store
from tests.conftest import PASSPHRASE
from tests.ui.conftest import close_window, sign_in

from outreach_app.ui import background
from outreach_app.ui.background import BackgroundCall
from outreach_app.ui.dialogs.opening import UnlockDialog
from outreach_app.ui.main_window import MainWindow


def _settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_the_window_shows_as_soon_as_the_passphrase_is_entered(qtbot, encrypted_folder, tmp_path):
    """The unlock dialog only asks: the main window shows "Opening your data…" and the store
    opens behind it, on a background thread, with the passphrase."""
    window = MainWindow(None, encrypted_folder, settings=_settings(tmp_path))
    qtbot.addWidget(window)
    dialog = UnlockDialog(encrypted_folder, None, "Open")
    dialog.show()
    qtbot.waitExposed(dialog)
    window.open_in_background(unlock=dialog)
    events = []
    opened = window._on_opened
    window._on_opened = lambda *a: (events.append("opened"), opened(*a))
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    window.show()
    QTimer.singleShot(0, lambda: events.append("timer"))
    assert not dialog.isVisible() and dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.opening and not dialog.ok_button.isEnabled()
    assert window.opening_label.isVisible() and window.worker is None
    qtbot.waitUntil(lambda: "opened" in events, timeout=10_000)
    assert events[0] == "timer"
    assert window.worker is not None and dialog.store is window.worker.store
    assert not dialog.opening and not dialog.isVisible()
    sign_in(qtbot, window)  # then the PIN
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    close_window(qtbot, window)


def test_wrong_passphrase_off_the_gui_thread_lets_the_person_retry(
    qtbot, encrypted_folder, tmp_path
):
    window = MainWindow(None, encrypted_folder, settings=_settings(tmp_path))
    qtbot.addWidget(window)
    dialog = UnlockDialog(encrypted_folder, None, "Open")
    window.open_in_background(unlock=dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.opening, timeout=10_000)
    assert "not right" in dialog.error.text() and dialog.ok_button.isEnabled()
    assert dialog.isVisible() and dialog.store is None
    assert dialog.passphrase.selectedText() == "not the passphrase"  # ready to type over
    assert window.worker is None


def test_cancelling_the_unlock_after_a_wrong_passphrase_ends_the_opening(
    qtbot, encrypted_folder, tmp_path
):
    window = MainWindow(None, encrypted_folder, synchronous=True, settings=_settings(tmp_path))
    qtbot.addWidget(window)
    ended = []
    window.opening_failed.connect(ended.append)
    dialog = UnlockDialog(encrypted_folder, None, "Open")
    window.open_in_background(unlock=dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.isVisible() and "not right" in dialog.error.text()
    dialog.reject()
    assert ended == [0] and window.worker is None


def test_lock_screen_unlock_runs_off_the_gui_thread(qtbot, encrypted_folder, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    window = MainWindow(store, encrypted_folder, synchronous=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    window.session.lock_and_close()
    events = []
    reopened = window.session.reopened
    window.session.reopened = lambda store: (events.append("unlocked"), reopened(store))
    qtbot.keyClicks(window.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    QTimer.singleShot(0, lambda: events.append("timer"))
    assert window.locked and not window.lock_screen.button.isEnabled()
    assert window.lock_screen.busy.isVisible()
    qtbot.waitUntil(lambda: "unlocked" in events, timeout=10_000)
    assert events[0] == "timer"
    assert window.locked and not window.lock_screen.busy.isVisible()
    assert window.central.currentWidget() is window.sign_in.screen  # then the PIN
    sign_in(qtbot, window)
    assert not window.locked
    close_window(qtbot, window)


def test_a_result_after_cancel_is_discarded_not_delivered(qtbot):
    release = threading.Event()
    delivered, discarded = [], []
    call = BackgroundCall(
        lambda: (release.wait(10), "store")[1],
        delivered.append,
        delivered.append,
        discard=discarded.append,
    )
    call.start()
    call.cancel()
    release.set()
    call.wait(10)
    qtbot.waitUntil(lambda: not call.running)
    assert discarded == ["store"] and delivered == []


def test_a_call_is_held_until_its_delivery_is_over(qtbot):
    """Freed inside its own slot, the call's QObject crashed the app later (seen in the start-up
    benchmark): it is let go only after the event that delivered the result."""
    held = []
    call = BackgroundCall(
        lambda: "store", lambda _r: held.append(call in background._running), print
    )
    call.start()
    qtbot.waitUntil(lambda: bool(held))
    assert held == [True]
    qtbot.waitUntil(lambda: call not in background._running)
