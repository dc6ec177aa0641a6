"""The main window: pages, the current site, menus and shortcuts, the coordinator gate,
the idle lock, the check after opening and the backup on close.

Start-up: the window can show before the store is open (`MainWindow(None, ...)` says "Opening
your data…"; `open_in_background` opens the store off the GUI thread, an encrypted one with the
unlock dialog's passphrase, `attach_store` takes an opened one). This module imports no services
at module level, so the window shows before SQLAlchemy is imported. Pages are built the first
time they are shown (`pages.widget(i)` builds page i): only the first page shown is built at
start.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from outreach_app.domain.errors import OutreachError, StoreError, WrongPassphrase
from outreach_app.logsetup import log_path

from outreach_app.ui.background import BackgroundCall
from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.coordinator_pin import CoordinatorGate
from outreach_app.ui.widgets.lock_screen import LockScreen
from outreach_app.ui.worker import DbWorker

log = logging.getLogger(__name__)
ORGANISATION = "OutreachTally"
APPLICATION = "Outreach Tally"
DEFAULT_IDLE_MINUTES = 10
# (title, module, class) — pages other people build are loaded when their module exists.
# (menu text, shortcut, the page's button it presses)
RECORD_ACTIONS = (("&Void the selected record…", "Ctrl+Shift+V", "void_button"),)
STOCK_ACTIONS = (
    ("&Receive…", "Ctrl+Shift+R", "receive_button"),
    ("&Transfer…", "Ctrl+Shift+T", "transfer_button"),
    ("A&djust…", "Ctrl+Shift+D", "adjust_button"),
    ("&Stocktake…", "Ctrl+Shift+K", "stocktake_button"),
    ("Bag &out…", "Ctrl+Shift+O", "bag_out_button"),
    ("Bag &in…", "Ctrl+Shift+I", "bag_in_button"),
    ("&Ledger…", "Ctrl+Shift+L", "ledger_button"),
)

PAGES = [
    ("Log encounter", "outreach_app.ui.pages.log_encounter", "LogEncounterPage"),
    ("Tally counter", "outreach_app.ui.pages.tally_counter", "TallyCounterPage"),
    ("Encounters", "outreach_app.ui.pages.encounters", "EncountersPage"),
    ("Inventory", "outreach_app.ui.pages.inventory", "InventoryPage"),
    ("Catalog & sites", "outreach_app.ui.pages.catalog", "CatalogPage"),
    ("Reports", "outreach_app.ui.pages.reports", "ReportsPage"),
    ("Paper tally entry", "outreach_app.ui.pages.tally_entry", "TallyEntryPage"),
    ("Dashboard", "outreach_app.ui.pages.dashboard", "DashboardPage"),
]


def _placeholder(title: str) -> QWidget:
    label = QLabel(f"<h3>{title}</h3><p>This page is coming in a later version.</p>")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def build_page(title: str, module: str, cls: str, context: AppContext) -> QWidget:
    if module.endswith(("log_encounter", "tally_counter")):  # always there: errors surface
        return getattr(importlib.import_module(module), cls)(context)
    try:
        page_class = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError):
        return _placeholder(title)
    return page_class(context)


def _open_with_sites(
    data_dir: Path, db_url: str | None, passphrase: str | None = None
) -> tuple[Any, list[str]]:
    """Off the GUI thread: the services (SQLAlchemy) are imported here the first time."""
    from outreach_app.services.store import open_store

    store = open_store(data_dir, db_url, passphrase)
    try:
        return store, _site_names(store)
    except BaseException:
        store.close()
        raise


def _site_names(store: Any) -> list[str]:
    from outreach_app.services import catalog

    with store.unit_of_work() as uow:
        return [s.name for s in catalog.list_sites(uow)]


class LazyPages(QStackedWidget):
    """The pages, each built the first time it is asked for: `widget(i)` (and so showing page
    i) replaces the empty placeholder at i by the real page."""

    def __init__(self, build: Any, count: int) -> None:
        super().__init__()
        self._build = build  # index -> QWidget
        self._built: dict[int, QWidget] = {}
        for _ in range(count):
            super().addWidget(QWidget())

    def is_built(self, index: int) -> bool:
        return index in self._built

    def widget(self, index: int) -> QWidget:  # type: ignore[override]
        if 0 <= index < self.count() and index not in self._built:
            page = self._build(index)
            self._built[index] = page
            placeholder = super().widget(index)
            current = self.currentIndex()
            self.removeWidget(placeholder)
            self.insertWidget(index, page)
            placeholder.deleteLater()
            if current >= 0:
                super().setCurrentIndex(current)
        return super().widget(index)

    def setCurrentIndex(self, index: int) -> None:
        self.widget(index)  # built before it shows
        super().setCurrentIndex(index)

    def currentWidget(self) -> QWidget:  # type: ignore[override]
        return self.widget(self.currentIndex())


class IdleWatcher(QObject):
    """Restarts the idle timer on any key or mouse input anywhere in the app."""

    INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        }
    )

    def __init__(self, timer: QTimer) -> None:
        super().__init__(timer)
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT and self.timer.isActive():
            self.timer.start()
        return False


class MainWindow(QMainWindow):
    opening_failed = Signal(int)  # the exit code: the store could not be opened behind the window

    def __init__(
        self,
        store: Any | None,
        data_dir: Path,
        db_url: str | None = None,
        *,
        synchronous: bool = False,
        settings: QSettings | None = None,
        run_check: bool = True,
    ) -> None:
        """With a store, the window is complete when this returns; with None it says "Opening
        your data…" until `attach_store` (or `open_in_background`) gives it one."""
        super().__init__()
        self.setWindowTitle("Outreach Tally")
        self.data_dir, self.db_url = data_dir, db_url
        self.settings = settings or QSettings(ORGANISATION, APPLICATION)
        self._synchronous = synchronous  # the unlock's open_store too, like the worker
        self._run_check = run_check
        self._unlocking: BackgroundCall | None = None
        self._opening: BackgroundCall | None = None
        self._unlock: Any = None  # the UnlockDialog whose passphrase opens the store
        self.worker: DbWorker | None = None
        self.locked = False
        self.opening_label = QLabel("<h3>Opening your data…</h3>")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.central = QStackedWidget()
        self.central.addWidget(self.opening_label)
        self.setCentralWidget(self.central)
        minutes = int(self.settings.value("idle_minutes", DEFAULT_IDLE_MINUTES))
        self.idle_timer = QTimer(self, singleShot=True, interval=max(minutes, 1) * 60_000)
        self.idle_timer.timeout.connect(self.lock)
        self.idle_watcher = IdleWatcher(self.idle_timer)
        self._restore_geometry()
        self.statusBar().showMessage("Opening…")
        if store is not None:
            self.attach_store(store)

    def open_in_background(self, unlock: Any = None) -> None:
        """Opens the folder's store off the GUI thread, then `attach_store`. An encrypted
        folder's opens with the passphrase typed in `unlock` (an UnlockDialog): a fresh dialog
        is waited for, one already accepted is used at once; a wrong passphrase brings the
        dialog back to try again, and cancelling it ends the opening (`opening_failed(0)`)."""
        if unlock is not None and self._unlock is None:
            self._unlock = unlock
            unlock.setParent(self, unlock.windowFlags())  # brought back over this window
            unlock.passphrase_entered.connect(self._open_with)
            unlock.rejected.connect(self._on_unlock_cancelled)
            if unlock.result() != unlock.DialogCode.Accepted:
                return  # the passphrase is still to come
            self._open_with(unlock.passphrase.text())
            return
        self._open_with(None)

    def _open_with(self, passphrase: str | None) -> None:
        if self._opening is not None or self.worker is not None:
            return
        data_dir, db_url = self.data_dir, self.db_url
        self.opening_label.setText("<h3>Opening your data…</h3>")
        self.statusBar().showMessage("Opening…")
        self._opening = BackgroundCall(
            lambda: _open_with_sites(data_dir, db_url, passphrase or None),
            lambda opened: self._on_opened(*opened),
            self._on_open_failed,
            discard=lambda opened: opened[0].close(),
            synchronous=self._synchronous,
        )
        self._opening.start()

    def _on_opened(self, store: Any, sites: list[str]) -> None:
        self._opening = None
        if self._unlock is not None:
            self._unlock.opened(store)
            self._unlock.passphrase_entered.disconnect(self._open_with)
            self._unlock.rejected.disconnect(self._on_unlock_cancelled)
            self._unlock = None
        self.attach_store(store, sites)

    def _on_open_failed(self, error: BaseException) -> None:
        self._opening = None
        if not isinstance(error, OutreachError):
            raise error  # unexpected: the app's excepthook logs it and says where
        if self._unlock is not None and isinstance(error, WrongPassphrase):
            self.opening_label.setText("<h3>Waiting for the passphrase…</h3>")
            self.statusBar().showMessage("The passphrase was not right.")
            self._unlock.refused(error)  # nothing was created or changed; try again
            return
        QMessageBox.critical(self, "Cannot open the data", error.message)
        self.opening_failed.emit(3 if isinstance(error, StoreError) else 1)

    def _on_unlock_cancelled(self) -> None:
        if self.worker is None and self._opening is None:
            self.opening_failed.emit(0)  # the person chose not to open the data

    def attach_store(self, store: Any, sites: list[str] | None = None) -> None:
        """The store is open: the worker, the context, the first page, menus, the check."""
        self.setWindowTitle(f"Outreach Tally — {store.org_name}")
        self.encrypted = bool(getattr(store, "encrypted", False))
        self.worker = DbWorker(store, synchronous=self._synchronous, parent=self)
        self.gate = CoordinatorGate(lambda: self.worker.store)
        if sites is None:
            sites = _site_names(store)
        last = str(self.settings.value("last_site", ""))
        self.context = AppContext(
            self.worker,
            org_name=store.org_name,
            current_site=last if last in sites else sites[0],
            coordinator_gate=self.gate,
            parent=self,
        )
        self._build(sites)
        self._restore_page()
        self.worker.unexpected_error.connect(self._on_unexpected)
        self.worker.busy_changed.connect(self._on_busy)
        self.context.data_changed.connect(self._reload_sites)
        self.context.site_changed.connect(self._on_site_changed)
        self.context.writes_state_changed.connect(self._on_writes_state)
        self.statusBar().showMessage("Ready")
        if self.isVisible():
            self._start_idle_timer()
        if self._run_check:
            self.context.hold_writes("Checking the data file before saving anything…")
            QTimer.singleShot(0, self._start_check)

    # Layout ----------------------------------------------------------------------------------

    def _build(self, sites: list[str]) -> None:
        self.nav = QListWidget()
        self.nav.setMaximumWidth(170)
        self.pages = LazyPages(self._build_page, len(PAGES))
        for index, (title, _module, _cls) in enumerate(PAGES):
            self.nav.addItem(title)
            self.nav.item(index).setToolTip(f"{title} (Ctrl+{index + 1})")
        self.nav.currentRowChanged.connect(self._on_page_changed)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        # Without sizes the splitter gives the list more room than its maximum width, which
        # showed as an empty band between the page list and the page.
        splitter.setSizes([self.nav.maximumWidth(), 10_000])
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self._on_unlock)
        self.central.addWidget(splitter)
        self.central.addWidget(self.lock_screen)
        self.central.setCurrentWidget(splitter)
        self.central.removeWidget(self.opening_label)
        self.opening_label.deleteLater()

        toolbar = QToolBar("Site")
        toolbar.setMovable(False)
        site_label = QLabel("  &Site: ")
        self.site_combo = QComboBox()
        self.site_combo.setMinimumWidth(200)
        self.site_combo.setToolTip("The site supplies are given out from (Alt+S)")
        site_label.setBuddy(self.site_combo)
        self._fill_sites(sites)
        self.site_combo.currentTextChanged.connect(self._on_site_chosen)
        toolbar.addWidget(site_label)
        toolbar.addWidget(self.site_combo)
        self.org_label = QLabel(f"   {self.context.org_name}")
        toolbar.addWidget(self.org_label)
        self.addToolBar(toolbar)
        self.site_toolbar = toolbar
        self._build_menus()

    def _build_page(self, index: int) -> QWidget:
        title, module, cls = PAGES[index]
        page = build_page(title, module, cls, self.context)
        if title == "Reports" and hasattr(page, "tally_entry_requested"):
            entry = [t for t, _module, _cls in PAGES].index("Paper tally entry")
            page.tally_entry_requested.connect(lambda: self.show_page(entry))  # "Key in a sheet"
        if index == 0:  # Log encounter: its actions go in the Encounter menu
            for action in (
                page.save_action,
                page.repeat_action,
                page.undo_action,
                page.clear_action,
            ):
                self.encounter_menu.addAction(action)
        return page

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.lock_action = self._menu_action(file_menu, "&Lock now", "Ctrl+L", self.lock)
        self._menu_action(file_menu, "Idle lock &after…", None, self._on_idle_setting)
        file_menu.addSeparator()
        self._menu_action(file_menu, "&Quit", "Ctrl+Q", self.close)
        go = bar.addMenu("&Go")
        for index, (title, _module, _cls) in enumerate(PAGES):
            self._menu_action(
                go, title, f"Ctrl+{index + 1}", lambda _=False, i=index: self.show_page(i)
            )
        go.addSeparator()
        self._menu_action(go, "Choose &site", "Ctrl+Shift+S", self._focus_site)
        self.encounter_menu = bar.addMenu("&Encounter")  # filled when Log encounter is built
        self.encounter_menu.aboutToShow.connect(lambda: self.pages.widget(0))
        self._page_menu(bar, "&Records", "Encounters", RECORD_ACTIONS)
        self._page_menu(bar, "&Stock", "Inventory", STOCK_ACTIONS)
        help_menu = bar.addMenu("&Help")
        self._menu_action(help_menu, "&Keyboard shortcuts", "F1", self._on_shortcuts)

    def _page_menu(self, bar: Any, title: str, page: str, entries: Any) -> None:
        """A menu whose actions press a page's buttons, so they have shortcuts shown in menus."""
        menu = bar.addMenu(title)
        index = [t for t, _module, _cls in PAGES].index(page)
        for text, keys, button in entries:
            self._menu_action(
                menu, text, keys, lambda _=False, i=index, b=button: self._press(i, b)
            )

    def _press(self, index: int, button_name: str) -> None:
        if self.locked:
            return
        self.show_page(index)
        button = getattr(self.pages.widget(index), button_name)
        if button.isEnabled():
            button.click()

    def _menu_action(self, menu: Any, text: str, keys: str | None, slot: Any) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setToolTip(f"{text.replace('&', '')} ({keys})")
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _fill_sites(self, sites: list[str]) -> None:
        self.site_combo.blockSignals(True)
        self.site_combo.clear()
        self.site_combo.addItems(sites)
        self.site_combo.setCurrentText(self.context.current_site)
        self.site_combo.blockSignals(False)

    # Pages and sites -------------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        if not self.locked and 0 <= index < self.pages.count():
            self.nav.setCurrentRow(index)

    def _on_page_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.settings.setValue("last_page", index)
        if index == 0:
            self.pages.widget(0).form.code.setFocus()

    def _on_site_chosen(self, name: str) -> None:
        if name:
            self.context.set_current_site(name)

    def _on_site_changed(self, name: str) -> None:
        self.settings.setValue("last_site", name)
        if self.site_combo.currentText() != name:
            self._fill_sites([self.site_combo.itemText(i) for i in range(self.site_combo.count())])
        self.statusBar().showMessage(f"Now giving out supplies from {name}.", 5000)

    def _reload_sites(self) -> None:
        self.worker.submit(_site_names, self._fill_sites)

    def _focus_site(self) -> None:
        self.site_combo.setFocus()
        self.site_combo.showPopup()

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)

    def _restore_page(self) -> None:
        page = int(self.settings.value("last_page", 0))
        self.nav.setCurrentRow(page if 0 <= page < self.pages.count() else 0)

    # Check after opening, idle lock ----------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.worker is not None:
            self._start_idle_timer()

    def _start_idle_timer(self) -> None:
        if not self.locked and not self.idle_timer.isActive():
            from PySide6.QtWidgets import QApplication

            QApplication.instance().installEventFilter(self.idle_watcher)
            self.idle_timer.start()

    def _start_check(self) -> None:
        from outreach_app.services import health

        self.statusBar().showMessage("Checking the data file…")
        self.worker.submit(health.quick_check, self._on_checked, self._on_check_error)

    def _on_checked(self, problems: list[str]) -> None:
        if not problems:
            self.context.release_writes()
            self.statusBar().showMessage("Ready", 3000)
            return
        why = (
            "The data file looks damaged, so nothing new is saved. Run `outreach check`, and "
            "restore the latest backup from the data folder's backups/ if needed. Found: "
            + "; ".join(problems[:3])
        )
        self.context.refuse_writes(why)
        QMessageBox.warning(self, "The data file needs attention", why)

    def _on_check_error(self, error: OutreachError) -> None:
        self._on_checked([error.message])

    def _on_writes_state(self, why: str) -> None:
        if why:
            self.statusBar().showMessage(why)

    def _on_idle_setting(self) -> None:
        minutes, ok = QInputDialog.getInt(
            self,
            "Idle lock",
            "Lock the window after this many minutes without use:",
            self.idle_timer.interval() // 60_000,
            1,
            240,
        )
        if ok:
            self.settings.setValue("idle_minutes", minutes)
            self.idle_timer.setInterval(minutes * 60_000)
            self.idle_timer.start()

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.idle_timer.stop()
        self.gate.lock()
        self.central.setCurrentWidget(self.lock_screen)
        self.site_toolbar.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.worker.submit(lambda store: store.close())  # queued after any running job
        self.lock_screen.prepare(self.encrypted)
        self.statusBar().showMessage("Locked")

    def _on_unlock(self, passphrase: str) -> None:
        """Opens the store on a background thread (key derivation, probe, maybe a migration)."""
        if self._unlocking is not None:
            return
        data_dir, db_url = self.data_dir, self.db_url
        self.lock_screen.set_busy(True)
        self.statusBar().showMessage("Opening…")

        def call() -> Any:
            from outreach_app.services.store import open_store

            return open_store(data_dir, db_url, passphrase or None)

        self._unlocking = BackgroundCall(
            call,
            self._on_unlocked,
            self._on_unlock_failed,
            discard=lambda store: store.close(),
            synchronous=self._synchronous,
        )
        self._unlocking.start()

    def _on_unlock_failed(self, error: BaseException) -> None:
        self._unlocking = None
        self.lock_screen.set_busy(False)
        self.statusBar().showMessage("Locked")
        if isinstance(error, WrongPassphrase):
            self.lock_screen.show_error("That passphrase is not right. Try again.")
        elif isinstance(error, OutreachError):
            self.lock_screen.show_error(error.message)
        else:
            raise error  # unexpected: the app's excepthook logs it and says where

    def _on_unlocked(self, store: Any) -> None:
        self._unlocking = None
        self.lock_screen.set_busy(False)
        self.worker.store = store
        self.locked = False
        self.central.setCurrentIndex(0)
        self.site_toolbar.setEnabled(True)
        self.menuBar().setEnabled(True)
        self.idle_timer.start()
        self.statusBar().showMessage("Unlocked", 3000)
        self.context.data_changed.emit()

    # Errors, busy, closing -------------------------------------------------------------------

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.statusBar().showMessage("Working…")
        elif self.statusBar().currentMessage() == "Working…":
            self.statusBar().clearMessage()

    def _on_unexpected(self, message: str) -> None:
        where = log_path(self.data_dir)
        QMessageBox.critical(
            self,
            "Something went wrong",
            f"{message}\n\nThe details (no participant data) are in the log:\n{where}",
        )

    def _on_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS_TEXT)

    def closeEvent(self, event: Any) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        if self.worker is not None:  # the store is open: there is a current site
            self.settings.setValue("last_site", self.context.current_site)
        from PySide6.QtWidgets import QApplication

        QApplication.instance().removeEventFilter(self.idle_watcher)
        self.idle_timer.stop()
        if self._opening is not None:
            self._opening.cancel()  # a store still opening is closed when it arrives
        if self._unlock is not None and self._unlock.isVisible():
            self._unlock.reject()  # closed while asking the passphrase again
        if self.worker is None:  # closed before the store was open: nothing to back up
            super().closeEvent(event)
            return
        self.worker.shutdown()
        if self._unlocking is not None:
            self._unlocking.cancel()  # a store still opening is closed when it arrives
        if not self.locked:
            from outreach_app.services import backups

            store = self.worker.store
            try:
                backups.daily_backup(store)
            except Exception:
                log.exception("daily backup on close failed")
            store.close()
        super().closeEvent(event)


SHORTCUTS_TEXT = """Ctrl+1 … Ctrl+8   pages (Log encounter, Tally counter, Encounters, Inventory,
                  Catalog & sites, Reports, Paper tally entry, Dashboard)
Ctrl+Shift+S      choose the site
Ctrl+L            lock now (also after 10 idle minutes)

Log encounter
  Enter (code)    go to the supplies
  a letter        jump to the next item starting with it
  Enter (supplies) on to naloxone reason / used syringes returned
  Ctrl+Enter      save
  Ctrl+R          repeat last visit of this code
  Ctrl+Z          undo the last save (10 seconds)

Records (Encounters)
  Ctrl+Shift+V    void the selected record

Stock (Inventory)
  Ctrl+Shift+R/T/D  receive / transfer / adjust
  Ctrl+Shift+K      stocktake
  Ctrl+Shift+O/I    shift bag out / in
  Ctrl+Shift+L      ledger of the selected item

Tally counter
  1 … 0           count contact / the item on the tile
  Ctrl+Z          take back the last count

Reports
  Ctrl+G          generate the report
  Ctrl+S          save the PDF

Paper tally entry
  Tab or Enter    next number box
  Ctrl+Enter      save the tally record"""
