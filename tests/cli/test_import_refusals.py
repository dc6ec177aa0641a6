"""Cells `import-csv` refuses (contracts §4, issue 11): each named by row and column, all listed,
nothing written; and how local times around the Toronto DST changes of 2026 are read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from outreach_app.services.store import open_store
from outreach_app.storage.models import Encounter
from tests.cli.conftest import Result, Runner
from tests.cli.test_refusals import refused, syringes
from tests.conftest import TIMEZONE

TEN_MB = 10 * 1024 * 1024
ZONE = ZoneInfo(TIMEZONE)


def imported(folder: Path) -> list[datetime]:
    store = open_store(folder)
    try:
        with store.unit_of_work() as uow:
            return sorted(uow.session.scalars(select(Encounter.occurred_at)))
    finally:
        store.close()


def run_import(outreach: Runner, folder: Path, sheet: Path, *extra: str) -> Result:
    return outreach("import-csv", sheet, *extra, data_dir=folder)


def test_a_10_mb_cell_is_refused_by_cell_and_the_rest_still_checked(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "huge.csv"
    with sheet.open("w", encoding="utf-8") as handle:
        handle.write("occurred_at,site,notes,SYRINGE\n")
        handle.write(f'2026-10-01,Drop-in,"{"z" * TEN_MB}",1\n')
        handle.write(f"2026-10-01,Drop-in,,{'9' * 10}x{'9' * TEN_MB}\n")
        handle.write("2026-10-01,Moonbase,,1\n")
    done = run_import(outreach, plain_folder, sheet, "--allow-negative")
    refused(done, 1, "nothing was written", "Fix these 3 cells")
    assert "row 2, column notes: the note has 10,485,760 characters; keep it to 500" in done.err
    assert "row 3, column SYRINGE: '9999999999x" in done.err
    assert "(10,485,771 characters) is not a whole number" in done.err
    assert "row 4, column site: no site is called 'Moonbase'" in done.err
    assert len(done.err) < 2000  # the cells themselves are not repeated
    assert imported(plain_folder) == []
    assert syringes(plain_folder) == 0


def test_a_quote_left_open_joins_the_rest_of_the_file_into_one_cell(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "open-quote.csv"
    body = "".join(f"2026-10-01,Drop-in,{n},1\n" for n in range(200_000))
    sheet.write_text(f'occurred_at,site,notes,SYRINGE\n2026-10-01,Drop-in,"oops,1\n{body}')
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "row 2, column notes: the note has")
    assert imported(plain_folder) == []


def test_every_bad_cell_is_listed_however_many(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "many.csv"
    rows = "".join(f"2026-10-01,Drop-in,{n}.5\n" for n in range(450))
    sheet.write_text(f"occurred_at,site,SYRINGE\n{rows}", encoding="utf-8")
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix these 450 cells")
    listed = [line for line in done.err.splitlines() if ", column SYRINGE: " in line]
    assert len(listed) == 450
    assert "row 2, column SYRINGE: '0.5' is not a whole number" in done.err
    assert "row 451, column SYRINGE: '449.5' is not a whole number" in done.err
    # The list is long: its last line says again what it was.
    assert done.err.splitlines()[-1] == "450 cells to fix in many.csv; nothing was written."
    assert imported(plain_folder) == []


def test_a_long_note_is_named_even_beside_other_errors(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "notes.csv"
    sheet.write_text(
        "occurred_at,site,notes,SYRINGE\n"
        f"2026-10-01,Moonbase,{'a' * 501},x\n"
        f"2026-10-02,Drop-in,{'b' * 500},1\n"
        f"2026-10-03,Drop-in,{'c' * 600},1\n",
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix these 4 cells")
    assert "row 2, column site: " in done.err
    assert "row 2, column notes: the note has 501 characters; keep it to 500" in done.err
    assert "row 2, column SYRINGE: 'x' is not a whole number" in done.err
    assert "row 3" not in done.err  # exactly 500 is accepted
    assert "row 4, column notes: the note has 600 characters" in done.err


def test_digits_other_than_0_to_9_are_refused_by_cell(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "digits.csv"
    sheet.write_text(
        "occurred_at,site,people_served,SYRINGE,KIT-INJECT\n"
        "2026-10-01,Drop-in,1,٣,\n"  # Arabic-Indic three
        "2026-10-01,Drop-in,３,1,\n"  # full-width three
        "２０２６-10-01,Drop-in,1,1,\n"
        "2026-10-01,Drop-in,1,1,१\n"  # Devanagari one
        "2026-10-01,Drop-in,1,3,\n",
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix these 4 cells")
    assert "row 2, column SYRINGE: '٣' has digits other than 0-9" in done.err
    assert "row 3, column people_served: '３' has digits other than 0-9" in done.err
    assert "row 4, column occurred_at: '２０２６-10-01' has digits other than 0-9" in done.err
    assert "row 5, column KIT-INJECT: '१' has digits other than 0-9" in done.err
    assert "row 6" not in done.err
    assert imported(plain_folder) == []


def test_spring_forward_gap_refused_by_row_and_column(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "spring.csv"
    sheet.write_text(
        "occurred_at,site,SYRINGE\n"
        "2026-03-08 01:59,Drop-in,1\n"
        "2026-03-08 02:30,Drop-in,1\n"
        "2026-03-08T02:00:00,Drop-in,1\n"
        "2026-03-08 03:00,Drop-in,1\n"
        "2026-03-08,Drop-in,1\n",
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix these 2 cells")
    assert (
        "row 3, column occurred_at: 2026-03-08 02:30 does not exist in America/Toronto" in done.err
    )
    assert "row 4, column occurred_at: 2026-03-08 02:00 does not exist" in done.err
    assert "row 2," not in done.err and "row 5," not in done.err and "row 6," not in done.err
    assert imported(plain_folder) == []


def test_times_around_the_two_changes_are_read_in_the_right_offset(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "changes.csv"
    sheet.write_text(
        "occurred_at,site,SYRINGE\n"
        "2026-03-08 01:59,Drop-in,1\n"  # EST: 06:59 UTC
        "2026-03-08 03:00,Drop-in,1\n"  # EDT: 07:00 UTC
        "2026-03-08,Drop-in,1\n"  # noon EDT: 16:00 UTC
        "2026-11-01 01:30,Drop-in,1\n"  # the first 01:30, EDT: 05:30 UTC
        "2026-11-01 02:00,Drop-in,1\n"  # EST: 07:00 UTC
        "2026-11-01,Drop-in,1\n"  # noon EST: 17:00 UTC
        "2026-11-01T01:30-05:00,Drop-in,1\n"  # the second 01:30, given with its offset
        "2026-10-31 23:59,Drop-in,1\n",  # end of October, EDT: 2026-11-01 03:59 UTC
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    assert done.code == 0, done.err

    def utc(*parts: int) -> datetime:
        return datetime(*parts, tzinfo=UTC)

    assert imported(plain_folder) == [
        utc(2026, 3, 8, 6, 59),
        utc(2026, 3, 8, 7, 0),
        utc(2026, 3, 8, 16, 0),
        utc(2026, 11, 1, 3, 59),
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 1, 6, 30),
        utc(2026, 11, 1, 7, 0),
        utc(2026, 11, 1, 17, 0),
    ]


def test_impossible_dates_are_refused_by_cell(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "dates.csv"
    sheet.write_text(
        "occurred_at,site,SYRINGE\n"
        "0001-01-01 00:00+14:00,Drop-in,1\n"  # before year 1 in UTC: no such instant
        "2026-02-29,Drop-in,1\n"
        "2026-10-01 24:00,Drop-in,1\n",
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix these 3 cells")
    for row in (2, 3, 4):
        assert f"row {row}, column occurred_at: " in done.err
    assert "not a real date" in done.err


def test_a_date_time_ahead_of_the_clock_in_import(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    now = datetime.now(UTC)
    within = (now + timedelta(hours=23)).astimezone(ZONE)
    beyond = (now + timedelta(hours=25)).astimezone(ZONE)
    sheet = tmp_path / "ahead.csv"
    sheet.write_text(
        "occurred_at,site,SYRINGE\n"
        f"{within:%Y-%m-%d %H:%M},Drop-in,1\n"
        f"{beyond:%Y-%m-%d %H:%M},Drop-in,1\n"
        f"{(now + timedelta(hours=25)):%Y-%m-%dT%H:%M}Z,Drop-in,1\n"
        f"{(now.astimezone(ZONE).date() + timedelta(days=2)).isoformat()},Drop-in,1\n",
        encoding="utf-8",
    )
    done = outreach("import-csv", sheet, "--no-stock", data_dir=plain_folder)
    refused(done, 1, "Fix these 3 cells")
    assert "row 2" not in done.err
    assert "row 3, column occurred_at: " in done.err and "more than a day ahead" in done.err
    assert "row 4, column occurred_at: " in done.err
    assert "row 5, column occurred_at: " in done.err and "is after tomorrow" in done.err


def test_numbers_too_large_to_be_real_are_refused_by_cell(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    sheet = tmp_path / "large.csv"
    sheet.write_text(
        "occurred_at,site,people_served,SYRINGE\n"
        "2026-10-01,Drop-in,99999999999999999999,1\n"
        "2026-10-01,Drop-in,1,1000001\n"
        "2026-10-01,Drop-in,1,1000000\n",
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix these 2 cells")
    assert "row 2, column people_served: '99999999999999999999' is more than 1,000,000" in done.err
    assert "row 3, column SYRINGE: '1000001' is more than 1,000,000" in done.err
    assert "row 4" not in done.err


def test_a_number_of_thousands_of_digits_is_refused_by_cell(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    # int() itself refuses more than 4,300 digits: the length is judged first.
    sheet = tmp_path / "digits.csv"
    sheet.write_text(
        f"occurred_at,site,people_served,SYRINGE\n2026-10-01,Drop-in,{'9' * 5000},{'0' * 9000}7\n",
        encoding="utf-8",
    )
    done = run_import(outreach, plain_folder, sheet, "--no-stock")
    refused(done, 1, "Fix this cell")
    assert "row 2, column people_served: '9999" in done.err
    assert "(5,000 characters) is more than 1,000,000" in done.err
    assert len(done.err) < 1000
