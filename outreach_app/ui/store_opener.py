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

from outreach_app.domain.errors import OutreachError
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
    """Off the GUI thread: the opened store and its site names (the window's site list)."""
    from outreach_app.services.store import open_store

    store = open_store(data_dir, db_url, passphrase)
    try:
        return store, site_names(store)
    except BaseException:
        store.close()
        raise


class StoreOpener(QObject):
    """One opening at a time; `opened` or `failed` arrives on the GUI thread."""

    opened = Signal(object, object)  # the store, its site names
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

    @property
    def busy(self) -> bool:
        return self._call is not None

    def open(self, passphrase: str | None) -> None:
        if self._call is not None:
            return  # Enter pressed again while opening
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
        self.opened.emit(*opened)

    def _on_error(self, error: BaseException) -> None:
        self._call = None
        if not isinstance(error, OutreachError):
            log.error("unexpected error while opening the store", exc_info=error)
            error = JobFailed(unexpected_message(log_path(self._data_dir)))
        self.failed.emit(error)
