"""The main window: puts together the page list and pages, the site toolbar, the menus and the
lock, and follows the store from opening to closing.

What each part does lives in its own module: the page list, site bar and menus put together in
`window_body` (imported once the store has opened), the pages in `page_registry`, the menu bar
in `menus`, opening the store (at start and at unlock) in `store_opener`, the lock and
the idle watcher in `window_lock`, the check after opening and the backup on close in
`store_upkeep`, signing in and the lock's effect on the worker in `window_session`, waiting for
a sync before the store closes in `page_work`, the Audit and Staff dialogs in `dialogs/`. The
window knows a page only through `widgets.page.Page`.

Start-up: the window can show before the store is open (`MainWindow(None, ...)` says "Opening
your data…"; `open_in_background` opens the store off the GUI thread, an encrypted one with the
unlock dialog's passphrase, `attach_store` takes an opened one). This module imports no services
at module level, so the window shows before SQLAlchemy is imported. Pages are built the first
time they are shown: only the first page shown is built at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from outreach_app.domain.errors import OutreachError, StoreError, WrongPassphrase
from outreach_app.i18n import _
from outreach_app.logsetup import log_path

from outreach_app.ui import page_registry
from outreach_app.ui.page_registry import PAGES
from outreach_app.ui.store_opener import StoreOpener, site_names
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.window_lock import WindowLock
from outreach_app.ui.worker import DbWorker

ORGANISATION = "OutreachTally"
APPLICATION = "Outreach Tally"
__all__ = ["APPLICATION", "ORGANISATION", "PAGES", "MainWindow"]


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
        self.setWindowTitle(APPLICATION)  # the product's name, the same in every language
        self.data_dir, self.db_url = data_dir, db_url
        self.settings = settings or QSettings(ORGANISATION, APPLICATION)
        self._synchronous = synchronous  # the store opens inside the call too, like the worker
        self._run_check = run_check
        self._finishing = False  # closing: the queued jobs and the backup run, then it closes
        self._waiting_to_close = False
        self._closed = False
        self.worker: DbWorker | None = None
        self.tool_windows: dict[str, QWidget] = {}  # Import, Audit, Staff: kept alive here
        self.opener = StoreOpener(data_dir, db_url, synchronous=synchronous, parent=self)
        self.opener.started.connect(self._on_open_started)
        self.opener.opened.connect(self._on_opened)
        self.opener.waiting.connect(self._on_waiting)
        self.opener.failed.connect(self._on_open_failed)
        self.opener.cancelled.connect(lambda: self.opening_failed.emit(0))
        self.window_lock = WindowLock(self.settings, parent=self)
        self.window_lock.unlock_requested.connect(self._on_unlock)
        self.opening_label = QLabel("<h3>" + _("Opening your data…") + "</h3>")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.central = QStackedWidget()
        self.central.addWidget(self.opening_label)
        self.setCentralWidget(self.central)
        self._restore_geometry()
        self.statusBar().showMessage(_("Opening…"))
        if store is not None:
            self.attach_store(store)

    # The lock's parts, under the names the rest of the app and the tests know.
    @property
    def locked(self) -> bool:
        return self.window_lock.locked

    @property
    def idle_timer(self) -> Any:
        return self.window_lock.timer

    @property
    def lock_screen(self) -> Any:
        return self.window_lock.screen

    def lock(self) -> None:
        self.window_lock.lock()

    @property
    def finishing(self) -> bool:
        """Closing was asked and a sync, the queued jobs or the backup are still running."""
        return self._finishing and not self._closed

    # Opening -----------------------------------------------------------------------------------

    def open_in_background(self, unlock: Any = None, passphrase: str | None = None) -> None:
        """Opens the folder's store off the GUI thread, then `attach_store`: an encrypted
        folder's with the passphrase typed in `unlock` (an UnlockDialog, see
        `StoreOpener.open_with_dialog`), one just set up with the `passphrase` chosen there."""
        if unlock is not None:
            unlock.setParent(self, unlock.windowFlags())  # brought back over this window
            self.opener.open_with_dialog(unlock)
        elif self.worker is None:
            self.opener.open(passphrase)

    def _on_open_started(self) -> None:
        if self.worker is None:
            self.opening_label.setText("<h3>" + _("Opening your data…") + "</h3>")
        self.statusBar().showMessage(_("Opening…"))

    def _on_waiting(self) -> None:
        self.opening_label.setText("<h3>" + _("Waiting for the passphrase…") + "</h3>")
        self.statusBar().showMessage(_("The passphrase was not right."))

    def _on_opened(self, store: Any, sites: list[str]) -> None:
        if self.worker is not None:  # the passphrase after Lock and close
            self.session.reopened(store)
            if self._run_check:  # again if it was stopped by the closing
                self.opening_check.start(store)
        else:
            self.attach_store(store, sites)

    def _on_open_failed(self, error: OutreachError) -> None:
        if self.worker is not None:  # unlocking after a lock
            self.statusBar().showMessage(_("Locked"))
            if isinstance(error, WrongPassphrase):
                self.window_lock.refused(_("That passphrase is not right. Try again."))
            else:
                self.window_lock.refused(error.message)
            return
        QMessageBox.critical(self, _("Cannot open the data"), error.message)
        self.opening_failed.emit(3 if isinstance(error, StoreError) else 1)

    def attach_store(self, store: Any, sites: list[str] | None = None) -> None:
        """The store is open: the worker, the context, the first page, menus, the check, and
        the sign-in screen in front of them (nothing else runs on the worker until then)."""
        # The parts of a window with its data, imported now: none of them before it shows.
        from outreach_app.ui.context import AppContext
        from outreach_app.ui.sign_in import SignIn
        from outreach_app.ui.store_upkeep import OpeningCheck
        from outreach_app.ui.tool_windows import show_unexpected
        from outreach_app.ui.window_session import WindowSession

        self.setWindowTitle(f"{APPLICATION} — {store.org_name}")
        self.encrypted = bool(getattr(store, "encrypted", False))
        self.window_lock.encrypted = self.encrypted
        self.worker = DbWorker(
            store, synchronous=self._synchronous, log_file=log_path(self.data_dir), parent=self
        )
        self.worker.acting = None  # nobody until someone signs in
        if sites is None:
            sites = site_names(store)
        last = str(self.settings.value("last_site", ""))
        self.context = AppContext(
            self.worker,
            org_name=store.org_name,
            current_site=last if last in sites else sites[0],
            parent=self,
        )
        self.sign_in = SignIn(self.context, self.settings, self)
        self.statusBar().addPermanentWidget(self.sign_in.status)
        self._build(sites)
        # Before the session's own slot: a check under way ends before the store closes.
        self.opening_check = OpeningCheck(
            self.context, self, self.statusBar().showMessage, synchronous=self._synchronous
        )
        self.opening_check.follow(self.window_lock)
        self.session = WindowSession(
            context=self.context,
            lock=self.window_lock,
            sign_in=self.sign_in,
            show=lambda widget: self.central.setCurrentWidget(widget or self._body),
            chrome=self._chrome,
            status=self.statusBar().showMessage,
            stop_work=self.page_work.stop,
            parent=self,
        )
        self.session.start()
        self.context.person_changed.connect(lambda _p: self.menus.follow_role(self.context.may))
        self._restore_page()
        self.worker.unexpected_error.connect(
            lambda message: show_unexpected(self, self.data_dir, message)
        )
        self.worker.busy_changed.connect(self._on_busy)
        self.context.data_changed.connect(self._reload_sites)
        self.context.site_changed.connect(self._on_site_changed)
        self.context.writes_state_changed.connect(self._on_writes_state)
        if self._run_check:
            self.opening_check.start_after_sign_in(store, self.sign_in.signed_in, self.worker)

    # Layout ----------------------------------------------------------------------------------

    def _build(self, sites: list[str]) -> None:
        from outreach_app.ui.window_body import build_body  # once the store has opened

        build_body(self, sites)

    def _build_page(self, index: int) -> QWidget:
        page = page_registry.build_page(*PAGES[index], self.context)
        if isinstance(page, Page):
            page.show_page_requested.connect(
                lambda title: self.show_page(page_registry.page_index(title))
            )
            page.action_requested.connect(
                lambda title, name: self._trigger(page_registry.page_index(title), name)
            )
            self.menus.page_built(index, page)
        return page

    # Pages and sites -------------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        if not self.locked and 0 <= index < self.pages.count():
            self.nav.setCurrentRow(index)

    def _trigger(self, index: int, name: str) -> None:
        """A menu entry: shows the page, then does what the page's action of that name does."""
        if self.locked:
            return
        self.show_page(index)
        page = self.pages.widget(index)
        action = page.page_actions().get(name) if isinstance(page, Page) else None
        if action is not None and action.isEnabled():
            action.trigger()

    def _on_page_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.settings.setValue("last_page", index)
        page = self.pages.widget(index)
        if isinstance(page, Page):
            page.page_shown()

    def _on_site_changed(self, name: str) -> None:
        self.settings.setValue("last_site", name)
        self.site_toolbar.show_current(name)
        self.statusBar().showMessage(_("Now giving out supplies from {site}.", site=name), 5000)

    def _reload_sites(self) -> None:
        self.worker.submit(
            site_names, lambda sites: self.site_toolbar.fill(sites, self.context.current_site)
        )

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)

    def _restore_page(self) -> None:
        page = int(self.settings.value("last_page", 0))
        self.nav.setCurrentRow(page if 0 <= page < self.pages.count() else 0)

    # Lock ------------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.worker is not None:
            self.window_lock.start_watching()

    def _chrome(self, enabled: bool) -> None:
        self.site_toolbar.setEnabled(enabled)
        self.menuBar().setEnabled(enabled)

    def _on_unlock(self, passphrase: str) -> None:
        """After Lock and close: reopens the store on a background thread (key derivation,
        probe, maybe a migration); the sign-in follows."""
        if not self.opener.busy:
            self.window_lock.opening()
            self.opener.open(passphrase)

    # Errors, busy, closing -------------------------------------------------------------------

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.statusBar().showMessage(_("Working…"))
        elif self.statusBar().currentMessage() == _("Working…"):
            self.statusBar().clearMessage()

    def _on_writes_state(self, why: str) -> None:
        if why:
            self.statusBar().showMessage(why)

    def closeEvent(self, event: Any) -> None:
        """Never waits on the GUI thread: a sync under way stops after its batch, then the jobs
        already queued (a save just clicked) and the daily backup run on the worker while the
        window says it is finishing, then the window closes by itself."""
        if self._closed:
            super().closeEvent(event)
            return
        if self._finishing:
            event.ignore()
            self.statusBar().showMessage(_("Still finishing; the window closes by itself."))
            return
        self.settings.setValue("geometry", self.saveGeometry())
        if self.worker is not None:  # the store is open: there is a current site
            self.settings.setValue("last_site", self.context.current_site)
        self.window_lock.stop_watching()
        self.opener.close_dialog()  # closed while asking the passphrase again
        self.opener.cancel()  # a store still opening is closed when it arrives
        if self.worker is None:  # closed before the store was open: nothing to back up
            self._closed = True
            super().closeEvent(event)
            return
        from outreach_app.ui.window_session import FinishingScreen

        self._finishing = True
        self.finishing_screen = FinishingScreen(self.statusBar().showMessage)
        self.central.addWidget(self.finishing_screen)
        self.central.setCurrentWidget(self.finishing_screen)
        self._chrome(False)
        self.opening_check.stop()  # the store closes after the backup: no check holds it open
        if self.page_work.stop(self._back_up_and_close):
            self.finishing_screen.show_stage(syncing=True)
        if self._closed:  # a synchronous worker finished inside submit
            super().closeEvent(event)
            return
        self._waiting_to_close = True
        event.ignore()

    def _back_up_and_close(self) -> None:  # once a sync under way has ended
        from outreach_app.ui.store_upkeep import back_up_and_close

        self.finishing_screen.show_stage(syncing=False)
        closed = self.window_lock.store_closed  # Lock and close: nothing open to back up
        purge = not self.context.writes_refused  # a damaged file is not written to
        self.worker.submit(
            lambda store: None if closed else back_up_and_close(store, purge=purge),
            self._on_finished,
            self._on_finished,
            urgent=True,  # locked: the held jobs are dropped, the backup still runs
        )
        self.worker.shutdown(wait=False)  # nothing more is accepted; the queue runs out

    def _on_finished(self, _result: Any = None) -> None:
        self._closed = True
        self.worker.shutdown()  # the queue is empty: the thread ends at once
        if self._waiting_to_close:
            self.close()
