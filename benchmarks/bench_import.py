"""Spreadsheet import against a raw `executemany` of the same rows (issue 13, point 4).

Both run on the same generated CSV file, each into its own fresh data folder with the same
sites, catalog, stock and triggers: the import through `importer.import_csv` (every cell
checked, kits expanded, lots drawn first-expiry-first-out, records stamped), the raw one reading
the file with `csv` and handing the rows to the driver's `executemany` in one transaction. The
target is a ratio of at most 3 at 100,000 rows (scale 1).

    python benchmarks/bench_import.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.context import Context, Figure
from outreach_app.domain.clock import utc_now, wall_clock_to_utc
from outreach_app.services import catalog, importer, inventory
from outreach_app.services.store import Store, open_store
from outreach_app.services.store_init import InitOptions, init_store

SITES = ("Drop-in Centre", "Van Route North")
ITEMS = ("SYRINGE", "SWAB", "CONDOM", "NALOXONE-NASAL", "FTS")
KIT = {"SYRINGE": 10, "SWAB": 10, "COOKER": 2, "WATER": 2, "FILTER": 2}  # KIT-INJECT
LOT_ITEMS = ("NALOXONE-NASAL", "FTS")
HEADER = (
    "occurred_at,site,participant_code,age_band,gender,new,people_served,syringes_returned,"
    "naloxone_reason,referrals,notes," + ",".join(ITEMS) + ",KIT-INJECT"
).split(",")
TARGET = 3.0


def make_sheet(path: Path, rows: int, seed: int = 13) -> None:
    """`rows` synthetic encounters over the last year (codes ZZ-…, no names)."""
    rng = random.Random(seed)
    first = date.today() - timedelta(days=366)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            day = first + timedelta(days=n * 365 // max(rows, 1))
            when = f"{day.isoformat()} {8 + rng.randrange(12):02d}:{rng.randrange(60):02d}"
            nalox = rng.random() < 0.1
            writer.writerow(
                [
                    when,
                    SITES[n % 2],
                    f"ZZ-{rng.randrange(2000):04d}" if rng.random() < 0.8 else "",
                    rng.choice(("", "20-29", "30-39", "40-49")),
                    rng.choice(("", "woman", "man", "non-binary")),
                    rng.choice(("", "yes", "no")),
                    rng.choice(("", "1", "2")),
                    str(rng.randrange(15)),
                    "FIRST" if nalox else "",
                    rng.choice(("", "", "OAT", "TESTING;HOUSING")),
                    rng.choice(("", "", "", "synthetic note")),
                    str(rng.randrange(0, 20, 5)),
                    str(rng.randrange(0, 10, 5)),
                    str(rng.randrange(0, 4)),
                    "1" if nalox else "",
                    str(rng.randrange(0, 2)),
                    "1" if rng.random() < 0.3 else "",
                ]
            )


def _needs(path: Path) -> dict[tuple[str, str], int]:
    need: Counter[tuple[str, str]] = Counter()
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for code in ITEMS:
                need[(row["site"], code)] += int(row[code] or 0)
            for code, per in KIT.items():
                need[(row["site"], code)] += per * int(row["KIT-INJECT"] or 0)
    return need


def fresh_store(folder: Path, sheet: Path) -> Store:
    """A new folder with the sheet's sites and enough stock that nothing falls short."""
    init_store(
        folder, InitOptions(org="ZZ Import Bench", site=SITES[0], timezone="UTC", codes="own")
    )
    store = open_store(folder)
    with store.unit_of_work() as uow:
        catalog.add_site(uow, SITES[1], "van")
        expires = date.today() + timedelta(days=3650)
        for (site, code), qty in sorted(_needs(sheet).items()):
            lot = {"lot": f"ZZ-{code}-1", "expires": expires} if code in LOT_ITEMS else {}
            while qty > 0:  # a receipt holds at most 1,000,000
                inventory.receive(uow, site, code, min(qty, 1_000_000), **lot)
                qty -= 1_000_000
    return store


def run_import(store: Store, sheet: Path) -> float:
    started = time.perf_counter()
    store.write(lambda uow: importer.import_csv(uow, sheet))
    return time.perf_counter() - started


