"""The schema's part about devices: settings, the devices of the organisation and each
person's PIN on this one, invitations and revocations (which travel like other records, since
revision 0006), and what one device keeps to itself about merging (held records, export marks).
Re-exported by `models`, where the rest of the schema is."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from outreach_app.storage.model_base import NO_ROWID, Base, RecordMixin, new_id
from outreach_app.storage.types import Id


class Setting(Base):
    """A setting. Those of the organisation (zone, code scheme, reorder targets...) carry the
    time and device of their last change, which decides between devices (contracts §9); a
    device's own settings (its keys, hub address, language) leave both empty and never travel."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime | None]
    changed_by: Mapped[uuid.UUID | None] = mapped_column(Id())

    def __repr__(self) -> str:  # values may be secrets: never in a repr
        return f"Setting({self.key!r})"


class Device(Base):
    """A device of the organisation (contracts §9).

    `verify_key` is its public signing key (its fingerprint derives from it). A device that
    joined carries the invitation it used and that invitation key's signature over who it is,
    so any device can check it back to one it already trusts. `last_seq` is this device's own
    counter for itself; `revoked_at` and `last_sync_at` are what this device knows locally.
    """

    __tablename__ = "devices"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str]
    created_at: Mapped[datetime]
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    verify_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    invitation_id: Mapped[uuid.UUID | None] = mapped_column(Id())
    join_signature: Mapped[bytes | None] = mapped_column(LargeBinary(64))
    revoked_at: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]


class StaffPin(Base):
    """A person's PIN on one device (argon2id), never shared: each device sets its own.

    `failures` counts wrong PINs in a row; `wait_until` is when the next try is heard.
    """

    __tablename__ = "staff_pins"
    __table_args__ = (NO_ROWID,)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    wait_until: Mapped[datetime | None]


class Invitation(RecordMixin, Base):
    """An invitation made on this organisation's device `device_id`: the public half of a
    one-time key the new device signs its identity with, signed by the inviting device."""

    __tablename__ = "invitations"
    invite_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))


class DeviceRevocation(RecordMixin, Base):
    """A device revoked (contracts §9): its bundles are refused and its records arriving by any
    other path are quarantined, on every device this record reaches."""

    __tablename__ = "device_revocations"
    revoked_device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")


class SyncHeld(Base):
    """A record received but not applied: `quarantined` (its id is known with other facts, or
    it comes from a revoked device) or `pending` (what it refers to has not arrived yet).

    Local to this device, never travels. `payload` is the record as it arrived (the bundle's
    own encoding), so it can be applied later or accepted from the quarantine.
    """

    __tablename__ = "sync_held"
    __table_args__ = (NO_ROWID,)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    from_device: Mapped[uuid.UUID] = mapped_column(Id(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(12))  # quarantined | pending
    created_at: Mapped[datetime]
    received_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class SyncMark(Base):
    """Per device whose records this device holds: the highest sequence number already written
    to a bundle (`bundle export` writes the rest). Local, never travels."""

    __tablename__ = "sync_marks"
    device_id: Mapped[uuid.UUID] = mapped_column(Id(), primary_key=True)
    exported_seq: Mapped[int] = mapped_column(Integer, default=0)
