"""Database work off the GUI thread, one job at a time, results delivered on the GUI thread.

SQLite has one writer, so one worker thread serialises every job. A job is a plain function
of the open `Store`; `on_done` and `on_error` run on the GUI thread. Tests that do not exercise
threading pass `synchronous=True` and get results before `submit` returns.

Every failure reaches the caller's `on_error`, whatever the exception: a refusal of the services
(an `OutreachError`) as it is, anything else (a bug, a damaged file, a full disk) as `JobFailed`,
whose message says where the log with the details is. So a page that disabled its Save or
Generate while the job ran always gets it back. A job without `on_error` reports through
`unexpected_error` (the window shows it). An `on_done` that raises is reported the same way.

`shutdown` lets the jobs already queued finish on the worker thread; jobs submitted after it are
refused, never run on the GUI thread.

The person acting: each job runs with `store.staff_id` set to `acting` as it was when the job was
submitted (the person signed in), so a save clicked before someone else signs in is still
stamped with who clicked it. While the window is locked the worker is `pause`d: jobs submitted
meanwhile wait (nothing reopens or writes) and run after `resume`, as the person then signed in;
only `urgent` jobs (signing in, closing) go ahead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]


class JobFailed(OutreachError):
    """An unexpected error in a background job, told in words; the traceback is in the log."""


def unexpected_message(log_file: Path | None) -> str:
    if log_file is None:
        return _(
            "Something unexpected went wrong; nothing was saved by that action. The details "
            "(no participant data) are in the app's log."
        )
    return _(
        "Something unexpected went wrong; nothing was saved by that action. The details "
        "(no participant data) are in the log:\n{path}",
        path=log_file,
    )


class DbWorker(QObject):
    """Runs `job(store)` on a single background thread."""

    busy_changed = Signal(bool)
    unexpected_error = Signal(str)  # a message for a dialog; the traceback is in the log
    _delivered = Signal(object, object, object)

    def __init__(
        self,
        store: Any,
        *,
        synchronous: bool = False,
        log_file: Path | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.log_file = log_file
        self._synchronous = synchronous
        self._pool = None if synchronous else ThreadPoolExecutor(1, thread_name_prefix="db")
        self._pending = 0
        self._shut = False
        self.acting: Any = getattr(store, "staff_id", None)  # the id stamped on what jobs write
        self._paused = False
        self._reads_ahead = False  # while paused, `ahead_of_sign_in` jobs still run
        self._held: list[tuple[Job, Any, Any]] = []
        self._delivered.connect(self._deliver)

    @property
    def is_busy(self) -> bool:
        return self._pending > 0

    @property
    def is_shut_down(self) -> bool:
        return self._shut

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def held(self) -> int:
        """How many jobs wait for `resume`."""
        return len(self._held)

    def pause(self, *, reads_ahead: bool = False) -> None:
        """From now on jobs wait for `resume` (those already queued still run). With
        `reads_ahead`, jobs submitted `ahead_of_sign_in` still run meanwhile."""
        self._paused = True
        self._reads_ahead = reads_ahead

    def resume(self) -> None:
        """The jobs held while paused run, in order, as the person acting now."""
        self._paused = False
        self._reads_ahead = False
        held, self._held = self._held, []
        for job, on_done, on_error in held:
            self.submit(job, on_done, on_error)

    def submit(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[OutreachError], None] | None = None,
        *,
        urgent: bool = False,
        ahead_of_sign_in: bool = False,
    ) -> Future[Any] | None:
        """Runs `job(store)` on the worker thread; `on_done(result)` or `on_error(error)` on
        the GUI thread. While paused, a job waits for `resume`, unless `urgent` (the sign-in's
        own) or `ahead_of_sign_in` when the pause lets reads ahead (a read that holds nothing
        about participants or the person, such as the Log form's lists)."""
        if self._shut:
            # The window is closing: the store is (or is about to be) closed, and running the
            # job here would block the GUI thread on it.
            log.info("a job submitted after shutdown was not run")
            return None
        if self._paused and not urgent and not (ahead_of_sign_in and self._reads_ahead):
            self._held.append((job, on_done, on_error))
            return None
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        job = _acting_as(self.acting, job)
        if self._pool is None:
            try:
                result = job(self.store)
            except Exception as exc:  # delivered like the threaded path
                self._deliver((on_done, on_error), None, exc)
            else:
                self._deliver((on_done, on_error), result, None)
            return None
        future = self._pool.submit(job, self.store)
        future.add_done_callback(lambda f: self._post((on_done, on_error), f))
        return future

    def _post(self, callbacks: tuple[Any, Any], future: Future[Any]) -> None:
        """On the worker thread: the outcome goes to the GUI thread."""
        error = future.exception()
        try:
            self._delivered.emit(callbacks, None if error else future.result(), error)
        except RuntimeError:  # the window (and this worker) is gone: nobody to tell
            log.info("a job finished after its window was deleted")

    def _deliver(self, callbacks: tuple[Any, Any], result: Any, error: BaseException | None):
        on_done, on_error = callbacks
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if error is None:
            if on_done is None:
                return
            try:
                on_done(result)
            except Exception as exc:  # the page's own slot failed: still give it its error path
                self._fail(on_error, exc, "showing the result of a background job")
            return
        if isinstance(error, OutreachError):
            self._refuse(on_error, error)
            return
        self._fail(on_error, error, "a background job")

    def _fail(self, on_error: Any, error: BaseException, where: str) -> None:
        log.error("unexpected error in %s", where, exc_info=error)
        self._refuse(on_error, JobFailed(unexpected_message(self.log_file)))

    def _refuse(self, on_error: Any, error: OutreachError) -> None:
        if on_error is None:
            self.unexpected_error.emit(error.message)
            return
        try:
            on_error(error)
        except Exception as exc:  # the error path itself failed: the window says so
            log.error("unexpected error while showing a failed job", exc_info=exc)
            self.unexpected_error.emit(unexpected_message(self.log_file))

    def shutdown(self, *, wait: bool = True) -> None:
        """No job is accepted after this. `wait=False` returns at once; the jobs already queued
        still run on the worker thread and deliver their results."""
        self._shut = True
        if self._held:  # submitted while locked, by nobody signed in: nothing to finish
            log.info("%d jobs held while locked were not run", len(self._held))
            self._held = []
        if self._pool is not None:
            self._pool.shutdown(wait=wait)
            if wait:
                self._pool = None


def _acting_as(staff_id: Any, job: Job) -> Job:
    def run(store: Any) -> Any:
        if hasattr(store, "staff_id"):
            store.staff_id = staff_id  # one worker thread: no other job sees it change
        return job(store)

    return run
