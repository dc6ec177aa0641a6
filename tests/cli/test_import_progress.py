"""`import-csv` shows its progress on a terminal (stderr), and only there."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import Runner

ROWS = "".join(f"2026-10-01,Drop-in,{n % 3}\n" for n in range(2500))


def _sheet(tmp_path: Path) -> Path:
    sheet = tmp_path / "zz-progress.csv"
    sheet.write_text("occurred_at,site,SYRINGE\n" + ROWS, encoding="utf-8")
    return sheet


def test_progress_on_a_terminal(plain_folder: Path, tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    done = subprocess.run(
        [sys.executable, "-m", "outreach_app", "--data-dir", str(plain_folder), "import-csv",
         str(_sheet(tmp_path)), "--allow-negative"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, env=env, timeout=120,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"Imported 2500 encounters" in done.stdout
    text = shown.decode()
    assert "Checking rows: " in text
    assert "Writing rows: 2,500 of 2,500 (100%)" in text
    assert text.endswith("\r\n") or text.endswith("\n")  # the line is ended


def test_no_progress_when_stderr_is_not_a_terminal(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    done = outreach("import-csv", _sheet(tmp_path), "--allow-negative", data_dir=plain_folder)
    assert done.code == 0, done.err
    assert "rows:" not in done.err
