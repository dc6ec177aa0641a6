"""Spreadsheet import (contracts §4): all or nothing, every bad cell named by row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from outreach_app.services import inventory
from tests.cli.conftest import Runner, Target

GOOD = (
    "occurred_at,site,participant_code,age_band,gender,new,people_served,syringes_returned,"
    "reversals_reported,naloxone_reason,naloxone_training,referrals,notes,SYRINGE,KIT-INJECT,"
    "naloxone-nasal\n"
    "2026-10-03,Drop-in,ZZ-TEST-01,30-39,Trans Woman,yes,1,20,0,,no,TESTING;oat,"
    "synthetic note,10,,\n"
    "2026-10-03 14:30,drop-in,,<20,,,3,0,1,used,yes,,,,1,1\n"
    "\n"
    "2026-10-04T09:15,Drop-in,ZZ-TEST-01,,,no,,5,,,,,,10,,\n"
)


def stock_of(outreach: Runner, target: Target) -> dict[tuple[str, str], int]:
    """On hand read through the services (the `stock` command has tests of its own)."""
    store = target.open()
    try:
        with store.unit_of_work() as uow:
            return {(r.item_code, r.lot or ""): r.on_hand for r in inventory.on_hand(uow)}
    finally:
        store.close()


@pytest.fixture
def stocked(target: Target) -> Target:
    """Stock received through the services directly: the import is what runs as a command."""
    store = target.open()
    with store.unit_of_work() as uow:
        for item, qty in (
            ("SYRINGE", 100),
            ("SWAB", 50),
            ("COOKER", 10),
            ("WATER", 10),
            ("FILTER", 10),
        ):
            inventory.receive(uow, "Drop-in", item, qty)
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 4, lot="ZZN-1", expires=date(2030, 1, 31)
        )
    store.close()
    return target


def test_good_file_imports_rows_and_moves_stock(
    stocked: Target, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "october.csv"
    sheet.write_text(GOOD, encoding="utf-8")
    done = outreach("import-csv", sheet, at=stocked)
    assert done.code == 0, done.err
    # Rows: (SYRINGE 10), (kit -> SYRINGE 10 SWAB 10 COOKER 2 WATER 2 FILTER 2, NALOXONE 1),
    # (SYRINGE 10): 3 encounters; lines 1 + 6 + 1 = 8.
    assert "Imported 3 encounters and 8 lines" in done.out
    stock = stock_of(outreach, stocked)
    assert stock[("SYRINGE", "")] == 100 - 30
    assert stock[("SWAB", "")] == 40
    assert stock[("NALOXONE-NASAL", "ZZN-1")] == 3
    assert outreach("check", at=stocked).code == 0
    again = outreach("import-csv", sheet, at=stocked)
    assert again.code == 1
    assert "already imported on" in again.err and "october.csv" in again.err
    assert stock_of(outreach, stocked) == stock


def test_semicolon_file_with_bom_and_pipe_referrals(
    stocked: Target, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "export-fr.csv"
    sheet.write_bytes(
        "\ufeffOccurred At;SITE;Referrals;Syringe\n2026-10-05;Drop-in;HOUSING|Mental Health;5\n"
        "2026-10-05;Drop-in;;5\n2026-10-05;Drop-in;;5\n".encode()
    )
    done = outreach("import-csv", sheet, at=stocked)
    assert done.code == 0, done.err
    # Identical rows are all kept: ids come from the file hash and the row number.
    assert "Imported 3 encounters and 3 lines" in done.out
    assert stock_of(outreach, stocked)[("SYRINGE", "")] == 85


def test_every_bad_cell_is_listed_and_nothing_is_written(
    stocked: Target, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "broken.csv"
    sheet.write_text(
        "occurred_at,site,age_band,SYRINGE,favourite_colour,gender\n"
        "2026-02-30,Drop-in,30-39,5,,\n"
        "2026-10-01,Moonbase,30-39,-2,,\n"
        "2026-10-01,Drop-in,99+,2.5,,robot\n",
        encoding="utf-8",
    )
    before = stock_of(outreach, stocked)
    done = outreach("import-csv", sheet, at=stocked)
    assert done.code == 1
    for expected in (
        "row 1, column favourite_colour",
        "row 2, column occurred_at",
        "row 3, column site",
        "row 3, column SYRINGE",
        "row 4, column age_band",
        "row 4, column SYRINGE",
        "row 4, column gender",
    ):
        assert expected in done.err, expected
    assert "nothing was written" in done.err
    assert stock_of(outreach, stocked) == before
    # A refused file was not recorded as imported: the fixed file goes in.
    sheet.write_text("occurred_at,site,SYRINGE\n2026-10-01,Drop-in,5\n", encoding="utf-8")
    assert outreach("import-csv", sheet, at=stocked).code == 0


def test_missing_required_column(stocked: Target, tmp_path: Path, outreach: Runner) -> None:
    sheet = tmp_path / "nosite.csv"
    sheet.write_text("occurred_at,SYRINGE\n2026-10-01,1\n", encoding="utf-8")
    done = outreach("import-csv", sheet, at=stocked)
    assert done.code == 1 and "row 1, column site: this required column is missing" in done.err


def test_shortfall_over_the_whole_file(stocked: Target, tmp_path: Path, outreach: Runner) -> None:
    sheet = tmp_path / "big.csv"
    sheet.write_text(
        "occurred_at,site,SYRINGE\n2026-10-01,Drop-in,60\n2026-10-02,Drop-in,60\n", encoding="utf-8"
    )
    before = stock_of(outreach, stocked)
    refused = outreach("import-csv", sheet, at=stocked)
    assert refused.code == 1
    assert "SYRINGE at Drop-in: 120 wanted, 100 on hand (short by 20)" in refused.err
    assert stock_of(outreach, stocked) == before
    allowed = outreach("import-csv", sheet, "--allow-negative", at=stocked)
    assert allowed.code == 0, allowed.err
    assert stock_of(outreach, stocked)[("SYRINGE", "")] == -20
    assert outreach("check", at=stocked).code == 0


def test_allow_negative_on_a_lot_item_records_a_row_without_lot(
    stocked: Target, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "nalox.csv"
    sheet.write_text("occurred_at,site,NALOXONE-NASAL\n2026-10-01,Drop-in,6\n", encoding="utf-8")
    assert outreach("import-csv", sheet, at=stocked).code == 1
    assert outreach("import-csv", sheet, "--allow-negative", at=stocked).code == 0
    stock = stock_of(outreach, stocked)
    assert stock[("NALOXONE-NASAL", "")] == -2
    assert ("NALOXONE-NASAL", "ZZN-1") not in stock  # emptied lot rows are left out


def test_no_stock_records_history_only(stocked: Target, tmp_path: Path, outreach: Runner) -> None:
    sheet = tmp_path / "history.csv"
    sheet.write_text("occurred_at,site,SYRINGE\n2025-01-01,Drop-in,500\n", encoding="utf-8")
    done = outreach("import-csv", sheet, "--no-stock", at=stocked)
    assert done.code == 0, done.err
    assert "Stock was not moved" in done.out
    assert stock_of(outreach, stocked)[("SYRINGE", "")] == 100
    assert outreach("check", at=stocked).code == 0


def test_unreadable_or_foreign_files(stocked: Target, tmp_path: Path, outreach: Runner) -> None:
    missing = outreach("import-csv", tmp_path / "nope.csv", at=stocked)
    assert missing.code == 1 and "does not exist" in missing.err
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    done = outreach("import-csv", binary, at=stocked)
    assert done.code == 1 and "UTF-8" in done.err
