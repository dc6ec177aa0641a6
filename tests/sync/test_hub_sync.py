"""`sync` through a real PostgreSQL hub: three real device folders (SQLite and SQLCipher) of one
organisation, interleaved offline work, syncs in different orders, an interrupted sync.

Every device and the hub end with identical monthly tally, stock and reconciliation CSVs and a
clean `check`; a sync with nothing new moves nothing; a sync cut off mid-batch writes nothing
half and the next one completes without duplicates.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import catalog, encounters, importer, inventory, stocktake
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import Device, Encounter, Item, StockMovement
from outreach_app.sync.hub import PUSH, SyncSummary, sync_with_hub
from outreach_app.sync.hub_connect import HubUnreachable
from tests.conftest import PASSPHRASE
from tests.pg_cluster import Cluster
from tests.sync.hub_org import Killer, Org, make_org, outputs, problems

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SHEET = (
    "occurred_at,site,participant_code,age_band,SYRINGE,KIT-INJECT\n"
    "2026-10-01 10:00,Drop-in,ZZ-TEST-01,20-29,10,\n"
    "2026-10-01 11:00,Drop-in,,,5,1\n"
    "2026-10-02 09:30,Drop-in,ZZ-TEST-02,30-39,,2\n"
)


@pytest.fixture
def org(template_folders: dict[str, Path], pg: Cluster, tmp_path: Path) -> Iterator[Org]:
    made = make_org(template_folders["sqlite"], pg, tmp_path)
    yield made
    made.close()


@pytest.fixture
def pair(template_folders: dict[str, Path], pg: Cluster, tmp_path: Path) -> Iterator[Org]:
    """Device A and the hub only (joining costs seconds: the join code is stretched)."""
    made = make_org(template_folders["sqlite"], pg, tmp_path, others=())
    yield made
    made.close()


def _log(store: Store, site: str, when: datetime, code: str | None = None, **items: int) -> None:
    draft = EncounterDraft(site=site, occurred_at=when, items=items, participant_code=code)
    store.write(lambda uow: encounters.log_encounter(uow, draft, override=True))


def _ids(store: Store) -> list[object]:
    with store.reading() as uow:
        return list(uow.session.scalars(select(Encounter.id).order_by(Encounter.occurred_at)))


def _count(store: Store, model: type) -> int:
    with store.reading() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _work_offline(org: Org, sheet: Path) -> None:
    """What each device does before the syncs, each on its own."""
    a, b, c = org.stores["A"], org.stores["B"], org.stores["C"]
    oct_ = datetime(2026, 10, 5, 15, tzinfo=UTC)
    a.write(lambda uow: inventory.receive(uow, "Drop-in", "SYRINGE", 500))
    a.write(lambda uow: catalog.add_site(uow, "ZZ Van", "van"))
    a.write(lambda uow: inventory.transfer(uow, "Drop-in", "ZZ Van", "SYRINGE", 100))
    _log(a, "Drop-in", oct_, "ZZ-TEST-01", SYRINGE=20)
    _log(a, "Drop-in", oct_.replace(day=6), None, SYRINGE=10)
    # A and C add the same new code: one row once merged.
    for store in (a, c):
        store.write(lambda uow: catalog.add_item(uow, "ZZ-BANDAGE", "Bandage", "Wound care"))
    # B and C import the same spreadsheet: its rows are one set of records once merged.
    for store in (b, c):
        store.write(lambda uow: importer.import_csv(uow, sheet, allow_negative=True))
    _log(b, "Drop-in", oct_.replace(day=7), "ZZ-TEST-02", SYRINGE=4)
    # C counts the Drop-in shelf while A hands out there.
    at = datetime(2026, 10, 8, 12, tzinfo=UTC)
    c.write(lambda uow: stocktake.key_in_count(uow, "Drop-in", at, [("SYRINGE", None, 300)]))
    _log(a, "Drop-in", at.replace(hour=13), "ZZ-TEST-03", SYRINGE=2)


def _sync(org: Org, name: str, **kwargs: object) -> SyncSummary:
    return sync_with_hub(org.stores[name], org.hub_url, **kwargs)  # type: ignore[arg-type]


def _converged(org: Org) -> None:
    hub = org.open_hub()
    try:
        expected = outputs(hub)
        assert problems(hub) == []
        hub_ids = _ids(hub)
    finally:
        hub.close()
    for name, store in org.stores.items():
        assert outputs(store) == expected, name
        assert problems(store) == [], name
        assert _ids(store) == hub_ids, name


@pytest.mark.parametrize("order", ["ABC", "CBA", "BAC"])
def test_devices_converge_through_the_hub_in_any_order(
    org: Org, tmp_path: Path, order: str
) -> None:
    sheet = tmp_path / "zz-sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    _work_offline(org, sheet)
    for name in order:
        assert _sync(org, name).complete
    # B voids one of A's encounters once it has it, and syncs again.
    b = org.stores["B"]
    _sync(org, "B")
    with b.reading() as uow:
        target = uow.session.scalar(
            select(Encounter.id).where(Encounter.device_id == org.stores["A"].device_id).limit(1)
        )
    assert target is not None
    b.write(lambda uow: encounters.void_encounter(uow, target, "ZZ entered twice"))
    for name in order + order:
        _sync(org, name)
    _converged(org)
    # Nothing new anywhere: nothing moves, in either direction.
    for name in order:
        again = _sync(org, name)
        assert (again.total_pushed, again.total_pulled, again.batches) == (0, 0, 0), name
    # The shared spreadsheet and the shared code are one set of rows, not two.
    assert _count(org.stores["A"], Encounter) == 3 + 3 + 1  # A's, the sheet's, B's
    for store in org.stores.values():
        with store.reading() as uow:
            same = uow.session.scalar(
                select(func.count()).select_from(Item).where(Item.code == "ZZ-BANDAGE")
            )
        assert same == 1


def test_last_sync_is_recorded_for_this_device_and_those_it_heard_of(org: Org) -> None:
    _sync(org, "B")
    _sync(org, "A")
    a = org.stores["A"]
    with a.reading() as uow:
        seen = dict(uow.session.execute(select(Device.id, Device.last_sync_at)).all())
    assert seen[a.device_id] is not None
    assert seen[org.stores["B"].device_id] is not None
    assert seen.get(org.stores["C"].device_id) is None  # C never synced (nor is known yet)


def test_batches_progress_and_cancel(pair: Org) -> None:
    org = pair
    a = org.stores["A"]
    for day in range(1, 21):
        _log(a, "Drop-in", datetime(2026, 10, day, 12, tzinfo=UTC), None, SYRINGE=1)
    seen: list[tuple[str, int, int]] = []
    summary = _sync(
        org,
        "A",
        progress=lambda *p: seen.append(p),
        cancelled=lambda: len(seen) >= 3,
        batch_size=10,
    )
    assert not summary.complete
    assert seen[0][:2] == (PUSH, 0)
    assert 0 < seen[-1][1] < seen[-1][2]
    finished = _sync(org, "A", batch_size=10)
    assert finished.complete and finished.batches > 1
    _converged_pair(org, "A")


def _converged_pair(org: Org, name: str) -> None:
    hub = org.open_hub()
    try:
        assert outputs(hub) == outputs(org.stores[name])
        assert problems(hub) == []
        assert _count(hub, Encounter) == _count(org.stores[name], Encounter)
        assert _count(hub, StockMovement) == _count(org.stores[name], StockMovement)
    finally:
        hub.close()


def test_a_connection_killed_mid_batch_writes_nothing_half_and_the_next_sync_completes(
    pair: Org,
) -> None:
    org = pair
    a = org.stores["A"]
    a.write(lambda uow: inventory.receive(uow, "Drop-in", "SYRINGE", 1000))
    for day in range(1, 29):
        _log(a, "Drop-in", datetime(2026, 10, day, 12, tzinfo=UTC), "ZZ-TEST-09", SYRINGE=3)
    with Killer(org) as killer:

        def progress(stage: str, done: int, _total: int) -> None:
            if stage == PUSH and done > 0:
                killer.arm()  # the next batch stops mid-transaction and is killed

        with pytest.raises(HubUnreachable) as raised:
            _sync(org, "A", progress=progress, batch_size=20)
    assert killer.killed, "the sync's backend was never seen waiting"
    assert "lost during the sync" in raised.value.message
    assert "run the sync again" in raised.value.message
    hub = org.open_hub()
    try:
        assert problems(hub) == []  # whole actions only: no encounter without its draws
        partial = _count(hub, Encounter)
    finally:
        hub.close()
    assert 0 < partial < 28
    again = _sync(org, "A", batch_size=20)
    assert again.complete
    assert again.rows()  # it sent the rest
    _converged_pair(org, "A")
    assert _sync(org, "A").total_pushed == 0


def test_the_device_keeps_writing_between_batches_of_a_pull(org: Org) -> None:
    """The app writes while a sync pulls: the sync holds this device's write lock for one batch
    at a time, never across the network (here the write is made from the sync's own thread,
    between two batches, through another store on the same folder, as the app would)."""
    a, b = org.stores["A"], org.stores["B"]
    for day in range(1, 16):
        _log(a, "Drop-in", datetime(2026, 10, day, 12, tzinfo=UTC), None, SYRINGE=1)
    _sync(org, "A")
    beside = open_store(org.folders["B"], passphrase=PASSPHRASE)  # as the app holds it
    written: list[int] = []

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "pulling" and done > 0:
            when = datetime(2026, 11, 1 + len(written), 12, tzinfo=UTC)
            draft = EncounterDraft(site="Drop-in", occurred_at=when, items={"SYRINGE": 1})
            beside.write(lambda uow: encounters.log_encounter(uow, draft, override=True))
            written.append(done)

    try:
        summary = _sync(org, "B", progress=progress, batch_size=10)
    finally:
        beside.close()
    assert summary.complete and len(written) > 1
    _sync(org, "B")
    _sync(org, "A")
    assert outputs(a) == outputs(b)


def test_three_devices_syncing_at_once_converge(org: Org) -> None:
    for name, day in (("A", 3), ("B", 4), ("C", 5)):
        _log(org.stores[name], "Drop-in", datetime(2026, 10, day, 12, tzinfo=UTC), None, SYRINGE=2)
    failures: list[BaseException] = []

    def run(name: str) -> None:
        try:
            _sync(org, name, batch_size=5)
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in "ABC"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures
    for name in "ABCABC":
        _sync(org, name)
    _converged(org)
