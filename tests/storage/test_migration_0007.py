"""Revision 0007 on the 0005 fixture (through 0006), on SQLite, SQLCipher and PostgreSQL: the
audit log keyed by (device, seq) without its stored previous hash, every entry's hash as it
was, the chain still verified (and still naming a removed entry), and the encounter lines'
item index gone."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, event, insert, inspect, select, text
from sqlalchemy.dialects import postgresql

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import audit, checks, encounter_list, encounters
from outreach_app.services.store import Store, open_store
from outreach_app.storage import migrate
from outreach_app.storage.folder import DataFolder, FolderRecord
from outreach_app.storage.indexed import has_participant_key
from outreach_app.storage.models import AuditEntry, Encounter
from outreach_app.storage.triggers import missing_triggers
from outreach_app.storage.types import from_millis
from tests.conftest import PASSPHRASE
from tests.pg_cluster import Cluster
from tests.storage.test_migrations import OCT_5_NOON, assert_fixture_data

FIXTURE_0005 = Path(__file__).resolve().parents[1] / "fixtures" / "schema-0005.db"


def _entries_0005() -> dict[tuple[bytes, int], tuple[bytes | None, bytes | None, bytes | None]]:
    """(device, seq) -> (id, records_hash, entry_hash) of every audit row of the fixture."""
    with sqlite3.connect(f"file:{FIXTURE_0005}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT device_id, seq, id, records_hash, entry_hash FROM audit_log"
        ).fetchall()
    conn.close()
    return {(bytes(d), s): (i, r, e) for d, s, i, r, e in rows}


def _key(value: Any) -> bytes:
    return value.bytes if isinstance(value, uuid.UUID) else bytes(value)


def _assert_upgraded(store: Store) -> None:
    before = _entries_0005()
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                AuditEntry.device_id,
                AuditEntry.seq,
                AuditEntry.id,
                AuditEntry.records_hash,
                AuditEntry.entry_hash,
            )
        ).all()
        found = inspect(conn)
        audit_columns = {c["name"] for c in found.get_columns("audit_log")}
        key = found.get_pk_constraint("audit_log")["constrained_columns"]
        audit_indexes = {i["name"] for i in found.get_indexes("audit_log")}
        line_indexes = {i["name"] for i in found.get_indexes("encounter_items")}
        assert missing_triggers(conn) == []
    after = {(_key(d), s): (_key(i) if i is not None else None, r, e) for d, s, i, r, e in rows}
    assert after == {k: (bytes(i) if i else None, r, e) for k, (i, r, e) in before.items()}
    assert "prev_hash" not in audit_columns
    assert key == ["device_id", "seq"]
    assert "ix_audit_device_seq" not in audit_indexes
    assert "ix_encounter_items_item" not in line_indexes
    assert_fixture_data(store)
    assert checks.run_checks(store).problems == []
    # The next action chains onto the last entry written before the upgrade, without an id.
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=OCT_5_NOON, items={"SYRINGE": 1})
        )
    with store.reading() as uow:
        newest = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert newest is not None and newest.id is None and newest.action == "encounter"
    assert checks.run_checks(store).problems == []


def _remove_an_old_entry(store: Store) -> str:
    """Drop an entry written before the upgrade: the one after it no longer follows."""
    on = " ON audit_log" if store.is_postgres else ""
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TRIGGER audit_log_no_delete{on}")
        conn.exec_driver_sql("DELETE FROM audit_log WHERE action = 'void'")
    (problem,) = [p for p in checks.run_checks(store).problems if "audit entry" in p]
    return problem


def _folder(tmp_path: Path, passphrase: str | None) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "outreach.db"
    if passphrase is None:
        shutil.copyfile(FIXTURE_0005, target)
    else:
        from sqlcipher3 import dbapi2 as sqlcipher

        conn = sqlcipher.connect(str(FIXTURE_0005))
        try:
            conn.execute(f"ATTACH DATABASE '{target}' AS enc KEY '{passphrase}'")
            conn.execute("SELECT sqlcipher_export('enc')")
            conn.execute("DETACH DATABASE enc")
        finally:
            conn.close()
    DataFolder(folder).write_record(FolderRecord(encrypted=passphrase is not None))
    return folder


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["sqlite", "sqlcipher"])
def test_0007_on_a_file(tmp_path: Path, passphrase: str | None) -> None:
    folder = _folder(tmp_path, passphrase)
    store = open_store(folder, passphrase=passphrase)
    try:
        with store.engine.connect() as conn:
            table_sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'audit_log'"
            ).scalar_one()
        assert "WITHOUT ROWID" in table_sql
        _assert_upgraded(store)
        problem = _remove_an_old_entry(store)
    finally:
        store.close()
    assert "'adjust'" in problem and "does not follow the entry before it" in problem
    (saved,) = (folder / "backups").glob("before-migration-*.db")
    assert saved.stat().st_size > 0


# --- PostgreSQL: the fixture's rows loaded into a database at revision 0005 -------------------


def _upgrade_to(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def _pg_value(column: Any, value: Any) -> Any:
    """A value as SQLite stores it (16-byte ids, milliseconds, 0/1, ISO dates) for PostgreSQL."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, postgresql.UUID):
        return uuid.UUID(bytes=bytes(value))
    if kind.python_type is bool:
        return bool(value)
    if kind.python_type is date:
        return date.fromisoformat(value)
    if isinstance(kind, postgresql.TIMESTAMP):
        return from_millis(value).replace(tzinfo=None)
    return value


