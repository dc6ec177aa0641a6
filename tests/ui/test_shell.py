"""The shell: first-run setup, unlock, idle lock, lock and close, responsiveness, close."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from outreach_app.services import auth, encounter_list
from outreach_app.services.store import folder_is_encrypted, open_store
from tests.conftest import PASSPHRASE
from tests.ui.conftest import close_window, sign_in, signed_in_window

from outreach_app.ui.dialogs.opening import SetupDialog, UnlockDialog
from outreach_app.ui.main_window import MainWindow


def _ok(dialog):
    box = dialog.findChild(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Ok)


def _files(folder):
    return sorted((p.relative_to(folder), p.stat().st_size) for p in folder.rglob("*"))


def _settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _window(qtbot, store, folder, tmp_path, synchronous=True):
    return signed_in_window(qtbot, store, folder, tmp_path, synchronous=synchronous)


def test_setup_creates_an_encrypted_folder_with_a_pin(qtbot, tmp_path):
    folder = tmp_path / "new-data"
    dialog = SetupDialog(folder, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.org, "ZZ Test Org")
    qtbot.keyClicks(dialog.site, "ZZ Drop-in")
    dialog.site_kind.setCurrentText("van")
    qtbot.keyClicks(dialog.passphrase, "short")
    assert dialog.strength.text().startswith("Too short")
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, "four words for testing only")
    assert dialog.strength.text() == "Strong."
    qtbot.keyClicks(dialog.passphrase_again, "four words for testing only")
    qtbot.keyClicks(dialog.pin, "12")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "4 to 12 digits" in dialog.error.text()
    assert not folder.exists()  # nothing created by a refused form
    qtbot.keyClicks(dialog.pin, "34")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == SetupDialog.DialogCode.Accepted
    assert folder_is_encrypted(folder)
    store = open_store(folder, passphrase="four words for testing only")
    try:
        with store.unit_of_work() as uow:
            assert auth.verify_coordinator_pin(uow, "1234")
        assert store.org_name == "ZZ Test Org"
    finally:
        store.close()


def test_no_encryption_says_what_it_risks(qtbot, tmp_path):
    dialog = SetupDialog(tmp_path / "plain", None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.no_encryption.setChecked(True)
    assert dialog.risk.isVisible() and "can read" in dialog.risk.text()
    assert not dialog.passphrase.isEnabled()


def test_unlock_wrong_then_right_changes_nothing(qtbot, encrypted_folder, tmp_path):
    before = _files(encrypted_folder)
    window = MainWindow(None, encrypted_folder, synchronous=False, settings=_settings(tmp_path))
    qtbot.addWidget(window)
    dialog = UnlockDialog(encrypted_folder, None, "Open")
    window.open_in_background(unlock=dialog)  # the window opens the store with its passphrase
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.opening)  # the store opens on a background thread
    assert "not right" in dialog.error.text()
    assert dialog.store is None
    assert _files(encrypted_folder) == before
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.opening)
    assert dialog.store is not None
    close_window(qtbot, window)


def test_lock_and_close_asks_the_passphrase_then_a_pin_and_keeps_typed_text(
    qtbot, encrypted_folder, tmp_path
):
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    window = _window(qtbot, store, encrypted_folder, tmp_path)
    # Ctrl+Enter below is a window shortcut: Qt gives it only to the active window, and
    # offscreen the activation arrives through the event loop, which nothing here is sure to
    # turn (nothing waits for the opening check: it runs beside the saves).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.pages.widget(0)
    window.show_page(0)
    qtbot.keyClicks(page.form.code, "ZZ-TEST-09")
    qtbot.keyClicks(page.form.note, "half typed")
    window.session.lock_and_close()
    assert window.locked
    assert window.central.currentWidget() is window.lock_screen
    assert not page.isVisible() and not window.site_toolbar.isEnabled()
    qtbot.keyClicks(window.lock_screen.passphrase, "wrong one")
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    assert window.locked and "not right" in window.lock_screen.error.text()
    window.lock_screen.passphrase.clear()
    qtbot.keyClicks(window.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    assert window.locked and window.central.currentWidget() is window.sign_in.screen
    sign_in(qtbot, window)
    assert not window.locked and page.isVisible()
    assert page.form.code.text() == "ZZ-TEST-09" and page.form.note.text() == "half typed"
    page.form.referral_boxes["OAT"].setChecked(True)
    qtbot.keyClick(page.form.code, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Saved #" in page.form.message.text()  # the reopened store works (a code's tag)
    window.close()


def test_ctrl_l_asks_only_a_pin_and_keeps_the_store_open(qtbot, encrypted_folder, tmp_path):
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    window = _window(qtbot, store, encrypted_folder, tmp_path)
    page = window.pages.widget(0)
    qtbot.keyClicks(page.form.note, "half typed")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and window.central.currentWidget() is window.sign_in.screen
    assert window.worker.store is store and not window.window_lock.store_closed
    assert window.context.person is None and "Nobody" in window.sign_in.status.text()
    sign_in(qtbot, window)
    assert page.form.note.text() == "half typed"
    assert "Coordinator" in window.sign_in.status.text()
    window.close()


def test_idle_timer_locks(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path)
    window.idle_timer.setInterval(10)
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.locked)
    window.idle_timer.setInterval(600_000)  # not again at once after the sign-in
    assert window.central.currentWidget() is window.sign_in.screen
    sign_in(qtbot, window)
    assert not window.locked
    window.close()


def test_window_stays_responsive_while_saving_on_the_real_worker(qtbot, plain_folder, tmp_path):
    store = open_store(plain_folder)
    window = _window(qtbot, store, plain_folder, tmp_path, synchronous=False)
    page = window.pages.widget(0)  # the save goes ahead whether or not the check has ended
    qtbot.waitUntil(lambda: bool(page.form.item_rows), timeout=10_000)
    events = []
    page.form.note.setText("responsiveness")
    page.form.people.setValue(2)
    page.form.code.setText("ZZ-TEST-05")
    original = page._on_saved
    page._on_saved = lambda saved: (events.append("saved"), original(saved))
    page._on_save()
    QTimer.singleShot(0, lambda: events.append("timer"))
    qtbot.waitUntil(lambda: "saved" in events, timeout=10_000)
    assert events[0] == "timer"
    window.close()


def test_close_takes_the_daily_backup(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path)
    window.close()
    assert list((plain_folder / "backups").glob("daily-*.db"))


def test_settings_remember_page_and_site(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier
    )
    assert window.pages.currentIndex() == 1
    window.close()
    again = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path)
    assert again.pages.currentIndex() == 1
    with again.worker.store.unit_of_work() as uow:
        assert encounter_list.count_encounters(uow, encounter_list.EncounterFilter()) == 0
    again.close()


def test_stock_and_record_actions_have_menu_shortcuts(qtbot, plain_folder, tmp_path, monkeypatch):
    from outreach_app.ui.dialogs.stock_dialogs import ReceiveDialog

    asked = []
    monkeypatch.setattr(ReceiveDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(1)))
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    shown = {a.text(): a.shortcut().toString() for a in menus["&Stock"].actions()}
    assert shown["&Receive…"] == "Ctrl+Shift+R" and shown["&Stocktake…"] == "Ctrl+Shift+K"
    records = [a.shortcut().toString() for a in menus["&Records"].actions()]
    assert [keys for keys in records if keys] == ["Ctrl+Shift+V"]
    qtbot.keyClick(
        QApplication.focusWidget() or window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.pages.currentIndex() == 3  # Inventory
    assert asked == [1]
    window.close()
