"""Write units of work: the write lock from BEGIN, and a bounded retry when another writer has it.

`Store.unit_of_work()` and `Store.write(fn)` go through here (storage/locking.py says how each
engine takes the lock). With the lock taken at BEGIN, "busy" can only happen before any work,
so retrying the BEGIN is retrying the whole unit; `Store.write(fn)` re-runs the whole callable,
which also covers a PostgreSQL deadlock or serialization failure later in the unit (possible
only with writers that skip our lock, such as a person's own SQL).

The retry is tenacity's (a random pause between attempts, so two waiting writers do not wake in
step). Each attempt waits `wait_ms` for the lock inside the database itself (SQLite's
busy_timeout, PostgreSQL's lock_timeout); when every attempt has run out the error is
`StoreBusy`, exit 3 (contracts §3). Retries are counted on the store for the tests and logged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random

from outreach_app.domain.errors import StoreBusy
from outreach_app.i18n import N_, _l
from outreach_app.storage.diskfull import disk_full, is_disk_full
from outreach_app.storage.locking import DEFAULT_WAIT_MS, UNIT, WAIT_MS, WRITE, is_busy

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_MESSAGE = N_(
    "The data is still busy with another writer (the app, another command or a sync) after "
    "{attempts} tries over about {seconds} seconds. Nothing was written; try again in a moment."
)


@dataclass(frozen=True)
class WritePolicy:
    attempts: int = 4
    wait_ms: int = DEFAULT_WAIT_MS  # each attempt waits this long for the lock
    pause_s: float = 0.5  # then a random pause up to this long before the next attempt


DEFAULT_POLICY = WritePolicy()  # about 20 s in all before "still busy"


class RetryCounter:
    """How many times a write unit was retried on this store (read by tests, shown in logs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    @property
    def count(self) -> int:
        return self._count

    def add(self) -> int:
        with self._lock:
            self._count += 1
            return self._count


def begin_write(sessions: sessionmaker[Session], policy: WritePolicy) -> Session:
    """A session already holding the write lock (the BEGIN runs here, not at the first query)."""
    session = sessions()
    try:
        session.connection(execution_options={UNIT: WRITE, WAIT_MS: policy.wait_ms})
    except BaseException:
        session.close()
        raise
    return session


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """Commit when the block succeeds, roll back on any error, close either way; a full disk
    becomes `DiskFull`, a message a person can act on."""
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        if is_disk_full(exc):  # SQLite rolled the transaction back: nothing was written
            raise disk_full(_l("the new records")) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def with_retries(policy: WritePolicy, counter: RetryCounter, attempt: Callable[[], T]) -> T:
    """`attempt()` until it is not refused as busy, at most `policy.attempts` times."""

    def count(state: RetryCallState) -> None:
        total = counter.add()
        log.warning(
            "write lock busy; retry %d of %d (%d so far on this store)",
            state.attempt_number,
            policy.attempts - 1,
            total,
        )

    retrying = Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_random(0, policy.pause_s),
        retry=retry_if_exception(is_busy),
        before_sleep=count,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except DBAPIError as exc:
        if not is_busy(exc):
            raise
        seconds = round(policy.attempts * (policy.wait_ms / 1000 + policy.pause_s / 2))
        log.error("write lock still busy after %d attempts", policy.attempts)
        raise StoreBusy(_l(BUSY_MESSAGE, attempts=policy.attempts, seconds=seconds)) from None