def _load_fixture(engine: Engine) -> None:
    meta = MetaData()
    meta.reflect(engine)
    source = sqlite3.connect(f"file:{FIXTURE_0005}?mode=ro", uri=True)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM settings"))  # the migrations' own, for an empty one
            for table in meta.sorted_tables:
                if table.name in ("alembic_version", "stock_balances"):
                    continue  # set by Alembic; kept by the triggers from what is loaded
                names = [c.name for c in table.columns]
                # In sequence order: a reversal after the movement it reverses.
                order = " ORDER BY seq" if "seq" in names else ""
                rows = source.execute(f"SELECT {', '.join(names)} FROM {table.name}{order}")
                values = [
                    {n: _pg_value(table.c[n], v) for n, v in zip(names, row, strict=True)}
                    for row in rows
                ]
                for row in values:
                    conn.execute(insert(table).values(row))
    finally:
        source.close()


@pytest.mark.postgres
def test_0007_on_postgres(pg: Cluster, tmp_path: Path) -> None:
    name = f"m0007_{uuid.uuid4().hex[:12]}"
    pg.execute(f"CREATE DATABASE {name}")
    engine = create_engine(pg.url(name))
    try:
        _upgrade_to(engine, "0005")
        _load_fixture(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == len(
                _entries_0005()
            )
    finally:
        engine.dispose()
    store = open_store(tmp_path / "logs", db_url=pg.url(name))
    try:
        with store.engine.connect() as conn:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert revision == "0007"
        _assert_upgraded(store)
        problem = _remove_an_old_entry(store)
    finally:
        store.close()
        pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    assert "'adjust'" in problem and "does not follow the entry before it" in problem


def test_verify_names_a_changed_entry_after_the_upgrade(tmp_path: Path) -> None:
    """A changed old entry is named as changed, not as out of order: no number is missing."""
    store = open_store(_folder(tmp_path, None))
    try:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("UPDATE audit_log SET summary = 'nothing' WHERE action = 'void'")
        with store.reading() as uow:
            problems = audit.verify(uow.session)
    finally:
        store.close()
    (problem,) = problems
    assert "'void'" in problem and "changed after it was written" in problem


# --- What dropping ix_movements_encounter relies on: draws at their encounter's site and moment --


def test_a_void_finds_every_draw_and_gives_it_back(store: Store) -> None:
    from outreach_app.services import inventory

    with store.unit_of_work() as uow:
        for code in ("SYRINGE", "SWAB", "COOKER", "WATER", "FILTER"):
            inventory.receive(uow, "Drop-in", code, 100)
        before = {(r.site, r.item_code): r.on_hand for r in inventory.on_hand(uow)}
        saved = encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in",
                occurred_at=OCT_5_NOON,
                items={"SYRINGE": 10},
                kits={"KIT-INJECT": 1},
            ),
        )
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, saved.id, "ZZ entered twice")
        after = {(r.site, r.item_code): r.on_hand for r in inventory.on_hand(uow)}
    assert after == before
    assert checks.run_checks(store).problems == []


def test_check_names_a_draw_away_from_its_encounters_moment(store: Store) -> None:
    """A void would not find such a draw, so `check` counts its line as disagreeing."""
    from outreach_app.services import inventory

    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=OCT_5_NOON, items={"SYRINGE": 10})
        )
    on = " ON stock_movements" if store.is_postgres else ""
    later = "occurred_at + INTERVAL '1 second'" if store.is_postgres else "occurred_at + 1000"
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TRIGGER stock_movements_no_update{on}")
        conn.exec_driver_sql(
            f"UPDATE stock_movements SET occurred_at = {later} WHERE kind = 'distribute'"
        )
    problems = checks.run_checks(store).problems
    assert any("1 encounter line disagrees with the stock it drew" in p for p in problems)


# --- The participant index holds 8 bytes of each key --------------------------------------------


@pytest.mark.parametrize("keys", [1, 3], ids=["one code", "several codes"])
def test_a_participant_lookup_uses_the_prefix_index(plain_folder: Path, keys: int) -> None:
    """Asked as `participant_key = ?` the expression index is not used (a scan of every
    coded encounter); `has_participant_key` asks through the indexed expression."""
    wanted = [bytes([n]) * 32 for n in range(keys)]
    store = open_store(plain_folder)
    sent: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        sent.append((statement, params))

    try:
        with store.engine.connect() as conn:
            event.listen(conn, "before_cursor_execute", grab)
            conn.execute(select(Encounter.id).where(has_participant_key(*wanted))).all()
            event.remove(conn, "before_cursor_execute", grab)
            ((statement, params),) = [(q, p) for q, p in sent if "FROM encounters" in q]
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    finally:
        store.close()
    steps = " / ".join(row[-1] for row in plan)
    assert "USING INDEX ix_encounters_participant (<expr>" in steps, steps


def test_returning_participants_are_found_by_their_code(store: Store) -> None:
    from outreach_app.services import participants

    with store.unit_of_work() as uow:
        for code in ("ZZ-PFX-01", "ZZ-PFX-02", "ZZ-PFX-01"):
            encounters.log_encounter(
                uow,
                EncounterDraft(
                    site="Drop-in", occurred_at=OCT_5_NOON, participant_code=code, age_band="30-39"
                ),
                move_stock=False,
            )
    with store.reading() as uow:
        known = participants.participant_status(uow, "zz-pfx 01")
        unknown = participants.participant_status(uow, "ZZ-PFX-03")
        listed = encounter_list.count_encounters(
            uow, encounter_list.EncounterFilter(participant_code="ZZ-PFX-01")
        )
    assert known.known and known.age_band == "30-39"
    assert not unknown.known
    assert listed == 2
