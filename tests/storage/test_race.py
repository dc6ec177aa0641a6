"""Race-free writes: a unit of work that checks then writes holds the write lock from BEGIN.

Real processes on one SQLite / SQLCipher file (tests/storage/race_child.py), real sessions on
the throwaway PostgreSQL (threads): two draws of 600 from 1,000 on hand, each holding its unit
open after the check so the two overlap; exactly one succeeds, stock never goes below zero and
no write is lost. Also: a retry counted while a third process holds the lock, "still busy" after
the retries (exit 3), and a read unit that neither waits for the write lock nor may write.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from outreach_app.cli import main
from outreach_app.domain.errors import ShortfallError, StoreBusy
from outreach_app.services import checks, importer, inventory, writes
from outreach_app.services.store import Store, open_store
from outreach_app.services.uow import UnitOfWork
from tests.conftest import PASSPHRASE
from tests.storage.helpers import REPO

QUICK = writes.WritePolicy(attempts=20, wait_ms=200, pause_s=0.05)


def _sheet(folder: Path, name: str, qty: int) -> Path:
    """One distribution row; `name` in the notes makes each file's rows its own."""
    path = folder / f"{name}.csv"
    path.write_text(
        f"occurred_at,site,notes,SYRINGE\n2026-01-15,Drop-in,ZZ synthetic {name},{qty}\n",
        encoding="utf-8",
    )
    return path


def _syringes(store: Store) -> int:
    with store.reading() as uow:
        rows = inventory.on_hand(uow, "Drop-in")
    return sum(r.on_hand for r in rows if r.item_code == "SYRINGE")


def _receive(store: Store, qty: int) -> None:
    store.write(lambda uow: inventory.receive(uow, "Drop-in", "SYRINGE", qty))


def _child(*args: str | Path, passphrase: str | None) -> subprocess.Popen[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    if passphrase:
        env["OUTREACH_PASSPHRASE"] = passphrase
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.race_child", *map(str, args)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def _wait_for(path: Path, process: subprocess.Popen[str], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"child ended early: {process.communicate()}")
        assert time.monotonic() < deadline, "child never got ready"
        time.sleep(0.01)


@pytest.fixture(params=["sqlite", "sqlcipher"])
def folder(request: pytest.FixtureRequest) -> Iterator[tuple[Path, str | None]]:
    if request.param == "sqlcipher":
        yield request.getfixturevalue("encrypted_folder"), PASSPHRASE
    else:
        yield request.getfixturevalue("plain_folder"), None


def _race(folder: Path, passphrase: str | None, tmp_path: Path, qty: int) -> list[dict[str, str]]:
    go = tmp_path / "go"
    children = [
        _child("draw", folder, _sheet(tmp_path, name, qty), go, 0.6, passphrase=passphrase)
        for name in ("a", "b")
    ]
    time.sleep(2.5)  # both children are open and waiting (imports take about a second)
    go.touch()
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=90)
        assert child.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


@pytest.mark.slow
def test_two_processes_drawing_600_from_1000_one_is_refused(
    folder: tuple[Path, str | None], tmp_path: Path
) -> None:
    path, passphrase = folder
    store = open_store(path, passphrase=passphrase)
    try:
        _receive(store, 1000)
        outcomes = _race(path, passphrase, tmp_path, 600)
        assert sorted(o["ok"] for o in outcomes) == [False, True], outcomes
        (refused,) = [o for o in outcomes if not o["ok"]]
        assert refused["error"] == "ShortfallError", refused  # refused by the check, not busy
        assert _syringes(store) == 400
        report = checks.run_checks(store)
        assert report.problems == []
    finally:
        store.close()


@pytest.mark.slow
def test_two_processes_drawing_400_each_lose_no_write(plain_folder: Path, tmp_path: Path) -> None:
    store = open_store(plain_folder)
    try:
        _receive(store, 1000)
        outcomes = _race(plain_folder, None, tmp_path, 400)
        assert [o["ok"] for o in outcomes] == [True, True], outcomes
        assert _syringes(store) == 200
    finally:
        store.close()


@pytest.mark.slow
def test_a_retry_is_counted_while_a_third_process_holds_the_lock(
    folder: tuple[Path, str | None], tmp_path: Path
) -> None:
    path, passphrase = folder
    ready = tmp_path / "ready"
    holder = _child("hold", path, ready, 1.5, passphrase=passphrase)
    store = open_store(path, passphrase=passphrase)
    try:
        _wait_for(ready, holder)
        store.write_policy = QUICK
        _receive(store, 5)
        assert store.write_retries.count >= 1
        assert _syringes(store) == 5
    finally:
        store.close()
        holder.communicate(timeout=30)


