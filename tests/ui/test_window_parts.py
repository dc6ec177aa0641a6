"""The main window knows pages only through `Page`: menus filled from a page's actions, a page
asking for another page, focus when a page is shown."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from outreach_app.services.store import open_store
from tests.ui.conftest import sign_in

from outreach_app.ui.main_window import MainWindow
from outreach_app.ui.page_registry import page_index
from outreach_app.ui.pages.report_jobs import TALLY_SHEET


def _window(qtbot, folder, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_store(folder), folder, synchronous=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    return window


def _menus(window):
    return {a.text(): a.menu() for a in window.menuBar().actions()}


def test_the_encounter_menu_holds_the_log_pages_own_actions(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, plain_folder, tmp_path)
    window.show_page(page_index("Encounters"))
    menu = _menus(window)["&Encounter"]
    menu.aboutToShow.emit()  # opening the menu builds the page that fills it
    page = window.pages.widget(page_index("Log encounter"))
    assert list(menu.actions()) == list(page.page_actions().values())
    assert menu.actions()[0].text() == "Save encounter"
    window.close()


def test_key_in_a_sheet_on_reports_shows_the_paper_tally_entry(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, plain_folder, tmp_path)
    window.show_page(page_index("Reports"))
    reports = window.pages.widget(page_index("Reports"))
    reports.kind_combo.setCurrentIndex(reports.kind_combo.findData(TALLY_SHEET))
    assert reports.key_in_button.isVisible()
    qtbot.mouseClick(reports.key_in_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == page_index("Paper tally entry")
    window.close()


def test_showing_the_log_page_puts_the_focus_in_the_code(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, plain_folder, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page(page_index("Inventory"))
    window.show_page(page_index("Log encounter"))
    page = window.pages.widget(page_index("Log encounter"))
    qtbot.waitUntil(page.form.code.hasFocus)
    window.close()
