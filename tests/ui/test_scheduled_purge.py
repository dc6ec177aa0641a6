"""Closing the app runs the coordinators' scheduled purge when it is due, before the day's
backup, so that backup holds no purged text either."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, retention
from outreach_app.services.store import open_store

from outreach_app.ui.store_upkeep import back_up_and_close

MARK = b"ZZ-PURGE-MARKER"


def _old_note_and_schedule(store: Any) -> None:
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in",
                occurred_at=datetime.now(UTC) - timedelta(days=200),
                note="ZZ-PURGE-MARKER note",
            ),
        )
        retention.set_schedule(uow, 6)


def test_closing_runs_the_schedule_then_backs_up(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    _old_note_and_schedule(store)
    back_up_and_close(store)
    files = [p for p in plain_folder.rglob("*") if p.is_file()]
    assert any(p.name.startswith("daily-") for p in files)
    assert [p.name for p in files if MARK in p.read_bytes()] == []


def test_closing_a_file_found_damaged_does_not_purge(plain_folder: Path) -> None:
    """Writes are refused once the opening check found damage; the purge on close writes."""
    store = open_store(plain_folder)
    _old_note_and_schedule(store)
    back_up_and_close(store, purge=False)
    assert MARK in (plain_folder / "outreach.db").read_bytes()
