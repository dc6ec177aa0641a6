"""The encrypted file's key, derived once from the passphrase (storage/sqlcipher_key.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from outreach_app.domain.errors import WrongPassphrase
from outreach_app.services import catalog, health
from outreach_app.services.folder_state import start_key_derivation
from outreach_app.services.store import open_store
from outreach_app.storage.sqlcipher_key import SALT_BYTES, KeyDerivation, raw_key
from tests.conftest import FIRST_SITE, PASSPHRASE

DATABASE = "outreach.db"


def site_names(folder: Path, **opening: object) -> list[str]:
    store = open_store(folder, **opening)  # type: ignore[arg-type]
    try:
        with store.unit_of_work() as uow:
            return [site.name for site in catalog.list_sites(uow)]
    finally:
        store.close()


def test_the_derived_key_opens_the_file_as_the_passphrase_does(encrypted_folder: Path) -> None:
    path = encrypted_folder / DATABASE
    salt = path.read_bytes()[:SALT_BYTES]
    conn = sqlcipher.connect(str(path))
    try:
        conn.execute(f'PRAGMA key = "{raw_key(salt, PASSPHRASE)}"')
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        conn.close()
    assert tables > 10


def test_a_store_opened_with_a_derivation_started_early_reads_and_checks(
    encrypted_folder: Path,
) -> None:
    derivation = start_key_derivation(encrypted_folder, PASSPHRASE)
    assert derivation is not None
    store = open_store(encrypted_folder, passphrase=PASSPHRASE, derivation=derivation)
    try:
        with store.unit_of_work() as uow:
            assert [s.name for s in catalog.list_sites(uow)] == [FIRST_SITE]
        assert health.quick_check(store) == []  # its own connection opens with the same key
        assert PASSPHRASE not in repr(store) and "x'" not in repr(store)
    finally:
        store.close()


def test_a_wrong_passphrase_is_still_refused(encrypted_folder: Path) -> None:
    derivation = start_key_derivation(encrypted_folder, "not-the-passphrase")
    with pytest.raises(WrongPassphrase):
        open_store(encrypted_folder, passphrase="not-the-passphrase", derivation=derivation)


def set_default_kdf_rounds(rounds: int) -> None:
    """SQLCipher's default for new connections, in this process (a test worker's)."""
    conn = sqlcipher.connect(":memory:")
    try:
        conn.execute(f"PRAGMA cipher_default_kdf_iter = {rounds}")
    finally:
        conn.close()


def test_a_file_made_with_other_key_settings_opens_with_the_passphrase(
    encrypted_folder: Path,
) -> None:
    """Under a SQLCipher whose defaults are not the ones the derivation follows (another
    version), its files do not open with the derived key: the passphrase opens them."""
    path = encrypted_folder / DATABASE
    other = encrypted_folder / "other.db"
    set_default_kdf_rounds(64_000)
    try:
        conn = sqlcipher.connect(str(path))
        try:
            conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
            conn.execute("PRAGMA kdf_iter = 256000")  # this file's own rounds
            conn.execute(f"ATTACH DATABASE '{other}' AS other KEY '{PASSPHRASE}'")
            conn.execute("SELECT sqlcipher_export('other')")  # made under the 64,000 default
            conn.execute("DETACH DATABASE other")
        finally:
            conn.close()
        for leftover in encrypted_folder.glob(DATABASE + "-*"):
            leftover.unlink()
        other.replace(path)
        assert site_names(encrypted_folder, passphrase=PASSPHRASE) == [FIRST_SITE]
        with pytest.raises(WrongPassphrase):
            site_names(encrypted_folder, passphrase="not-the-passphrase")
    finally:
        set_default_kdf_rounds(256_000)


def test_the_derivation_never_shows_the_key(encrypted_folder: Path) -> None:
    derivation = KeyDerivation(encrypted_folder / DATABASE, PASSPHRASE)
    key = derivation.pragma_key()
    assert key is not None and key.startswith("x'")
    assert key not in repr(derivation) and PASSPHRASE not in repr(derivation)


def test_no_derivation_for_a_plain_or_missing_folder(plain_folder: Path, tmp_path: Path) -> None:
    assert start_key_derivation(plain_folder, PASSPHRASE) is None
    assert start_key_derivation(tmp_path / "nothing-here", PASSPHRASE) is None
