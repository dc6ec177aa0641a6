"""Run the real command line in a subprocess and take snapshots of a data folder's files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


def run_cli(
    data_dir: Path | None,
    *args: str,
    passphrase: str | None = PASSPHRASE,
    db_url: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`outreach [--data-dir D] [--db-url U] ARGS` with no terminal: stdin is /dev/null."""
    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    if passphrase is not None:
        env["OUTREACH_PASSPHRASE"] = passphrase
    command = [sys.executable, "-m", "outreach_app"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    if db_url is not None:
        command += ["--db-url", db_url]
    return subprocess.run(
        [*command, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def snapshot(folder: Path, *, with_logs: bool = False) -> dict[str, str]:
    """Relative path -> SHA-256 of every file; log contents only when asked (they may grow)."""
    result: dict[str, str] = {}
    if not folder.exists():
        return result
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("logs/") and not with_logs:
            result[rel] = "(log)"
            continue
        result[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def files_containing(folder: Path, needles: list[bytes]) -> dict[str, list[bytes]]:
    """Which files under `folder` contain which needle, read as raw bytes."""
    found: dict[str, list[bytes]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits = [n for n in needles if n in data]
            if hits:
                found[path.relative_to(folder).as_posix()] = hits
    return found
