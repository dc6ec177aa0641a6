"""What a data folder is, read from its record alone: cheap, without SQLAlchemy, so the app can
decide between the first-run setup, the passphrase and opening behind the window before it
imports the rest of the services."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from outreach_app.domain.errors import OutreachError
from outreach_app.storage.folder import DataFolder

if TYPE_CHECKING:  # hashlib loads OpenSSL: on the opening thread, not before the window shows
    from outreach_app.storage.sqlcipher_key import KeyDerivation


def folder_is_encrypted(data_dir: Path) -> bool:
    """Raises NotInitialised when the folder has no record yet."""
    return DataFolder(data_dir).read_record().encrypted


def start_key_derivation(data_dir: Path, passphrase: str) -> KeyDerivation | None:
    """Begins deriving the encrypted file's key from `passphrase` on a thread of its own, for
    `open_store(..., derivation=...)`; None when the folder's record cannot be read (opening
    then says why)."""
    from outreach_app.storage.sqlcipher_key import KeyDerivation

    folder = DataFolder(data_dir)
    try:
        record = folder.read_record()
    except OutreachError:
        return None
    return KeyDerivation(folder.database_path(record), passphrase) if record.encrypted else None
