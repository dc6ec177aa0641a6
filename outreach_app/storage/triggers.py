"""The database's own guards and caches, created as the last step of every migration.

- Append-only: encounters, their lines, voids, movements, counts, imports, copies and the audit
  log refuse UPDATE and DELETE, except an UPDATE that only empties free text (a purge,
  contracts §10). The allowed columns are named here; every other column of the live table must
  stay as it is, so a column added by a later migration is guarded without editing this file.
- Kept balances: `stock_balances` follows each new movement and each new count (counts are facts,
  contracts §1), whatever order records arrive in.

A migration that rebuilds a table drops its triggers with it, so each migration calls
`install_triggers` last; `missing_triggers` lets `check` and the tests prove they are all there.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

#: Append-only tables and the free-text columns a purge may empty.
APPEND_ONLY: dict[str, tuple[str, ...]] = {
    "encounters": ("note",),
    "encounter_items": (),
    "encounter_kits": (),
    "encounter_referrals": (),
    "encounter_voids": ("reason",),
    "stock_movements": ("note",),
    "stocktakes": ("note",),
    "stocktake_lines": (),
    "imports": (),
    "record_copies": ("reason",),
    "audit_log": (),
    "purges": (),
    "invitations": (),
    "device_revocations": (),
}
BALANCE_TRIGGERS = ("stock_balances_follow_movements", "stock_balances_follow_counts")
REFUSAL = "records are never changed or deleted; record a correction instead"


def expected_triggers() -> list[str]:
    names = list(BALANCE_TRIGGERS)
    for table in APPEND_ONLY:
        names += [f"{table}_no_update", f"{table}_no_delete"]
    return names


def install_triggers(conn: Connection) -> None:
    """(Re)create every trigger for the tables as they now are."""
    if conn.dialect.name == "postgresql":
        _install_postgres(conn)
    else:
        _install_sqlite(conn)


def existing_triggers(conn: Connection) -> set[str]:
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = "
                "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            )
        )
    else:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {name for (name,) in rows}


def missing_triggers(conn: Connection) -> list[str]:
    present = existing_triggers(conn)
    return [name for name in expected_triggers() if name not in present]


def _present(conn: Connection) -> list[tuple[str, tuple[str, ...]]]:
    """The append-only tables that exist yet: an earlier migration runs before a later one
    adds its table (that one installs the triggers again as its last step)."""
    tables = set(inspect(conn).get_table_names())
    return [(table, columns) for table, columns in APPEND_ONLY.items() if table in tables]


def _columns(conn: Connection, table: str) -> list[str]:
    return [column["name"] for column in inspect(conn).get_columns(table)]


# --- SQLite ---------------------------------------------------------------------------------

_NIL_SQLITE = "zeroblob(16)"

SQLITE_MOVEMENTS = f"""
CREATE TRIGGER stock_balances_follow_movements AFTER INSERT ON stock_movements
WHEN NOT EXISTS (
    SELECT 1 FROM stocktake_lines c
    WHERE c.site_id = NEW.site_id AND c.item_id = NEW.item_id AND c.lot_id IS NEW.lot_id
      AND c.counted_at >= NEW.occurred_at)
BEGIN
    INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
    VALUES (NEW.site_id, NEW.item_id, COALESCE(NEW.lot_id, {_NIL_SQLITE}), NEW.lot_id,
            NEW.quantity)
    ON CONFLICT (site_id, item_id, lot_key)
    DO UPDATE SET on_hand = stock_balances.on_hand + excluded.on_hand;
END
"""

SQLITE_COUNTS = f"""
CREATE TRIGGER stock_balances_follow_counts AFTER INSERT ON stocktake_lines
WHEN NOT EXISTS (
    SELECT 1 FROM stocktake_lines c
    WHERE c.site_id = NEW.site_id AND c.item_id = NEW.item_id AND c.lot_id IS NEW.lot_id
      AND (c.counted_at > NEW.counted_at OR (c.counted_at = NEW.counted_at AND c.id > NEW.id)))
BEGIN
    INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
    VALUES (NEW.site_id, NEW.item_id, COALESCE(NEW.lot_id, {_NIL_SQLITE}), NEW.lot_id,
            NEW.counted + (
                SELECT COALESCE(SUM(m.quantity), 0) FROM stock_movements m
                WHERE m.site_id = NEW.site_id AND m.item_id = NEW.item_id
                  AND m.lot_id IS NEW.lot_id AND m.occurred_at > NEW.counted_at))
    ON CONFLICT (site_id, item_id, lot_key) DO UPDATE SET on_hand = excluded.on_hand;
