"""One app per data folder: a second app says which computer and process has it, and stops."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest

from outreach_app.services.app_lock import LOCK_NAME, claim_folder

from outreach_app.ui import app as ui_app


def test_a_second_app_shows_who_has_the_folder_and_exits(
    plain_folder: Path, qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(ui_app, "show_store_error", lambda _parent, e: shown.append(e.message))
    monkeypatch.setattr(ui_app, "install_excepthook", lambda _data_dir: None)
    held = claim_folder(plain_folder)  # the first app (another open file: refused all the same)
    try:
        assert ui_app.run_app(plain_folder, None) == 1
    finally:
        held.release()
    (message,) = shown
    assert socket.gethostname() in message and f"process {os.getpid()}" in message
    assert (plain_folder / LOCK_NAME).read_text(encoding="utf-8") == ""


def test_the_app_claims_only_a_folder(tmp_path: Path, plain_folder: Path) -> None:
    assert ui_app.claim_folder(tmp_path / "not-made-yet", None) is None  # first run: later
    assert ui_app.claim_folder(plain_folder, "postgresql+psycopg://zz@127.0.0.1/zz") is None
    lock = ui_app.claim_folder(plain_folder, None)
    try:
        assert lock.holder.pid == os.getpid()
    finally:
        lock.release()
