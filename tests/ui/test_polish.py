"""Everyday polish: no second passphrase after the setup, stock dialogs opened from any page
with their lists filled, stale errors cleared, menu texts that render as written, and a new
folder that says to receive stock first."""

from __future__ import annotations

import re

import pytest

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from outreach_app.services.store import open_store
from tests.conftest import FIRST_SITE
from tests.ui.conftest import close_window, sign_in

from outreach_app.ui import app
from outreach_app.ui.dialogs.opening import SetupDialog, UnlockDialog
from outreach_app.ui.dialogs.stock_dialogs import AdjustDialog, ReceiveDialog, TransferDialog
from outreach_app.ui.main_window import MainWindow
from outreach_app.ui.menus import shown_text
from outreach_app.ui.page_registry import PAGES, page_index
from outreach_app.ui.pages.inventory import InventoryPage
from outreach_app.ui.pages.log_encounter import LogEncounterPage

SETUP_PASSPHRASE = "four words for testing only"


def _settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _window(qtbot, folder, tmp_path, synchronous=False):
    window = MainWindow(
        open_store(folder), folder, synchronous=synchronous, settings=_settings(tmp_path)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    return window


def _fill_setup():
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SetupDialog)
    dialog.org.setText("ZZ Test Org")
    dialog.site.setText("ZZ Drop-in")
    dialog.passphrase.setText(SETUP_PASSPHRASE)
    dialog.passphrase_again.setText(SETUP_PASSPHRASE)
    dialog.pin.setText("2468")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_no_second_passphrase_right_after_the_setup(qtbot, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(UnlockDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(a)))
    folder = tmp_path / "new-data"
    QTimer.singleShot(0, _fill_setup)  # the real setup dialog, typed into while it runs
    opened = app.open_data(folder, None)
    assert asked == []  # the passphrase just typed twice is not asked a third time
    window = app.show_main_window(opened, folder, None, settings=_settings(tmp_path))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.worker is not None, timeout=10_000)
    assert window.worker.store.encrypted and window.worker.store.org_name == "ZZ Test Org"
    close_window(qtbot, window)


def _record(monkeypatch, dialog_class, opened):
    def ask(cls, parent, choices):
        opened.append(cls(choices, parent=parent))  # the real dialog, as it would show

    monkeypatch.setattr(dialog_class, "ask", classmethod(ask))


@pytest.mark.parametrize(
    "start", [spec.title for spec in PAGES if spec.title != "Inventory"], ids=str
)
def test_stock_receive_from_any_page_has_its_lists(
    qtbot, plain_folder, tmp_path, monkeypatch, start
):
    opened = []
    _record(monkeypatch, ReceiveDialog, opened)
    window = _window(qtbot, plain_folder, tmp_path)
    window.show_page(page_index(start))
    assert not window.pages.is_built(page_index("Inventory"))
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    receive = next(a for a in menus["&Stock"].actions() if a.text() == "&Receive…")
    receive.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    dialog = opened[0]
    assert dialog.site_combo.count() > 0 and dialog.site_combo.currentText() == FIRST_SITE
    assert dialog.item_combo.count() > 0
    close_window(qtbot, window)


def test_transfer_and_adjust_from_the_log_page_have_their_lists(
    qtbot, plain_folder, tmp_path, monkeypatch
):
    transfers, adjusts = [], []
    _record(monkeypatch, TransferDialog, transfers)
    _record(monkeypatch, AdjustDialog, adjusts)
    window = _window(qtbot, plain_folder, tmp_path)
    window.show_page(page_index("Log encounter"))
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    by_text = {a.text(): a for a in menus["&Stock"].actions()}
    by_text["&Transfer…"].trigger()
    qtbot.waitUntil(lambda: bool(transfers), timeout=10_000)
    by_text["A&djust…"].trigger()
    assert transfers[0].from_combo.count() > 0 and transfers[0].item_combo.count() > 0
    assert adjusts[0].site_combo.count() > 0 and adjusts[0].item_combo.count() > 0
    close_window(qtbot, window)


def test_clear_form_clears_an_error_about_the_form(qtbot, context):
    page = LogEncounterPage(context)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.form.save, Qt.MouseButton.LeftButton)  # nothing typed
    assert "Nothing to save yet" in page.form.message.text()
    qtbot.mouseClick(page.form.clear, Qt.MouseButton.LeftButton)
    assert page.form.message.text() == ""


def _mnemonics(text):
    return re.findall(r"&([^&])", text.replace("&&", ""))


def test_every_menu_text_renders_as_written(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, plain_folder, tmp_path, synchronous=True)
    window.pages.widget(page_index("Log encounter"))  # its menu holds the page's actions
    menus = [a.menu() for a in window.menuBar().actions()]
    assert len(set(_mnemonics("".join(a.text() for a in window.menuBar().actions())))) == len(menus)
    for menu in menus:
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        for text in texts:
            marks = _mnemonics(text)
            assert len(marks) <= 1 and all(m.isalnum() for m in marks), text
        letters = [m.lower() for text in texts for m in _mnemonics(text)]
        assert len(letters) == len(set(letters)), texts  # one letter, one entry
    go = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
    shown = [shown_text(a.text()) for a in go.actions() if not a.isSeparator()]
    # "Catalog & sites", not "Catalog _sites"
    assert shown[: len(PAGES)] == [spec.title for spec in PAGES]
    window.close()


def test_a_new_folder_says_to_receive_stock_first(qtbot, context):
    page = LogEncounterPage(context)
    qtbot.addWidget(page)
    page.show()
    assert page.form.empty_hint.isVisible() and "Receive stock" in page.form.empty_hint.text()
    asked = []
    page.action_requested.connect(lambda title, name: asked.append((title, name)))
    page.form.empty_hint.linkActivated.emit("receive")
    assert asked == [("Inventory", "receive")]
    inventory = InventoryPage(context)
    qtbot.addWidget(inventory)
    assert "Nothing is on hand yet" in inventory.summary.text()
    assert "No items in the catalog" not in inventory.summary.text()


def test_the_hint_goes_once_stock_is_on_hand(qtbot, context, app_store):
    page = LogEncounterPage(context)
    qtbot.addWidget(page)
    page.show()
    assert not page.form.empty_hint.isVisible()


def test_the_hint_opens_stock_receive(qtbot, plain_folder, tmp_path, monkeypatch):
    opened = []
    _record(monkeypatch, ReceiveDialog, opened)
    window = _window(qtbot, plain_folder, tmp_path)
    window.show_page(page_index("Log encounter"))
    page = window.pages.widget(page_index("Log encounter"))
    qtbot.waitUntil(page.form.empty_hint.isVisible, timeout=10_000)
    page.form.empty_hint.linkActivated.emit("receive")
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert window.pages.currentIndex() == page_index("Inventory")
    assert opened[0].item_combo.count() > 0
    close_window(qtbot, window)