END
"""


def _install_sqlite(conn: Connection) -> None:
    for name in existing_triggers(conn):
        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    conn.exec_driver_sql(SQLITE_MOVEMENTS)
    conn.exec_driver_sql(SQLITE_COUNTS)
    for table, purgeable in _present(conn):
        kept = [f'NEW."{c}" IS OLD."{c}"' for c in _columns(conn, table) if c not in purgeable]
        emptied = [f'(NEW."{c}" IS OLD."{c}" OR NEW."{c}" = \'\')' for c in purgeable]
        allowed = " AND ".join(kept + emptied)
        message = f"{table}: {REFUSAL}"
        conn.exec_driver_sql(
            f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
            f"WHEN NOT ({allowed}) BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
        conn.exec_driver_sql(
            f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


# --- PostgreSQL -----------------------------------------------------------------------------

_NIL_PG = "'00000000-0000-0000-0000-000000000000'::uuid"

POSTGRES_FUNCTIONS = (
    f"""
CREATE OR REPLACE FUNCTION stock_balances_follow_movements() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM stocktake_lines c
        WHERE c.site_id = NEW.site_id AND c.item_id = NEW.item_id
          AND c.lot_id IS NOT DISTINCT FROM NEW.lot_id AND c.counted_at >= NEW.occurred_at)
    THEN
        INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
        VALUES (NEW.site_id, NEW.item_id, COALESCE(NEW.lot_id, {_NIL_PG}), NEW.lot_id,
                NEW.quantity)
        ON CONFLICT (site_id, item_id, lot_key)
        DO UPDATE SET on_hand = stock_balances.on_hand + EXCLUDED.on_hand;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    f"""
CREATE OR REPLACE FUNCTION stock_balances_follow_counts() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM stocktake_lines c
        WHERE c.site_id = NEW.site_id AND c.item_id = NEW.item_id
          AND c.lot_id IS NOT DISTINCT FROM NEW.lot_id
          AND (c.counted_at > NEW.counted_at OR (c.counted_at = NEW.counted_at AND c.id > NEW.id)))
    THEN
        INSERT INTO stock_balances (site_id, item_id, lot_key, lot_id, on_hand)
        VALUES (NEW.site_id, NEW.item_id, COALESCE(NEW.lot_id, {_NIL_PG}), NEW.lot_id,
                NEW.counted + (
                    SELECT COALESCE(SUM(m.quantity), 0) FROM stock_movements m
                    WHERE m.site_id = NEW.site_id AND m.item_id = NEW.item_id
                      AND m.lot_id IS NOT DISTINCT FROM NEW.lot_id
                      AND m.occurred_at > NEW.counted_at))
        ON CONFLICT (site_id, item_id, lot_key) DO UPDATE SET on_hand = EXCLUDED.on_hand;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    f"""
CREATE OR REPLACE FUNCTION outreach_append_only() RETURNS trigger AS $$
DECLARE
    purgeable text[] := COALESCE(TG_ARGV::text[], '{{}}'::text[]);
    old_row jsonb;
    new_row jsonb;
    col text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
            MESSAGE = TG_TABLE_NAME || ': {REFUSAL}';
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    IF (new_row - purgeable) IS DISTINCT FROM (old_row - purgeable) THEN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
            MESSAGE = TG_TABLE_NAME || ': {REFUSAL}';
    END IF;
    FOREACH col IN ARRAY purgeable LOOP
        IF (new_row ->> col) IS DISTINCT FROM (old_row ->> col) AND (new_row ->> col) <> '' THEN
            RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
            MESSAGE = TG_TABLE_NAME || ': {REFUSAL}';
        END IF;
    END LOOP;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
)


def _install_postgres(conn: Connection) -> None:
    for statement in POSTGRES_FUNCTIONS:
        conn.exec_driver_sql(statement)
    for name, table in (
        ("stock_balances_follow_movements", "stock_movements"),
        ("stock_balances_follow_counts", "stocktake_lines"),
    ):
        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        conn.exec_driver_sql(
            f'CREATE TRIGGER "{name}" AFTER INSERT ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    for table, purgeable in _present(conn):
        args = ", ".join(f"'{c}'" for c in purgeable)
        for suffix, event in (("no_update", "UPDATE"), ("no_delete", "DELETE")):
            name = f"{table}_{suffix}"
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            conn.exec_driver_sql(
                f'CREATE TRIGGER "{name}" BEFORE {event} ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION outreach_append_only({args})"
            )