def run_raw(store: Store, sheet: Path) -> float:
    """The same rows through the DBAPI's executemany: the floor an import cannot go under."""
    started = time.perf_counter()
    raw: Any = store.engine.raw_connection()
    try:
        db = raw.driver_connection
        ids = {name: _id(db, "sites", "name", name) for name in SITES}
        items = {code: _id(db, "items", "code", code) for code in (*ITEMS, *KIT)}
        kit_id = _id(db, "kits", "code", "KIT-INJECT")
        lots = {
            code: db.execute(
                "SELECT id FROM lots WHERE item_id = ?", (items[code].bytes,)
            ).fetchone()[0]
            for code in LOT_ITEMS
        }
        refs = dict(db.execute("SELECT code, id FROM referral_types").fetchall())
        device = uuid.UUID(
            db.execute("SELECT value FROM settings WHERE key='device_id'").fetchone()[0]
        )
        seq = db.execute("SELECT last_seq FROM devices WHERE id = ?", (device.bytes,)).fetchone()[0]
        now = _millis(utc_now())
        enc, lines, kits, referrals, moves = [], [], [], [], []
        with sheet.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            col = {name: i for i, name in enumerate(header)}
            for row in rows:
                eid = uuid.uuid4().bytes
                seq += 1
                site = ids[row[1]].bytes
                when = _millis(wall_clock_to_utc(datetime.fromisoformat(row[0]), _UTC))
                enc.append(
                    (eid, device.bytes, seq, None, now, when, site, 0, 0, row[2] or None,
                     row[3] or None, row[4] or None, None, int(row[6] or 1), int(row[7] or 0),
                     0, row[8] or None, 0, row[10], 1, None)
                )  # fmt: skip
                given = Counter({c: int(row[col[c]] or 0) for c in ITEMS})
                kit_qty = int(row[col["KIT-INJECT"]] or 0)
                if kit_qty:
                    kits.append((eid, kit_id.bytes, kit_qty))
                    for code, per in KIT.items():
                        given[code] += per * kit_qty
                for code, qty in given.items():
                    if qty:
                        lines.append((eid, items[code].bytes, qty))
                        seq += 1
                        moves.append(
                            (uuid.uuid4().bytes, device.bytes, seq, None, now, when, site,
                             items[code].bytes, lots.get(code), -qty, "distribute", None, "",
                             eid, None, None)
                        )  # fmt: skip
                for ref in filter(None, row[9].split(";")):
                    referrals.append((eid, refs[ref]))
        db.execute("BEGIN IMMEDIATE")
        db.executemany(f"INSERT INTO encounters ({ENCOUNTER_COLUMNS}) VALUES ({_q(21)})", enc)
        db.executemany(
            "INSERT INTO encounter_items (encounter_id, item_id, quantity) VALUES (?, ?, ?)", lines
        )
        db.executemany(
            "INSERT INTO encounter_kits (encounter_id, kit_id, quantity) VALUES (?, ?, ?)", kits
        )
        db.executemany(
            "INSERT INTO encounter_referrals (encounter_id, referral_type_id) VALUES (?, ?)",
            referrals,
        )
        db.executemany(f"INSERT INTO stock_movements ({MOVEMENT_COLUMNS}) VALUES ({_q(16)})", moves)
        db.execute("UPDATE devices SET last_seq = ? WHERE id = ?", (seq, device.bytes))
        db.execute("COMMIT")
    finally:
        raw.close()
    return time.perf_counter() - started


ENCOUNTER_COLUMNS = (
    "id, device_id, seq, staff_id, created_at, occurred_at, site_id, is_tally, contacts, "
    "participant_code, age_band, gender, is_new, people_served, syringes_returned, "
    "reversals_reported, naloxone_reason, naloxone_training, note, moves_stock, import_id"
)
MOVEMENT_COLUMNS = (
    "id, device_id, seq, staff_id, created_at, occurred_at, site_id, item_id, lot_id, quantity, "
    "kind, reason, note, encounter_id, transfer_id, reverses_id"
)
_UTC = ZoneInfo("UTC")


def _q(n: int) -> str:
    return ", ".join("?" * n)


def _id(db: Any, table: str, column: str, value: str) -> uuid.UUID:
    return uuid.UUID(
        bytes=db.execute(f"SELECT id FROM {table} WHERE {column} = ?", (value,)).fetchone()[0]
    )


def _millis(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def _counts(store: Store) -> tuple[int, ...]:
    tables = ("encounters", "encounter_items", "encounter_kits", "encounter_referrals")
    raw: Any = store.engine.raw_connection()
    try:
        db = raw.driver_connection
        found = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
        found.append(db.execute("SELECT sum(on_hand) FROM stock_balances").fetchone()[0])
        return tuple(found)
    finally:
        raw.close()


def measure(rows: int, workdir: Path) -> tuple[float, float]:
    sheet = workdir / "sheet.csv"
    make_sheet(sheet, rows)
    imported, raw = fresh_store(workdir / "imported", sheet), fresh_store(workdir / "raw", sheet)
    try:
        raw_seconds = run_raw(raw, sheet)
        import_seconds = run_import(imported, sheet)
        counts = _counts(imported), _counts(raw)
        if counts[0] != counts[1]:  # not the same rows: the ratio would mean nothing
            raise AssertionError(f"imported {counts[0]} but raw {counts[1]}")
    finally:
        imported.close()
        raw.close()
    return import_seconds, raw_seconds


def run(ctx: Context) -> list[Figure]:
    rows = max(1000, round(100_000 * ctx.scale))
    with tempfile.TemporaryDirectory(prefix="outreach-import-bench-") as where:
        imported, raw = measure(rows, Path(where))
    return [
        Figure(f"import {rows} CSV rows", imported, "s"),
        Figure(f"raw executemany of the same {rows} rows", raw, "s"),
        Figure(f"import rows per second ({rows} rows)", rows / imported, "rows/s"),
        Figure("import / raw executemany", imported / raw, "x", target=TARGET),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="outreach-import-bench-") as where:
        imported, raw = measure(args.rows, Path(where))
    print(f"import {args.rows} rows: {imported:.2f} s ({args.rows / imported:,.0f} rows/s)")
    print(f"raw executemany: {raw:.2f} s")
    print(f"import / raw executemany: {imported / raw:.2f}x (target <= {TARGET:g}x)")


if __name__ == "__main__":
    main()
