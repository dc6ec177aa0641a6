"""Opening the store off the GUI thread, the one way it is opened in the app: at start (a plain
folder, or an encrypted one with the unlock dialog's passphrase) and when unlocking after a lock.

SQLCipher's key derivation, the probe and maybe a migration take seconds; the window stays
responsive meanwhile. The services (SQLAlchemy) are imported on that thread the first time, so
the first window shows before them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from outreach_app.domain.errors import OutreachError, WrongPassphrase
from outreach_app.logsetup import log_path

from outreach_app.ui.background import BackgroundCall
from outreach_app.ui.worker import JobFailed, unexpected_message

log = logging.getLogger(__name__)


def site_names(store: Any) -> list[str]:
    from outreach_app.services import catalog

    with store.unit_of_work() as uow:
        return [s.name for s in catalog.list_sites(uow)]


def open_with_sites(
    data_dir: Path, db_url: str | None, passphrase: str | None = None
) -> tuple[Any, list[str]]:
    """Off the GUI thread: the opened store and its site names (the window's site list). The
    file's key is derived while the services are imported: both take a moment."""
    from outreach_app.services.folder_state import start_key_derivation

    derivation = start_key_derivation(data_dir, passphrase) if passphrase and not db_url else None
    from outreach_app.services.store import open_store

    store = open_store(data_dir, db_url, passphrase, derivation=derivation)
    try:
        return store, site_names(store)
    except BaseException:
        store.close()
        raise


class StoreOpener(QObject):
    """One opening at a time; `opened` or `failed` arrives on the GUI thread."""

    started = Signal()  # an opening is under way
    opened = Signal(object, object)  # the store, its site names
    waiting = Signal()  # a wrong passphrase: the unlock dialog is back, nothing was changed
    cancelled = Signal()  # the unlock dialog was cancelled: nothing is opened
    # An OutreachError: a wrong passphrase, a store that cannot open, or `JobFailed` (anything
    # unexpected, logged) so the lock screen or the start-up is never left waiting.
    failed = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        db_url: str | None,
        *,
        synchronous: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir, self._db_url = data_dir, db_url
        self._synchronous = synchronous
        self._call: BackgroundCall | None = None
        self._unlock: Any = None  # the UnlockDialog whose passphrase opens the store

    @property
    def busy(self) -> bool:
        return self._call is not None

    def open_with_dialog(self, unlock: Any) -> None:
        """Opens with the passphrase typed in `unlock` (an UnlockDialog): a fresh dialog is
        waited for, one already accepted is used at once; a wrong passphrase brings the dialog
        back to try again (`waiting`), and cancelling it ends the opening (`cancelled`)."""
        if self._unlock is not None:
            return
        self._unlock = unlock
        unlock.passphrase_entered.connect(self.open)
        unlock.rejected.connect(self._on_unlock_cancelled)
        if unlock.result() == unlock.DialogCode.Accepted:
            self.open(unlock.passphrase.text())

    def close_dialog(self) -> None:
        """The window closes while the dialog asks the passphrase again."""
        if self._unlock is not None and self._unlock.isVisible():
            self._unlock.reject()

    def _on_unlock_cancelled(self) -> None:
        if self._call is None:
            self.cancelled.emit()  # the person chose not to open the data

    def open(self, passphrase: str | None) -> None:
        if self._call is not None:
            return  # Enter pressed again while opening
        self.started.emit()
        data_dir, db_url = self._data_dir, self._db_url
        self._call = BackgroundCall(
            lambda: open_with_sites(data_dir, db_url, passphrase or None),
            self._on_done,
            self._on_error,
            discard=lambda opened: opened[0].close(),
            synchronous=self._synchronous,
        )
        self._call.start()

    def cancel(self) -> None:
        """Nothing is delivered after this; a store still opening is closed when it arrives."""
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def _on_done(self, opened: tuple[Any, list[str]]) -> None:
        self._call = None
        unlock, self._unlock = self._unlock, None
        if unlock is not None:
            unlock.opened(opened[0])
            unlock.passphrase_entered.disconnect(self.open)
            unlock.rejected.disconnect(self._on_unlock_cancelled)
        self.opened.emit(*opened)

    def _on_error(self, error: BaseException) -> None:
        self._call = None
        if not isinstance(error, OutreachError):
            log.error("unexpected error while opening the store", exc_info=error)
            error = JobFailed(unexpected_message(log_path(self._data_dir)))
        if self._unlock is not None and isinstance(error, WrongPassphrase):
            self._unlock.refused(error)  # nothing was created or changed; try again
            self.waiting.emit()
            return
        self.failed.emit(error)
