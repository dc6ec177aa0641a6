"""A full disk under an open store, as the app lives it: the store stays open across the failure.

`python -m tests.reliability.diskfull_child FOLDER SHEET OUT` (an encrypted folder's passphrase in
OUTREACH_PASSPHRASE) opens the store, then for each of logging an encounter, importing SHEET and
backing up to OUT: caps the size of any file this process writes (RLIMIT_FSIZE, with SIGXFSZ
ignored so the write fails with EFBIG instead of killing the process), tries the write, lifts
the cap and tries again on the same open store. One JSON line per attempt:
`{"case": ..., "limited": bool, "ok": bool, "error": CLASS, "message": TEXT}`.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from outreach_app.domain.errors import OutreachError
from outreach_app.domain.values import EncounterDraft
from outreach_app.logsetup import configure_file_logging
from outreach_app.services import backups, encounters, importer
from outreach_app.services.store import Store, open_store

LIMIT = 4096  # smaller than one WAL frame: no write unit fits


def attempt(case: str, limited: bool, work: Callable[[], object]) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if limited:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, hard))
    outcome: dict[str, object] = {"case": case, "limited": limited}
    try:
        work()
        outcome["ok"] = True
    except OutreachError as exc:
        outcome.update(ok=False, error=type(exc).__name__, message=exc.message)
    except Exception as exc:  # the point of the test: this must never happen
        outcome.update(ok=False, error=type(exc).__name__, message=str(exc), unexpected=True)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    print(json.dumps(outcome), flush=True)


def main(folder: Path, sheet: Path, out: Path) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    configure_file_logging(folder)  # the log is on the full disk too
    store: Store = open_store(folder, passphrase=os.environ.get("OUTREACH_PASSPHRASE"))
    draft = EncounterDraft(
        site="Drop-in",
        occurred_at=datetime.now(UTC) - timedelta(minutes=5),
        items={"SYRINGE": 10},
        participant_code="ZZ-DISK-01",
    )
    cases: list[tuple[str, Callable[[], object]]] = [
        ("log", lambda: store.write(lambda uow: encounters.log_encounter(uow, draft))),
        ("import", lambda: store.write(lambda uow: importer.import_csv(uow, sheet))),
        ("backup", lambda: backups.backup_to(store, out)),
    ]
    try:
        for case, work in cases:
            attempt(case, True, work)
            attempt(case, False, work)
    finally:
        store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
