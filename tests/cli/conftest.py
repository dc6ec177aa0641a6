"""Running the real `outreach` command in a subprocess, as a coordinator's script would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from outreach_app.services.store import Store, open_store
from tests.conftest import PASSPHRASE


@dataclass
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@dataclass
class Target:
    """Where a command works: a plain folder, an encrypted folder, or a PostgreSQL database."""

    backend: str
    data_dir: Path
    db_url: str | None = None
    passphrase: str | None = None

    def args(self) -> list[str]:
        url = ["--db-url", self.db_url] if self.db_url else []
        return ["--data-dir", str(self.data_dir), *url]

    def open(self) -> Store:
        return open_store(self.data_dir, db_url=self.db_url, passphrase=self.passphrase)


def run_outreach(
    *args: str | Path,
    data_dir: Path | None = None,
    passphrase: str | None = None,
    at: Target | None = None,
    **env: str,
) -> Result:
    """`at` runs the command on a target of any backend; `data_dir` on a folder."""
    environ = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    environ.pop("DISPLAY", None)
    environ.pop("WAYLAND_DISPLAY", None)
    environ.pop("QT_QPA_PLATFORM", None)
    if at is not None and passphrase is None:
        passphrase = at.passphrase
    if passphrase is not None:
        environ["OUTREACH_PASSPHRASE"] = passphrase
    environ.update(env)
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    if at is not None:
        prefix = at.args()
    done = subprocess.run(
        [sys.executable, "-m", "outreach_app", *prefix, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=environ,
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def outreach() -> Runner:
    return run_outreach


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    """The same seeded store as `store`, for commands: SQLite, SQLCipher and PostgreSQL."""
    if backend == "postgres":
        return Target(backend, tmp_path / "logs-only", db_url=request.getfixturevalue("pg_url"))
    if backend == "sqlcipher":
        return Target(backend, request.getfixturevalue("encrypted_folder"), passphrase=PASSPHRASE)
    return Target(backend, request.getfixturevalue("plain_folder"))
