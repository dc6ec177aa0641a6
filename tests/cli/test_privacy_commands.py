"""`purge` and `passphrase` from the real command line (contracts §10), in subprocesses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, staff
from outreach_app.services.store import open_store
from outreach_app.storage.backup import read_backup_revision
from outreach_app.storage.models import Encounter
from tests.cli.conftest import Runner, Target
from tests.conftest import PASSPHRASE

MARK = "ZZ-PURGE-MARKER"
WORKER_PIN = "246810"  # synthetic
NEW_PASSPHRASE = "zz new 'passphrase' with \"quotes\""  # quotes must not break anything


def _old_note(target: Target) -> None:
    store = target.open()
    try:
        with store.unit_of_work() as uow:
            encounters.log_encounter(
                uow,
                EncounterDraft(
                    site="Drop-in",
                    occurred_at=datetime.now(UTC) - timedelta(days=400),
                    note=f"{MARK} note",
                ),
            )
            staff.add_staff(uow, "ZZ Worker", "worker", WORKER_PIN)
    finally:
        store.close()


def _notes(target: Target) -> list[str]:
    store = target.open()
    try:
        with store.reading() as uow:
            return [n for n in uow.session.scalars(select(Encounter.note)) if n]
    finally:
        store.close()


@pytest.mark.parametrize("months", ["0", "-1", "x", "1.5"])
def test_purge_needs_one_month_or_more(outreach: Runner, plain_folder: Path, months: str) -> None:
    done = outreach("purge", "--older-than", months, data_dir=plain_folder)
    assert done.code == 2 and ("months from 1" in done.err or "expected one argument" in done.err)
    assert outreach("purge", data_dir=plain_folder).code == 2  # say what to purge


def test_purge_by_a_coordinator_and_refused_to_a_worker(outreach: Runner, target: Target) -> None:
    _old_note(target)
    refused = outreach(
        "--staff", "ZZ Worker", "purge", "--older-than", "12", at=target, OUTREACH_PIN=WORKER_PIN
    )
    assert refused.code == 1
    assert "ZZ Worker is a worker and only a coordinator may purge old free text" in refused.err
    assert f"{MARK} note" in _notes(target)
    done = outreach("purge", "--older-than", "12", at=target)
    assert done.code == 0, done.err
    assert "Purged the free text of 1 record that occurred before" in done.out
    assert "README" in done.err
    if target.db_url:
        assert "VACUUM FULL" in done.err
    else:
        db = (target.data_dir / "outreach.db").read_bytes()
        assert MARK.encode() not in db
    assert f"{MARK} note" not in _notes(target)
    log = outreach("audit", "--csv", at=target)
    assert ",purge," in log.out
    scheduled = outreach("purge", "--schedule", "24", at=target)
    assert scheduled.code == 0 and "24 months" in scheduled.out
    assert outreach("purge", "--scheduled", at=target).out.strip() == "No purge is due."


def test_receive_says_when_its_source_looks_identifying(
    outreach: Runner, plain_folder: Path
) -> None:
    done = outreach(
        "receive", "--site", "Drop-in", "--item", "SWAB", "--qty", "5",
        "--source", "from ZZ Jane Roe, call 514-555-0199", data_dir=plain_folder,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "Saved, but the stock note seems to hold a phone number" in done.err
    assert "Saved" not in done.out


def _logs(folder: Path) -> str:
    return "".join(
        p.read_text(errors="replace") for p in (folder / "logs").rglob("*") if p.is_file()
    )


def test_passphrase_changes_and_older_backups_keep_the_old_one(
    outreach: Runner, encrypted_folder: Path
) -> None:
    done = outreach(
        "passphrase", data_dir=encrypted_folder, passphrase=PASSPHRASE,
        OUTREACH_NEW_PASSPHRASE=NEW_PASSPHRASE,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "opens only with the new one" in done.out
    old = outreach("stock", data_dir=encrypted_folder, passphrase=PASSPHRASE)
    assert old.code == 3 and "passphrase does not open" in old.err
    new = outreach("stock", data_dir=encrypted_folder, passphrase=NEW_PASSPHRASE)
    assert new.code == 0, new.err
    (saved,) = (encrypted_folder / "backups").glob("before-passphrase-*.db")
    assert read_backup_revision(saved, PASSPHRASE)  # the backup keeps the old passphrase
    audit = outreach("audit", "--csv", data_dir=encrypted_folder, passphrase=NEW_PASSPHRASE)
    assert ",passphrase," in audit.out
    everything = done.out + done.err + old.err + new.err + audit.out + _logs(encrypted_folder)
    for secret in (PASSPHRASE, NEW_PASSPHRASE, "passphrase' with"):
        assert secret not in everything
    store = open_store(encrypted_folder, passphrase=NEW_PASSPHRASE)
    try:
        assert NEW_PASSPHRASE not in repr(store)
    finally:
        store.close()


def test_passphrase_is_refused_where_there_is_none_or_to_a_worker(
    outreach: Runner, target: Target
) -> None:
    if target.backend == "sqlcipher":
        _old_note(target)
        done = outreach(
            "--staff", "ZZ Worker", "passphrase", at=target, OUTREACH_PIN=WORKER_PIN,
            OUTREACH_NEW_PASSPHRASE=NEW_PASSPHRASE,
        )  # fmt: skip
        assert done.code == 1 and "only a coordinator may change the passphrase" in done.err
        assert outreach("stock", at=target).code == 0  # the old passphrase still opens it
        return
    done = outreach("passphrase", at=target, OUTREACH_NEW_PASSPHRASE=NEW_PASSPHRASE)
    assert done.code == 1
    why = "PostgreSQL database has no passphrase" if target.db_url else "not encrypted"
    assert why in done.err and "Nothing was changed" in done.err
