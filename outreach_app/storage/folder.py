"""The data folder: a small record of how its database is stored, the database, logs, backups.

The record (`outreach.json`) holds no secrets and no participant data; it says whether the
database is encrypted so that a command knows to ask for the passphrase before touching it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from outreach_app.domain.errors import NotInitialised, StoreError
from outreach_app.i18n import _l

RECORD_NAME = "outreach.json"
DATABASE_NAME = "outreach.db"
APP_MARK = "outreach-tally"
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class FolderRecord:
    encrypted: bool
    database: str = DATABASE_NAME


class DataFolder:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def record_path(self) -> Path:
        return self.path / RECORD_NAME

    @property
    def logs(self) -> Path:
        return self.path / "logs"

    @property
    def backups(self) -> Path:
        return self.path / "backups"

    def is_initialised(self) -> bool:
        return self.record_path.exists()

    def read_record(self) -> FolderRecord:
        if not self.path.is_dir():
            raise NotInitialised(
                _l(
                    "The data folder {path} does not exist. Run `outreach init --org NAME --site "
                    "NAME` to create it.",
                    path=self.path,
                )
            )
        if not self.record_path.exists():
            raise NotInitialised(
                _l(
                    "The data folder {path} is not initialised. Run `outreach init --org NAME "
                    "--site NAME` first.",
                    path=self.path,
                )
            )
        try:
            raw = json.loads(self.record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(
                _l(
                    "The folder record {path} cannot be read ({reason}). Restore the folder from "
                    "a backup.",
                    path=self.record_path,
                    reason=exc.__class__.__name__,
                )
            ) from exc
        if not isinstance(raw, dict) or raw.get("app") != APP_MARK:
            raise StoreError(_l("{path} was not written by Outreach Tally.", path=self.record_path))
        return FolderRecord(encrypted=bool(raw.get("encrypted")), database=DATABASE_NAME)

    def database_path(self, record: FolderRecord) -> Path:
        return self.path / record.database

    def write_record(self, record: FolderRecord) -> None:
        """Written last during init and atomically, so a half-made folder is never 'initialised'."""
        payload = {"app": APP_MARK, "format": 1, "encrypted": record.encrypted}
        tmp = self.record_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.record_path)

    def check_writable(self) -> None:
        if not os.access(self.path, os.W_OK):
            raise StoreError(
                _l(
                    "The data folder {path} is read-only. Check its permissions or choose "
                    "another folder with --data-dir.",
                    path=self.path,
                )
            )
