"""Kill -9 trials, shared by the suite (tests/reliability/test_kill9.py) and `make bench`.

One trial: start `crash_child` on a data folder, wait until it writes, let it run a random
moment, SIGKILL it, then judge the folder as the next program to open it would find it:

- `PRAGMA integrity_check` is ok (read with the folder's own key);
- every acknowledged encounter, spreadsheet, backup and migration is there;
- nothing half made: every import holds all its rows, every encounter all its kit's lines, every
  file at a backup's final name is a whole, verified database, the schema is the old revision or
  the head, never one in between;
- the real `outreach check` command finds no problem.

Trials of one kind run one after another on the same folder (a second crash on a folder that
already lived through one is the harder case); a migration trial needs a fresh old folder each
time. Everything here is real: processes, files, SIGKILL; nothing of the storage is mocked.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outreach_app.services import inventory
from outreach_app.services.store import open_store
from outreach_app.services.store_init import InitOptions, init_store
from outreach_app.storage.backup import verify_database_file
from outreach_app.storage.schema import HEAD_REVISION
from tests.reliability.crash_child import IMPORT_ROWS, KIT_ITEMS, LOGGED_NOTE, SITE

REPO = Path(__file__).resolve().parents[2]
FIXTURE_0001 = REPO / "tests" / "fixtures" / "schema-0001.db"
PASSPHRASE = "crash-trial-passphrase-not-real"
KINDS = ("log", "import", "backup", "migration")
BACKENDS = ("sqlite", "sqlcipher")
# How long after "ready" the kill may come: long enough for several acknowledged writes.
KILL_WINDOW_S = {"log": 1.2, "import": 2.5, "backup": 1.5}
STOCK = {"SYRINGE": 900_000, "SWAB": 900_000, "COOKER": 900_000, "WATER": 900_000}
STOCK["FILTER"] = 900_000


@dataclass
class Outcome:
    kind: str
    backend: str
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    killed_after_s: float = 0.0
    leftovers: list[str] = field(default_factory=list)  # e.g. a backup's .partial temporary
    stage: str = ""  # migration trials: where the kill fell

    @property
    def ok(self) -> bool:
        return not self.lost and not self.problems


def passphrase_of(backend: str) -> str | None:
    return PASSPHRASE if backend == "sqlcipher" else None


def new_folder(folder: Path, backend: str) -> Path:
    """A seeded folder at the head schema with plenty on hand for every trial."""
    options = InitOptions(
        org="ZZ Synthetic Crash Org",
        site=SITE,
        device="ZZ crash rig",
        timezone="America/Toronto",
        passphrase=passphrase_of(backend),
        codes="own",  # the trials' codes are visibly synthetic (ZZ-CRASH-…), not printed ones
    )
    init_store(folder, options)
    store = open_store(folder, passphrase=passphrase_of(backend))
    try:
        with store.unit_of_work() as uow:
            for item, qty in STOCK.items():
                inventory.receive(uow, SITE, item, qty)
    finally:
        store.close()
    return folder


def old_folder(folder: Path, backend: str) -> Path:
    """A folder holding a copy of the revision 0001 fixture (encrypted for SQLCipher), so that
    opening it runs the migrations."""
    folder.mkdir(parents=True)
    target = folder / "outreach.db"
    if backend == "sqlcipher":
        from sqlcipher3 import dbapi2 as sqlcipher

        conn = sqlcipher.connect(str(FIXTURE_0001))
        try:
            key = PASSPHRASE.replace("'", "''")
            conn.execute(f"ATTACH DATABASE '{target}' AS enc KEY '{key}'")
            conn.execute("SELECT sqlcipher_export('enc')")
            conn.execute("DETACH DATABASE enc")
        finally:
            conn.close()
    else:
        shutil.copyfile(FIXTURE_0001, target)
    record = {"app": "outreach-tally", "format": 1, "encrypted": backend == "sqlcipher"}
    (folder / "outreach.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def connect(path: Path, passphrase: str | None) -> Any:
    """A plain driver connection with the folder's key (reads the WAL as the app would)."""
    if passphrase is None:
        return sqlite3.connect(path)
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path))
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    return conn


