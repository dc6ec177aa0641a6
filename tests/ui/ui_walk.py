"""Walking the app as a person sees it, in one language: the main window signed in on every page
of the page registry, every menu, every dialog the menus open (and the catalog forms, the
first-run and unlock dialogs, the shortfall question, the sign-in and lock screens), collecting
the texts shown and each window's Alt-key mnemonics as plain data, so two walks compare.

A text is keyed by where it is (window, widget path, what), so the same place in two languages
lines up; the walk opens the same things in the same order whatever the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTableView,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

from outreach_app import i18n
from outreach_app.domain.codes import AdjustReason, AgeBand, SiteKind
from outreach_app.domain.values import Shortfall
from outreach_app.services import audit, catalog, devices, staff
from tests.conftest import FIRST_SITE
from tests.ui.conftest import close_window, sign_in

from outreach_app.ui.dialogs.import_dialog import ImportDialog
from outreach_app.ui.dialogs.opening import SetupDialog, UnlockDialog
from outreach_app.ui.main_window import APPLICATION, MainWindow
from outreach_app.ui.mnemonics import mnemonic
from outreach_app.ui.page_registry import PAGES, page_index
from outreach_app.ui.qt_language import apply_language
from outreach_app.ui.widgets.lock_screen import LockScreen
from outreach_app.ui.widgets.shortfall import ShortfallConfirm
from outreach_app.ui.widgets.sign_in_screen import Person, SignInScreen

# A spreadsheet with one bad cell: the import dialog shows its table of cells to fix.
BAD_SHEET = "occurred_at,site,SYRINGE\n2026-01-05,ZZ No Such Site,2\n"


@dataclass
class Shown:
    """What one walk saw: texts by place, and each window's mnemonics."""

    texts: dict[str, str] = field(default_factory=dict)
    mnemonics: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (letter, text)
    data: set[str] = field(default_factory=set)  # the store's names and codes
    unnamed: list[str] = field(default_factory=list)  # focusable controls a reader cannot name

    def add(self, key: str, text: str | None) -> None:
        if text and re.search(r"[^\W\d_]", text):
            self.texts[key] = text


def _path(widget: QWidget, root: QWidget) -> str:
    parts = []
    current: QWidget | None = widget
    while current is not None and current is not root:
        parent = current.parentWidget()
        kind = type(current).__name__
        if parent is None:
            parts.append(kind)
            break
        twins = [c for c in parent.children() if type(c) is type(current)]
        parts.append(f"{kind}{twins.index(current)}")
        current = parent
    return "/".join(reversed(parts)) or "."


CONTROLS = (
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractButton,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
)


def _own_widgets(root: QWidget) -> list[QWidget]:
    """`root` and the widgets of its window under it: not a dialog a page parents, nor a menu."""
    return [
        w
        for w in [root, *root.findChildren(QWidget)]
        if w.window() is root.window() and not isinstance(w, QMenu)
    ]


def _unnamed(widgets: list[QWidget]) -> list[QWidget]:
    """The focusable controls a screen reader would announce with no name: neither their own
    accessible name, nor a label naming them as its buddy, nor (buttons) a visible text."""
    buddied = {id(w.buddy()) for w in widgets if isinstance(w, QLabel) and w.buddy() is not None}
    found = []
    for widget in widgets:
        if not isinstance(widget, CONTROLS) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # the editor inside a spin box or combo box: the reader names its owner
        if widget.accessibleName().strip() or id(widget) in buddied:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        found.append(widget)
    return found


def collect(shown: Shown, scope: str, root: QWidget) -> None:
    """The texts of `root` and of its visible descendants (menus apart)."""
    visible = [w for w in _own_widgets(root) if w.isVisible()]
    shown.unnamed += [f"{scope}::{_path(w, root)}" for w in _unnamed(visible)]
    for widget in visible:
        key = f"{scope}::{_path(widget, root)}"
        shown.add(f"{key}::tip", widget.toolTip())
        shown.add(f"{key}::name", widget.accessibleName())  # what a screen reader says
        shown.add(f"{key}::description", widget.accessibleDescription())
        if widget.isWindow():
            shown.add(f"{key}::title", widget.windowTitle())
        if isinstance(widget, QLabel | QAbstractButton):
            shown.add(key, widget.text())
        if isinstance(widget, QGroupBox):
            shown.add(key, widget.title())
        if isinstance(widget, QLineEdit):
            shown.add(f"{key}::placeholder", widget.placeholderText())
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                shown.add(f"{key}::item{i}", widget.itemText(i))
        if isinstance(widget, QSpinBox):
            shown.add(f"{key}::special", widget.specialValueText())
            shown.add(f"{key}::suffix", widget.suffix())
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                shown.add(f"{key}::tab{i}", widget.tabText(i))
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                shown.add(f"{key}::row{i}", widget.item(i).text())
                shown.add(f"{key}::row{i}::tip", widget.item(i).toolTip())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                if isinstance(widget, QTableView) and widget.isColumnHidden(column):
                    continue
                header = model.headerData(column, Qt.Orientation.Horizontal)
                shown.add(f"{key}::header{column}", str(header or ""))
        if isinstance(widget, QTextBrowser):
            shown.add(f"{key}::html", widget.toPlainText())


