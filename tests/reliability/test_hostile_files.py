"""Hostile files (issue 11, point 6): `import-csv` and `restore` fuzzed with hypothesis.

Never a traceback, never a partial write, exit codes of contracts §3 (tests/reliability/hostile.py
says what each example is held to). Example counts are modest here; `make bench` runs more.
A few of the worst files also go through the real `outreach` process, as a person would run it.
`bundle import` does not exist yet, so it is not fuzzed.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from outreach_app.services import backups, inventory
from outreach_app.services.store import open_store
from tests.cli.conftest import run_outreach
from tests.conftest import PASSPHRASE
from tests.reliability.hostile import (
    Tally,
    check_import,
    check_restore,
    fuzz,
    good_sheet,
    huge_fields,
    random_cells,
    random_files,
    truncations,
    wrong_encodings,
)
from tests.storage.helpers import snapshot

pytestmark = pytest.mark.crash

EXAMPLES = {"bytes": 30, "cells": 40, "encodings": 20, "huge": 6, "restore": 20, "cut": 20}


def stock(folder: Path, key: str | None) -> Path:
    store = open_store(folder, passphrase=key)
    try:
        with store.unit_of_work() as uow:
            inventory.receive(uow, "Drop-in", "SYRINGE", 100_000)
    finally:
        store.close()
    return folder


@pytest.mark.parametrize(
    "kind", ["bytes", "cells", "encodings", "huge"], ids=lambda k: f"import-{k}"
)
def test_import_csv_of_hostile_files(kind: str, plain_folder: Path, tmp_path: Path) -> None:
    folder = stock(plain_folder, None)
    strategy = {
        "bytes": random_files,
        "cells": random_cells(),
        "encodings": wrong_encodings(),
        "huge": huge_fields(),
    }[kind]
    tally = Tally()
    sheet = tmp_path / "zz-hostile.csv"
    fuzz(strategy, lambda data: check_import(folder, None, sheet, data, tally), EXAMPLES[kind])
    print(f"import-{kind}: {tally}")  # the figures README's reliability table quotes (pytest -s)
    assert tally.failures == []
    assert tally.examples >= EXAMPLES[kind] // 2  # hypothesis may stop early on small spaces
    if kind == "encodings":  # UTF-8 with or without BOM imports; the others' accents do not
        assert tally.accepted and tally.refused


@pytest.mark.parametrize("backend", ["sqlite", "sqlcipher"])
def test_restore_of_random_and_damaged_files(
    backend: str, plain_folder: Path, encrypted_folder: Path, tmp_path: Path
) -> None:
    folder, key = (plain_folder, None) if backend == "sqlite" else (encrypted_folder, PASSPHRASE)
    store = open_store(folder, passphrase=key)
    try:
        good = backups.backup_to(store, tmp_path / "good-backup.db").read_bytes()
    finally:
        store.close()
    tally = Tally()
    file = tmp_path / "zz-hostile-backup.db"
    restore = lambda data: check_restore(folder, key, file, data, tally)  # noqa: E731
    share = 1 if backend == "sqlite" else 2  # each SQLCipher open derives its key (~0.2 s)
    fuzz(random_files, restore, EXAMPLES["restore"] // share)
    fuzz(truncations(good), restore, EXAMPLES["cut"] // share)
    print(f"restore-{backend}: {tally}")
    assert tally.failures == []
    assert tally.refused > 0


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "random"])
def test_the_real_command_refuses_a_foreign_file_plainly(
    encoding: str, plain_folder: Path, tmp_path: Path
) -> None:
    folder = stock(plain_folder, None)
    sheet = tmp_path / "zz-foreign.csv"
    if encoding == "random":
        sheet.write_bytes(random.Random(11).randbytes(50_000))
    else:
        sheet.write_bytes(good_sheet(3, "synthétique").encode(encoding))
    before = snapshot(folder)
    done = run_outreach("import-csv", sheet, data_dir=folder)
    assert done.code == 1
    assert "is not UTF-8 text" in done.err and "CSV UTF-8" in done.err
    assert "Traceback" not in done.err + done.out
    assert snapshot(folder) == before


def test_restore_refuses_a_backup_cut_inside_a_free_last_page(
    plain_folder: Path, tmp_path: Path
) -> None:
    """Found by the fuzzing above: SQLite reads a page cut short as zeros, and a free page is
    never read by integrity_check, so such a file was restored, and the folder then refused to
    open (its size is no whole number of pages), restore included."""
    import sqlite3

    store = open_store(plain_folder)
    try:
        backup = backups.backup_to(store, tmp_path / "good.db")
    finally:
        store.close()
    with sqlite3.connect(backup) as conn:  # free pages at the end of the file
        conn.execute("CREATE TABLE zz_padding (x BLOB)")
        conn.execute("INSERT INTO zz_padding VALUES (zeroblob(200000))")
        conn.execute("DROP TABLE zz_padding")
    conn.close()
    cut = tmp_path / "cut.db"
    cut.write_bytes(backup.read_bytes()[:-100])
    before = snapshot(plain_folder)
    done = run_outreach("restore", cut, data_dir=plain_folder)
    assert done.code == 1, done.err
    assert "incomplete" in done.err
    assert snapshot(plain_folder) == before
    assert run_outreach("check", data_dir=plain_folder).code == 0