def _child_env(backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    if backend == "sqlcipher":
        env["OUTREACH_PASSPHRASE"] = PASSPHRASE
    return env


def _read_lines(stream: Any, into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


def run_child(
    kind: str,
    backend: str,
    folder: Path,
    work: Path,
    trial: int,
    delay: float,
    from_first_ack: bool = False,
) -> tuple[list[str], float, int]:
    """(stdout lines, seconds from "ready" to the kill, exit status). The kill comes `delay`
    seconds after the child is ready, or after its first acknowledgement."""
    work.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with (work / f"child-{kind}-{trial}.err").open("w") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_child", kind, str(folder), str(work),
             str(trial)],
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True,
            cwd=REPO, env=_child_env(backend),
        )  # fmt: skip
        reader = threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while "ready" not in lines:
            if child.poll() is not None or time.monotonic() > deadline:
                child.kill()
                child.wait()
                raise RuntimeError(f"{kind} child never got ready: {_tail(work, kind, trial)}")
            time.sleep(0.002)
        ready = time.monotonic()
        if from_first_ack:
            while not any(line.startswith("ack ") for line in lines) and child.poll() is None:
                time.sleep(0.002)
        time.sleep(delay)
        elapsed = time.monotonic() - ready
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        status = child.wait()
        reader.join(timeout=30)
    return lines, elapsed, status


def _tail(work: Path, kind: str, trial: int) -> str:
    path = work / f"child-{kind}-{trial}.err"
    return path.read_text(errors="replace")[-2000:] if path.exists() else "(no stderr)"


class Checker:
    """`tests/reliability/checker.py`: the real `outreach check`, in a process of its own that
    stays up between trials (one per test process, started on first use)."""

    _process: subprocess.Popen[str] | None = None

    @classmethod
    def run(cls, folder: Path, backend: str) -> tuple[int, str]:
        if cls._process is None or cls._process.poll() is not None:
            cls._process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.checker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
                env=_child_env("sqlite"),
            )  # fmt: skip
            atexit.register(cls.stop)
        process = cls._process
        assert process.stdin is not None and process.stdout is not None
        request = {
            "argv": ["--data-dir", str(folder), "check"],
            "passphrase": passphrase_of(backend),
        }
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        answer = json.loads(process.stdout.readline())
        return int(answer["code"]), str(answer["out"])

    @classmethod
    def stop(cls) -> None:
        if cls._process is not None and cls._process.poll() is None:
            assert cls._process.stdin is not None
            cls._process.stdin.close()
            cls._process.wait(timeout=30)
        cls._process = None


def run_check(folder: Path, backend: str) -> tuple[int, str]:
    """The real `outreach check` command (see Checker)."""
    return Checker.run(folder, backend)


_whole_files: set[tuple[Path, int, int]] = set()


def judge(
    kind: str, backend: str, folder: Path, work: Path, acks: list[str], old_revision: str | None
) -> Outcome:
    """Everything the module docstring lists, for a folder a child was just killed on."""
    outcome = Outcome(kind, backend, acknowledged=len(acks))
    key = passphrase_of(backend)
    database = folder / "outreach.db"
    conn = connect(database, key)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            outcome.problems.append(f"integrity_check: {integrity[:5]}")
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if old_revision is not None:
            if revision not in (old_revision, HEAD_REVISION):
                outcome.problems.append(f"half migrated: revision {revision}")
            if "ack migrated" in acks and revision != HEAD_REVISION:
                outcome.lost.append("migration acknowledged but schema still " + revision)
        if revision == HEAD_REVISION:
            _judge_records(conn, acks, outcome)
    finally:
        conn.close()
    for line in acks:
        if line.startswith("ack backup "):
            path = Path(line.removeprefix("ack backup "))
            if not path.exists():
                outcome.lost.append(f"backup {path.name}")
    for path in sorted(work.glob("backup-*.db")) + sorted(folder.glob("backups/*.db")):
        stamp = (path, path.stat().st_size, path.stat().st_mtime_ns)
        if stamp in _whole_files:  # judged whole after an earlier trial, untouched since
            continue
        try:  # every file at a final name, acknowledged or not, is whole
            verify_database_file(path, key)
            _whole_files.add(stamp)
        except Exception as exc:
            outcome.problems.append(f"{path.name} is not a whole backup: {exc}")
    outcome.leftovers = sorted(p.name for p in [*work.glob(".*partial"),
                                                *folder.glob("backups/.*partial")])  # fmt: skip
    code, text = run_check(folder, backend)
    if code != 0 or "No problems found." not in text:
        outcome.problems.append(f"outreach check exited {code}: {text[-1500:]}")
    return outcome


