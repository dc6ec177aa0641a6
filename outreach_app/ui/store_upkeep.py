"""Looking after the open store: the quick check after opening (beside the app's work, never in
front of a save), and the scheduled purge and daily backup when the window closes."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from outreach_app.i18n import _

from outreach_app.ui.background import BackgroundCall
from outreach_app.ui.context import AppContext
from outreach_app.ui.window_lock import WindowLock

log = logging.getLogger(__name__)
# A status-bar message and how long it shows, in ms (0: until replaced).
Status = Callable[[str, int], None]
CHECK_NICENESS = 10  # the check thread's nice value (0 is the usual, 19 the lowest priority)


class OpeningCheck(QObject):
    """The whole-file quick check (`services.health`), on a thread and a read connection of its
    own, beside the app's work.

    Its time grows with the file (seconds on a year of encrypted data), so the first save never
    waits for it: saves go ahead at once, and only a damaged file found by the check refuses the
    writes that come after, with what to do. At start it begins once the first person has signed
    in and the first page has loaded (`start_after_sign_in`). The full `integrity_check` runs on
    the copy at each backup (the day's, taken on close). `stop` ends a check under way before the
    store closes (Lock and close, quitting); `start` on the reopened store checks it again when
    no check had run to its end.
    """

    finished = Signal(object)  # the problems found ([]: none); not emitted for a stopped check

    def __init__(
        self, context: AppContext, parent: QWidget, status: Status, *, synchronous: bool = False
    ) -> None:
        super().__init__(parent)
        self._context, self._parent, self._status = context, parent, status
        self._synchronous = synchronous  # tests: on the GUI thread, like the worker's jobs
        self._call: BackgroundCall | None = None
        self._cancel = threading.Event()
        self._due: Any = None  # the store `start` was given, until the check of it begins
        self.done = False  # a check ran to its end (whatever it found)

    @property
    def running(self) -> bool:
        return self._call is not None

    def start(self, store: Any) -> None:
        """Checks `store` from the next turn of the event loop (the window paints first)."""
        if self.done or self.running:
            return
        self._due = store
        QTimer.singleShot(0, self, lambda: self._run(store))  # not after this object is gone

    def start_after_sign_in(self, store: Any, signed_in: Any, worker: Any) -> None:
        """Checks `store` once someone has signed in and the first page has loaded (`worker`,
        the DbWorker, has nothing left to run). At start the person waits for the PIN's
        hashing and that page; the check, which reads the whole file, comes after them rather
        than taking a core from them."""
        self._due = store

        def on_signed_in(_person: Any) -> None:
            signed_in.disconnect(on_signed_in)
            # After the session's own slot: the worker has resumed and the page's load is queued.
            QTimer.singleShot(0, self, when_idle)

        def when_idle() -> None:
            if worker.is_busy:
                worker.busy_changed.connect(on_busy)
            elif self._due is store:  # not stopped meanwhile
                self.start(store)

        def on_busy(busy: bool) -> None:
            if not busy:
                worker.busy_changed.disconnect(on_busy)
                if self._due is store:
                    self.start(store)

        signed_in.connect(on_signed_in)

    def follow(self, lock: WindowLock) -> None:
        """Lock and close stops the check: the store closes next."""

        def on_locked(locked: bool) -> None:
            if locked and lock.store_closed:
                self.stop()

        lock.locked_changed.connect(on_locked)

    def stop(self) -> None:
        """The store is about to close: a check under way ends at once (no result), one not
        yet begun does not begin."""
        self._due = None
        self._cancel.set()
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def _run(self, store: Any) -> None:
        if self._due is not store or self.done or self.running:
            return  # stopped (or started again) meanwhile
        from outreach_app.services import health

        self._due = None
        cancel = self._cancel = threading.Event()

        def check() -> list[str]:
            return health.quick_check(store, cancel.is_set)

        self._call = BackgroundCall(
            check if self._synchronous else lambda: _behind_the_work(check),
            self._on_checked,
            self._on_failed,
            synchronous=self._synchronous,
        )
        self._call.start()

    def _on_checked(self, problems: list[str]) -> None:
        self._call = None
        self.done = True
        if not problems:
            log.info("the quick check after opening found no problem")
            self._status(_("Data file checked: no damage found."), 3000)
        else:
            why = _(
                "The data file looks damaged, so nothing new is saved. Run `outreach check`, "
                "and restore the latest backup from the data folder's backups/ if needed. "
                "Found: {found}",
                found="; ".join(problems[:3]),
            )
            self._context.refuse_writes(why)
            QMessageBox.warning(self._parent, _("The data file needs attention"), why)
        self.finished.emit(problems)

    def _on_failed(self, error: BaseException) -> None:
        """A failure of the check itself (not of the file: an unreadable file comes back as a
        problem): logged and said, and the window carries on; saves were never waiting."""
        self._call = None
        self.done = True
        log.error("the quick check after opening failed", exc_info=error)
        self._status(_("The data file could not be checked; `outreach check` checks it."), 0)


def _behind_the_work(call: Callable[[], Any]) -> Any:
    """Runs `call` on this thread at a lower CPU priority: on a laptop of two cores the check
    (seconds of decryption on an encrypted year) would otherwise take a core from the sign-in's
    PIN hashing and the first save. Linux only, where a thread's id names it for `setpriority`
    (elsewhere the id could name another process); this thread is the check's own and ends
    with it, so the priority is never raised back."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), CHECK_NICENESS)
        except OSError:
            log.info("the check runs at normal priority", exc_info=True)
    return call()


def back_up_and_close(store: Any, *, purge: bool = True) -> None:
    """The scheduled purge when due, the day's backup (a failure of either is logged, never
    stops the closing), then the store closes. `purge=False` when the check found the file
    damaged: the purge writes, and writes are refused then (the backup's own check refuses a
    damaged copy)."""
    from outreach_app.services import backups, retention

    try:  # the coordinators' schedule ("purge notes older than N months"), when it is due
        if purge:
            retention.run_schedule(store)
    except Exception:
        log.exception("scheduled purge on close failed")
    try:
        backups.daily_backup(store)
    except Exception:
        log.exception("daily backup on close failed")
    store.close()
