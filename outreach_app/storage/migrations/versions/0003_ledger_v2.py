"""ledger v2: ids that merge, counts as facts, append-only in the database, half the size

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

- Every record gets a per-device sequence number and who made it; catalog and sites get the time
  and device of their last change; the folder becomes the first device of its own organisation
  (an organisation id and secret in settings).
- A count is the fact "N counted at T" (stocktake lines carry their site and moment); the count
  correction movements of before are dropped, since on hand after a count is now derived from it.
  Kept balances are rebuilt from the ledger.
- On SQLite, every table is copied into its new shape: ids as 16 bytes, times as milliseconds,
  link tables WITHOUT ROWID, and only the indexes a query uses.
- Last step: the triggers (append-only, kept balances), as after every migration.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from outreach_app.storage.balances import rebuild_balances
from outreach_app.storage.migrations.frozen import schema_0003 as frozen
from outreach_app.storage.triggers import install_triggers
from outreach_app.storage.types import to_millis

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Record tables in the order their sequence numbers are given (oldest kinds of facts first).
SEQUENCED = (
    "staff",
    "sites",
    "items",
    "kits",
    "referral_types",
    "lots",
    "imports",
    "encounters",
    "encounter_voids",
    "stock_movements",
    "stocktakes",
    "audit_log",
)
SHARED_ROWS = ("staff", "sites", "items", "kits", "referral_types")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        _upgrade_postgres(conn)
    else:
        _upgrade_sqlite(conn)
    _add_organisation(conn)
    rebuild_balances(conn)
    install_triggers(conn)


def downgrade() -> None:
    raise NotImplementedError("Restore the backup taken before the upgrade instead.")


def _add_organisation(conn: sa.Connection) -> None:
    present = {key for (key,) in conn.execute(sa.text("SELECT key FROM settings"))}
    for key, value in (("org_id", str(uuid.uuid4())), ("org_secret", secrets.token_hex(32))):
        if key not in present:
            conn.execute(
                sa.text("INSERT INTO settings (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
            )


# --- SQLite: copy every table into its new shape ----------------------------------------------


def _id(hex_text: str | None) -> bytes | None:
    return None if hex_text is None else uuid.UUID(hex_text).bytes


def _ms(text: str | None) -> int | None:
    if text is None:
        return None
    return to_millis(datetime.fromisoformat(text).replace(tzinfo=UTC))


def _void_id(encounter_hex: str) -> bytes:
    return uuid.uuid5(uuid.UUID(encounter_hex), "void").bytes


COPIES: dict[str, tuple[str, dict[str, str]]] = {
    # new table: (FROM clause over the old tables, {new column: expression})
    "devices": ("old_devices o", {"id": "I(o.id)", "name": "o.name", "created_at": "T(o.created_at)", "last_seq": "0"}),
    "settings": ("old_settings o", {"key": "o.key", "value": "o.value"}),
    "staff": ("old_staff o", {"name": "o.name", "initials": "o.initials", "role": "o.role", "active": "o.active"}),
    "sites": ("old_sites o", {"name": "o.name", "kind": "o.kind", "active": "o.active"}),
    "items": ("old_items o", {c: f"o.{c}" for c in ("code", "name", "category", "unit", "doses_per_unit", "reorder_level", "tracks_lots", "active", "sort_order")}),
    "kits": ("old_kits o", {"code": "o.code", "name": "o.name", "active": "o.active"}),
    "kit_lines": ("old_kit_lines o", {"kit_id": "I(o.kit_id)", "item_id": "I(o.item_id)", "quantity": "o.quantity"}),
    "referral_types": ("old_referral_types o", {"code": "o.code", "label": "o.label", "active": "o.active"}),
    "lots": ("old_lots o", {"item_id": "I(o.item_id)", "lot_number": "o.lot_number", "expires_on": "o.expires_on", "staff_id": "NULL"}),
    "imports": ("old_imports o", {"filename": "o.filename", "rows": "o.rows", "file_sha256": "o.sha256", "staff_id": "NULL"}),
    "encounters": ("old_encounters o", {
        "occurred_at": "T(o.occurred_at)", "site_id": "I(o.site_id)", "staff_id": "I(o.staff_id)",
        "is_tally": "o.is_tally", "contacts": "o.contacts", "participant_code": "o.participant_code",
        "participant_key": "NULL", "age_band": "o.age_band", "gender": "o.gender", "is_new": "o.is_new",
        "people_served": "o.people_served", "syringes_returned": "o.syringes_returned",
        "reversals_reported": "o.reversals_reported", "naloxone_reason": "o.naloxone_reason",
        "naloxone_training": "o.naloxone_training", "note": "o.note", "moves_stock": "o.moves_stock",
        "import_id": "I(o.import_id)",
    }),
    "encounter_items": ("old_encounter_items o", {"encounter_id": "I(o.encounter_id)", "item_id": "I(o.item_id)", "quantity": "o.quantity"}),
    "encounter_kits": ("old_encounter_kits o", {"encounter_id": "I(o.encounter_id)", "kit_id": "I(o.kit_id)", "quantity": "o.quantity"}),
    "encounter_referrals": ("old_encounter_referrals o", {"encounter_id": "I(o.encounter_id)", "referral_type_id": "I(o.referral_type_id)"}),
    "encounter_voids": ("old_encounter_voids o", {"encounter_id": "I(o.encounter_id)", "reason": "o.reason", "staff_id": "I(o.staff_id)"}),
    "stock_movements": (
        "old_stock_movements o WHERE o.kind <> 'count_correction' AND NOT EXISTS ("
        "SELECT 1 FROM old_stock_movements r WHERE r.id = o.reverses_id AND r.kind = 'count_correction')",
        {
            "staff_id": "I(o.staff_id)", "occurred_at": "T(o.occurred_at)", "site_id": "I(o.site_id)",
            "item_id": "I(o.item_id)", "lot_id": "I(o.lot_id)", "quantity": "o.quantity", "kind": "o.kind",
            "reason": "o.reason", "note": "o.note", "encounter_id": "I(o.encounter_id)",
            "transfer_id": "I(o.transfer_id)", "reverses_id": "I(o.reverses_id)",
        },
    ),
    "stocktakes": ("old_stocktakes o", {"staff_id": "I(o.staff_id)", "occurred_at": "T(o.occurred_at)", "site_id": "I(o.site_id)", "note": "o.note"}),
    "stocktake_lines": ("old_stocktake_lines o JOIN old_stocktakes s ON s.id = o.stocktake_id", {
        "id": "I(o.id)", "stocktake_id": "I(o.stocktake_id)", "site_id": "I(s.site_id)",
        "counted_at": "T(s.occurred_at)", "item_id": "I(o.item_id)", "lot_id": "I(o.lot_id)",
        "counted": "o.counted", "reason": "o.reason",
    }),
    "audit_log": ("old_audit_log o", {
        "staff_id": "NULL", "action": "o.action",
        "summary": "CASE WHEN o.staff IS NULL OR o.staff = '' THEN o.detail ELSE o.staff || ': ' || o.detail END",
        "records_hash": "NULL", "prev_hash": "NULL", "entry_hash": "NULL",
    }),
}  # fmt: skip
OLD_TABLES = [t for t in COPIES] + ["stock_balances"]


def _register_functions(conn: sa.Connection) -> None:
    raw: Any = conn.connection.dbapi_connection
    raw.create_function("I", 1, _id, deterministic=True)
    raw.create_function("T", 1, _ms, deterministic=True)
    raw.create_function("VOID_ID", 1, _void_id, deterministic=True)


def _upgrade_sqlite(conn: sa.Connection) -> None:
    _register_functions(conn)
    for (name,) in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")):
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    indexes = conn.execute(
        sa.text("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    ).all()
    for (name,) in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    for table in OLD_TABLES:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" RENAME TO "old_{table}"')
    frozen.Base.metadata.create_all(conn)
    next_seq: dict[bytes, int] = {}
    for table, (source, columns) in COPIES.items():
        columns = dict(columns)
        if table in SEQUENCED:
            columns.setdefault(
                "id", "VOID_ID(o.encounter_id)" if table == "encounter_voids" else "I(o.id)"
            )
            columns["device_id"] = "I(o.device_id)"
            columns["created_at"] = "T(o.created_at)"
            columns["seq"] = _seq_expression(next_seq)
            columns.setdefault("staff_id", "NULL")
        if table in SHARED_ROWS:
            columns["changed_at"] = "T(o.created_at)"
            columns["changed_by"] = "I(o.device_id)"
        names = ", ".join(columns)
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({names}) SELECT {', '.join(columns.values())} FROM {source}"
        )
        if table in SEQUENCED:
            for device, top in conn.execute(
                sa.text(f"SELECT device_id, MAX(seq) FROM {table} GROUP BY device_id")
            ):
                next_seq[bytes(device)] = max(next_seq.get(bytes(device), 0), int(top))
    for device, top in next_seq.items():
        conn.execute(
            sa.text("UPDATE devices SET last_seq = :top WHERE id = :device"),
            {"top": top, "device": device},
        )
    for table in reversed(OLD_TABLES):
        conn.exec_driver_sql(f'DROP TABLE "old_{table}"')


def _seq_expression(next_seq: dict[bytes, int]) -> str:
    """Numbers each device's rows of a table after those it already has, oldest first."""
    offset = " ".join(f"WHEN x'{device.hex()}' THEN {top}" for device, top in next_seq.items())
    base = f"(CASE I(o.device_id) {offset} ELSE 0 END)" if offset else "0"
    return f"{base} + ROW_NUMBER() OVER (PARTITION BY o.device_id ORDER BY o.created_at, o.id)"


