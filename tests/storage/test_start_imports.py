"""What opening a SQLite file loads: never SQLAlchemy's PostgreSQL dialect (about 50 ms of every
start, for an app that opens a local file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

OPEN_AND_LIST = """
import sys
from pathlib import Path
from outreach_app.services import catalog
from outreach_app.services.store import open_store

store = open_store(Path(sys.argv[1]), passphrase=sys.argv[2] or None)
with store.unit_of_work() as uow:
    print(len(catalog.list_sites(uow)))
store.close()
print("postgresql" if "sqlalchemy.dialects.postgresql" in sys.modules else "sqlite only")
"""


def open_in_a_fresh_process(folder: Path, passphrase: str = "") -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LIST, str(folder), passphrase],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split()


def test_opening_a_sqlite_or_sqlcipher_file_loads_no_postgresql_dialect(
    plain_folder: Path, encrypted_folder: Path
) -> None:
    assert open_in_a_fresh_process(plain_folder) == ["1", "sqlite", "only"]
    assert open_in_a_fresh_process(encrypted_folder, PASSPHRASE) == ["1", "sqlite", "only"]
