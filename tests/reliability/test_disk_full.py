"""A full disk (issue 11, point 5): logging, import, backup and a report PDF.

The disk is filled the way a test can do it for real: the child process may not grow any file
past a size (RLIMIT_FSIZE), with SIGXFSZ ignored so that the write fails with EFBIG instead of
killing the process (what SQLite and Python see is the same failed write as on a full disk).
Each case: a plain message saying the disk is full, the exit code of contracts §3 (3 when the
data cannot be written, 1 when the named output file cannot), no traceback, the data folder and
any earlier file byte-identical, and the same command working once the limit is lifted.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from outreach_app.services import inventory
from outreach_app.services.store import open_store
from outreach_app.storage.backup import verify_database_file
from tests.conftest import PASSPHRASE
from tests.storage.helpers import REPO, snapshot

pytestmark = pytest.mark.crash

# The store opens (its -shm index is 32 KiB) but no write unit's WAL fits: even one movement
# writes more than seven 4 KiB pages. A PDF report and a backup are both larger.
LIMIT = 32 * 1024
FULL = "The disk is full"


@dataclass
class Done:
    code: int
    out: str
    err: str


def outreach(folder: Path, passphrase: str | None, *args: str, limit: int | None = None) -> Done:
    """The real command; with `limit`, no file it writes may grow past `limit` bytes."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited through exec
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    if passphrase:
        env["OUTREACH_PASSPHRASE"] = passphrase
    done = subprocess.run(
        [sys.executable, "-m", "outreach_app", "--data-dir", str(folder), *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env, cwd=REPO,
        timeout=120, check=False, preexec_fn=cap if limit is not None else None,
    )  # fmt: skip
    return Done(done.returncode, done.stdout, done.stderr)


def assert_plain_refusal(done: Done, code: int) -> None:
    assert done.code == code, done.err
    assert FULL in done.err or "the disk is full" in done.err, done.err
    assert "Nothing was written" in done.err
    assert "Traceback" not in done.err + done.out
    assert "unexpected" not in done.err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(params=["sqlite", "sqlcipher"])
def stocked(
    request: pytest.FixtureRequest, plain_folder: Path, encrypted_folder: Path
) -> tuple[Path, str | None]:
    folder, key = (
        (plain_folder, None) if request.param == "sqlite" else (encrypted_folder, PASSPHRASE)
    )
    store = open_store(folder, passphrase=key)
    try:
        with store.unit_of_work() as uow:
            for item in ("SYRINGE", "SWAB", "COOKER", "WATER", "FILTER"):
                inventory.receive(uow, "Drop-in", item, 5_000)
    finally:
        store.close()
    return folder, key


def sheet(tmp_path: Path, rows: int = 60) -> Path:
    day = date.today() - timedelta(days=3)
    lines = ["occurred_at,site,participant_code,SYRINGE"]
    lines += [f"{day.isoformat()},Drop-in,ZZ-DISK-{n:02d},2" for n in range(rows)]
    path = tmp_path / "zz-disk-sheet.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(folder: Path, key: str | None, table: str) -> int:
    from tests.reliability.kill_trials import connect

    conn = connect(folder / "outreach.db", key)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_import_on_a_full_disk(stocked: tuple[Path, str | None], tmp_path: Path) -> None:
    folder, key = stocked
    path = sheet(tmp_path)
    before = snapshot(folder)
    assert_plain_refusal(outreach(folder, key, "import-csv", str(path), limit=LIMIT), 3)
    assert snapshot(folder) == before
    done = outreach(folder, key, "import-csv", str(path))
    assert done.code == 0, done.err
    assert "Imported 60 encounters" in done.out
    assert count(folder, key, "encounters") == 60


def test_logging_on_a_full_disk(stocked: tuple[Path, str | None]) -> None:
    folder, key = stocked
    day = (date.today() - timedelta(days=1)).isoformat()
    args = ("tally-entry", "--site", "Drop-in", "--date", day, "--contacts", "3", "KIT-INJECT=2")
    before = snapshot(folder)
    assert_plain_refusal(outreach(folder, key, *args, limit=LIMIT), 3)
    assert snapshot(folder) == before
    done = outreach(folder, key, *args)
    assert done.code == 0, done.err
    assert count(folder, key, "encounters") == 1


def test_backup_on_a_full_disk(plain_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb"
    out.mkdir()
    assert outreach(plain_folder, None, "backup", "--out", str(out / "earlier.db")).code == 0
    earlier = digest(out / "earlier.db")
    before = snapshot(plain_folder)
    done = outreach(plain_folder, None, "backup", "--out", str(out / "new.db"), limit=LIMIT)
    assert_plain_refusal(done, 1)  # the named file could not be written, not the data
    assert sorted(p.name for p in out.iterdir()) == ["earlier.db"]  # no half file, no temporary
    assert digest(out / "earlier.db") == earlier
    assert snapshot(plain_folder) == before
    assert outreach(plain_folder, None, "backup", "--out", str(out / "new.db")).code == 0
    verify_database_file(out / "new.db", None)


def test_report_pdf_on_a_full_disk(plain_folder: Path, tmp_path: Path) -> None:
    month = date.today().strftime("%Y-%m")
    pdf = tmp_path / "reports" / "monthly.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 the earlier report, kept as it was\n")
    earlier = digest(pdf)
    before = snapshot(plain_folder)
    args = ("report", "monthly", "--month", month, "--out", str(pdf))
    assert_plain_refusal(outreach(plain_folder, None, *args, limit=LIMIT), 1)
    assert digest(pdf) == earlier
    assert [p.name for p in pdf.parent.iterdir()] == ["monthly.pdf"]
    assert snapshot(plain_folder) == before
    done = outreach(plain_folder, None, *args)
    assert done.code == 0, done.err
    assert pdf.read_bytes().startswith(b"%PDF") and digest(pdf) != earlier


def test_an_open_store_lives_through_a_full_disk(
    stocked: tuple[Path, str | None], tmp_path: Path
) -> None:
    """The app keeps its store open: after a refused write it writes again, once there is space."""
    folder, key = stocked
    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    if key:
        env["OUTREACH_PASSPHRASE"] = key
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.diskfull_child", str(folder),
         str(sheet(tmp_path, rows=20)), str(tmp_path / "app-backup.db")],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    attempts = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(a["case"], a["limited"], a["ok"]) for a in attempts] == [
        ("log", True, False),
        ("log", False, True),
        ("import", True, False),
        ("import", False, True),
        ("backup", True, False),
        ("backup", False, True),
    ]
    for refused in attempts[::2]:
        assert refused["error"] in ("DiskFull", "BadFile"), refused
        assert refused["message"].startswith(FULL), refused
    assert count(folder, key, "encounters") == 21  # one logged, twenty imported: once each
    verify_database_file(tmp_path / "app-backup.db", key)


LOG_ON_A_FULL_DISK = """
import logging, resource, signal, sys
from pathlib import Path
from outreach_app.logsetup import configure_file_logging
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
configure_file_logging(Path(sys.argv[1]))
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
logging.getLogger("outreach_app.cli").error("synthetic failure ZZ")
print("went on")
"""


def test_a_log_on_a_full_disk_puts_no_traceback_on_the_terminal(plain_folder: Path) -> None:
    log = plain_folder / "logs" / "outreach.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("synthetic earlier line\n" * 400, encoding="utf-8")  # past the 4 KiB limit
    done = subprocess.run(
        [sys.executable, "-c", LOG_ON_A_FULL_DISK, str(plain_folder)],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "went on\n"
    assert done.stderr == ""  # logging's default would print "--- Logging error ---" and more
