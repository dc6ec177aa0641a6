"""`backup --out` and `restore FILE` through the real command line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from outreach_app.storage.backup import verify_database_file
from outreach_app.storage.folder import SQLITE_HEADER
from tests.conftest import PASSPHRASE
from tests.storage.helpers import run_cli, snapshot


def _syringes(folder: Path) -> str:
    result = run_cli(folder, "stock", "--site", "Drop-in", "--csv")
    assert result.returncode == 0, result.stderr
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("Drop-in,SYRINGE,")]
    return row.rsplit(",", 1)[1]


def _receive(folder: Path, qty: int) -> None:
    args = ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", str(qty))
    result = run_cli(folder, *args)
    assert result.returncode == 0, result.stderr


def test_backup_of_an_encrypted_folder_is_encrypted(encrypted_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    result = run_cli(encrypted_folder, "backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:16] != SQLITE_HEADER
    verify_database_file(out, PASSPHRASE)
    with pytest.raises(Exception, match="passphrase"):
        verify_database_file(out, "another-passphrase")
    # A second backup to the same name is refused rather than overwriting the first.
    again = run_cli(encrypted_folder, "backup", "--out", str(out))
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_restore_brings_old_data_back_and_keeps_the_current(
    encrypted_folder: Path, tmp_path: Path
) -> None:
    _receive(encrypted_folder, 40)
    out = tmp_path / "monday.db"
    assert run_cli(encrypted_folder, "backup", "--out", str(out)).returncode == 0
    _receive(encrypted_folder, 60)
    assert _syringes(encrypted_folder) == "100"
    result = run_cli(encrypted_folder, "restore", str(out))
    assert result.returncode == 0, result.stderr
    assert _syringes(encrypted_folder) == "40"
    (kept,) = (encrypted_folder / "backups").glob("before-restore-*.db")
    assert kept.read_bytes()[:16] != SQLITE_HEADER
    # The kept copy holds the data that was replaced: restoring it gives 100 back.
    assert run_cli(encrypted_folder, "restore", str(kept)).returncode == 0
    assert _syringes(encrypted_folder) == "100"
    assert run_cli(encrypted_folder, "check").returncode == 0


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('ZZ synthetic soup')")
    conn.close()


def _truncated_backup(folder: Path, path: Path) -> None:
    assert run_cli(folder, "backup", "--out", str(path)).returncode == 0
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("kind", ["text", "foreign", "truncated", "encrypted", "missing"])
def test_restore_refuses_what_is_not_our_backup(
    kind: str, plain_folder: Path, encrypted_folder: Path, tmp_path: Path
) -> None:
    _receive(plain_folder, 40)
    candidate = tmp_path / f"{kind}.db"
    if kind == "text":
        candidate.write_text("ZZ synthetic notes, not a database\n", encoding="utf-8")
    elif kind == "foreign":
        _foreign_sqlite(candidate)
    elif kind == "truncated":
        _truncated_backup(plain_folder, candidate)
    elif kind == "encrypted":  # another folder's encrypted backup into an unencrypted folder
        assert run_cli(encrypted_folder, "backup", "--out", str(candidate)).returncode == 0
    before = snapshot(plain_folder)
    before_candidate = candidate.read_bytes() if candidate.exists() else None
    result = run_cli(plain_folder, "restore", str(candidate), passphrase=None)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(plain_folder) == before
    if before_candidate is not None:
        assert candidate.read_bytes() == before_candidate
        assert not Path(f"{candidate}-wal").exists()
    assert _syringes(plain_folder) == "40"


def test_restore_refuses_a_backup_from_a_newer_version(plain_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "future.db"
    assert run_cli(plain_folder, "backup", "--out", str(out)).returncode == 0
    with sqlite3.connect(out) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = snapshot(plain_folder)
    result = run_cli(plain_folder, "restore", str(out))
    assert result.returncode == 1
    assert "newer version" in result.stderr
    assert snapshot(plain_folder) == before


def test_backup_restore_of_a_copied_fixture_folder(plain_folder: Path, tmp_path: Path) -> None:
    """A backup is a standalone file: copied elsewhere it still restores."""
    out = tmp_path / "a.db"
    assert run_cli(plain_folder, "backup", "--out", str(out)).returncode == 0
    assert out.read_bytes()[18:20] == b"\x01\x01"  # rollback-journal mode: no -wal needed
    moved = tmp_path / "elsewhere" / "b.db"
    moved.parent.mkdir()
    shutil.move(out, moved)
    _receive(plain_folder, 7)
    assert run_cli(plain_folder, "restore", str(moved)).returncode == 0
    assert _syringes(plain_folder) == "0"


def test_restore_refuses_a_backup_whose_record_was_changed_inside(
    plain_folder: Path, tmp_path: Path
) -> None:
    """A changed value leaves a plain SQLite file healthy to `integrity_check`; its record no
    longer matches the audit entry that covers it, so the backup is refused and nothing moves."""
    out = tmp_path / "changed.db"
    receive = ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "40")
    assert run_cli(plain_folder, *receive).returncode == 0
    assert run_cli(plain_folder, "backup", "--out", str(out)).returncode == 0
    with sqlite3.connect(out) as conn:
        conn.execute("DROP TRIGGER stock_movements_no_update")  # as a damaged or edited copy
        changed = conn.execute(
            "UPDATE stock_movements SET quantity = quantity + 1"
            " WHERE rowid = (SELECT MIN(rowid) FROM stock_movements)"
        ).rowcount
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert changed >= 1
    before = snapshot(plain_folder)
    result = run_cli(plain_folder, "restore", str(out))
    assert result.returncode == 1
    assert "changed.db does not match its own audit log" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert snapshot(plain_folder) == before