# --- PostgreSQL: change the tables in place ---------------------------------------------------


def _upgrade_postgres(conn: sa.Connection) -> None:
    # One migration at a time on a shared server: a second device waits, then finds it done.
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7340003)")
    run = conn.exec_driver_sql
    for trigger in ("stock_balances_follow_movements",):
        run(f"DROP TRIGGER IF EXISTS {trigger} ON stock_movements")
    run("ALTER TABLE devices ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0")
    for table in SEQUENCED:
        run(f"ALTER TABLE {table} ADD COLUMN seq INTEGER")
        if table in (
            "staff",
            "sites",
            "items",
            "kits",
            "referral_types",
            "lots",
            "imports",
            "audit_log",
        ):
            run(f"ALTER TABLE {table} ADD COLUMN staff_id UUID REFERENCES staff (id)")
    for table in SHARED_ROWS:
        run(f"ALTER TABLE {table} ADD COLUMN changed_at TIMESTAMP")
        run(f"ALTER TABLE {table} ADD COLUMN changed_by UUID")
        run(f"UPDATE {table} SET changed_at = created_at, changed_by = device_id")
        run(f"ALTER TABLE {table} ALTER COLUMN changed_at SET NOT NULL")
        run(f"ALTER TABLE {table} ALTER COLUMN changed_by SET NOT NULL")
    run("ALTER TABLE encounters ALTER COLUMN participant_code TYPE VARCHAR(64)")
    run("ALTER TABLE encounters ADD COLUMN participant_key BYTEA")
    run("DROP INDEX IF EXISTS ix_encounters_occurred")
    run("CREATE INDEX ix_encounters_occurred ON encounters (occurred_at)")
    run("DROP INDEX IF EXISTS ix_encounters_code")
    run(
        "CREATE INDEX ix_encounters_code ON encounters (participant_code) "
        "WHERE participant_code IS NOT NULL"
    )
    # Counts become facts: lines carry their site and moment; corrections are no longer stored.
    run("ALTER TABLE stocktake_lines ADD COLUMN site_id UUID REFERENCES sites (id)")
    run("ALTER TABLE stocktake_lines ADD COLUMN counted_at TIMESTAMP")
    run(
        "UPDATE stocktake_lines l SET site_id = s.site_id, counted_at = s.occurred_at "
        "FROM stocktakes s WHERE s.id = l.stocktake_id"
    )
    run("ALTER TABLE stocktake_lines ALTER COLUMN site_id SET NOT NULL")
    run("ALTER TABLE stocktake_lines ALTER COLUMN counted_at SET NOT NULL")
    run("ALTER TABLE stocktake_lines DROP COLUMN expected")
    run("ALTER TABLE stocktake_lines DROP COLUMN variance")
    run("CREATE INDEX ix_stocktake_lines_key ON stocktake_lines (site_id, item_id, counted_at)")
    run(
        "DELETE FROM stock_movements WHERE reverses_id IN "
        "(SELECT id FROM stock_movements WHERE kind = 'count_correction')"
    )
    run("DELETE FROM stock_movements WHERE kind = 'count_correction'")
    run("ALTER TABLE stock_movements DROP COLUMN stocktake_id")
    run("DROP INDEX IF EXISTS ix_movements_site_item_lot")
    run("DROP INDEX IF EXISTS ix_movements_occurred")
    run("CREATE INDEX ix_movements_site_occurred ON stock_movements (site_id, occurred_at)")
    # Voids take the id derived from their encounter.
    for void_id, encounter_id in conn.execute(
        sa.text("SELECT id, encounter_id FROM encounter_voids")
    ).all():
        run(
            "UPDATE encounter_voids SET id = %(new)s WHERE id = %(old)s",
            {"new": uuid.uuid5(encounter_id, "void"), "old": void_id},
        )
    run("ALTER TABLE imports RENAME COLUMN sha256 TO file_sha256")
    run("ALTER TABLE imports DROP CONSTRAINT uq_imports_sha256")
    run("ALTER TABLE imports ALTER COLUMN file_sha256 DROP NOT NULL")
    run("ALTER TABLE audit_log ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
    run(
        "UPDATE audit_log SET summary = CASE WHEN staff IS NULL OR staff = '' THEN detail "
        "ELSE staff || ': ' || detail END"
    )
    run("ALTER TABLE audit_log DROP COLUMN staff")
    run("ALTER TABLE audit_log DROP COLUMN detail")
    for column in ("records_hash", "prev_hash", "entry_hash"):
        run(f"ALTER TABLE audit_log ADD COLUMN {column} BYTEA")
    _number_postgres_records(conn)
    run("DROP TABLE stock_balances")
    frozen.Base.metadata.create_all(
        conn,
        tables=[frozen.StockBalance.__table__, frozen.RecordCopy.__table__],  # type: ignore[list-item]
    )
    run("DROP FUNCTION IF EXISTS stock_balances_follow_movements() CASCADE")


def _number_postgres_records(conn: sa.Connection) -> None:
    offsets: dict[uuid.UUID, int] = {}
    for table in SEQUENCED:
        cases = " ".join(f"WHEN '{device}'::uuid THEN {top}" for device, top in offsets.items())
        base = f"(CASE n.device_id {cases} ELSE 0 END)" if cases else "0"
        conn.exec_driver_sql(
            f"UPDATE {table} t SET seq = {base} + n.number FROM (SELECT id, device_id, "
            f"ROW_NUMBER() OVER (PARTITION BY device_id ORDER BY created_at, id) AS number "
            f"FROM {table}) n WHERE t.id = n.id"
        )
        conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN seq SET NOT NULL")
        for device, top in conn.execute(
            sa.text(f"SELECT device_id, MAX(seq) FROM {table} GROUP BY device_id")
        ):
            offsets[device] = max(offsets.get(device, 0), int(top))
    for device, top in offsets.items():
        conn.execute(
            sa.text("UPDATE devices SET last_seq = :top WHERE id = :d"), {"top": top, "d": device}
        )
