"""Database work off the GUI thread, one job at a time, results delivered on the GUI thread.

SQLite has one writer, so one worker thread serialises every job. A job is a plain function
of the open `Store`; `on_done` and `on_error` run on the GUI thread. Tests that do not exercise
threading pass `synchronous=True` and get results before `submit` returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from outreach_app.domain.errors import OutreachError

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]


class DbWorker(QObject):
    """Runs `job(store)` on a single background thread."""

    busy_changed = Signal(bool)
    unexpected_error = Signal(str)  # a message for a dialog; the traceback is in the log
    _delivered = Signal(object, object, object)

    def __init__(self, store: Any, *, synchronous: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._synchronous = synchronous
        self._pool = None if synchronous else ThreadPoolExecutor(1, thread_name_prefix="db")
        self._pending = 0
        self._delivered.connect(self._deliver)

    @property
    def is_busy(self) -> bool:
        return self._pending > 0

    def submit(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[OutreachError], None] | None = None,
    ) -> Future[Any] | None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        if self._pool is None:
            try:
                result = job(self.store)
            except Exception as exc:  # delivered like the threaded path
                self._deliver((on_done, on_error), None, exc)
            else:
                self._deliver((on_done, on_error), result, None)
            return None
        future = self._pool.submit(job, self.store)
        future.add_done_callback(
            lambda f: self._delivered.emit(
                (on_done, on_error),
                None if f.exception() else f.result(),
                f.exception(),
            )
        )
        return future

    def _deliver(self, callbacks: tuple[Any, Any], result: Any, error: BaseException | None):
        on_done, on_error = callbacks
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if error is None:
            if on_done is not None:
                on_done(result)
            return
        if isinstance(error, OutreachError):
            if on_error is not None:
                on_error(error)
            else:
                self.unexpected_error.emit(error.message)
            return
        log.error("unexpected error in a background job", exc_info=error)
        self.unexpected_error.emit(
            "Something unexpected went wrong; nothing was saved by that action.",
        )

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
