"""Signing in (contracts §10) through the real window and a real data folder: wrong PINs and the
wait, the first coordinator's PIN chosen in the app, switching person at the counter (who is
stamped on the next record), what a worker is offered, and the lock that hides every window and
pauses the worker."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from outreach_app.domain.errors import RoleRefused
from outreach_app.services import encounter_list, inventory, staff
from outreach_app.services.store import open_store
from tests.conftest import FIRST_SITE
from tests.ui.conftest import (
    COORDINATOR,
    PIN,
    WORKER,
    WORKER_PIN,
    add_worker,
    close_window,
    person,
    sign_in,
)

from outreach_app.ui.main_window import MainWindow
from outreach_app.ui.page_registry import page_index

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _window(qtbot, store, folder, tmp_path, synchronous=True):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, folder, synchronous=synchronous, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _type_pin(qtbot, screen, pin):
    screen.pin.clear()
    qtbot.keyClicks(screen.pin, pin)
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)


def _save_encounter(qtbot, window, code):
    window.show_page(page_index("Log encounter"))
    page = window.pages.widget(page_index("Log encounter"))
    qtbot.waitUntil(lambda: bool(page.form.item_rows), timeout=10_000)
    qtbot.keyClicks(page.form.code, code)
    page.form.referral_boxes["OAT"].setChecked(True)
    qtbot.keyClick(page.form.code, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "Saved #" in page.form.message.text(), timeout=10_000)


def _stamped(store):
    """Who recorded each encounter, newest first, read back through the services."""
    with store.reading() as uow:
        rows = encounter_list.list_encounters(uow, encounter_list.EncounterFilter()).rows
    return [row.staff_id for row in rows]


def _syringes(store):
    with store.reading() as uow:
        rows = inventory.on_hand(uow, FIRST_SITE)
    return sum(r.on_hand for r in rows if r.item_code == "SYRINGE")


def test_nothing_shows_until_someone_signs_in(qtbot, plain_folder, tmp_path):
    store = open_store(plain_folder)
    window = _window(qtbot, store, plain_folder, tmp_path)
    assert window.locked and window.central.currentWidget() is window.sign_in.screen
    assert not window.menuBar().isEnabled() and window.worker.paused
    assert window.context.person is None and window.sign_in.status.text() == "Nobody signed in"
    sign_in(qtbot, window)
    assert not window.locked and not window.worker.paused
    assert window.sign_in.status.text().startswith(f"Signed in: <b>{COORDINATOR}</b>")
    assert "(coordinator)" in window.sign_in.status.text()
    close_window(qtbot, window)


def test_the_first_coordinator_chooses_a_pin_typed_twice(qtbot, plain_folder, tmp_path):
    store = open_store(plain_folder)
    window = _window(qtbot, store, plain_folder, tmp_path)
    screen = window.sign_in.screen
    qtbot.waitUntil(lambda: screen.names.count() == 1)
    assert screen.setting_pin and screen.again.isVisible()
    assert "No PIN is set for Coordinator" in screen.wait.text()
    qtbot.keyClicks(screen.pin, PIN)
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)  # on to the second field
    assert screen.again.hasFocus()
    qtbot.keyClicks(screen.again, "1111")
    qtbot.keyClick(screen.again, Qt.Key.Key_Return)
    assert "differ" in screen.error.text() and window.locked
    sign_in(qtbot, window)
    with store.reading() as uow:
        assert person(store).has_pin
    with store.unit_of_work() as uow:
        assert staff.check_pin(uow, COORDINATOR, PIN).ok
    close_window(qtbot, window)


def test_wrong_pins_are_refused_and_the_wait_is_shown(qtbot, plain_folder, tmp_path):
    store = open_store(plain_folder)
    add_worker(store)
    window = _window(qtbot, store, plain_folder, tmp_path)
    screen = window.sign_in.screen
    qtbot.waitUntil(lambda: screen.names.count() == 2)
    screen.names.setCurrentIndex(screen.names.findData(WORKER))
    assert not screen.setting_pin and not screen.again.isVisible()
    for _ in range(2):
        _type_pin(qtbot, screen, "0000")
        assert f"That is not {WORKER}'s PIN. Try again." in screen.error.text()
        assert screen.waiting == 0 and screen.button.isEnabled()
    _type_pin(qtbot, screen, "0000")  # the third: the next try waits
    assert "Wait 5 seconds before the next try" in screen.error.text()
    assert screen.waiting == 5 and not screen.button.isEnabled()
    assert screen.wait.text() == "The next try is possible in 5 seconds."
    _type_pin(qtbot, screen, WORKER_PIN)  # Enter while waiting does nothing
    assert window.locked
    qtbot.waitUntil(lambda: screen.waiting == 4, timeout=3000)  # a countdown, by the second
    assert screen.wait.text() == "The next try is possible in 4 seconds."
    assert window.locked and window.context.person is None
    screen.names.setCurrentIndex(screen.names.findData(COORDINATOR))  # the wait was Sam's
    assert screen.waiting == 0 and screen.button.isEnabled() and screen.wait.text() != ""
    close_window(qtbot, window)


def test_switching_person_changes_who_is_stamped_on_the_next_encounter(
    qtbot, app_store, plain_folder, tmp_path
):
    add_worker(app_store)
    window = _window(qtbot, app_store, plain_folder, tmp_path)
    sign_in(qtbot, window)
    _save_encounter(qtbot, window, "ZZ-TEST-11")
    coordinator, worker = person(app_store), person(app_store, WORKER)
    assert _stamped(app_store)[0] == coordinator.id
    # Ctrl+Shift+P, the first letters of the name, the PIN and Enter: nothing else.
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_P, CTRL_SHIFT)
    screen = window.sign_in.screen
    assert window.locked and screen.names.hasFocus()
    qtbot.keyClicks(screen.names, "ZZ T")
    assert screen.person().name == WORKER
    qtbot.keyClicks(screen.names, WORKER_PIN)  # the first digit moves on to the PIN
    assert screen.pin.hasFocus() and screen.pin.text() == WORKER_PIN
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    assert not window.locked and window.context.person.name == WORKER
    assert f"<b>{WORKER}</b> (worker)" in window.sign_in.status.text()
    _save_encounter(qtbot, window, "ZZ-TEST-12")
    assert _stamped(app_store)[:2] == [worker.id, coordinator.id]
    close_window(qtbot, window)


def test_a_worker_sees_transfer_and_adjust_off_and_the_services_refuse_anyway(
    qtbot, app_store, plain_folder, tmp_path
):
    add_worker(app_store)
    window = _window(qtbot, app_store, plain_folder, tmp_path)
    sign_in(qtbot, window, WORKER, WORKER_PIN)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    stock = {a.text(): a for a in menus["&Stock"].actions()}
    assert not stock["&Transfer…"].isEnabled() and not stock["A&djust…"].isEnabled()
    assert stock["&Receive…"].isEnabled() and stock["&Stocktake…"].isEnabled()
    records = {a.text(): a for a in menus["&Records"].actions()}
    assert not records["&Audit…"].isVisible() and not records["S&taff…"].isVisible()
    window.show_page(page_index("Inventory"))
    page = window.pages.widget(page_index("Inventory"))
    assert not page.transfer_button.isEnabled() and not page.adjust_button.isEnabled()
    errors = []

    def adjust(store):
        with store.unit_of_work() as uow:
            return inventory.adjust(uow, FIRST_SITE, "SYRINGE", -5, "DAMAGED", override=True)

    before = _syringes(app_store)
    window.worker.submit(adjust, errors.append, errors.append)  # as the worker signed in
    assert isinstance(errors[0], RoleRefused) and "worker" in errors[0].message
    assert _syringes(app_store) == before
    close_window(qtbot, window)


def test_the_idle_lock_hides_tool_windows_and_pauses_the_worker(qtbot, plain_folder, tmp_path):
    store = open_store(plain_folder)
    window = _window(qtbot, store, plain_folder, tmp_path, synchronous=False)
    sign_in(qtbot, window)
    window.show_page(page_index("Inventory"))
    page = window.pages.widget(page_index("Inventory"))
    qtbot.waitUntil(lambda: page._loaded, timeout=10_000)
    page._on_stocktake()
    stocktake = page.open_dialog
    page._on_ledger()
    ledger = page.open_dialog
    qtbot.waitUntil(lambda: stocktake.isVisible() and ledger.isVisible())
    ran = []
    window.idle_timer.setInterval(10)
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.locked)
    window.idle_timer.setInterval(600_000)  # not again at once after the sign-in
    assert not stocktake.isVisible() and not ledger.isVisible()
    assert window.worker.paused and window.worker.store is store  # the store stays open
    window.worker.submit(lambda s: ran.append(s.staff_id))
    qtbot.wait(200)
    assert ran == [] and window.worker.held == 1  # submitted while locked: it waits
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: ran == [person(store).id], timeout=10_000)
    assert stocktake.isVisible() and ledger.isVisible()
    stocktake.close()
    ledger.close()
    close_window(qtbot, window)


def test_at_start_only_the_log_forms_lists_load_behind_the_sign_in_screen(
    qtbot, plain_folder, tmp_path
):
    """Sites, catalog and stock (nothing about participants or the person) load before anyone
    signs in, so the form is ready at once; every other load waits for the sign-in, and after
    a lock even the form's reload waits."""
    window = _window(qtbot, open_store(plain_folder), plain_folder, tmp_path)
    log_page = window.pages.widget(page_index("Log encounter"))
    qtbot.waitUntil(lambda: bool(log_page.form.item_rows), timeout=10_000)
    assert window.locked and window.central.currentWidget() is window.sign_in.screen
    encounters = window.pages.widget(page_index("Encounters"))  # built while locked
    assert window.worker.held >= 1 and encounters.model.rowCount() == 0  # its load waits
    sign_in(qtbot, window)
    assert window.worker.held == 0
    window.session.switch_person()
    assert window.locked
    held = window.worker.held
    log_page.reload()
    assert window.worker.held == held + 1  # once someone has signed in, everything waits
    sign_in(qtbot, window)
    assert window.worker.held == 0
    close_window(qtbot, window)
