"""Migrations: the revision list, newer schemas refused untouched, the SQLite safety recipe, and
every released fixture database upgraded with its data intact."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from sqlalchemy import func, select, text

from outreach_app.domain.errors import NewerSchema, StoreError
from outreach_app.domain.participant import participant_key
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import checks, encounters, inventory
from outreach_app.services.store import Store, open_store
from outreach_app.storage import migrate, schema
from outreach_app.storage.backup import verify_database_file
from outreach_app.storage.folder import DataFolder, FolderRecord
from outreach_app.storage.models import Encounter, EncounterVoid, StockMovement
from outreach_app.storage.triggers import missing_triggers
from tests.storage.helpers import run_cli, snapshot

Install = Callable[[str], None]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_head_and_known_revisions_match_the_script_directory() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [schema.HEAD_REVISION]
    oldest_first = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert tuple(oldest_first) == schema.KNOWN_REVISIONS


def test_a_newer_schema_is_refused_and_left_byte_identical(plain_folder: Path) -> None:
    with sqlite3.connect(plain_folder / "outreach.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = snapshot(plain_folder)
    result = run_cli(plain_folder, "stock")
    assert result.returncode == 3
    assert "newer version of Outreach Tally" in result.stderr
    assert snapshot(plain_folder) == before
    with pytest.raises(NewerSchema):
        open_store(plain_folder)
    assert snapshot(plain_folder) == before


# The mechanism, with a temporary script directory holding a test revision on top of head ------

TEST_REVISION = "9000"
REVISION_0002 = """
from alembic import op
import sqlalchemy as sa

revision = "9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}
"""


@pytest.fixture
def with_revision_0002(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Install:
    """Returns a function that installs a test migration with the given body as the new head."""

    def install(body: str) -> None:
        scripts = tmp_path / "migrations"
        shutil.copytree(
            migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__")
        )
        indented = "\n".join("    " + line for line in body.strip().splitlines())
        (scripts / "versions" / "0002_test.py").write_text(
            REVISION_0002.format(body=indented, head=schema.HEAD_REVISION), encoding="utf-8"
        )
        monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
        known = (*schema.KNOWN_REVISIONS, TEST_REVISION)
        monkeypatch.setattr(migrate, "KNOWN_REVISIONS", known)
        monkeypatch.setattr(migrate, "HEAD_REVISION", TEST_REVISION)

    return install


def _tables_and_revision(path: Path) -> tuple[set[str], str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        columns = [r[1] for r in conn.execute("PRAGMA table_info(encounters)")]
    conn.close()
    return tables, revision, columns


def test_the_migration_connection_has_foreign_keys_off(
    plain_folder: Path, with_revision_0002: Install
) -> None:
    with_revision_0002(
        """
value = op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar()
op.create_table("zz_probe", sa.Column("foreign_keys", sa.Integer))
op.execute(f"INSERT INTO zz_probe VALUES ({value})")
"""
    )
    store = open_store(plain_folder)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT foreign_keys FROM zz_probe").scalar() == 0
            # ...while ordinary connections keep them on.
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def test_failing_step_rolls_back_the_ddl_before_it(
    plain_folder: Path, with_revision_0002: Install
) -> None:
    with_revision_0002(
        """
op.create_table("zz_half_done", sa.Column("id", sa.Integer, primary_key=True))
with op.batch_alter_table("encounters") as batch:
    batch.add_column(sa.Column("zz_extra", sa.Integer))
op.execute("SELECT no_such_column FROM settings")
"""
    )
    before_tables, before_revision, before_columns = _tables_and_revision(
        plain_folder / "outreach.db"
    )
    with pytest.raises(Exception, match="no_such_column"):
        open_store(plain_folder)
    tables, revision, columns = _tables_and_revision(plain_folder / "outreach.db")
    assert revision == before_revision == schema.HEAD_REVISION
    assert tables == before_tables
    assert "zz_half_done" not in tables
    assert columns == before_columns


def test_broken_references_roll_the_migration_back(
    plain_folder: Path, with_revision_0002: Install
) -> None:
    with_revision_0002(
        """
