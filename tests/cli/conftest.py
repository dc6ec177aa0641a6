"""Running the real `outreach` command in a subprocess, as a coordinator's script would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


def run_outreach(
    *args: str | Path, data_dir: Path | None = None, passphrase: str | None = None, **env: str
) -> Result:
    environ = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    environ.pop("DISPLAY", None)
    environ.pop("WAYLAND_DISPLAY", None)
    environ.pop("QT_QPA_PLATFORM", None)
    if passphrase is not None:
        environ["OUTREACH_PASSPHRASE"] = passphrase
    environ.update(env)
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
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