def mnemonics_of(root: QWidget) -> list[tuple[str, str]]:
    """Every Alt-key mnemonic a window's widgets claim, hidden ones too: a widget shown later
    (Undo after a save, the naloxone reason) claims its letter beside the others."""
    found = []
    for widget in _own_widgets(root):
        texts: list[str] = []
        buddied = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or buddied:
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        for text in texts:
            letter = mnemonic(text)
            if letter:
                found.append((letter, text))
    return found


def menu_mnemonics(menu: QMenu) -> list[tuple[str, str]]:
    return [
        (letter, a.text()) for a in menu.actions() if (letter := mnemonic(a.text())) is not None
    ]


def _settle() -> None:
    for _round in range(3):
        QCoreApplication.processEvents()


def catch_windows(shown: Shown, scope: str, trigger: Any, then: Any = None) -> None:
    """Runs `trigger`; a modal window it opens (a form, a message box, a file or number
    dialog) is collected and cancelled from inside its own loop; windows it opens beside the
    app are collected and closed. `then(window)` may act on a modal window before it goes."""
    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    state = {"tries": 0, "done": False}

    def grab() -> None:
        if state["done"]:
            return
        modal = QApplication.activeModalWidget()
        if modal is None or id(modal) in before:
            state["tries"] += 1
            if state["tries"] < 50:
                QTimer.singleShot(10, grab)
            return
        name = f"{scope}/{type(modal).__name__}"
        collect(shown, name, modal)
        shown.mnemonics[name] = mnemonics_of(modal)
        if then is not None:
            then(modal)
        modal.done(QDialog.DialogCode.Rejected.value) if isinstance(modal, QDialog) else None

    QTimer.singleShot(0, grab)
    trigger()
    _settle()
    state["done"] = True
    for window in QApplication.topLevelWidgets():
        if window.isVisible() and id(window) not in before and not isinstance(window, QMenu):
            name = f"{scope}/{type(window).__name__}"
            collect(shown, name, window)
            shown.mnemonics[name] = mnemonics_of(window)
            if then is not None:
                then(window)
            window.close()
    _settle()


def _data(shown: Shown, store: Any) -> None:
    with store.reading() as uow:
        for item in catalog.list_items(uow, include_inactive=True):
            shown.data |= {item.code, item.name, item.category, item.unit}
        for kit in catalog.list_kits(uow, include_inactive=True):
            shown.data |= {kit.code, kit.name}
        for ref in catalog.list_referral_types(uow, include_inactive=True):
            shown.data |= {ref.code, ref.label}
        for site in catalog.list_sites(uow, include_inactive=True):
            shown.data |= {site.name, site.kind}
        shown.data |= {p.name for p in staff.list_staff(uow)}
        shown.data |= set(audit.actions(uow))  # stored as written, like the catalog
        for device in devices.list_devices(uow):  # names and fingerprints are data too
            shown.data |= {device.name, device.fingerprint}
    # The hub address field's example is an address's shape, the same in every language.
    shown.data.add("postgresql://user@host/database")
    shown.data |= {store.org_name, APPLICATION}
    shown.data |= {c.value for c in (*AgeBand, *SiteKind, *AdjustReason)}


