"""Kept balances rebuilt from the ledger: for each site, item and lot, the latest count (by time,
then id) plus the movements after it, or the sum of every movement when it was never counted.

The same rule as the triggers in `storage/triggers.py`, as one statement: used by migrations and
by `check --repair`. The app never writes `stock_balances` otherwise.
"""

from __future__ import annotations

from sqlalchemy import Connection

_KEYS = """
    SELECT site_id, item_id, lot_id FROM stock_movements
    UNION SELECT site_id, item_id, lot_id FROM stocktake_lines
"""

_LAST_COUNT = """
    SELECT c.{column} FROM stocktake_lines c
    WHERE c.site_id = k.site_id AND c.item_id = k.item_id AND c.lot_id IS NOT DISTINCT FROM k.lot_id
    ORDER BY c.counted_at DESC, c.id DESC LIMIT 1
"""

REBUILD = f"""
INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
SELECT k.site_id, k.item_id, COALESCE(k.lot_id, {{nil}}), k.lot_id,
       COALESCE(({_LAST_COUNT.format(column="counted")}), 0)
       + COALESCE((
            SELECT SUM(m.quantity) FROM stock_movements m
            WHERE m.site_id = k.site_id AND m.item_id = k.item_id
              AND m.lot_id IS NOT DISTINCT FROM k.lot_id
              AND (m.occurred_at > ({_LAST_COUNT.format(column="counted_at")})
                   OR ({_LAST_COUNT.format(column="counted_at")}) IS NULL)
         ), 0)
FROM ({_KEYS}) k
"""

NIL = {
    "sqlite": "zeroblob(16)",
    "postgresql": "'00000000-0000-0000-0000-000000000000'::uuid",
}


def rebuild_balances(conn: Connection) -> None:
    """Replace every kept balance with the ledger's (inside the caller's transaction)."""
    conn.exec_driver_sql("DELETE FROM stock_balances")
    conn.exec_driver_sql(REBUILD.format(nil=NIL[conn.dialect.name]))
