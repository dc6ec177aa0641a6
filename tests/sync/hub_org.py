"""One organisation for the hub tests: device A (a seeded folder), a hub joined to it on the
session's PostgreSQL cluster, and devices B (SQLCipher) and C (plain SQLite) joined by
invitation, exactly as `invite` and `init --join` make them.

Also what the tests compare: the monthly tally, stock and reconciliation CSVs of a store, and
its `check`.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg

from outreach_app.domain.clock import Period
from outreach_app.reports.inventory_csv import inventory_csv
from outreach_app.reports.monthly_csv import monthly_csv
from outreach_app.reports.stock_csv import stock_csv
from outreach_app.services import checks, inventory, reconciliation, tally
from outreach_app.services.store import Store, open_store
from outreach_app.sync.joining import join, make_invitation, read_invitation
from tests.conftest import PASSPHRASE
from tests.pg_cluster import Cluster

_numbers = itertools.count()
APP_NAME = "outreach sync"  # what our hub connections show in pg_stat_activity


def new_database(pg: Cluster, prefix: str = "hub") -> tuple[str, str]:
    name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
    pg.execute(f"CREATE DATABASE {name}")
    return name, pg.url(name)


def invite_and_join(
    inviter: Store,
    folder: Path,
    name: str,
    *,
    passphrase: str | None = None,
    db_url: str | None = None,
) -> None:
    made = make_invitation(inviter, folder.parent / f"{name}.invitation")
    opened = read_invitation(made.path, made.join_code)
    join(folder, opened, device_name=name, passphrase=passphrase, db_url=db_url)


@dataclass
class Org:
    root: Path
    pg: Cluster
    hub_db: str
    hub_url: str
    stores: dict[str, Store] = field(default_factory=dict)
    folders: dict[str, Path] = field(default_factory=dict)

    def open_hub(self) -> Store:
        return open_store(self.root / "hub-logs", db_url=self.hub_url)

    def close(self) -> None:
        for store in self.stores.values():
            store.close()
        self.pg.execute(f"DROP DATABASE IF EXISTS {self.hub_db} WITH (FORCE)")

    def psql(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.pg.port, user="postgres", dbname=self.hub_db
        )


def make_org(template: Path, pg: Cluster, root: Path, others: tuple[str, ...] = ("B", "C")) -> Org:
    """A from `template` (a seeded plain folder), the hub, then `others` (B encrypted)."""
    hub_db, hub_url = new_database(pg)
    org = Org(root, pg, hub_db, hub_url)
    folder = root / "A"
    shutil.copytree(template, folder)
    org.folders["A"] = folder
    org.stores["A"] = open_store(folder)
    invite_and_join(org.stores["A"], root / "hub-logs", "Hub", db_url=hub_url)
    for name in others:
        passphrase = PASSPHRASE if name == "B" else None
        org.folders[name] = root / name
        invite_and_join(org.stores["A"], root / name, name, passphrase=passphrase)
        org.stores[name] = open_store(root / name, passphrase=passphrase)
    return org


PERIOD = Period(date(2025, 1, 1), date(2027, 12, 31))


def outputs(store: Store) -> dict[str, bytes]:
    """What people compare between devices: the CSVs of contracts §5, §6 and §7."""
    with store.reading() as uow:
        figures = tally.monthly_tally(uow, PERIOD, "all", unsuppressed=True)
        stock = inventory.on_hand(uow, None)
        reconciled = reconciliation.reconcile(uow, PERIOD, "all")
    return {
        "monthly": monthly_csv(figures, None),
        "stock": stock_csv(stock),
        "inventory": inventory_csv(reconciled),
    }


def problems(store: Store) -> list[str]:
    return list(checks.run_checks(store).problems)


class Killer:
    """Kills the sync's connection to the hub in the middle of a batch: `arm()` locks the hub's
    `lock_table` so the next batch stops mid-transaction (after writing its first rows), and a
    watcher terminates that backend, ours only (a sync connection of this test's own database,
    waiting on our lock). `disarm()` lets go."""

    def __init__(self, org: Org, lock_table: str = "audit_log") -> None:
        self.org, self.lock_table = org, lock_table
        self.killed: list[int] = []
        self._holder: psycopg.Connection[tuple[object, ...]] | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def arm(self) -> None:
        if self._holder is not None:
            return
        self._holder = self.org.psql()
        self._holder.execute(f"LOCK TABLE {self.lock_table} IN SHARE MODE")  # type: ignore[arg-type]
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        with self.org.psql() as watcher:
            watcher.autocommit = True
            deadline = time.monotonic() + 60
            while not self._done.is_set() and time.monotonic() < deadline:
                row = watcher.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                    "AND application_name = %s AND wait_event_type = 'Lock'",
                    (self.org.hub_db, APP_NAME),
                ).fetchone()
                if row is not None:
                    watcher.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                    self.killed.append(int(str(row[0])))
                    return
                time.sleep(0.02)

    def disarm(self) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._holder is not None:
            self._holder.rollback()
            self._holder.close()
            self._holder = None

    def __enter__(self) -> Killer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.disarm()
