"""The process the kill -9 trials kill: it writes through the real services and commands and
acknowledges each finished write on stdout, one flushed line at a time.

`python -m tests.reliability.crash_child KIND FOLDER WORK TRIAL`, the passphrase of an encrypted
folder in OUTREACH_PASSPHRASE (as for the command line). It prints `ready` once it is about to
write, then one line per acknowledged write, and writes until it is killed:

- `log`: encounters logged as the app logs them (`store.write` + `encounters.log_encounter`);
  `ack encounter HEX` once the unit has committed.
- `import`: spreadsheets of IMPORT_ROWS rows imported by the real `import-csv` command (its
  handler, in this process); `ack import NAME` once the command returned 0.
- `backup`: the real `backup --out WORK/backup-TRIAL-N.db`; `ack backup PATH` once it returned 0.
- `migration`: opens a folder still at an old schema (the upgrade runs inside `open_store`);
  `ack migrated` once it is open, then logs encounters like `log`.

An acknowledgement is printed only after the write returned: what was acknowledged must be there
after any kill, what was not may or may not be.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

IMPORT_ROWS = 120
SITE = "Drop-in"
LOGGED_NOTE = "ZZ crash trial"
KIT_ITEMS = 5  # KIT-INJECT expands to SYRINGE, SWAB, COOKER, WATER, FILTER


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _open(folder: Path):  # type: ignore[no-untyped-def]
    from outreach_app.services.store import open_store

    return open_store(folder, passphrase=os.environ.get("OUTREACH_PASSPHRASE"))


def log_forever(store, trial: int) -> None:  # type: ignore[no-untyped-def]
    from outreach_app.domain.values import EncounterDraft
    from outreach_app.services import encounters

    for n in count():
        draft = EncounterDraft(
            site=SITE,
            occurred_at=datetime.now(UTC) - timedelta(minutes=1),
            kits={"KIT-INJECT": 1},
            participant_code=f"ZZ-CRASH-{trial:02d}{n % 50:02d}",
            syringes_returned=n % 3,
            note=LOGGED_NOTE,  # how the checker knows a logged encounter (codes are keyed)
        )
        record = store.write(lambda uow, d=draft: encounters.log_encounter(uow, d, override=True))
        say(f"ack encounter {record.id.hex}")


def sheet_text(trial: int, number: int) -> str:
    """IMPORT_ROWS rows, each unlike any other sheet's (so no file is refused as imported)."""
    today = datetime.now(UTC).date()
    lines = ["occurred_at,site,participant_code,people_served,notes,SYRINGE"]
    for row in range(IMPORT_ROWS):
        day = today - timedelta(days=2 + row % 20)
        lines.append(
            f"{day.isoformat()},{SITE},ZZ-TEST-{row % 40:02d},1,"
            f"synthetic trial {trial} sheet {number} row {row},1"
        )
    return "\n".join(lines) + "\n"


def import_forever(folder: Path, work: Path, trial: int) -> None:
    from outreach_app.cli import main

    say("ready")
    for n in count():
        sheet = work / f"sheet-{trial:03d}-{n:04d}.csv"
        sheet.write_text(sheet_text(trial, n), encoding="utf-8")
        code = main(["--data-dir", str(folder), "import-csv", str(sheet)])
        if code != 0:
            raise SystemExit(f"import-csv exited {code}")
        say(f"ack import {sheet.name}")


def backup_forever(folder: Path, work: Path, trial: int) -> None:
    from outreach_app.cli import main

    say("ready")
    for n in count():
        out = work / f"backup-{trial:03d}-{n:04d}.db"
        code = main(["--data-dir", str(folder), "backup", "--out", str(out)])
        if code != 0:
            raise SystemExit(f"backup exited {code}")
        say(f"ack backup {out}")


def main(argv: list[str]) -> None:
    kind, folder_arg, work_arg, trial_arg = argv
    folder, work, trial = Path(folder_arg), Path(work_arg), int(trial_arg)
    # Keep this process's stdout for acknowledgements only: the commands' own lines go too,
    # but they never start with "ack ".
    if kind == "log":
        store = _open(folder)
        say("ready")
        log_forever(store, trial)
    elif kind == "import":
        import_forever(folder, work, trial)
    elif kind == "backup":
        backup_forever(folder, work, trial)
    elif kind == "migration":
        import outreach_app.services.store  # noqa: F401  (imports before "ready": not timed)

        say("ready")
        store = _open(folder)
        say("ack migrated")
        log_forever(store, trial)
    else:
        raise SystemExit(f"unknown kind {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
