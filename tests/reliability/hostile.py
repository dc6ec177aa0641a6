"""Hostile files for `import-csv` and `restore` (issue 11, point 6), shared by the suite
(tests/reliability/test_hostile_files.py, modest example counts) and `make bench` (larger ones).

Each example runs the real command handler, `outreach_app.cli.main` (the `outreach` script's
entry point), in this process, and holds it to contracts §3: exit 0 or 1, never the "something
unexpected" path (the one that logs a traceback); after a refusal (1) every file of the data
folder byte-identical; after an acceptance (0) all of it: an import adds exactly the encounters
it announced, a restore leaves a database that passes integrity_check.

`bundle import` does not exist yet; when it does, its fuzzing belongs here.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_app.cli import main
from tests.reliability.kill_trials import connect
from tests.storage.helpers import snapshot

FIELDS = [
    "occurred_at", "site", "participant_code", "age_band", "gender", "new", "people_served",
    "syringes_returned", "reversals_reported", "naloxone_reason", "naloxone_training",
    "referrals", "notes", "SYRINGE", "KIT-INJECT", "NALOXONE-NASAL", "Occurred At", "",
    "zz-unknown",
]  # fmt: skip
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1",
             "cp1252", "mac-roman", "shift_jis"]  # fmt: skip
UNEXPECTED = "Something unexpected went wrong"


@dataclass
class Tally:
    """What a fuzzing run saw: examples, exit codes, and anything lost or half written."""

    examples: int = 0
    accepted: int = 0
    refused: int = 0
    flagged: int = 0  # accepted restores whose data `check` then finds a problem in
    failures: list[str] = field(default_factory=list)

    def fail(self, text: str) -> None:
        self.failures.append(text)
        raise AssertionError(text)


def run_main(argv: list[str], passphrase: str | None) -> tuple[int, str, str]:
    """`outreach ARGV` in this process: (exit code, stdout, stderr)."""
    os.environ.pop("OUTREACH_PASSPHRASE", None)
    if passphrase:
        os.environ["OUTREACH_PASSPHRASE"] = passphrase
    root = logging.getLogger()
    handlers = list(root.handlers)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.environ.pop("OUTREACH_PASSPHRASE", None)
        for handler in root.handlers[:]:  # main() adds the folder's log file each time
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    return code, out.getvalue(), err.getvalue()


def _count(folder: Path, key: str | None, table: str) -> int:
    conn = connect(folder / "outreach.db", key)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def check_import(folder: Path, key: str | None, sheet: Path, data: bytes, tally: Tally) -> None:
    """One hostile spreadsheet through `import-csv`: all of it or none of it, never a traceback."""
    sheet.write_bytes(data)
    before = snapshot(folder)
    encounters = _count(folder, key, "encounters")
    code, out, err = run_main(["--data-dir", str(folder), "import-csv", str(sheet)], key)
    tally.examples += 1
    if code not in (0, 1) or UNEXPECTED in err or (code == 1 and not err.strip()):
        tally.fail(f"import-csv exited {code}: {err[:500]!r}")
    if code == 1:
        tally.refused += 1
        if snapshot(folder) != before:
            tally.fail(f"a refused import changed the data folder: {err[:300]!r}")
        return
    tally.accepted += 1
    announced = re.search(r"Imported (\d+) encounters", out)
    added = _count(folder, key, "encounters") - encounters
    if announced is None or int(announced.group(1)) != added:
        tally.fail(f"import said {out.strip()!r} but added {added} encounters")


def check_restore(folder: Path, key: str | None, file: Path, data: bytes, tally: Tally) -> None:
    """One hostile file through `restore`: refused with the data untouched, or restored whole."""
    file.write_bytes(data)
    before = snapshot(folder)
    code, _, err = run_main(["--data-dir", str(folder), "restore", str(file)], key)
    tally.examples += 1
    if code not in (0, 1) or UNEXPECTED in err:
        tally.fail(f"restore exited {code}: {err[:500]!r}")
    if code == 1:
        tally.refused += 1
        if snapshot(folder) != before:
            tally.fail(f"a refused restore changed the data folder: {err[:300]!r}")
        return
    tally.accepted += 1
    conn = connect(folder / "outreach.db", key)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            tally.fail("a restore was accepted but the database fails integrity_check")
    finally:
        conn.close()
    # The folder must open afterwards (exit 3 would mean the restore left it unusable); a damaged
    # value that SQLite cannot see (a flipped byte in a plain file) may show up in `check`.
    code, _, err = run_main(["--data-dir", str(folder), "check"], key)
    if code not in (0, 1) or UNEXPECTED in err:
        tally.fail(f"after an accepted restore, check exited {code}: {err[:300]!r}")
    if code == 1:
        tally.flagged += 1


# Strategies --------------------------------------------------------------------------------

cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-10-03", "2026-10-03 14:30", "Drop-in", "yes", "no", "10", "-1",
                     "٣", "１０", "9" * 40, "2026-03-08 02:30", "\"", "a,b", "x;y", "\r\n"]),
)  # fmt: skip


@st.composite
def random_cells(draw: st.DrawFn) -> bytes:
    """A header of real and wrong column names over rows of random cells, as any program might
    save them (quoted properly or not, comma or semicolon, any line ending)."""
    header = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(cell_text, max_size=10), max_size=8))
    delimiter = draw(st.sampled_from([",", ";"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
        text = buffer.getvalue()
    else:
        newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        text = newline.join(delimiter.join(row) for row in [header, *rows])
    return text.encode("utf-8", errors="surrogatepass")


def good_sheet(rows: int = 3, note: str = "synthetic note é") -> str:
    day = date.today() - timedelta(days=2)
    lines = ["occurred_at,site,participant_code,notes,SYRINGE"]
    lines += [f"{day.isoformat()},Drop-in,ZZ-FUZZ-{n:02d},{note} {n},1" for n in range(rows)]
    return "\n".join(lines) + "\n"


@st.composite
def wrong_encodings(draw: st.DrawFn) -> bytes:
    """A sheet that would import, saved in another encoding (some of which are refused)."""
    note = draw(st.sampled_from(["synthetic é", "synthétique ñ", "plain", "日本 synthetic"]))
    text = good_sheet(draw(st.integers(1, 4)), note + f" {draw(st.integers(0, 10**9))}")
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@st.composite
def huge_fields(draw: st.DrawFn) -> bytes:
    """A sheet with one enormous cell (up to 2 MB) in any column."""
    size = draw(st.integers(130_000, 2_000_000))
    column = draw(st.integers(0, 4))
    filler = draw(st.sampled_from(["9", "a", "é", ",", '"']))
    lines = good_sheet(2).splitlines()
    cells = lines[1].split(",")
    cells[column] = filler * size if filler not in ',"' else '"' + filler * size
    lines[1] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode("utf-8")


def truncations(backup: bytes) -> st.SearchStrategy[bytes]:
    """A real backup cut short anywhere, or with a few bytes flipped."""
    cut = st.integers(0, len(backup) - 1).map(lambda n: backup[:n])
    flips = st.lists(st.integers(0, len(backup) - 1), min_size=1, max_size=4)
    return st.one_of(cut, flips.map(lambda at: _flipped(backup, at)))


def _flipped(data: bytes, positions: list[int]) -> bytes:
    out = bytearray(data)
    for at in positions:
        out[at] ^= 0xFF
    return bytes(out)


random_files = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=4096).map(lambda b: b"SQLite format 3\x00" + b),
)


def fuzz(
    strategy: st.SearchStrategy[bytes],
    check: Callable[[bytes], None],
    examples: int,
) -> None:
    """Run `check` on `examples` drawn files (hypothesis shrinks any failure to the smallest)."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def run(data: bytes) -> None:
        check(data)

    run()
