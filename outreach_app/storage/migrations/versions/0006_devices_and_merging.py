"""devices and merging: signing keys, invitations, revocations, held records, export marks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

- `devices` gains its public signing key (its fingerprint derives from it), the invitation it
  joined with and that invitation key's signature, and what this device knows locally about it
  (revoked, last sync). This folder's own device gets its signing key here: the private half
  is a local setting (`device_signing_seed`), inside the encrypted file, that never travels.
- `invitations` and `device_revocations`: records like the others (device, sequence number,
  who, when), append-only, that travel between devices (contracts §9).
- `settings` gains the time and device of the last change, filled for the organisation's own
  settings (the latest change wins between devices); a device's own settings leave them empty.
- `sync_held`: records received but held (quarantined or pending); `sync_marks`: how far each
  device's records were already written to a bundle. Both local.
- Last step: the triggers, as after every migration.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from nacl.signing import SigningKey

from outreach_app.storage.triggers import install_triggers
from outreach_app.storage.types import Id, UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: The organisation's settings at this revision (services/org_settings.py keeps the live list).
ORG_SETTINGS = ("org_name", "timezone", "code_scheme")
ORG_SETTING_PREFIXES = ("reorder_target_days:",)


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", Id(), nullable=False),
        sa.Column("device_id", Id(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("staff_id", Id(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    ]


def _record_keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=f"fk_{table}_device_id_devices"
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=f"fk_{table}_staff_id_staff"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    for column in (
        sa.Column("verify_key", sa.LargeBinary(32), nullable=True),
        sa.Column("invitation_id", Id(), nullable=True),
        sa.Column("join_signature", sa.LargeBinary(64), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("last_sync_at", UTCDateTime(), nullable=True),
    ):
        op.add_column("devices", column)
    op.add_column("settings", sa.Column("changed_at", UTCDateTime(), nullable=True))
    op.add_column("settings", sa.Column("changed_by", Id(), nullable=True))

    op.create_table(
        "invitations",
        *_record_columns(),
        sa.Column("invite_key", sa.LargeBinary(32), nullable=False),
        sa.Column("signature", sa.LargeBinary(64), nullable=False),
        *_record_keys("invitations"),
    )
    op.create_table(
        "device_revocations",
        *_record_columns(),
        sa.Column("revoked_device_id", Id(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["revoked_device_id"],
            ["devices.id"],
            name="fk_device_revocations_revoked_device_id_devices",
        ),
        *_record_keys("device_revocations"),
    )
    op.create_table(
        "sync_held",
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", Id(), nullable=False),
        sa.Column("from_device", Id(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", "from_device", "seq", name="pk_sync_held"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "sync_marks",
        sa.Column("device_id", Id(), nullable=False),
        sa.Column("exported_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_sync_marks"),
    )
    _stamp_org_settings(bind)
    _give_this_device_its_key(bind)
    install_triggers(bind)


def _stamp_org_settings(bind: sa.Connection) -> None:
    settings = sa.table(
        "settings",
        sa.column("key", sa.String),
        sa.column("value", sa.Text),
        sa.column("changed_at", UTCDateTime()),
        sa.column("changed_by", Id()),
    )
    device = bind.execute(sa.select(settings.c.value).where(settings.c.key == "device_id")).scalar()
    if device is None:
        return  # an empty database being set up: init stamps its settings itself
    shared = sa.or_(
        settings.c.key.in_(ORG_SETTINGS),
        *(settings.c.key.startswith(prefix) for prefix in ORG_SETTING_PREFIXES),
    )
    bind.execute(
        settings.update()
        .where(shared)
        .values(changed_at=datetime.now(UTC), changed_by=uuid.UUID(device))
    )


def _give_this_device_its_key(bind: sa.Connection) -> None:
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    devices = sa.table("devices", sa.column("id", Id()), sa.column("verify_key", sa.LargeBinary))
    device = bind.execute(sa.select(settings.c.value).where(settings.c.key == "device_id")).scalar()
    if device is None:
        return
    seed = secrets.token_bytes(32)
    bind.execute(settings.insert().values(key="device_signing_seed", value=seed.hex()))
    verify_key = bytes(SigningKey(seed).verify_key)
    bind.execute(
        devices.update().where(devices.c.id == uuid.UUID(device)).values(verify_key=verify_key)
    )


def downgrade() -> None:
    raise NotImplementedError("Restore the backup taken before the upgrade instead.")
