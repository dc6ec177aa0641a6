"""A second (or third) process on the same data store, for the race tests.

`python -m tests.storage.race_child draw FOLDER CSV GO [--hold S]`: waits until the file GO
exists (so two children start together), then imports CSV in one write unit of work, keeping
the unit open HOLD seconds after the import to widen the window between check and commit; prints
one JSON line: {"ok": true, "retries": N} or {"ok": false, "error": CLASS, "message": TEXT}.

`python -m tests.storage.race_child hold FOLDER READY SECONDS`: holds the write lock SECONDS
seconds, creating READY once it has it. `lock FOLDER READY`: takes the app's folder lock, creates
READY, and waits to be killed.

The passphrase of an encrypted folder comes from OUTREACH_PASSPHRASE, as for the command line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from outreach_app.domain.errors import OutreachError
from outreach_app.services import importer
from outreach_app.services.app_lock import claim_folder
from outreach_app.services.store import Store, open_store
from outreach_app.services.uow import UnitOfWork


def _open(folder: str) -> Store:
    return open_store(Path(folder), passphrase=os.environ.get("OUTREACH_PASSPHRASE"))


def _wait_for(path: Path, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{path} never appeared")
        time.sleep(0.005)


def draw(folder: str, sheet: str, go: str, hold: float) -> None:
    store = _open(folder)
    _wait_for(Path(go))

    def work(uow: UnitOfWork) -> None:
        importer.import_csv(uow, Path(sheet))
        time.sleep(hold)

    try:
        store.write(work)
        outcome = {"ok": True, "retries": store.write_retries.count}
    except OutreachError as exc:
        outcome = {"ok": False, "error": type(exc).__name__, "message": exc.message}
    finally:
        store.close()
    print(json.dumps(outcome), flush=True)


def hold(folder: str, ready: str, seconds: float) -> None:
    store = _open(folder)
    with store.unit_of_work():
        Path(ready).touch()
        time.sleep(seconds)
    store.close()


def lock(folder: str, ready: str) -> None:
    claim_folder(Path(folder))
    Path(ready).touch()
    time.sleep(600)


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "draw":
        draw(rest[0], rest[1], rest[2], float(rest[3]) if len(rest) > 3 else 0.0)
    elif command == "hold":
        hold(rest[0], rest[1], float(rest[2]))
    elif command == "lock":
        lock(rest[0], rest[1])
    else:
        raise SystemExit(f"unknown command {command}")
