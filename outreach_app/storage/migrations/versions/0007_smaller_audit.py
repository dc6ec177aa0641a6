"""a smaller audit log, and no index that another one can replace

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10

Issue 8 asks for about 1,200 bytes per encounter with its audit entry included; the app writes
one entry per action, so each encounter carries one.

- `ix_encounter_items_item` goes (about 126 bytes an encounter): the encounter list's item
  filter now walks encounters by time and finds each one's line by the lines' primary key
  (services/encounter_list.py; plans in docs/query-plans.md).
- `ix_movements_encounter` goes (about 83 bytes an encounter): only a void asked for an
  encounter's movements, and they are at its site and moment, which
  `ix_movements_site_occurred` finds; `check` now counts a draw elsewhere as a line that
  disagrees with its stock.
- `ix_encounters_site_occurred` goes (about 36 bytes an encounter): `ix_encounters_occurred`
  gives a period's records of every site, and a site's are picked from them (the monthly
  tally of all sites reads the same rows; one site of three reads three times as many).
- `ix_encounters_participant` holds the first 8 bytes of each participant key instead of all
  32 (about 20 bytes an encounter): keys are keyed hashes, so 8 bytes tell codes apart, and
  the whole key is still compared (`models.has_participant_key`).
- `audit_log` is keyed by (device, sequence number), its identity on every device and the order
  of its device's chain: on SQLite a `WITHOUT ROWID` table, so the separate id, its index and
  `ix_audit_device_seq` go. The stored `prev_hash` goes too: it is always the `entry_hash` of
  the device's entry before, which `check` now reads there. Entries written before keep their
  random `id`, since their hash covers it; new entries leave it empty. Every `entry_hash` and
  `records_hash` stays as it was, so an audit CSV printed before still matches.
  What a chain could show before and still shows: a removed or changed entry, a changed record.
  Only a stored `prev_hash` changed by hand while nothing else was is no longer seen: once the
  column is gone it changes nothing that the chain vouches for.
- Last step: the triggers, as after every migration (rebuilding a table on SQLite drops its own).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from outreach_app.storage.triggers import install_triggers
from outreach_app.storage.types import Id, UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The new table's columns, oldest first, as they are copied (every column but `prev_hash`).
KEPT = (
    "device_id",
    "seq",
    "staff_id",
    "created_at",
    "action",
    "summary",
    "records_hash",
    "entry_hash",
    "id",
)


def upgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_encounter_items_item", table_name="encounter_items")
    op.drop_index("ix_movements_encounter", table_name="stock_movements")
    op.drop_index("ix_encounters_site_occurred", table_name="encounters")
    op.drop_index("ix_encounters_participant", table_name="encounters")
    where = sa.text("participant_key IS NOT NULL")
    op.create_index(
        "ix_encounters_participant",
        "encounters",
        [sa.text("substr(participant_key, 1, 8)")],  # models.KEY_PREFIX, as of this revision
        sqlite_where=where,
        postgresql_where=where,
    )
    if conn.dialect.name == "postgresql":
        _upgrade_postgres(conn)
    else:
        _upgrade_sqlite(conn)
    install_triggers(conn)


def downgrade() -> None:
    raise NotImplementedError("Restore the backup taken before the upgrade instead.")


def _create_audit_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("device_id", Id(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("staff_id", Id(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("records_hash", sa.LargeBinary(32), nullable=True),
        sa.Column("entry_hash", sa.LargeBinary(32), nullable=True),
        sa.Column("id", Id(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_audit_log_device_id_devices"
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name="fk_audit_log_staff_id_staff"),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_audit_log"),
        sqlite_with_rowid=False,
    )


def _upgrade_sqlite(conn: sa.Connection) -> None:
    # SQLite cannot change a table's key in place: copy it into its new shape. Dropping the old
    # table drops its triggers and indexes with it; nothing refers to audit_log.
    _create_audit_table("audit_log_new")
    columns = ", ".join(KEPT)
    conn.exec_driver_sql(
        f"INSERT INTO audit_log_new ({columns}) "
        f"SELECT {columns} FROM audit_log ORDER BY device_id, seq"
    )
    conn.exec_driver_sql("DROP TABLE audit_log")
    conn.exec_driver_sql("ALTER TABLE audit_log_new RENAME TO audit_log")


def _upgrade_postgres(conn: sa.Connection) -> None:
    # The key moves in place (migrate.py already holds the migration lock on a shared server).
    run = conn.exec_driver_sql
    run("DROP INDEX IF EXISTS ix_audit_device_seq")
    run("ALTER TABLE audit_log DROP CONSTRAINT pk_audit_log")
    run("ALTER TABLE audit_log ALTER COLUMN id DROP NOT NULL")
    run("ALTER TABLE audit_log ADD CONSTRAINT pk_audit_log PRIMARY KEY (device_id, seq)")
    run("ALTER TABLE audit_log DROP COLUMN prev_hash")