def _judge_records(conn: Any, acks: list[str], outcome: Outcome) -> None:
    present = {row[0].lower() for row in conn.execute("SELECT hex(id) FROM encounters")}
    for line in acks:
        if line.startswith("ack encounter "):
            ident = line.removeprefix("ack encounter ")
            if ident not in present:
                outcome.lost.append(f"encounter {ident}")
    imported = {}
    for name, rows, held in conn.execute(
        "SELECT i.filename, i.rows, (SELECT count(*) FROM encounters e WHERE e.import_id = i.id)"
        " FROM imports i"
    ):
        imported[name] = held
        if held != rows or rows != IMPORT_ROWS:
            outcome.problems.append(f"half imported: {name} holds {held} of {rows} rows")
    for line in acks:
        if line.startswith("ack import ") and line.removeprefix("ack import ") not in imported:
            outcome.lost.append(line.removeprefix("ack "))
    # A logged encounter (no import, not from a fixture) holds its whole kit: five item lines.
    short = conn.execute(
        "SELECT count(*) FROM encounters e WHERE e.import_id IS NULL AND e.note = ? "
        "AND (SELECT count(*) FROM encounter_items i WHERE i.encounter_id = e.id) != ?",
        (LOGGED_NOTE, KIT_ITEMS),
    ).fetchone()[0]
    if short:
        outcome.problems.append(f"{short} logged encounters without all their kit's lines")


def migration_stage(folder: Path, backend: str) -> str:
    """Where a kill fell while an old folder was being opened, read from what it left."""
    conn = connect(folder / "outreach.db", passphrase_of(backend))
    try:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    if revision == HEAD_REVISION:
        return "after the upgrade"
    if list(folder.glob("backups/before-migration-*.db")):
        return "during the upgrade"
    if list(folder.glob("backups/.*partial")):
        return "during the copy before it"
    return "before the copy"


_migration_seconds: dict[str, float] = {}


def migration_window(backend: str, work: Path) -> float:
    """How long opening the old fixture takes here (once per backend and process): the kill
    then falls anywhere in that span, or a little after it."""
    if backend not in _migration_seconds:
        folder = old_folder(work / f"calibrate-{backend}", backend)
        lines, elapsed, _ = run_child(
            "migration", backend, folder, work / "calibrate", 0, 0.0, True
        )
        if "ack migrated" not in lines:
            raise RuntimeError(
                f"the old fixture did not open: {_tail(work / 'calibrate', 'migration', 0)}"
            )
        _migration_seconds[backend] = elapsed
    return _migration_seconds[backend] * 1.2


def run_trials(
    kind: str, backend: str, trials: int, root: Path, seed: int, window_scale: float = 1.0
) -> list[Outcome]:
    """`trials` kill -9 trials of one kind on one backend under `root`. The kill falls within
    the kind's window times `window_scale` after the child is ready (odd trials: a kill may
    come before anything is written) or after its first acknowledgement (even trials: there
    is always something to lose). A migration's window is how long the upgrade takes, from
    ready."""
    rng = random.Random(seed)
    outcomes = []
    folder = root / f"{kind}-{backend}"
    if kind != "migration":
        new_folder(folder, backend)
    for trial in range(1, trials + 1):
        work = root / f"{kind}-{backend}-work"
        if kind == "migration":
            folder = old_folder(root / f"{kind}-{backend}-{trial}", backend)
            window = migration_window(backend, root)
            old_revision: str | None = "0001"
        else:
            window = KILL_WINDOW_S[kind] * window_scale
            old_revision = None
        lines, elapsed, status = run_child(
            kind,
            backend,
            folder,
            work,
            trial,
            rng.uniform(0.0, window),
            from_first_ack=kind != "migration" and trial % 2 == 0,
        )
        acks = [line for line in lines if line.startswith("ack ")]
        stage = migration_stage(folder, backend) if kind == "migration" else ""
        outcome = judge(kind, backend, folder, work, acks, old_revision)
        outcome.stage = stage
        outcome.killed_after_s = elapsed
        if status != -signal.SIGKILL:
            outcome.problems.append(
                f"the child ended by itself ({status}) before the kill: {_tail(work, kind, trial)}"
            )
        outcomes.append(outcome)
    return outcomes
