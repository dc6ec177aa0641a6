"""staff and PINs per device, a chained audit, participant codes only as keyed hashes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09

- `staff_pins`: each person's PIN on this device (argon2id), with the count of wrong tries.
  The coordinator PIN of before becomes the PIN of the folder's first coordinator, a person
  created here ("Coordinator") unless the folder already has one.
- Participant codes: every typed code becomes its HMAC-SHA-256 with the organisation secret
  (after normalisation: trimmed, upper-cased, spaces and hyphens removed) and the typed column is
  emptied; the index over typed codes goes. Existing folders keep their own code scheme (`own`).
  `open_store` then vacuums the file and rewrites the folder's own backups (services/store.py).
- The audit chain starts: one entry per device ("upgrade") covering every record it numbered
  before, so `check` can tell from now on if any of them is changed.
- Last step: the triggers, as after every migration.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from outreach_app.domain import facts, identity
from outreach_app.domain.participant import normalize_participant_code, participant_key
from outreach_app.storage.facts import every_record
from outreach_app.storage.models import Staff, StaffPin
from outreach_app.storage.triggers import install_triggers
from outreach_app.storage.types import Id, UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_PIN_KEY = "coordinator_pin_hash"
# The audit log as this revision left it (revision 0007 changed its key and dropped prev_hash):
# not the model, which follows the head.
AUDIT_0004 = sa.table(
    "audit_log",
    *(sa.column(name, Id()) for name in ("id", "device_id", "staff_id")),
    sa.column("seq", sa.Integer()),
    sa.column("created_at", UTCDateTime()),
    *(sa.column(name, sa.String()) for name in ("action", "summary")),
    *(sa.column(name, sa.LargeBinary()) for name in ("records_hash", "prev_hash", "entry_hash")),
)
FIRST_KEY = "first_coordinator"


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left
        for (name,) in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type='trigger'")):
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    else:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7340003)")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS encounters_no_update ON encounters")
    StaffPin.__table__.create(conn)  # type: ignore[attr-defined]
    op.create_index("ix_audit_device_seq", "audit_log", ["device_id", "seq"])
    op.drop_index("ix_encounters_code", table_name="encounters")
    where = sa.text("participant_key IS NOT NULL")
    op.create_index(
        "ix_encounters_participant",
        "encounters",
        ["participant_key"],
        sqlite_where=where,
        postgresql_where=where,
    )
    settings: dict[str, str] = {
        k: v for k, v in conn.execute(sa.text("SELECT key, value FROM settings")).all()
    }
    if "device_id" in settings:  # a folder with data (a new one is set up by init)
        _key_codes(conn, bytes.fromhex(settings["org_secret"]))
        _settle_first_coordinator(conn, settings)
        if "code_scheme" not in settings:
            _set(conn, "code_scheme", "own")
        _start_chains(conn)
    install_triggers(conn)


def downgrade() -> None:
    raise NotImplementedError("Restore the backup taken before the upgrade instead.")


def _set(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(
        sa.text("INSERT INTO settings (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
    )


def _key_codes(conn: sa.Connection, secret: bytes) -> None:
    rows = conn.execute(
        sa.text("SELECT id, participant_code FROM encounters WHERE participant_code IS NOT NULL")
    ).all()
    for row_id, code in rows:
        clean = normalize_participant_code(code)
        conn.execute(
            sa.text(
                "UPDATE encounters SET participant_key = :key, participant_code = NULL "
                "WHERE id = :id"
            ),
            {"key": participant_key(secret, clean) if clean else None, "id": row_id},
        )


def _next_seq(conn: sa.Connection, device: Any) -> int:
    top = conn.execute(
        sa.text("SELECT last_seq FROM devices WHERE id = :d"), {"d": device}
    ).scalar_one()
    conn.execute(
        sa.text("UPDATE devices SET last_seq = :s WHERE id = :d"), {"s": top + 1, "d": device}
    )
    return int(top) + 1


def _settle_first_coordinator(conn: sa.Connection, settings: dict[str, str]) -> None:
    staff: Any = Staff.__table__
    device = uuid.UUID(settings["device_id"])
    now = datetime.now(UTC).replace(microsecond=0)
    first = conn.execute(
        sa.select(staff.c.id)
        .where(staff.c.role == "coordinator")
        .order_by(staff.c.created_at, staff.c.id)
        .limit(1)
    ).scalar()
    if first is None:
        taken = {n.casefold() for n in conn.execute(sa.select(staff.c.name)).scalars()}
        name = "Coordinator"
        number = 1
        while name.casefold() in taken:
            number += 1
            name = f"Coordinator {number}"
        first = identity.staff_id(uuid.UUID(settings["org_id"]), name)
        device_key = device if conn.dialect.name == "postgresql" else device.bytes
        conn.execute(
            sa.insert(staff).values(
                id=first,
                device_id=device,
                seq=_next_seq(conn, device_key),
                staff_id=None,
                created_at=now,
                changed_at=now,
                changed_by=device,
                name=name,
                initials="C",
                role="coordinator",
                active=True,
            )
        )
    if FIRST_KEY not in settings:
        _set(conn, FIRST_KEY, str(first))
    old_pin = settings.get(OLD_PIN_KEY)
    if old_pin:
        pins: Any = StaffPin.__table__
        conn.execute(
            sa.insert(pins).values(
                device_id=device, staff_id=first, pin_hash=old_pin, failures=0, wait_until=None
            )
        )
        conn.execute(sa.text("DELETE FROM settings WHERE key = :k"), {"k": OLD_PIN_KEY})


def _start_chains(conn: sa.Connection) -> None:
    """One entry per device covering every record it numbered so far: the chain's start."""
    audit = AUDIT_0004
    now = datetime.now(UTC).replace(microsecond=0)
    for device, records in every_record(conn, reflect=True).items():
        device_key = device if conn.dialect.name == "postgresql" else device.bytes
        seq = _next_seq(conn, device_key)
        entry_id = uuid.uuid4()
        summary = f"schema 0004: the audit chain starts; {len(records)} earlier records covered"
        records_hash = facts.records_hash(value for _, value, _, _ in records)
        digest = facts.entry_hash(
            entry_id=entry_id,
            device_id=device,
            seq=seq,
            staff_id=None,
            created_at=now,
            action="upgrade",
            summary=summary,
            records=records_hash,
            prev=None,
        )
        conn.execute(
            sa.insert(audit).values(
                id=entry_id,
                device_id=device,
                seq=seq,
                staff_id=None,
                created_at=now,
                action="upgrade",
                summary=summary,
                records_hash=records_hash,
                prev_hash=None,
                entry_hash=digest,
            )
        )