op.create_table("zz_added", sa.Column("id", sa.Integer, primary_key=True))
op.execute(
    "INSERT INTO kit_lines (kit_id, item_id, quantity) "
    "SELECT id, X'00000000000000000000000000000000', 1 FROM kits"
)
"""
    )
    with pytest.raises(StoreError, match="broken references") as refused:
        open_store(plain_folder)
    assert refused.value.exit_code == 3
    tables, revision, _ = _tables_and_revision(plain_folder / "outreach.db")
    assert revision == schema.HEAD_REVISION  # the revision it had before
    assert "zz_added" not in tables


def _folder_from_fixture(fixture: Path, target: Path) -> Path:
    target.mkdir()
    shutil.copyfile(fixture, target / "outreach.db")
    DataFolder(target).write_record(FolderRecord(encrypted=False))
    return target


def test_verified_backup_before_migrating_data(tmp_path: Path, with_revision_0002: Install) -> None:
    with_revision_0002(
        """
with op.batch_alter_table("encounters") as batch:
    batch.add_column(sa.Column("zz_extra", sa.Integer, nullable=True))
"""
    )
    # From the current head: a backup from before 0004 (typed codes) would be replaced after
    # keying the codes (tests/storage/test_keyed_codes.py).
    folder = _folder_from_fixture(FIXTURES / f"schema-{schema.HEAD_REVISION}.db", tmp_path / "data")
    store = open_store(folder)
    try:
        assert_fixture_data(store)
    finally:
        store.close()
    _, revision, columns = _tables_and_revision(folder / "outreach.db")
    assert revision == TEST_REVISION
    assert "zz_extra" in columns
    (saved,) = (folder / "backups").glob("before-migration-*.db")
    verify_database_file(saved, None)
    assert _tables_and_revision(saved)[1] == schema.HEAD_REVISION


# Every released fixture, opened with the current code ----------------------------------------

OCT_5_NOON = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)


def assert_fixture_data(store: Store) -> None:
    """The figures of make_fixtures.py, worked out by hand."""
    with store.unit_of_work() as uow:
        stock = {(r.site, r.item_code, r.lot): r.on_hand for r in inventory.on_hand(uow)}
        session = uow.session
        assert session.query(Encounter).count() == 5
        assert session.query(EncounterVoid).count() == 1
        # 6 receipts, 2 transfer legs, 9 draws (5 lines + 4 single items), 1 void reversal, 1 adjust
        assert session.query(StockMovement).count() == 19
        # Codes are stored only keyed (revision 0004), under their normalised form.
        assert session.query(Encounter).filter(Encounter.participant_code.is_not(None)).count() == 0
        key = participant_key(uow.organisation_secret(), "ZZFIX01")
        first = session.scalars(
            select(Encounter).where(
                Encounter.participant_key == key, Encounter.syringes_returned == 15
            )
        ).one()
        known = encounters.get_encounter(uow, first.id)
    # 500 received, 100 to the van, 10 + 2 kits x 10, 30 on the tally; the void gave 5 back.
    assert stock[("Drop-in", "SYRINGE", None)] == 340
    assert stock[("Van", "SYRINGE", None)] == 80
    assert stock[("Drop-in", "SWAB", None)] == 175  # 200 - 2 kits x 10 - 5 damaged
    assert stock[("Drop-in", "COOKER", None)] == 46
    assert stock[("Drop-in", "NALOXONE-NASAL", "ZZLOT-A")] == 19
    assert known.occurred_at == OCT_5_NOON
    assert dict(known.items) == {"SYRINGE": 30, "SWAB": 20, "COOKER": 4, "WATER": 4, "FILTER": 4}
    assert known.kits == (("KIT-INJECT", 2),)
    assert known.referrals == ("TESTING",)
    assert (known.age_band, known.gender, known.is_new) == ("30-39", "not-stated", True)
    assert known.note == "ZZ synthetic fixture note"
    assert known.site == "Drop-in"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.db")), ids=lambda p: p.stem)
def test_each_released_schema_opens_with_its_data(fixture: Path, tmp_path: Path) -> None:
    folder = _folder_from_fixture(fixture, tmp_path / "data")
    store = open_store(folder)
    try:
        assert_fixture_data(store)
        report = checks.run_checks(store)
        with store.engine.connect() as conn:
            assert missing_triggers(conn) == []
            numbers = conn.execute(text(SEQ_NUMBERS)).all()
    finally:
        store.close()
    assert report.problems == []
    # Every record has its device's own sequence number, each used once, none beyond last_seq.
    seqs = [seq for seq, _ in numbers]
    assert len(seqs) == len(set(seqs)) and min(seqs) == 1
    assert max(seqs) == numbers[0][1]
    assert _tables_and_revision(folder / "outreach.db")[1] == schema.HEAD_REVISION


SEQ_NUMBERS = " UNION ALL ".join(
    f"SELECT t.seq, d.last_seq FROM {table} t JOIN devices d ON d.id = t.device_id"
    for table in (
        "staff",
        "sites",
        "items",
        "kits",
        "referral_types",
        "lots",
        "imports",
        "encounters",
        "encounter_voids",
        "stock_movements",
        "stocktakes",
        "audit_log",
        "purges",
        "invitations",
        "device_revocations",
    )
)


def test_fixture_for_the_current_head_exists() -> None:
    assert (FIXTURES / f"schema-{schema.HEAD_REVISION}.db").exists()


def test_a_count_from_before_0003_becomes_a_fact(tmp_path: Path) -> None:
    """A 0002 count stored expected/variance and a correction movement; after 0003 it is the
    fact "170 swabs at T": on hand stays 170, and a late record dated before it does not move
    it."""
    folder = _folder_from_fixture(FIXTURES / "schema-0002.db", tmp_path / "data")
    with sqlite3.connect(folder / "outreach.db") as conn:
        site = conn.execute("SELECT id FROM sites WHERE name = 'Drop-in'").fetchone()[0]
        swab = conn.execute("SELECT id FROM items WHERE code = 'SWAB'").fetchone()[0]
        device = conn.execute("SELECT id FROM devices").fetchone()[0]
        at = "2026-11-30 17:00:00.000000"
        conn.execute(
            "INSERT INTO stocktakes (id, device_id, created_at, occurred_at, site_id, note) "
            "VALUES ('00000000000000000000000000000a01', ?, ?, ?, ?, '')",
            (device, at, at, site),
        )
        conn.execute(
            "INSERT INTO stocktake_lines (id, stocktake_id, item_id, lot_id, expected, counted,"
            " variance, reason) VALUES ('00000000000000000000000000000a02',"
            " '00000000000000000000000000000a01', ?, NULL, 175, 170, -5, 'LOST')",
            (swab,),
        )
        conn.execute(
            "INSERT INTO stock_movements (id, device_id, created_at, occurred_at, site_id,"
            " item_id, lot_id, quantity, kind, reason, note, stocktake_id) VALUES"
            " ('00000000000000000000000000000a03', ?, ?, ?, ?, ?, NULL, -5, 'count_correction',"
            " 'LOST', 'count correction', '00000000000000000000000000000a01')",
            (device, at, at, site, swab),
        )
    conn.close()
    store = open_store(folder)
    try:
        with store.unit_of_work() as uow:
            swabs = {r.site: r.on_hand for r in inventory.on_hand(uow) if r.item_code == "SWAB"}
            corrections = uow.session.scalar(
                select(func.count()).where(StockMovement.kind == "count_correction")
            )
        assert swabs["Drop-in"] == 170
        assert corrections == 0
        with store.unit_of_work() as uow:  # 4 swabs handed out on Nov 29, keyed in late
            encounters.log_encounter(
                uow,
                EncounterDraft(
                    site="Drop-in",
                    occurred_at=datetime(2026, 11, 29, 17, 0, tzinfo=UTC),
                    items={"SWAB": 4},
                ),
            )
        with store.unit_of_work() as uow:
            swabs = {r.site: r.on_hand for r in inventory.on_hand(uow) if r.item_code == "SWAB"}
        assert swabs["Drop-in"] == 170
        assert checks.run_checks(store).problems == []
    finally:
        store.close()


@pytest.mark.parametrize(
    "fixture", sorted(FIXTURES.glob("schema-000[1-5].db")), ids=lambda p: p.stem
)
def test_a_folder_from_before_0006_gets_its_signing_key_and_dated_org_settings(
    fixture: Path, tmp_path: Path
) -> None:
    """After 0006 this device can sign bundles: its public key is on its device row, the private
    half only in its own settings; the organisation's settings carry the time and device of
    their last change (the latest wins between devices), the device's own settings do not."""
    folder = _folder_from_fixture(fixture, tmp_path / "data")
    open_store(folder).close()
    with sqlite3.connect(folder / "outreach.db") as conn:
        device, verify_key = conn.execute("SELECT id, verify_key FROM devices").fetchone()
        seed = conn.execute(
            "SELECT value FROM settings WHERE key = 'device_signing_seed'"
        ).fetchone()[0]
        stamped = dict(
            conn.execute("SELECT key, changed_by FROM settings WHERE changed_at IS NOT NULL")
        )
    assert len(verify_key) == 32
    assert bytes(SigningKey(bytes.fromhex(seed)).verify_key) == verify_key
    assert set(stamped) == {"org_name", "timezone", "code_scheme"}
    assert set(stamped.values()) == {device}
