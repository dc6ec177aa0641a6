"""Every refusal is a message with the exit code of contracts §3, never a traceback (issue 11).

Values out of format or range are the parser's (exit 2); data refused is exit 1, nothing
written. Each case runs the real `outreach` command.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from outreach_app.services import inventory
from outreach_app.services.store import open_store
from tests.cli.conftest import Result, Runner
from tests.conftest import TIMEZONE

ZONE = ZoneInfo(TIMEZONE)  # the fixture folders' organisation zone


def refused(done: Result, code: int, *words: str) -> None:
    assert done.code == code, (done.code, done.err)
    assert "Traceback" not in done.err and "Traceback" not in done.out
    assert "Something unexpected" not in done.err
    for word in words:
        assert word in done.err, (word, done.err)


def syringes(folder: Path) -> int:
    store = open_store(folder)
    try:
        with store.unit_of_work() as uow:
            rows = inventory.on_hand(uow, "Drop-in")
    finally:
        store.close()
    return next(r.on_hand for r in rows if r.item_code == "SYRINGE")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", ["--db-url", "not a database address", "postgresql://"]),
        ("mysql://x/y", ["--db-url", "mysql:// is not supported", "only PostgreSQL"]),
        ("sqlite:///tmp/x.db", ["sqlite:// is not supported"]),
        ("postgresql://zz@localhost:notaport/db", ["port is not a number"]),
        ("postgresql://", ["names no server and no database"]),
    ],
)
def test_a_malformed_db_url_is_the_parsers_refusal(
    tmp_path: Path, outreach: Runner, url: str, words: list[str]
) -> None:
    done = outreach("--db-url", url, "stock", data_dir=tmp_path / "logs")
    refused(done, 2, *words)


def test_a_db_url_with_a_password_is_never_repeated(tmp_path: Path, outreach: Runner) -> None:
    done = outreach("--db-url", "mysql://zz:sEcReT-9@x/y", "stock", data_dir=tmp_path / "l")
    refused(done, 2)
    assert "sEcReT-9" not in done.err


@pytest.mark.parametrize(
    "args",
    [
        ["report", "monthly", "--month", "0001-01"],
        ["report", "monthly", "--month", "1999-12"],
        ["report", "monthly", "--month", "2100-01"],
        ["report", "inventory", "--month", "0001-01"],
        ["report", "monthly", "--from", "1999-12-31", "--to", "2000-01-31"],
        ["report", "monthly", "--from", "2099-12-01", "--to", "2100-01-01"],
    ],
)
def test_months_and_dates_outside_2000_to_2099_are_refused(
    plain_folder: Path, tmp_path: Path, outreach: Runner, args: list[str]
) -> None:
    out = tmp_path / "r.pdf"
    done = outreach(*args, "--out", out, data_dir=plain_folder)
    refused(done, 2, "out of range", "2000")
    assert not out.exists()


def test_the_first_and_last_months_are_accepted(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    for month in ("2000-01", "2099-12"):
        done = outreach(
            "report",
            "monthly",
            "--month",
            month,
            "--out",
            tmp_path / "r.pdf",
            data_dir=plain_folder,
        )
        assert done.code == 0, done.err


@pytest.mark.parametrize(
    "args",
    [
        ["tally-entry", "--site", "Drop-in", "--date", "1999-12-31", "--contacts", "1"],
        ["tally-entry", "--site", "Drop-in", "--date", "2100-01-01", "--contacts", "1"],
        [
            "receive",
            "--site",
            "Drop-in",
            "--item",
            "FTS",
            "--qty",
            "1",
            "--lot",
            "ZZ-L1",
            "--expires",
            "2100-01-01",
        ],
    ],
)
def test_dates_of_recording_commands_outside_the_range(
    plain_folder: Path, outreach: Runner, args: list[str]
) -> None:
    refused(outreach(*args, data_dir=plain_folder), 2, "out of range")


@pytest.mark.parametrize(
    "args",
    [
        ["receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "٣"],
        ["receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "１０"],
        ["tally-entry", "--site", "Drop-in", "--date", "2026-10-01", "--contacts", "٣"],
        ["tally-entry", "--site", "Drop-in", "--date", "２０２６-10-01", "--contacts", "1"],
        [
            "tally-entry",
            "--site",
            "Drop-in",
            "--date",
            "2026-10-01",
            "--contacts",
            "1",
            "SYRINGE=５",
        ],
    ],
)
def test_digits_other_than_0_to_9_on_the_command_line(
    plain_folder: Path, outreach: Runner, args: list[str]
) -> None:
    before = syringes(plain_folder)
    refused(outreach(*args, data_dir=plain_folder), 2, "digits 0-9")
    assert syringes(plain_folder) == before


def test_a_tally_dated_after_tomorrow_is_refused(plain_folder: Path, outreach: Runner) -> None:
    today = datetime.now(ZONE).date()
    after_tomorrow = today + timedelta(days=2)
    done = outreach(
        "tally-entry",
        "--site",
        "Drop-in",
        "--date",
        after_tomorrow.isoformat(),
        "--contacts",
        "4",
        "--allow-negative",
        "SYRINGE=10",
        data_dir=plain_folder,
    )
    refused(done, 1, f"{after_tomorrow.isoformat()} is after tomorrow", "Nothing was saved")
    assert syringes(plain_folder) == 0
    tomorrow = today + timedelta(days=1)
    done = outreach(
        "tally-entry",
        "--site",
        "Drop-in",
        "--date",
        tomorrow.isoformat(),
        "--contacts",
        "4",
        "--allow-negative",
        "SYRINGE=10",
        data_dir=plain_folder,
    )
    assert done.code == 0, done.err
    assert syringes(plain_folder) == -10


def test_init_takes_the_system_zone_from_tz(tmp_path: Path, outreach: Runner) -> None:
    # The old guess ignored TZ and read /etc/localtime's last two parts ("Indiana/...").
    for tz, expected in (
        ("America/Indiana/Indianapolis", "America/Indiana/Indianapolis"),
        (":Europe/Paris", "Europe/Paris"),
    ):
        folder = tmp_path / expected.replace("/", "-")
        done = outreach(
            "init",
            "--org",
            "ZZ Org",
            "--site",
            "ZZ-Site",
            "--no-encryption",
            data_dir=folder,
            TZ=tz,
        )
        assert done.code == 0, done.err
        store = open_store(folder)
        assert store.zone.key == expected
        store.close()


def test_init_with_an_unknown_zone(tmp_path: Path, outreach: Runner) -> None:
    done = outreach(
        "init",
        "--org",
        "ZZ Org",
        "--site",
        "ZZ-Site",
        "--no-encryption",
        "--timezone",
        "Mars/Olympus_Mons",
        data_dir=tmp_path / "new",
    )
    refused(done, 1, "Unknown time zone", "America/Toronto")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "99999999999999999999999"],
        ["receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "3000000000"],
        ["tally-entry", "--site", "Drop-in", "--date", "2026-10-01", "--contacts", "1000001"],
        ["tally-entry", "--site", "Drop-in", "--date", "2026-10-01", "SYRINGE=1000001"],
        ["tally-entry", "--site", "Drop-in", "--date", "2026-10-01", "--contacts", "9" * 5000],
        ["receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "9" * 5000],
    ],
)
def test_numbers_too_large_to_be_real_are_the_parsers_refusal(
    plain_folder: Path, outreach: Runner, args: list[str]
) -> None:
    # They used to reach the database and fail there: "Something unexpected went wrong".
    refused(outreach(*args, data_dir=plain_folder), 2, "is more than 1,000,000")
    assert syringes(plain_folder) == 0


def test_the_largest_quantity_is_accepted(plain_folder: Path, outreach: Runner) -> None:
    done = outreach(
        "receive",
        "--site",
        "Drop-in",
        "--item",
        "SYRINGE",
        "--qty",
        "1000000",
        data_dir=plain_folder,
    )
    assert done.code == 0, done.err
    assert syringes(plain_folder) == 1_000_000


def test_an_option_postgresql_does_not_know_cannot_open_the_store(
    tmp_path: Path, outreach: Runner
) -> None:
    # Well-formed, so past the parser; psycopg refuses the option before connecting: exit 3.
    url = "postgresql://zz:sEcReT-9@127.0.0.1:1/zz?not_an_option=1"
    done = outreach("--db-url", url, "stock", data_dir=tmp_path / "no-folder")
    refused(done, 3, "cannot be used", "not_an_option", "Check the options")
    assert "sEcReT-9" not in done.err


def test_no_traceback_on_the_terminal_when_there_is_no_log_file(tmp_path: Path) -> None:
    # A data folder that does not exist has no log file: the traceback goes nowhere, and the
    # person still reads what happened.
    script = (
        "import sys\n"
        "import outreach_app.cli as cli\n"
        "from outreach_app.cli.commands import HANDLERS\n"
        "def broken(args):\n"
        "    raise RuntimeError('zz-unexpected')\n"
        "HANDLERS['stock'] = broken\n"
        f"sys.exit(cli.main(['--data-dir', {str(tmp_path / 'missing')!r}, 'stock']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "zz-unexpected" not in done.stderr
    assert "Something unexpected went wrong; nothing was written." in done.stderr