class Walk:
    """One walk of the app in one language (see the module's docstring)."""

    def __init__(self, qtbot: Any, store: Any, folder: Path, tmp_path: Path, monkeypatch: Any):
        self.qtbot, self.store, self.folder = qtbot, store, folder
        self.tmp_path, self.monkeypatch = tmp_path, monkeypatch

    def run(self, language: str) -> Shown:
        i18n.set_language(language)
        apply_language(QApplication.instance(), language)
        try:
            shown = self.shown = Shown()
            self._standalone(shown)
            self._main_window(shown)
            _data(shown, self.store)  # after the walk: signing in writes an audit action
            return shown
        finally:
            i18n.set_language("en")
            apply_language(QApplication.instance(), "en")

    # Windows opened on their own ---------------------------------------------------------------

    def _standalone(self, shown: Shown) -> None:
        windows: list[tuple[str, QWidget]] = [
            ("setup", SetupDialog(self.tmp_path / "not-yet", None)),
            ("unlock", UnlockDialog(self.folder, None, i18n._("Open Outreach Tally"))),
        ]
        short = [Shortfall(FIRST_SITE, "SYRINGE", 12, 5), Shortfall(FIRST_SITE, "FTS", 2, 2, "L1")]
        windows.append(("shortfall", ShortfallConfirm.dialog(None, short)))
        lock = LockScreen()
        lock.prepare(True)
        windows.append(("lock screen", lock))
        first_pin = SignInScreen()  # the folder's first coordinator, no PIN here yet
        first_pin.prepare(i18n._("Sign in"), i18n._("Choose your name and type your PIN."),
                          choose_name=False)  # fmt: skip
        first_pin.fill([Person("ZZ Coordinator", "coordinator", False, True)], None)
        windows.append(("sign-in, first PIN", first_pin))
        for name, window in windows:
            self.qtbot.addWidget(window)
            window.show()
            collect(shown, name, window)
            shown.mnemonics[name] = mnemonics_of(window)
            window.close()

    # The main window ----------------------------------------------------------------------------

    def _main_window(self, shown: Shown) -> None:
        settings = QSettings(str(self.tmp_path / f"settings-{i18n.current_language()}.ini"),
                             QSettings.Format.IniFormat)  # fmt: skip
        window = MainWindow(self.store, self.folder, synchronous=True, settings=settings)
        self.qtbot.addWidget(window)
        window.show()
        self.qtbot.waitExposed(window)
        collect(shown, "sign-in", window.sign_in.screen)
        shown.mnemonics["sign-in"] = mnemonics_of(window.sign_in.screen)
        sign_in(self.qtbot, window)
        try:
            self._pages(shown, window)
            self._menus(shown, window)
        finally:
            close_window(self.qtbot, window)

    def _chrome_mnemonics(self, window: MainWindow) -> list[tuple[str, str]]:
        bar = [(m, a.text()) for a in window.menuBar().actions() if (m := mnemonic(a.text()))]
        return bar + mnemonics_of(window.site_toolbar)

    def _page(self, shown: Shown, window: MainWindow, index: int, state: str = "") -> QWidget:
        window.show_page(index)
        _settle()
        page = window.pages.widget(index)
        scope = f"page {PAGES[index].title}{state}"
        collect(shown, scope, window)
        shown.mnemonics[f"page {PAGES[index].title}"] = self._chrome_mnemonics(
            window
        ) + mnemonics_of(page)
        return page

    def _pages(self, shown: Shown, window: MainWindow) -> None:
        for index, spec in enumerate(PAGES):
            page = self._page(shown, window, index)
            if spec.title == "Log encounter":
                row = next(r for r in page.form.item_rows if r.code == "NALOXONE-NASAL")
                row.set_value(1)  # the naloxone reason shows
                self._page(shown, window, index, " (naloxone)")
                page.clear_form()
            elif spec.title == "Tally counter":
                catch_windows(shown, "tally tiles", page.choose.click)
            elif spec.title == "Encounters":
                page.table.selectRow(0)  # the detail pane, and a record Void can act on
                self._page(shown, window, index, " (selected)")
            elif spec.title == "Reports":
                for kind in ("monthly", "inventory", "tally_sheet", "count_sheet"):
                    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))
                    page.generate_button.click()
                    _settle()
                    self._page(shown, window, index, f" ({kind})")
                page.kind_combo.setCurrentIndex(page.kind_combo.findData("monthly"))
            elif spec.title == "Catalog & sites":
                for tab in range(page.tabs.count()):
                    page.tabs.setCurrentIndex(tab)
                    self._page(shown, window, index, f" (tab {tab})")
                    catch_windows(shown, f"catalog add {tab}", page.add_button.click)
                page.tabs.setCurrentIndex(1)
                page.tables[1].selectRow(0)
                catch_windows(shown, "catalog edit item", page.edit_button.click)

    def _select_a_record(self, window: MainWindow) -> None:
        """On the Encounters page, so Records › Void has a record to act on."""
        window.show_page(page_index("Encounters"))
        window.pages.widget(page_index("Encounters")).table.selectRow(0)

    def _menus(self, shown: Shown, window: MainWindow) -> None:
        sheet = self.tmp_path / "bad-sheet.csv"
        sheet.write_text(BAD_SHEET, encoding="utf-8")
        shown.data |= {sheet.name, str(sheet.parent)}  # the import dialog names the file
        self.monkeypatch.setattr(ImportDialog, "choose_file", classmethod(lambda c, p: sheet))
        # Lock and close would close the store under the walk: its screen is walked on its own.
        self.monkeypatch.setattr(window.session, "lock_and_close", lambda: None)
        bar = window.menuBar()
        for number, top in enumerate(bar.actions()):
            menu = top.menu()
            menu.aboutToShow.emit()  # a page's menu fills itself when first opened
            scope = f"menu {number}"
            shown.add(f"{scope}::title", top.text())
            shown.mnemonics[scope] = menu_mnemonics(menu)
            for index, action in enumerate(menu.actions()):
                shown.add(f"{scope}::{index}", action.text())
                shown.add(f"{scope}::{index}::tip", action.toolTip())
            if number == 1:  # Go: the pages, walked above
                continue
            for index, action in enumerate(menu.actions()):
                if action.isSeparator() or not action.isEnabled():
                    continue
                if action.shortcut().toString() == "Ctrl+Q":
                    continue
                self._select_a_record(window)
                catch_windows(shown, f"{scope} action {index}", action.trigger, self._inside)
                if window.locked:  # Lock now, Switch person: the sign-in screen
                    collect(shown, f"{scope} action {index} locked", window.sign_in.screen)
                    sign_in(self.qtbot, window)

    def _inside(self, opened: QWidget) -> None:
        """Forms a window opens from its own buttons (Staff's Add…)."""
        add = getattr(opened, "add_button", None)
        if add is not None and not isinstance(opened, QMessageBox) and opened.isVisible():
            catch_windows(self.shown, "staff add", add.click)
