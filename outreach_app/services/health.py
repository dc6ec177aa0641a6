"""Health of the open data store: the quick check the app runs after opening.

`PRAGMA quick_check` reads every page (catching a damaged file early) but skips the slower index
cross-checks of `integrity_check` (that one runs on every backup's copy, `storage/backup.py`,
and in `outreach check`). Its time grows with the file (seconds on a year of encrypted data), so
the app runs it beside its work, never in front of a save, and refuses later writes if it finds
damage (`ui/store_upkeep.py`).

It reads on a connection of its own, outside the store's pool: the worker's connection stays
free for the first save, which neither waits for a connection nor pays a second SQLCipher key
derivation. The connection is read-only (`query_only`), so the check cannot change the file.
`is_cancelled` is asked every few thousand SQLite steps: the window that locks and closes the
store, or quits, ends the check at once instead of holding a read snapshot the store's closing
checkpoint would wait for. PostgreSQL looks after its own pages, so there the check has nothing
to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from outreach_app.i18n import _
from outreach_app.services.store import Store
from outreach_app.storage import locking
from outreach_app.storage.engine import make_engine, sqlite_url

log = logging.getLogger(__name__)
MAX_REPORTED = 10
# SQLite virtual-machine steps between two questions to `is_cancelled`: a few ms of checking.
CANCEL_EVERY_STEPS = 1000


class CheckCancelled(Exception):
    """`is_cancelled` said so before the check finished: nothing is known about the file."""


def quick_check(store: Store, is_cancelled: Callable[[], bool] | None = None) -> list[str]:
    """Problems found in the database file ([] when healthy), in SQLite's own words.

    Raises CheckCancelled when `is_cancelled()` turned true before the end."""
    if store.database_path is None:
        return []
    cancelled = is_cancelled or (lambda: False)
    if cancelled():
        raise CheckCancelled
    engine = make_engine(sqlite_url(store.database_path, store.connection_key), poolclass=NullPool)
    try:
        with engine.connect().execution_options(**{locking.UNIT: locking.READ}) as conn:
            driver: Any = conn.connection.driver_connection
            driver.set_progress_handler(lambda: 1 if cancelled() else 0, CANCEL_EVERY_STEPS)
            rows = conn.exec_driver_sql(f"PRAGMA quick_check({MAX_REPORTED})").fetchall()
    except SQLAlchemyError as exc:
        if isinstance(exc, OperationalError) and cancelled():  # the handler stopped it
            raise CheckCancelled from None
        log.warning("quick_check could not run", exc_info=True)
        return [_("the database could not be read ({reason})", reason=exc.__class__.__name__)]
    finally:
        engine.dispose()
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        log.error("quick_check found %d problem(s)", len(problems))
    return problems
