"""purges: retention as a record with its cut-off

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

- `purges`: one row per purge (contracts §10): its cut-off (UTC) and the months it was asked
  for. A record like the others (device, sequence number, who, when), append-only, covered by
  the audit; the free text of every record that occurred before a purge's cut-off stays empty,
  also for records that arrive later (services/retention.py).
- Last step: the triggers, as after every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from outreach_app.storage.triggers import install_triggers
from outreach_app.storage.types import Id, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purges",
        sa.Column("id", Id(), nullable=False),
        sa.Column("device_id", Id(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("staff_id", Id(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cut_off", UTCDateTime(), nullable=False),
        sa.Column("older_than_months", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_purges_device_id_devices"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name="fk_purges_staff_id_staff"),
        sa.PrimaryKeyConstraint("id", name="pk_purges"),
    )
    install_triggers(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("Restore the backup taken before the upgrade instead.")
