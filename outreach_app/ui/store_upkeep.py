"""Looking after the open store: the quick check after opening, before anything is saved, and
the daily backup when the window closes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _

from outreach_app.ui.context import AppContext

log = logging.getLogger(__name__)
# A status-bar message and how long it shows, in ms (0: until replaced).
Status = Callable[[str, int], None]


class OpeningCheck(QObject):
    """Holds writes while the quick check reads the file (reads go ahead); a damaged file
    refuses them, with what to do, instead of adding to the damage."""

    def __init__(self, context: AppContext, parent: QWidget, status: Status) -> None:
        super().__init__(parent)
        self._context, self._parent, self._status = context, parent, status

    def start(self) -> None:
        self._context.hold_writes(_("Checking the data file before saving anything…"))
        QTimer.singleShot(0, self._run)

    def _run(self) -> None:
        from outreach_app.services import health

        self._status(_("Checking the data file…"), 0)
        self._context.worker.submit(health.quick_check, self._on_checked, self._on_error)

    def _on_checked(self, problems: list[str]) -> None:
        if not problems:
            self._context.release_writes()
            self._status(_("Ready"), 3000)
            return
        why = _(
            "The data file looks damaged, so nothing new is saved. Run `outreach check`, and "
            "restore the latest backup from the data folder's backups/ if needed. Found: {found}",
            found="; ".join(problems[:3]),
        )
        self._context.refuse_writes(why)
        QMessageBox.warning(self._parent, _("The data file needs attention"), why)

    def _on_error(self, error: OutreachError) -> None:
        self._on_checked([error.message])


def back_up_and_close(store: Any) -> None:
    """The scheduled purge when due, the day's backup (a failure of either is logged, never
    stops the closing), then the store closes."""
    from outreach_app.services import backups, retention

    try:  # the coordinators' schedule ("purge notes older than N months"), when it is due
        retention.run_schedule(store)
    except Exception:
        log.exception("scheduled purge on close failed")
    try:
        backups.daily_backup(store)
    except Exception:
        log.exception("daily backup on close failed")
    store.close()