@pytest.mark.slow
def test_two_import_csv_commands_at_once(plain_folder: Path, tmp_path: Path) -> None:
    """The real command twice at once, as two coordinators' scripts might run it."""
    store = open_store(plain_folder)
    try:
        _receive(store, 1000)
        base = [sys.executable, "-m", "outreach_app", "--data-dir", str(plain_folder)]
        commands = [
            subprocess.Popen(
                [*base, "import-csv", str(_sheet(tmp_path, name, 600))],
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("a", "b")
        ]
        results = []
        for command in commands:
            _, err = command.communicate(timeout=90)
            results.append((command.returncode, err))
        assert sorted(code for code, _ in results) == [0, 1], results
        (refused,) = [err for code, err in results if code == 1]
        assert "SYRINGE" in refused and "Traceback" not in refused
        assert _syringes(store) == 400
    finally:
        store.close()


def test_reading_neither_waits_for_the_writer_nor_writes(plain_folder: Path) -> None:
    writer = open_store(plain_folder)
    reader = open_store(plain_folder)
    try:
        _receive(writer, 7)
        with writer.unit_of_work():
            started = time.monotonic()
            assert _syringes(reader) == 7  # a snapshot, not a wait for the writer
            assert time.monotonic() - started < 1.0
        with pytest.raises(DBAPIError, match=r"readonly|read-only"), reader.reading() as uow:
            inventory.receive(uow, "Drop-in", "SYRINGE", 1)
        assert _syringes(reader) == 7
    finally:
        writer.close()
        reader.close()


def test_still_busy_after_the_retries_exits_3(
    plain_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(writes, "DEFAULT_POLICY", writes.WritePolicy(3, 150, 0.05))
    ready = tmp_path / "ready"
    holder = _child("hold", plain_folder, ready, 8, passphrase=None)
    try:
        _wait_for(ready, holder)
        args = ["--data-dir", str(plain_folder), "receive", "--site", "Drop-in"]
        code = main([*args, "--item", "SYRINGE", "--qty", "5"])
        err = capsys.readouterr().err
        assert code == 3, err
        assert "still busy with another writer" in err
        assert "Nothing was written" in err
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    store = open_store(plain_folder)
    try:
        assert _syringes(store) == 0
    finally:
        store.close()


# ---- PostgreSQL: two sessions (threads) on the real server ---------------------------------


def _draws_in_threads(url: str, tmp_path: Path, qty: int) -> list[BaseException | None]:
    barrier = threading.Barrier(2)
    outcomes: list[BaseException | None] = [None, None]

    def run(index: int, sheet: Path) -> None:
        store = open_store(tmp_path / "logs", db_url=url)

        def work(uow: UnitOfWork) -> None:
            importer.import_csv(uow, sheet)
            time.sleep(0.6)

        try:
            barrier.wait()
            store.write(work)
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            store.close()

    threads = [
        threading.Thread(target=run, args=(i, _sheet(tmp_path, name, qty)))
        for i, name in enumerate(("a", "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
def test_postgres_two_sessions_drawing_600_from_1000(pg_url: str, tmp_path: Path) -> None:
    store = open_store(tmp_path / "logs", db_url=pg_url)
    try:
        _receive(store, 1000)
        outcomes = _draws_in_threads(pg_url, tmp_path, 600)
        assert sorted(o is None for o in outcomes) == [False, True], outcomes
        assert any(isinstance(o, ShortfallError) for o in outcomes), outcomes
        assert _syringes(store) == 400
        assert checks.run_checks(store).problems == []
    finally:
        store.close()


@pytest.mark.postgres
def test_postgres_two_sessions_drawing_400_each_lose_no_write(pg_url: str, tmp_path: Path) -> None:
    store = open_store(tmp_path / "logs", db_url=pg_url)
    try:
        _receive(store, 1000)
        assert _draws_in_threads(pg_url, tmp_path, 400) == [None, None]
        assert _syringes(store) == 200
    finally:
        store.close()


@pytest.mark.postgres
def test_postgres_retry_counted_then_still_busy(pg_url: str, tmp_path: Path) -> None:
    holder = open_store(tmp_path / "logs", db_url=pg_url)
    store = open_store(tmp_path / "logs", db_url=pg_url)
    try:
        store.write_policy = QUICK
        held = threading.Event()

        def hold(seconds: float) -> None:
            with holder.unit_of_work() as uow:
                uow.session.execute(text("SELECT 1"))
                held.set()
                time.sleep(seconds)

        thread = threading.Thread(target=hold, args=(1.2,))
        thread.start()
        assert held.wait(10)
        _receive(store, 5)  # waits out the holder through retries
        thread.join()
        assert store.write_retries.count >= 1
        assert _syringes(store) == 5

        held.clear()
        store.write_policy = writes.WritePolicy(attempts=2, wait_ms=100, pause_s=0.01)
        thread = threading.Thread(target=hold, args=(2.0,))
        thread.start()
        assert held.wait(10)
        with pytest.raises(StoreBusy, match="still busy with another writer"):
            _receive(store, 5)
        thread.join()
        assert _syringes(store) == 5
    finally:
        store.close()
        holder.close()
