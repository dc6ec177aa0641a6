"""One app per data folder, for the app and for `restore` (storage/folder_lock.py does the locking).

The app claims its folder before showing the passphrase; a second app on the same folder is
told which computer and process has it open. `restore` replaces the database file, which no
database lock can make safe under a running app, so it holds the same lock while it works and
refuses when the app has the folder open. Other commands need no claim: they use the database's
own locking beside the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from outreach_app.domain.errors import FolderInUse
from outreach_app.i18n import _l
from outreach_app.storage.folder import DataFolder
from outreach_app.storage.folder_lock import LOCK_NAME, FolderLock, Holder, acquire

__all__ = ["LOCK_NAME", "FolderLock", "Holder", "claim_folder", "folder_closed"]


def claim_folder(data_dir: Path) -> FolderLock:
    """The app's hold on its (existing) data folder; FolderInUse when another app has it."""
    return acquire(data_dir)


@contextmanager
def folder_closed(data_dir: Path) -> Iterator[None]:
    """For work that replaces the database file: refused while the app has the folder open,
    and no app can open it meanwhile. A folder that is not initialised is left untouched."""
    if not DataFolder(data_dir).is_initialised():
        yield
        return
    try:
        lock = acquire(data_dir, leave_no_trace=True)
    except FolderInUse as exc:
        raise FolderInUse(
            _l("{reason} Close the app first; nothing was changed.", reason=exc.text)
        ) from None
    try:
        yield
    finally:
        lock.release()
