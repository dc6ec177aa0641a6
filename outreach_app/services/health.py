"""Health of the open data store: the quick check the app runs after its window shows.

`PRAGMA quick_check` reads every page (catching a damaged file early) but skips the slower index
cross-checks of `integrity_check`; the app holds writes until it has passed. PostgreSQL looks
after its own pages, so there the check has nothing to do.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from outreach_app.i18n import _
from outreach_app.services.store import Store

log = logging.getLogger(__name__)
MAX_REPORTED = 10


def quick_check(store: Store) -> list[str]:
    """Problems found in the database file ([] when healthy), in SQLite's own words."""
    if store.engine.dialect.name != "sqlite":
        return []
    try:
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql(f"PRAGMA quick_check({MAX_REPORTED})").fetchall()
    except SQLAlchemyError as exc:
        log.warning("quick_check could not run", exc_info=True)
        return [_("the database could not be read ({reason})", reason=exc.__class__.__name__)]
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    if problems:
        log.error("quick_check found %d problem(s)", len(problems))
    return problems
