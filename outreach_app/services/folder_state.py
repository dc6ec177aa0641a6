"""What a data folder is, read from its record alone: cheap, without SQLAlchemy, so the app can
decide between the first-run setup, the passphrase and opening behind the window before it
imports the rest of the services."""

from __future__ import annotations

from pathlib import Path

from outreach_app.storage.folder import DataFolder


def folder_is_encrypted(data_dir: Path) -> bool:
    """Raises NotInitialised when the folder has no record yet."""
    return DataFolder(data_dir).read_record().encrypted
