"""Retention (contracts §10): a purge empties free text before its cut-off and leaves nothing of
it in the data folder (raw bytes of the file, its WAL and every backup); it is a record, so
records that arrive later are purged too; only coordinators purge. SQLite, SQLCipher and
PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from outreach_app.domain.errors import InvalidInput, RoleRefused
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.services import (
    backups,
    checks,
    encounters,
    free_text,
    importer,
    inventory,
    retention,
    staff,
    stocktake,
)
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import (
    AuditEntry,
    Encounter,
    EncounterVoid,
    Purge,
    StockMovement,
    Stocktake,
)
from outreach_app.storage.triggers import APPEND_ONLY
from tests.conftest import PASSPHRASE

MARK = "ZZ-PURGE-MARKER"
KEEP = "ZZ-KEEP-MARKER"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WORKER_PIN = "246810"  # synthetic


def _ago(days: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)


def _fill(store: Store) -> None:
    """Old records (14 months) with marked text of every kind, and a recent one to keep."""
    old = _ago(430)
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100, source=f"{MARK} depot", at=old)
        first = encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in", occurred_at=old, items={"SYRINGE": 5}, note=f"{MARK} note"
            ),
        )
        stocktake.commit_stocktake(
            uow,
            "Drop-in",
            old + timedelta(hours=1),
            [StocktakeLineDraft("SWAB", None, 0)],
            note=f"{MARK} count",
        )
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=_ago(3), note=f"{KEEP} note")
        )
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, first.id, f"{MARK} void")


def _texts(store: Store) -> list[str]:
    with store.reading() as uow:
        s = uow.session
        found = [
            *s.scalars(select(Encounter.note)),
            *s.scalars(select(EncounterVoid.reason)),
            *s.scalars(select(StockMovement.note)),
            *s.scalars(select(Stocktake.note)),
        ]
    return [t for t in found if t]


def _figures(store: Store) -> tuple[object, ...]:
    with store.reading() as uow:
        s = uow.session
        on_hand = sorted((r.site, r.item_code, r.on_hand) for r in inventory.on_hand(uow))
        return (
            s.scalar(select(func.count()).select_from(Encounter)),
            s.scalar(select(func.count()).select_from(StockMovement)),
            tuple(on_hand),
        )


def _scan(folder: Path, needle: bytes) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def test_moments_cover_exactly_the_purgeable_columns() -> None:
    assert set(free_text.MOMENT) == {t for t, cols in APPEND_ONLY.items() if cols}
    assert set(free_text.FIELDS) == {(t, c) for t, cols in APPEND_ONLY.items() for c in cols}


def test_cut_off_is_local_midnight_months_before() -> None:
    zone = ZoneInfo("America/Toronto")
    assert retention.cut_off_for(date(2026, 3, 31), 1, zone) == datetime(
        2026, 2, 28, 5, 0, tzinfo=UTC
    )
    assert retention.cut_off_for(date(2026, 12, 2), 12, zone) == datetime(
        2025, 12, 2, 5, 0, tzinfo=UTC
    )
    with pytest.raises(InvalidInput):
        retention.cut_off_for(date(2026, 12, 2), 0, zone)


def test_nothing_purged_is_left_in_the_folder_its_wal_or_backups(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        _fill(store)
        backups.daily_backup(store)
        backups.backup_before(store, "zz-test")
        # An old backup of another schema (typed codes and notes of 0003): cannot be purged.
        shutil.copyfile(FIXTURES / "schema-0003.db", plain_folder / "backups" / "zz-old.db")
        # A copy that never finished (the app's) and a file of the user's own.
        (plain_folder / "backups" / ".zz.db.partial").write_text(f"{MARK} note")
        (plain_folder / "backups" / "zz-readme.txt").write_text("ZZ the user's own file")
        before = _figures(store)
        wal = Path(f"{plain_folder / 'outreach.db'}-wal")
        assert wal.exists()
        # The unencrypted folder shows the marker before: in the file or WAL, and the backups.
        seen = _scan(plain_folder, MARK.encode())
        assert {"outreach.db", "outreach.db-wal"} & set(seen)
        assert sum(name.startswith("backups/") for name in seen) == 3  # two and the partial

        result = retention.purge(store, 12)

        # The receipt, the encounter, its void's reversal of the draw (occurred then), the count;
        # the void itself was made today and keeps its reason.
        assert result.total == 4
        assert result.backups_removed == ("zz-old.db",)
        assert len(result.backups_rewritten) == 2 and not result.wal_left
        texts = _texts(store)
        assert f"{KEEP} note" in texts and f"{MARK} void" in texts  # the void was made today
        assert not [t for t in texts if MARK in t and "void" not in t]
        assert _figures(store) == before  # counts, stock and records all stay
        assert checks.run_checks(store).problems == []  # the audit covers facts, not text
    finally:
        store.close()
    assert _scan(plain_folder, f"{MARK} note".encode()) == []
    assert _scan(plain_folder, f"{MARK} depot".encode()) == []
    assert _scan(plain_folder, f"{MARK} count".encode()) == []
    assert _scan(plain_folder, b"ZZ synthetic fixture note") == []  # the old backup is gone
    assert KEEP.encode() in (plain_folder / "outreach.db").read_bytes()
    assert (plain_folder / "backups" / "zz-readme.txt").exists()
    assert not (plain_folder / "backups" / ".zz.db.partial").exists()
    for backup in (plain_folder / "backups").glob("*.db"):
        with sqlite3.connect(backup) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("SELECT count(*) FROM encounters").fetchone()[0] == 2


def test_purge_on_each_backend_and_a_later_older_record(store: Store, tmp_path: Path) -> None:
    _fill(store)
    if not store.is_postgres:
        backups.daily_backup(store)
    result = retention.purge(store, 12)
    assert result.total == 4
    assert [t for t in _texts(store) if "note" in t] == [f"{KEEP} note"]
    if store.is_postgres:
        assert "VACUUM FULL" in result.server_note and "administrator" in result.server_note
    else:
        assert len(result.backups_rewritten) == 1 and not result.backups_removed
        (backup,) = (store.folder.backups).glob("daily-*.db")
        assert f"{MARK} note".encode() not in backup.read_bytes()
        if store.encrypted:
            from sqlcipher3 import dbapi2 as sqlcipher

            conn = sqlcipher.connect(str(backup))
            conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
            notes = [n for (n,) in conn.execute("SELECT note FROM encounters") if n]
            conn.close()
            assert notes == [f"{KEEP} note"]
    # Records that arrive later and occurred before the cut-off come without their text.
    with store.unit_of_work() as uow:
        late = encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=_ago(400), note=f"{MARK} late")
        )
        recent = encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=_ago(30), note=f"{KEEP} late")
        )
        moved = inventory.receive(uow, "Drop-in", "SWAB", 5, source=f"{MARK} late", at=_ago(500))
    assert (late.note, recent.note, moved.note) == ("", f"{KEEP} late", "")
    csv = tmp_path / "late.csv"
    day = _ago(420).date().isoformat()
    csv.write_text(
        f"occurred_at,site,notes,SYRINGE\n{day},Drop-in,{MARK} imported,1\n", encoding="utf-8"
    )
    with store.unit_of_work() as uow:
        importer.import_csv(uow, csv, move_stock=False)
    assert [t for t in _texts(store) if MARK in t] == [f"{MARK} void"]
    with store.reading() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Purge)) == 1
        assert "purge" in set(uow.session.scalars(select(AuditEntry.action)))
    assert checks.run_checks(store).problems == []


def test_a_worker_may_not_purge_and_nothing_is_written(store: Store) -> None:
    with store.unit_of_work() as uow:
        staff.add_staff(uow, "ZZ Worker", "worker", WORKER_PIN)
    _fill(store)
    store.act_as("ZZ Worker", WORKER_PIN)
    with store.reading() as uow:
        entries = uow.session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(RoleRefused, match=r"ZZ Worker is a worker.*purge old free text"):
        retention.purge(store, 12)
    with pytest.raises(RoleRefused), store.unit_of_work() as uow:
        retention.set_schedule(uow, 12)
    with store.reading() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Purge)) == 0
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    assert f"{MARK} note" in _texts(store)


def test_the_schedule_purges_when_due_then_waits(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        _fill(store)
        assert retention.run_schedule(store) is None  # no schedule
        with store.unit_of_work() as uow:
            retention.set_schedule(uow, 12)
        with store.reading() as uow:
            assert retention.schedule(uow) == 12 and retention.due(uow) == 12
        done = retention.run_schedule(store)
        assert done is not None and done.total == 4
        assert retention.run_schedule(store) is None  # the cut-off is current: not due
        with store.unit_of_work() as uow:
            retention.set_schedule(uow, None)
        with store.reading() as uow:
            assert retention.schedule(uow) is None
    finally:
        store.close()
    assert _scan(plain_folder, f"{MARK} note".encode()) == []
