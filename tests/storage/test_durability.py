"""The quick check on open, the WAL folded back on close, and the daily backups kept on close."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from outreach_app.services import backups, health
from outreach_app.services.store import Store, open_store
from outreach_app.storage.backup import verify_database_file
from outreach_app.storage.folder import SQLITE_HEADER
from tests.conftest import PASSPHRASE


def test_quick_check_passes_on_a_healthy_store(store: Store) -> None:
    assert health.quick_check(store) == []


@pytest.mark.parametrize("encrypted", [False, True], ids=["sqlite", "sqlcipher"])
def test_quick_check_reads_on_its_own_connection_and_stops_when_cancelled(
    encrypted: bool, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's pool stays free for the first save while the check reads; a cancel (the
    window locks and closes, or quits) ends the check instead of holding the file open.
    (PostgreSQL has no check to run.)"""
    folder = request.getfixturevalue("encrypted_folder" if encrypted else "plain_folder")
    store = open_store(folder, passphrase=PASSPHRASE if encrypted else None)
    monkeypatch.setattr(health, "CANCEL_EVERY_STEPS", 1)
    taken: list[int] = []

    def cancel_on_the_third_question() -> bool:
        taken.append(store.engine.pool.checkedout())  # type: ignore[attr-defined]
        return len(taken) >= 3

    try:
        with pytest.raises(health.CheckCancelled):
            health.quick_check(store, cancel_on_the_third_question)
        assert len(taken) >= 3 and set(taken) == {0}  # asked while reading, beside the pool
        assert health.quick_check(store) == []  # nothing was left behind
    finally:
        store.close()


def test_quick_check_reports_a_damaged_file(plain_folder: Path) -> None:
    """A damaged index page (a bad disk block, say) is found before anything writes."""
    import sqlite3

    path = plain_folder / "outreach.db"
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_encounters_occurred'"
        ).fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    store = open_store(plain_folder)
    try:
        problems = health.quick_check(store)
    finally:
        store.close()
    assert problems
    assert all(isinstance(p, str) and p for p in problems)


def test_close_folds_the_wal_back_into_the_database(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    from outreach_app.services import inventory

    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 10)
    assert (plain_folder / "outreach.db-wal").stat().st_size > 0
    store.close()
    wal = plain_folder / "outreach.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_daily_backup_keeps_the_last_seven_days(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        for day in range(1, 10):
            backups.daily_backup(store, today=date(2026, 11, day))
        backups.daily_backup(store, today=date(2026, 11, 9))  # twice the same day: one copy
    finally:
        store.close()
    names = sorted(p.name for p in (plain_folder / "backups").iterdir())
    assert names == [f"daily-2026-11-0{d}.db" for d in range(3, 10)]


def test_daily_backup_of_an_encrypted_folder_is_encrypted(encrypted_folder: Path) -> None:
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    try:
        copy = backups.daily_backup(store, today=date(2026, 11, 2))
    finally:
        store.close()
    assert copy is not None
    assert copy.read_bytes()[:16] != SQLITE_HEADER
    verify_database_file(copy, PASSPHRASE)  # opens with the passphrase and passes integrity_check
