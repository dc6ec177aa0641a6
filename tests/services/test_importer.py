"""The importer as a service: the check pass writes nothing and says what would be added, bad
cells come as (row, column, message), progress reaches the end, a cancel writes nothing, and the
bulk writer stamps and draws exactly as logging row by row did."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from outreach_app.domain import identity
from outreach_app.domain.errors import BadCells, Cancelled, ShortfallError
from outreach_app.domain.values import CellProblem
from outreach_app.services import checks, importer, inventory
from outreach_app.services.store import Store
from outreach_app.storage.models import Device, Encounter, Import, StockMovement

SHEET = (
    "occurred_at,site,participant_code,notes,SYRINGE,NALOXONE-NASAL,KIT-INJECT\n"
    "2026-10-01,Drop-in,ZZ-TEST-01,,10,3,\n"
    "\n"
    "2026-10-02 10:00,Drop-in,,Call Jane Smith at 613-555-0199,,3,1\n"
    "2026-10-03,Drop-in,ZZ-TEST-02,,5,,\n"
)


def _sheet(tmp_path: Path, text: str = SHEET, name: str = "zz-sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _stock(store: Store) -> None:
    with store.unit_of_work() as uow:
        for code in ("SYRINGE", "SWAB", "COOKER", "WATER", "FILTER"):
            inventory.receive(uow, "Drop-in", code, 100)
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 2, lot="ZZ-SOON", expires=date(2030, 1, 1)
        )
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 5, lot="ZZ-LATE", expires=date(2031, 1, 1)
        )


def _count(store: Store, model: type) -> int:
    with store.reading() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _last_seq(store: Store) -> int:
    with store.reading() as uow:
        return uow.session.get_one(Device, store.device_id).last_seq


def test_check_pass_writes_nothing_and_says_what_would_be_added(store: Store, tmp_path: Path):
    _stock(store)
    sheet = _sheet(tmp_path)
    before = _last_seq(store)
    with store.reading() as uow:  # a read unit: the database would refuse a write
        found = importer.check_csv(uow, sheet)
    # Rows: (SYRINGE, NALOXONE), (NALOXONE + the kit's five items), (SYRINGE): 3 encounters.
    assert (found.encounters, found.lines, found.shortfalls) == (3, 2 + 6 + 1, ())
    assert found.identifying_rows == (4,)  # a name and a phone number in row 4's note
    assert _count(store, Encounter) == 0 and _last_seq(store) == before


def test_bad_cells_come_by_row_and_column_as_the_message_lists_them(store: Store, tmp_path: Path):
    sheet = _sheet(tmp_path, "occurred_at,site,SYRINGE,colour\n2026-02-30,Moonbase,2.5,\n")
    with pytest.raises(BadCells) as refused, store.reading() as uow:
        importer.check_csv(uow, sheet)
    cells = refused.value.cells
    assert [(c.row, c.column) for c in cells] == [
        (1, "colour"),
        (2, "SYRINGE"),
        (2, "occurred_at"),
        (2, "site"),
    ]
    assert all(isinstance(c, CellProblem) for c in cells)
    for cell in cells:  # the command line's text is unchanged: each line is a cell
        assert f"  {cell.describe()}" in refused.value.message


def test_progress_reaches_the_end_and_the_rows_are_stamped(store: Store, tmp_path: Path):
    _stock(store)
    sheet = _sheet(tmp_path)
    seen: list[tuple[str, int, int]] = []
    before = _last_seq(store)
    with store.unit_of_work() as uow:
        result = importer.import_csv(uow, sheet, progress=lambda *p: seen.append(p))
        file_id = uow.session.scalars(select(Import.id)).one()
    assert (result.encounters, result.lines, result.identifying_rows) == (3, 9, (4,))
    assert seen[-1] == ("writing", 3, 3) and ("checking", 4, 4) in seen
    with store.reading() as uow:
        encounters = uow.session.scalars(select(Encounter).order_by(Encounter.seq)).all()
        moves = uow.session.scalars(
            select(StockMovement).where(StockMovement.encounter_id.is_not(None))
        ).all()
        last = uow.session.get_one(Device, store.device_id).last_seq
    # Ids from the file's identity and the row's position among the non-blank rows.
    assert [e.id for e in encounters] == [identity.import_row_id(file_id, n) for n in (1, 2, 3)]
    seqs = sorted([e.seq for e in encounters] + [m.seq for m in moves])
    # The import record took before + 1, the audit entry the last one.
    assert seqs == list(range(before + 2, last))
    assert all(r.device_id == store.device_id for r in [*encounters, *moves])
    assert all(e.import_id == file_id and e.moves_stock for e in encounters)
    # The writer hashes what it inserts for the audit entry; check reads every record back.
    assert checks.run_checks(store).problems == []


def test_lots_are_drawn_first_expiry_first_across_the_rows(store: Store, tmp_path: Path):
    _stock(store)
    with store.unit_of_work() as uow:
        importer.import_csv(uow, _sheet(tmp_path))
    with store.reading() as uow:
        lots = {
            r.lot: r.on_hand
            for r in inventory.on_hand(uow, "Drop-in")
            if r.item_code == "NALOXONE-NASAL"
        }
    # Row 2 takes ZZ-SOON's 2 and one of ZZ-LATE; row 4 takes 3 more of ZZ-LATE.
    assert lots == {"ZZ-LATE": 1}


def test_a_shortfall_is_refused_unless_allowed_then_drawn_without_a_lot(
    store: Store, tmp_path: Path
):
    sheet = _sheet(tmp_path, "occurred_at,site,NALOXONE-NASAL,SYRINGE\n2026-10-01,Drop-in,4,6\n")
    with store.unit_of_work() as uow:
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 1, lot="ZZ-ONE", expires=date(2030, 1, 1)
        )
    with store.reading() as uow:
        found = importer.check_csv(uow, sheet)
    assert {s.describe() for s in found.shortfalls} == {
        "NALOXONE-NASAL at Drop-in: 4 wanted, 1 on hand (short by 3)",
        "SYRINGE at Drop-in: 6 wanted, 0 on hand (short by 6)",
    }
    with pytest.raises(ShortfallError), store.unit_of_work() as uow:
        importer.import_csv(uow, sheet)
    with store.unit_of_work() as uow:
        done = importer.import_csv(uow, sheet, allow_negative=True)
    assert len(done.negative_recorded) == 2
    with store.reading() as uow:
        rows = {(r.item_code, r.lot): r.on_hand for r in inventory.on_hand(uow, "Drop-in")}
    assert rows[("NALOXONE-NASAL", None)] == -3 and rows[("SYRINGE", None)] == -6


@pytest.mark.parametrize("stage", ["checking", "writing"])
def test_a_cancel_writes_nothing(store: Store, tmp_path: Path, stage: str):
    _stock(store)
    rows = "".join(f"2026-10-01,Drop-in,ZZ-{n:04d},,1,,\n" for n in range(4500))
    sheet = _sheet(tmp_path, SHEET.split("\n")[0] + "\n" + rows)
    before = (_count(store, Encounter), _count(store, Import), _last_seq(store))
    reached: list[int] = []

    def progress(at: str, done: int, total: int) -> None:
        if at == stage and done:
            reached.append(done)

    with pytest.raises(Cancelled, match="nothing was written"), store.unit_of_work() as uow:
        importer.import_csv(
            uow, sheet, allow_negative=True, progress=progress, is_cancelled=lambda: bool(reached)
        )
    assert reached == [importer.BATCH]
    assert (_count(store, Encounter), _count(store, Import), _last_seq(store)) == before
    with store.unit_of_work() as uow:  # and the same file still goes in afterwards
        assert importer.import_csv(uow, sheet, allow_negative=True).encounters == 4500
    assert _count(store, Encounter) == 4500


def test_an_import_with_every_kind_of_cell_leaves_check_clean(store: Store, tmp_path: Path):
    """The import's audit entry hashes the rows as its writer inserts them; `check` hashes
    them read back: every column and line an import can fill must agree."""
    _stock(store)
    sheet = _sheet(
        tmp_path,
        "occurred_at,site,participant_code,age_band,gender,new,people_served,"
        "syringes_returned,naloxone_reason,referrals,notes,SYRINGE,NALOXONE-NASAL,KIT-INJECT\n"
        "2026-10-01 09:30,Drop-in,ZZ-TEST-05,30-39,woman,yes,2,7,FIRST,OAT;TESTING,"
        "ZZ synthetic,10,1,1\n"
        "2026-10-02,Drop-in,,,,,,,,,,5,,\n",
        name="zz-every-cell.csv",
    )
    with store.unit_of_work() as uow:
        importer.import_csv(uow, sheet)
    assert checks.run_checks(store).problems == []
