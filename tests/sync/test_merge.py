"""The merge rules of contracts §9, one at a time, on real device folders (SQLite)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from outreach_app.services import catalog, importer, staff, stocktake
from outreach_app.services.store import Store
from outreach_app.storage.facts import RECORD_TABLES, read_facts
from outreach_app.storage.models import (
    Device,
    DeviceRevocation,
    EncounterVoid,
    Invitation,
    Purge,
    RecordCopy,
    Setting,
    StockMovement,
    SyncHeld,
)
from outreach_app.storage.plain_rows import payload_hash
from outreach_app.sync.bundles import held_list
from outreach_app.sync.held import read_marks, reason_text
from outreach_app.sync.merge import Incoming, merge
from outreach_app.sync.records import Record, records_since, shared_rows, travelling_since
from tests.sync.devices import make_devices
from tests.sync.work import export, log, merge_files, now_minus, problems, receive, void


@pytest.fixture
def trio(template_folders: dict[str, Path], tmp_path: Path) -> Iterator[list[Store]]:
    members = make_devices(template_folders["sqlite"], tmp_path, ["A", "B", "C"])
    stores = [m.open() for m in members]
    yield stores
    for store in stores:
        store.close()


def _count(store: Store, model: type, **where: object) -> int:
    with store.reading() as uow:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(uow.session.scalar(query) or 0)


def test_every_kind_hashes_the_same_travelling_and_stored(
    trio: list[Store], tmp_path: Path
) -> None:
    """A record's facts hash from its travelling form equals `check`'s hash of it stored, for
    every kind: merging compares them without writing first."""
    a, b, _c = trio
    merge_files(a, export(b, tmp_path / "b.bundle"))  # A meets B, whom it revokes below
    when = now_minus(a, hours=3)
    receive(a, "NALOXONE-NASAL", 12, lot="NX-ZZ1", expires=(when + timedelta(days=400)).date())
    enc = log(a, when, {"SYRINGE": 4, "NALOXONE-NASAL": 1}, kits={"KIT-INJECT": 1}, code="ZZ-01",
              referrals=("OAT",), note="synthetic note")  # fmt: skip
    void(a, enc)
    with a.unit_of_work() as uow:
        stocktake.key_in_count(uow, "Drop-in", uow.now(), [("SYRINGE", None, 3)])
        uow.session.add(Invitation(invite_key=b"k" * 32, signature=b"s" * 64))
        uow.session.add(DeviceRevocation(revoked_device_id=b.device_id, reason="test"))
        uow.session.add(Purge(cut_off=when - timedelta(days=900), older_than_months=24))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"occurred_at,site,SYRINGE\n{when.date().isoformat()},Drop-in,2\n")
    with a.unit_of_work() as uow:
        importer.import_csv(uow, sheet, allow_negative=True)
    with a.reading() as uow:
        conn = uow.session.connection()
        stored = {rec.id: rec.hash for kind in RECORD_TABLES for rec in read_facts(conn, kind)}
        travelling = list(records_since(conn, {}, everything=True)) + list(shared_rows(conn))
        # SQLite writes the same plain form itself for the export of a year: the same objects.
        texts = [json.loads(t) for _k, _d, _s, t in travelling_since(conn, {}, everything=True)]
        bodies = [r.body() for r in records_since(conn, {}, everything=True)]
    assert sorted(texts, key=json.dumps) == sorted(bodies, key=json.dumps)
    assert len(texts) > 30
    with a.reading() as uow:
        conn = uow.session.connection()
    kinds = set()
    for record in travelling:
        if record.kind in RECORD_TABLES and record.kind != "audit_log":
            again = Record.decode(record.encode())
            assert payload_hash(again.kind, again.row, again.children) == stored[again.record_id]
            kinds.add(record.kind)
    assert kinds == set(RECORD_TABLES) - {"audit_log"}


def test_the_same_void_on_two_devices_is_one_record_with_a_copy(
    trio: list[Store], tmp_path: Path
) -> None:
    a, b, c = trio
    receive(a, "SYRINGE", 50)
    enc = log(a, now_minus(a, hours=2), {"SYRINGE": 5})
    first = export(a, tmp_path / "a1.bundle")
    merge_files(b, first)
    void(a, enc, "entered twice on A")
    void(b, enc, "entered twice on B")
    merge_files(a, export(b, tmp_path / "b1.bundle"))
    a2 = export(a, tmp_path / "a2.bundle")
    merge_files(b, a2)
    counts = merge_files(c, first, tmp_path / "b1.bundle", a2)
    with c.reading() as uow:  # what `devices` shows as the carriers' last sync
        synced = {d.id for d in uow.session.scalars(select(Device)) if d.last_sync_at}
    assert synced == {a.device_id, b.device_id}
    for store in (a, b, c):
        assert _count(store, EncounterVoid) == 1
        assert _count(store, RecordCopy) >= 2  # the void and its reversal, made twice
        assert _count(store, StockMovement, reverses_id=None) == 2
        assert problems(store) == []
    assert counts.by_kind["encounter_voids"]["quarantined"] == 0


def test_a_record_known_with_other_facts_is_quarantined(trio: list[Store], tmp_path: Path) -> None:
    a, b, _c = trio
    enc = log(a, now_minus(a, hours=2), {"SYRINGE": 5})
    with a.reading() as uow:
        conn = uow.session.connection()
        records = [r for r in records_since(conn, {}) if r.kind == "encounters"]
    merge_files(b, export(a, tmp_path / "a1.bundle"))
    (changed,) = [r for r in records if r.record_id == enc]
    changed.row["people_served"] = 7
    changed.raw = None
    with b.unit_of_work() as uow:
        counts = merge(uow, Incoming(records=[changed]))
    assert counts.by_kind["encounters"]["quarantined"] == 1
    (held,) = held_list(b)
    assert (held.kind, held.record_id, held.state) == ("encounters", enc, "quarantined")
    assert any("quarantined" in p for p in problems(b))


def test_a_void_before_its_encounter_waits_then_applies(trio: list[Store], tmp_path: Path) -> None:
    a, b, c = trio
    receive(a, "SYRINGE", 50)
    enc = log(a, now_minus(a, hours=2), {"SYRINGE": 5})
    a1 = export(a, tmp_path / "a1.bundle")
    merge_files(b, a1)
    export(b, tmp_path / "b1.bundle")  # B's mark for A's records moves past them
    void(b, enc)
    b2 = export(b, tmp_path / "b2.bundle")
    counts = merge_files(c, b2)
    assert counts.by_kind["encounter_voids"]["pending"] == 1
    assert counts.by_kind["stock_movements"]["pending"] == 1  # the stock it gave back, with it
    (held, _reversal) = held_list(c)
    assert held.state == "pending"
    assert "waiting for encounter" in reason_text(held.reason).english()
    assert problems(c) == []  # pending is a note, and B's chain still fits
    # C exports what it holds, pending records included: D gets the void from C alone.
    merge_files(c, a1)
    assert held_list(c) == []
    assert _count(c, EncounterVoid) == 1
    assert problems(c) == []


def test_marks_move_only_past_what_was_written(trio: list[Store], tmp_path: Path) -> None:
    a, _b, _c = trio
    log(a, now_minus(a, hours=2), {"SYRINGE": 1})
    export(a, tmp_path / "a1.bundle")
    with a.reading() as uow:
        marks = read_marks(uow.session.connection())
        assert marks[a.device_id] > 0
        again = list(records_since(uow.session.connection(), marks))
    # Only the export's own audit entry, written after its bundle, is left for the next one
    # (and the invitations, which always travel: they prove who may join).
    assert [r.kind for r in again if r.kind != "invitations"] == ["audit_log"]
    log(a, now_minus(a, hours=1), {"SYRINGE": 1})
    with a.reading() as uow:
        fresh = list(records_since(uow.session.connection(), read_marks(uow.session.connection())))
    assert {r.kind for r in fresh} == {"encounters", "stock_movements", "audit_log", "invitations"}


def test_shared_rows_latest_change_wins_and_one_code_is_one_row(
    trio: list[Store], tmp_path: Path
) -> None:
    a, b, c = trio
    with a.unit_of_work() as uow:
        catalog.add_item(uow, "ZZ-GAUZE", "Gauze (A)", "wound care")
    with b.unit_of_work() as uow:
        catalog.add_item(uow, "zz gauze", "Gauze (B)", "wound care")
        staff.add_staff(uow, "Sam ZZ", "worker")
    with a.unit_of_work() as uow:  # A renames it after B made it: A's name is the latest
        item = next(i for i in catalog.list_items(uow) if i.code == "ZZ-GAUZE")
        catalog.update_item(uow, item.id, name="Gauze pads")
    files = [export(a, tmp_path / "a.bundle"), export(b, tmp_path / "b.bundle")]
    for store in (a, b, c):
        merge_files(store, *reversed(files))
        with store.reading() as uow:
            names = [i.name for i in catalog.list_items(uow) if "GAUZE" in i.code.upper()]
            people = [p.name for p in staff.list_staff(uow)]
        assert names == ["Gauze pads"]
        assert "Sam ZZ" in people
        assert problems(store) == []


def test_settings_of_the_organisation_travel_and_a_devices_own_never(
    trio: list[Store], tmp_path: Path
) -> None:
    a, b, _c = trio
    with a.unit_of_work() as uow:
        uow.session.get_one(Setting, "org_name").value = "Renamed ZZ Org"
        uow.session.get_one(Setting, "device_id").value = str(uuid.uuid4())  # must never travel
    with a.reading() as uow:
        mine = uow.session.get_one(Setting, "device_id").value
    merge_files(b, export(a, tmp_path / "a.bundle"))
    with b.reading() as uow:
        assert uow.session.get_one(Setting, "org_name").value == "Renamed ZZ Org"
        assert uow.session.get_one(Setting, "device_id").value != mine


def test_a_revoked_devices_records_are_quarantined(trio: list[Store], tmp_path: Path) -> None:
    _a, b, c = trio
    log(b, now_minus(b, hours=2), {"SYRINGE": 2})
    with b.reading() as uow:
        records = list(records_since(uow.session.connection(), {}))
    with c.unit_of_work() as uow:
        uow.session.add(DeviceRevocation(revoked_device_id=b.device_id, reason="lost laptop"))
    with c.unit_of_work() as uow:
        counts = merge(uow, Incoming(records=[r for r in records if r.device == b.device_id]))
    assert counts.total("added") == 0
    assert counts.by_kind["encounters"]["quarantined"] == 1
    assert {h.reason for h in held_list(c)} == {"revoked"}
    assert _count(c, SyncHeld, state="quarantined") == counts.total("quarantined")
    assert problems(c) == []  # a revoked device's records are a note, not damage
