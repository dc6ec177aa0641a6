"""One app per data folder: the lock file names who has it; a crashed app's lock is taken over.

The holder is a real child process (tests/storage/race_child.py `lock`); "the app" here is the
same `claim_folder` the app calls before asking the passphrase.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from outreach_app.domain.errors import FolderInUse
from outreach_app.services.app_lock import LOCK_NAME, claim_folder
from tests.storage.helpers import REPO, run_cli, snapshot


@pytest.fixture
def app_elsewhere(plain_folder: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the folder's lock, as a running app does."""
    ready = tmp_path / "locked"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.race_child", "lock", str(plain_folder), str(ready)],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    yield child
    child.kill()
    child.wait(timeout=30)


def test_a_second_app_is_refused_naming_the_computer_and_process(
    plain_folder: Path, app_elsewhere: subprocess.Popen[str]
) -> None:
    with pytest.raises(FolderInUse) as refused:
        claim_folder(plain_folder)
    message = refused.value.message
    assert socket.gethostname() in message
    assert f"process {app_elsewhere.pid}" in message
    assert "Close the app there first" in message
    assert refused.value.exit_code == 1


def test_a_killed_apps_lock_is_taken_over(
    plain_folder: Path, app_elsewhere: subprocess.Popen[str]
) -> None:
    os.kill(app_elsewhere.pid, signal.SIGKILL)
    app_elsewhere.wait(timeout=30)
    lock = claim_folder(plain_folder)
    try:
        assert lock.took_over is not None and lock.took_over.pid == app_elsewhere.pid
        written = json.loads((plain_folder / LOCK_NAME).read_text(encoding="utf-8"))
        assert written["pid"] == os.getpid()
        assert written["host"] == socket.gethostname()
        with pytest.raises(FolderInUse, match=f"process {os.getpid()}"):
            claim_folder(plain_folder)  # held: even this process's second try is refused
    finally:
        lock.release()
    assert (plain_folder / LOCK_NAME).read_text(encoding="utf-8") == ""  # closed: emptied
    claim_folder(plain_folder).release()


def test_a_lock_file_from_another_computer_is_reported_not_stolen(plain_folder: Path) -> None:
    left = {"app": "outreach-tally", "host": "ZZ-OTHER-LAPTOP", "pid": 4242, "started_at": "x"}
    path = plain_folder / LOCK_NAME
    path.write_text(json.dumps(left), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(FolderInUse) as refused:
        claim_folder(plain_folder)
    assert "ZZ-OTHER-LAPTOP (process 4242" in refused.value.message
    assert f"delete {path}" in refused.value.message
    assert path.read_bytes() == before


def test_commands_work_beside_the_open_app(
    plain_folder: Path, app_elsewhere: subprocess.Popen[str]
) -> None:
    done = run_cli(plain_folder, "receive", "--site", "Drop-in", "--item", "SWAB", "--qty", "3")
    assert done.returncode == 0, done.stderr
    stock = run_cli(plain_folder, "stock", "--site", "Drop-in", "--csv")
    (row,) = [line for line in stock.stdout.splitlines() if line.startswith("Drop-in,SWAB,")]
    assert row.endswith(",3")


def test_restore_refused_while_the_app_has_the_folder_open(
    plain_folder: Path, tmp_path: Path, app_elsewhere: subprocess.Popen[str]
) -> None:
    backup = tmp_path / "monday.db"
    assert run_cli(plain_folder, "backup", "--out", str(backup)).returncode == 0
    before = snapshot(plain_folder)
    result = run_cli(plain_folder, "restore", str(backup))
    assert result.returncode == 1, result.stderr
    assert "Close the app first" in result.stderr
    assert f"process {app_elsewhere.pid}" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(plain_folder) == before


def test_restore_holds_the_folder_and_leaves_no_lock_file(
    plain_folder: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "monday.db"
    assert run_cli(plain_folder, "backup", "--out", str(backup)).returncode == 0
    assert run_cli(plain_folder, "restore", str(backup)).returncode == 0
    assert not (plain_folder / LOCK_NAME).exists()
