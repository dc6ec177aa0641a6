"""A purge empties the free text of records held back by a merge (contracts §10 and §9): those
held when it runs (in the database and in the folder's backups), and those that arrive after
it, on real device folders."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from outreach_app.services import backups, retention
from outreach_app.services.store import Store
from outreach_app.storage.models import Encounter, SyncHeld
from outreach_app.sync.bundles import held_list
from outreach_app.sync.merge import Incoming, merge
from outreach_app.sync.records import Record, records_since
from tests.sync.devices import make_devices
from tests.sync.work import export, log, merge_files, now_minus, problems, receive

NOTE_1 = "synthetic held note one"
NOTE_2 = "synthetic held note two"


@pytest.fixture
def pair(template_folders: dict[str, Path], tmp_path: Path) -> Iterator[list[Store]]:
    members = make_devices(template_folders["sqlite"], tmp_path, ["A", "B"])
    stores = [m.open() for m in members]
    yield stores
    for store in stores:
        store.close()


def _encounter_with_draw(a: Store, days: int, note: str) -> tuple[uuid.UUID, list[Record]]:
    """An encounter `days` ago on A drawing a naloxone kit, and its records (the encounter and
    its draw, not the lot they refer to: on B they wait for it)."""
    encounter = log(a, now_minus(a, days=days), {"NALOXONE-NASAL": 1}, note=note)
    with a.reading() as uow:
        records = [
            r
            for r in records_since(uow.session.connection(), {}, everything=True)
            if r.row.get("id") == encounter.hex or r.row.get("encounter_id") == encounter.hex
        ]
    assert sorted(r.kind for r in records) == ["encounters", "stock_movements"]
    return encounter, records


def _held_notes(store: Store) -> dict[uuid.UUID, str]:
    with store.reading() as uow:
        rows = uow.session.execute(
            select(SyncHeld.record_id, SyncHeld.payload).where(SyncHeld.kind == "encounters")
        ).all()
    return {record_id: json.loads(payload)["row"].get("note", "") for record_id, payload in rows}


def _file_bytes(store: Store, folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("outreach.db*"))


def test_a_purge_empties_held_records_before_and_after_it(
    pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    receive(a, "NALOXONE-NASAL", 10, lot="ZZ-HELD1", expires=date.today() + timedelta(days=400))
    first, records = _encounter_with_draw(a, 40, NOTE_1)
    with b.unit_of_work() as uow:
        counts = merge(uow, Incoming(records=records))
    assert counts.total("pending") == 2  # waiting for the lot
    assert _held_notes(b) == {first: NOTE_1}
    backups.daily_backup(b)  # a backup in the folder holds the held note too
    folder = tmp_path / "B"
    (backup,) = (folder / "backups").glob("daily-*.db")
    assert NOTE_1.encode() in backup.read_bytes()

    result = retention.purge(b, 1)  # B's own purge: cut-off a month ago
    assert ("sync_held", 1) in result.emptied
    assert result.backups_rewritten == (backup.name,)
    assert _held_notes(b) == {first: ""}
    assert NOTE_1.encode() not in _file_bytes(b, folder)
    assert NOTE_1.encode() not in backup.read_bytes()
    with sqlite3.connect(backup) as conn:
        (payload,) = conn.execute(
            "SELECT payload FROM sync_held WHERE kind = 'encounters'"
        ).fetchone()
    assert json.loads(payload)["row"]["note"] == ""

    # Held after the purge (it occurred before the cut-off): written without its note.
    second, later = _encounter_with_draw(a, 35, NOTE_2)
    with b.unit_of_work() as uow:
        merge(uow, Incoming(records=later))
    assert _held_notes(b) == {first: "", second: ""}
    assert NOTE_2.encode() not in _file_bytes(b, folder)
    # A record held that occurred after the cut-off keeps its note.
    recent, fresh = _encounter_with_draw(a, 2, "synthetic recent note")
    with b.unit_of_work() as uow:
        merge(uow, Incoming(records=fresh))
    assert _held_notes(b)[recent] == "synthetic recent note"

    # The lot arrives: the held records apply, the purged ones without their notes.
    merge_files(b, export(a, tmp_path / "a.bundle", everything=True))
    assert held_list(b) == []
    with b.reading() as uow:
        notes = dict(uow.session.execute(select(Encounter.id, Encounter.note)).all())
    assert (notes[first], notes[second], notes[recent]) == ("", "", "synthetic recent note")
    assert problems(b) == []
