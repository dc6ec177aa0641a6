"""What the import dialog asks the database worker to do, and the bridge that brings the
service's progress back to the GUI thread.

The service reports through plain callables (`progress(stage, done, total)`, `is_cancelled()`);
here they become a Qt signal (queued to the GUI thread when the job runs on the worker thread)
and a flag the Cancel button sets. The import is one unit of work, so a cancel rolls it all back.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from outreach_app.domain.values import ImportCheck, ImportResult
from outreach_app.services import importer


class ImportRun(QObject):
    """One run (a check or an import): its progress as a signal, its cancel as a flag."""

    progressed = Signal(str, int, int)  # stage ("checking" / "writing"), rows done, rows in all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, stage: str, done: int, total: int) -> None:
        """Called by the service on the worker thread."""
        self.progressed.emit(stage, done, total)

    def check(self, store: Any, path: Path, move_stock: bool) -> ImportCheck:
        """The check pass alone, in a read unit: nothing can be written."""
        with store.reading() as uow:
            return importer.check_csv(
                uow,
                path,
                move_stock=move_stock,
                progress=self.report,
                is_cancelled=self._cancel.is_set,
            )

    def run(self, store: Any, path: Path, move_stock: bool, allow_negative: bool) -> ImportResult:
        return store.write(
            lambda uow: importer.import_csv(
                uow,
                path,
                move_stock=move_stock,
                allow_negative=allow_negative,
                progress=self.report,
                is_cancelled=self._cancel.is_set,
            )
        )
