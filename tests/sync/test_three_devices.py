"""Three real device folders working offline, merged by bundle files in different orders: every
device ends with the same monthly tally, stock and reconciliation CSVs, and `check` clean.

The work interleaves what devices of one program really do apart: encounters on each, a void of
another device's encounter, the same spreadsheet imported on two devices, a transfer, a count
at a site while another device hands out there, and the same new catalog code added on two.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from outreach_app.domain.clock import Period, local_date
from outreach_app.services import catalog, importer, inventory, stocktake
from outreach_app.services.store import Store
from outreach_app.sync.bundles import held_list
from tests.conftest import PASSPHRASE
from tests.sync.devices import make_devices
from tests.sync.work import export, log, merge_files, now_minus, problems, receive, reports, void

SHEET = (
    "occurred_at,site,participant_code,SYRINGE,CONDOM,referrals,notes\n"
    "{day},Drop-in,ZZ-SHEET-01,10,2,TESTING,synthetic sheet note\n"
    "{day},Drop-in,,4,0,,\n"
    "{day},Drop-in,ZZ-SHEET-02,0,6,HOUSING;OAT,\n"
)


@pytest.fixture(params=["sqlite", "sqlcipher"])
def stores(
    request: pytest.FixtureRequest, template_folders: dict[str, Path], tmp_path: Path
) -> Iterator[list[Store]]:
    passphrase = PASSPHRASE if request.param == "sqlcipher" else None
    members = make_devices(
        template_folders[request.param], tmp_path, ["A", "B", "C", "D"], passphrase
    )
    opened = [m.open() for m in members]
    yield opened
    for store in opened:
        store.close()


def _offline_work(a: Store, b: Store, c: Store, tmp: Path) -> None:
    t0 = now_minus(a, hours=8)
    with a.unit_of_work() as uow:
        catalog.add_site(uow, "Van ZZ", "van")
        catalog.add_item(uow, "ZZ-GAUZE", "Gauze (A)", "wound care")
    with b.unit_of_work() as uow:  # the same code, made apart on B: one row once merged
        catalog.add_item(uow, "zz-gauze", "Gauze (B)", "wound care")
    receive(a, "SYRINGE", 300, at=t0)
    receive(a, "NALOXONE-NASAL", 20, lot="NX-ZZ1", expires=(t0 + timedelta(days=400)).date(), at=t0)
    e1 = log(a, t0 + timedelta(minutes=30), {"SYRINGE": 10}, kits={"KIT-INJECT": 1},
             code="ZZ-01", referrals=("OAT",), note="synthetic note A")  # fmt: skip
    log(a, t0 + timedelta(hours=1), {"NALOXONE-NASAL": 1}, code="ZZ-02")
    a1 = export(a, tmp / "a1.bundle")
    merge_files(b, a1)

    void(b, e1, "entered twice")  # a void of A's encounter, made on B
    e3 = log(b, t0 + timedelta(hours=1, minutes=30), {"SYRINGE": 5}, code="ZZ-03")
    with b.unit_of_work() as uow:  # a count at Drop-in while A keeps handing out there
        stocktake.key_in_count(uow, "Drop-in", t0 + timedelta(hours=2), [("SYRINGE", None, 240)])
    b1 = export(b, tmp / "b1.bundle")

    sheet = tmp / "october.csv"
    sheet.write_text(SHEET.format(day=local_date(t0, a.zone).isoformat()), encoding="utf-8")
    merge_files(c, b1)
    void(c, e3, "wrong site")  # a void of B's encounter, made on C
    renamed = tmp / "october (1).csv"  # the same rows, saved under another name on C
    renamed.write_bytes(sheet.read_bytes().replace(b"\n", b"\r\n"))
    with c.unit_of_work() as uow:  # the same spreadsheet as A's, imported here too
        importer.import_csv(uow, renamed, allow_negative=True)
    log(c, t0 + timedelta(hours=4), {"CONDOM": 3}, site="Van ZZ")
    c1 = export(c, tmp / "c1.bundle")

    with a.unit_of_work() as uow:
        inventory.transfer(uow, "Drop-in", "Van ZZ", "SYRINGE", 50, at=t0 + timedelta(hours=3))
    log(a, t0 + timedelta(hours=3, minutes=10), {"SYRINGE": 7})  # after B's count
    log(a, t0 + timedelta(hours=1, minutes=45), {"SYRINGE": 2})  # before it, keyed in late
    with a.unit_of_work() as uow:
        importer.import_csv(uow, sheet, allow_negative=True)
    a2 = export(a, tmp / "a2.bundle")

    merge_files(b, c1, a2)  # both at once
    merge_files(a, c1)
    merge_files(a, b1)  # after c1, which already relayed it
    merge_files(c, a2, a1)


def _gossip(stores: list[Store], tmp: Path, rounds: int = 2) -> None:
    for n in range(rounds):
        for i, store in enumerate(stores):
            path = export(store, tmp / f"gossip-{n}-{i}.bundle")
            for other in stores:
                if other is not store:
                    merge_files(other, path)


def test_three_devices_agree_after_merging_in_different_orders(
    stores: list[Store], tmp_path: Path
) -> None:
    a, b, c, d = stores
    _offline_work(a, b, c, tmp_path)
    _gossip([c, a, b], tmp_path)
    month = Period.month(*_year_month(a))
    expected = reports(a, month)
    assert b"ZZ-GAUZE" in expected["stock"]
    for store in (b, c):
        assert reports(store, month) == expected
    # A fourth device that did nothing takes everything from one bundle written with --all.
    merge_files(d, export(a, tmp_path / "all.bundle", everything=True))
    assert reports(d, month) == expected
    for store in (a, b, c, d):
        # The file's record under the other name is a note; its rows merged as one.
        assert {h.reason for h in held_list(store)} <= {"renamed"}
        assert problems(store) == []
    with a.reading() as uow:  # the same code added on two devices: one row, the latest name
        gauze = [i for i in catalog.list_items(uow) if i.code.upper() == "ZZ-GAUZE"]
    assert len(gauze) == 1


def _year_month(store: Store) -> tuple[int, int]:
    day = local_date(now_minus(store, hours=4), store.zone)
    return day.year, day.month
