"""Print SQLite's plan for each hot query of the app on a database file (docs/query-plans.md).

    python benchmarks/query_plans.py tests/fixtures/schema-0007.db

Parameters are placeholders: the plan does not depend on their values (the app runs no ANALYZE,
so a small fixture and a year of data get the same plans). A query that a schema cannot run is
printed as "(no such query in this schema)".
"""

from __future__ import annotations

import sqlite3
import sys

HOT_QUERIES = {
    "log: on hand of an item at a site (kept balances)": (
        "SELECT SUM(on_hand) FROM stock_balances WHERE site_id = ? AND item_id = ?"
    ),
    "log: returning participant (last visit by code; before 0007)": (
        "SELECT id, occurred_at FROM encounters WHERE participant_key = ? "
        "ORDER BY occurred_at DESC LIMIT 1"
    ),
    "log: returning participant (last visit by code; from 0007, through 8 bytes of the key)": (
        "SELECT id, occurred_at FROM encounters WHERE substr(participant_key, 1, 8) IN (?) "
        "AND participant_key IN (?) ORDER BY occurred_at DESC LIMIT 1"
    ),
    "log: balance trigger, is the movement before a count?": (
        "SELECT 1 FROM stocktake_lines c WHERE c.site_id = ? AND c.item_id = ? "
        "AND c.lot_id IS ? AND c.counted_at >= ?"
    ),
    "inventory: on hand, all sites": "SELECT site_id, item_id, lot_id, on_hand FROM stock_balances",
    "tally: encounters of a period": (
        "SELECT site_id, COUNT(*) FROM encounters WHERE occurred_at >= ? AND occurred_at < ? "
        "GROUP BY site_id"
    ),
    "tally: one site's records of a period": (
        "SELECT COUNT(*), SUM(people_served) FROM encounters WHERE occurred_at >= ? "
        "AND occurred_at < ? AND site_id IN (?)"
    ),
    "tally: every site's records of a period": (
        "SELECT site_id, COUNT(*), SUM(people_served) FROM encounters WHERE occurred_at >= ? "
        "AND occurred_at < ? AND site_id IN (?, ?, ?) GROUP BY site_id"
    ),
    "tally: items given in a period": (
        "SELECT e.site_id, i.item_id, SUM(i.quantity) FROM encounter_items i "
        "JOIN encounters e ON e.id = i.encounter_id "
        "WHERE e.occurred_at >= ? AND e.occurred_at < ? GROUP BY e.site_id, i.item_id"
    ),
    "reconciliation: movements of a site in a period": (
        "SELECT item_id, lot_id, kind, SUM(quantity) FROM stock_movements "
        "WHERE site_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY item_id, lot_id, kind"
    ),
    "void: the movements of an encounter (before 0007)": (
        "SELECT id FROM stock_movements WHERE encounter_id = ?"
    ),
    "void: the movements of an encounter (from 0007: at its site and moment)": (
        "SELECT id FROM stock_movements WHERE site_id = ? AND occurred_at = ? "
        "AND encounter_id = ? AND reverses_id IS NULL"
    ),
    "encounter list: a page filtered by item (IN, before 0007)": (
        "SELECT e.id, e.occurred_at FROM encounters e WHERE e.id IN "
        "(SELECT encounter_id FROM encounter_items WHERE item_id = ?) "
        "ORDER BY e.occurred_at DESC, e.id DESC LIMIT 201"
    ),
    "encounter list: a page filtered by item (EXISTS, from 0007)": (
        "SELECT e.id, e.occurred_at FROM encounters e WHERE EXISTS "
        "(SELECT 1 FROM encounter_items i WHERE i.encounter_id = e.id AND i.item_id = ?) "
        "ORDER BY e.occurred_at DESC, e.id DESC LIMIT 201"
    ),
    "audit: the device's last entry (each action chains to it)": (
        "SELECT seq, entry_hash FROM audit_log WHERE device_id = ? AND entry_hash IS NOT NULL "
        "ORDER BY seq DESC LIMIT 1"
    ),
    "audit: every entry in order (check)": (
        "SELECT * FROM audit_log WHERE entry_hash IS NOT NULL ORDER BY device_id, seq"
    ),
}


def plans(path: str) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = {}
        for name, sql in HOT_QUERIES.items():
            count = sql.count("?")
            try:
                rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", [None] * count).fetchall()
            except sqlite3.OperationalError:
                found[name] = ["(no such query in this schema)"]
                continue
            found[name] = [row[-1] for row in rows]
        return found
    finally:
        conn.close()


def indexes(path: str) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [
            f"{table}: {name or '(primary key)'}"
            for name, table in conn.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY tbl_name"
            )
        ]
    finally:
        conn.close()


def main() -> None:
    print("Indexes:")
    for line in indexes(sys.argv[1]):
        print(f"- {line}")
    print("Plans:")
    for name, steps in plans(sys.argv[1]).items():
        print(f"- {name}")
        for step in steps:
            print(f"    {step}")


if __name__ == "__main__":
    main()
