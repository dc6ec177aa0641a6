"""A lost laptop exposes nothing: every file of an encrypted folder is scanned for what was stored.

The same scan on an unencrypted folder finds the strings, which proves the scan can see them.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from outreach_app.domain.values import EncounterDraft
from outreach_app.logsetup import configure_file_logging
from outreach_app.services import backups, encounters, inventory
from outreach_app.services.store import open_store
from outreach_app.storage.models import Item
from tests.conftest import PASSPHRASE
from tests.storage.helpers import files_containing, run_cli, snapshot

NOTE = "zz-synthetic-note-quokka-17"
CODE = "ZZ-LEAK-4242"
ITEM_NAME = "Zz Synthetic Widget Pouch"
NEEDLES = [NOTE.encode(), CODE.encode(), ITEM_NAME.encode()]


def _store_secrets(folder: Path, passphrase: str | None) -> dict[str, list[bytes]]:
    """Store the three strings, back up, log an error; returns the scan taken while still open."""
    store = open_store(folder, passphrase=passphrase)
    try:
        with store.unit_of_work() as uow:
            uow.session.add(
                Item(
                    code="ZZ-WIDGET",
                    name=ITEM_NAME,
                    category="Test",
                    unit="pouch",
                    device_id=uow.device_id,
                    created_at=uow.now(),
                    sort_order=999,
                )
            )
            uow.session.flush()
            inventory.receive(uow, "Drop-in", "ZZ-WIDGET", 10)
        with store.unit_of_work() as uow:
            encounters.log_encounter(
                uow,
                EncounterDraft(
                    site="Drop-in",
                    occurred_at=uow.now(),
                    items={"ZZ-WIDGET": 2},
                    participant_code=CODE,
                    note=NOTE,
                ),
            )
        # A failing write logged with its traceback: the statement's parameters must stay hidden.
        log_file = configure_file_logging(folder)
        assert log_file is not None
        try:
            with store.unit_of_work() as uow:
                uow.session.add(
                    Item(
                        id=uuid.uuid4(),
                        code="ZZ-WIDGET",
                        name=ITEM_NAME,
                        category=NOTE,
                        unit=CODE,
                        device_id=uow.device_id,
                        created_at=uow.now(),
                    )
                )
        except IntegrityError:
            logging.getLogger("tests.leaks").exception("duplicate item refused")
        finally:
            for handler in list(logging.getLogger().handlers):
                if getattr(handler, "baseFilename", "") == str(log_file):
                    logging.getLogger().removeHandler(handler)
                    handler.close()
        assert "parameters hidden" in log_file.read_text(encoding="utf-8")
        backups.daily_backup(store)
        while_open = files_containing(folder, NEEDLES)  # the -wal still holds the new pages
        assert (folder / "outreach.db-wal").stat().st_size > 0
    finally:
        store.close()
    result = run_cli(folder, "backup", "--out", str(folder / "backups" / "manual.db"))
    assert result.returncode == 0, result.stderr
    assert run_cli(folder, "check").returncode == 0
    return while_open


def test_encrypted_folder_holds_none_of_the_stored_strings(encrypted_folder: Path) -> None:
    while_open = _store_secrets(encrypted_folder, PASSPHRASE)
    names = set(snapshot(encrypted_folder))
    assert {"outreach.db", "outreach.json", "backups/manual.db", "logs/outreach.log"} <= names
    assert any(n.startswith("backups/daily-") for n in names)
    assert while_open == {}
    assert files_containing(encrypted_folder, NEEDLES) == {}


def test_unencrypted_folder_shows_the_scan_can_see_them(plain_folder: Path) -> None:
    while_open = _store_secrets(plain_folder, None)
    # A participant code is stored only keyed (contracts §10): not even an unencrypted folder
    # holds it, as typed or normalised; the note and the item name show the scan sees text.
    visible = {NOTE.encode(), ITEM_NAME.encode()}
    assert {n for hits in while_open.values() for n in hits} == visible
    found = files_containing(plain_folder, [*NEEDLES, b"ZZLEAK4242"])
    assert set(found["outreach.db"]) == visible
    assert set(found["backups/manual.db"]) == visible
    # Logs carry no participant data even when the database itself is readable.
    assert not any(name.startswith("logs/") for name in found)


def test_cipher_version_is_reported_by_the_encrypted_engine(encrypted_folder: Path) -> None:
    store = open_store(encrypted_folder, passphrase=PASSPHRASE)
    try:
        with store.engine.connect() as conn:
            version = conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    finally:
        store.close()
    assert version


def _set_record_encrypted(folder: Path, value: bool) -> None:
    record = folder / "outreach.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["encrypted"] = value
    record.write_text(json.dumps(data), encoding="utf-8")


def _refused(folder: Path, *args: str, passphrase: str | None = PASSPHRASE) -> str:
    """Run `check` (or ARGS) expecting exit 3 with nothing changed; returns the message."""
    before = snapshot(folder)
    result = run_cli(folder, *(args or ("check",)), passphrase=passphrase)
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before
    return result.stderr


def test_encrypted_file_in_a_folder_recorded_as_plain(encrypted_folder: Path) -> None:
    _set_record_encrypted(encrypted_folder, False)
    message = _refused(encrypted_folder, passphrase=None)
    assert "says its database is not encrypted" in message
    assert "outreach.db is encrypted" in message


def test_plain_file_in_a_folder_recorded_as_encrypted(plain_folder: Path) -> None:
    _set_record_encrypted(plain_folder, True)
    message = _refused(plain_folder)
    assert "says its database is encrypted, but outreach.db is not encrypted" in message


def test_the_other_kind_of_database_dropped_in(
    plain_folder: Path, encrypted_folder: Path, tmp_path: Path
) -> None:
    plain_db = tmp_path / "plain-copy.db"
    shutil.copyfile(plain_folder / "outreach.db", plain_db)
    shutil.copyfile(encrypted_folder / "outreach.db", plain_folder / "outreach.db")
    assert "is encrypted" in _refused(plain_folder, passphrase=None)
    shutil.copyfile(plain_db, encrypted_folder / "outreach.db")
    assert "is not encrypted" in _refused(encrypted_folder)


def test_wrong_passphrase(encrypted_folder: Path) -> None:
    message = _refused(encrypted_folder, passphrase="not-the-passphrase")
    assert "passphrase does not open" in message


def test_missing_passphrase_without_a_terminal(encrypted_folder: Path) -> None:
    message = _refused(
        encrypted_folder,
        "receive",
        "--site",
        "Drop-in",
        "--item",
        "SYRINGE",
        "--qty",
        "5",
        passphrase=None,
    )
    assert "OUTREACH_PASSPHRASE" in message


@pytest.mark.parametrize("kind", ["text", "pdf"])
@pytest.mark.parametrize("folder_fixture", ["plain_folder", "encrypted_folder"])
def test_a_file_that_is_not_a_database(
    kind: str, folder_fixture: str, request: pytest.FixtureRequest
) -> None:
    folder: Path = request.getfixturevalue(folder_fixture)
    if kind == "text":
        content = b"site,item\nZZ synthetic text, not a database\n"
    else:  # a PDF-looking file whose size is a whole number of pages, like a database's
        content = b"%PDF-1.4\n" + b"0" * (4096 - 9)
    (folder / "outreach.db").write_bytes(content)
    for side in ("outreach.db-wal", "outreach.db-shm"):
        (folder / side).unlink(missing_ok=True)
    message = _refused(folder)
    # An encrypted file cannot be told apart from noise without the key: that case names both.
    assert any(
        words in message
        for words in ("not an Outreach Tally database", "is not a database", "does not open")
    ), message


def test_folder_not_initialised(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    message = _refused(folder)
    assert "not initialised" in message
    assert "outreach init" in message


def test_missing_folder_is_not_created(tmp_path: Path) -> None:
    folder = tmp_path / "nowhere"
    result = run_cli(folder, "stock")
    assert result.returncode == 3
    assert "does not exist" in result.stderr
    assert not folder.exists()


def test_read_only_folder(plain_folder: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("running as root: a chmod'ed folder is still writable, so it cannot be shown")
    plain_folder.chmod(0o555)
    try:
        message = _refused(plain_folder)
    finally:
        plain_folder.chmod(0o755)
    assert "read-only" in message


def test_read_only_folder_is_refused_before_opening(
    plain_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same rule in process, where a root user's write access can be taken away."""
    import os

    from outreach_app.domain.errors import StoreError

    before = snapshot(plain_folder)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    with pytest.raises(StoreError, match="read-only") as refused:
        open_store(plain_folder)
    assert refused.value.exit_code == 3
    assert snapshot(plain_folder) == before
