"""The schema (revision 0007): the organisation's shared rows and its append-only records.

Every record carries its id, the device that made it, that device's sequence number, who made it
and when. Records are never updated or deleted (the database refuses it, `storage/triggers.py`),
except a purge emptying free text; a correction is a new record. Stock on hand is derived: the
ledger of movements plus counts ("N counted at T"); `stock_balances` is a cache of it kept by the
database's triggers. See `domain/identity.py` for which ids are derived and why.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach_app.storage.model_base import (
    KEY_PREFIX,
    NAMING,
    NO_ROWID,
    Base,
    RecordMixin,
    SharedRowMixin,
    new_id,
)
from outreach_app.storage.types import Id


class Staff(SharedRowMixin, Base):
    """A person of the organisation (shared; id from the name, `identity.staff_id`)."""

    __tablename__ = "staff"
    name: Mapped[str] = mapped_column(String(80))
    initials: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Site(SharedRowMixin, Base):
    __tablename__ = "sites"
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Item(SharedRowMixin, Base):
    __tablename__ = "items"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str]
    category: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(40))
    doses_per_unit: Mapped[int] = mapped_column(Integer, default=0)
    reorder_level: Mapped[int] = mapped_column(Integer, default=0)
    tracks_lots: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Kit(SharedRowMixin, Base):
    __tablename__ = "kits"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lines: Mapped[list[KitLine]] = relationship(
        back_populates="kit", cascade="all, delete-orphan", lazy="selectin"
    )


class KitLine(Base):
    __tablename__ = "kit_lines"
    __table_args__ = (NO_ROWID,)
    kit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kits.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0", name="positive"))
    kit: Mapped[Kit] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship(lazy="joined")


class Lot(RecordMixin, Base):
    """Identified by item and lot number (contracts §1); its id derives from them."""

    __tablename__ = "lots"
    __table_args__ = (Index("uq_lots_item_lot", "item_id", "lot_number", unique=True),)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    lot_number: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[date | None]


class ReferralType(SharedRowMixin, Base):
    __tablename__ = "referral_types"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Encounter(RecordMixin, Base):
    """One contact, or a tally record (`is_tally`) that counts contacts without details.

    A participant code is stored only as `participant_key`, its HMAC-SHA-256 with the
    organisation secret (contracts §10); `participant_code` stays empty (revision 0004 moved the
    typed codes of before into keys).
    """

    __tablename__ = "encounters"
    # Revision 0007: one time index serves every site (a site's records are read from the
    # period's range, not a second index per site), and the participant index holds 8 bytes of
    # each key (storage/indexed.py asks through them). See docs/query-plans.md. The migrations
    # make the tables and indexes, not these declarations: the participant index is partial on
    # PostgreSQL too, but spelling that here would load SQLAlchemy's PostgreSQL dialect (about
    # 50 ms) at every start of an app that opens a SQLite file.
    __table_args__ = (
        Index("ix_encounters_occurred", "occurred_at"),
        Index(
            "ix_encounters_participant",
            text(f"substr(participant_key, 1, {KEY_PREFIX})"),
            sqlite_where=text("participant_key IS NOT NULL"),
        ),
        CheckConstraint("people_served >= 0", name="people_served"),
        CheckConstraint("syringes_returned >= 0", name="returned"),
        CheckConstraint("reversals_reported >= 0", name="reversals"),
        CheckConstraint("contacts >= 0", name="contacts"),
    )
    occurred_at: Mapped[datetime]
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    is_tally: Mapped[bool] = mapped_column(Boolean, default=False)
    contacts: Mapped[int] = mapped_column(Integer, default=0)
    participant_code: Mapped[str | None] = mapped_column(String(64))
    participant_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    age_band: Mapped[str | None] = mapped_column(String(16))
    gender: Mapped[str | None] = mapped_column(String(16))
    is_new: Mapped[bool | None] = mapped_column(Boolean)
    people_served: Mapped[int] = mapped_column(Integer, default=1)
    syringes_returned: Mapped[int] = mapped_column(Integer, default=0)
    reversals_reported: Mapped[int] = mapped_column(Integer, default=0)
    naloxone_reason: Mapped[str | None] = mapped_column(String(16))
    naloxone_training: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    moves_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    import_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("imports.id"))

    items: Mapped[list[EncounterItem]] = relationship(lazy="selectin")
    kits: Mapped[list[EncounterKit]] = relationship(lazy="selectin")
    referrals: Mapped[list[EncounterReferral]] = relationship(lazy="selectin")


class EncounterItem(Base):
    """Quantity of one item given in an encounter, kit contents included."""

    __tablename__ = "encounter_items"
    # No index on item_id (revision 0007): the one query filtering by item, the encounter list,
    # walks encounters by time and finds each one's line through this primary key.
    __table_args__ = (NO_ROWID,)
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0", name="positive"))


class EncounterKit(Base):
    __tablename__ = "encounter_kits"
    __table_args__ = (NO_ROWID,)
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), primary_key=True)
    kit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kits.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0", name="positive"))


class EncounterReferral(Base):
    __tablename__ = "encounter_referrals"
    __table_args__ = (NO_ROWID,)
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), primary_key=True)
    referral_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referral_types.id"), primary_key=True
    )


class EncounterVoid(RecordMixin, Base):
    """The void of one encounter; its id derives from the encounter (identity.void_id)."""

    __tablename__ = "encounter_voids"
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(200))


class StockMovement(RecordMixin, Base):
    """A signed change of stock. Reversals carry the kind of the movement they reverse, and an
    id derived from it, so a movement can be reversed once whatever device does it."""

    __tablename__ = "stock_movements"
    # No index on encounter_id (revision 0007): an encounter's movements are at its site and
    # moment, where ix_movements_site_occurred finds them (storage/indexed.py).
    __table_args__ = (
        Index("ix_movements_site_occurred", "site_id", "occurred_at"),
        CheckConstraint("quantity <> 0", name="nonzero"),
    )
    occurred_at: Mapped[datetime]
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("encounters.id"))
    transfer_id: Mapped[uuid.UUID | None] = mapped_column(Id())
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stock_movements.id"))


class StockBalance(Base):
    """Derived on hand per site, item and lot, kept by the database's triggers.

    Never written by the app: each new movement adds to it unless a count at or after the
    movement's moment already fixed the balance; each new count that is the latest for its
    site, item and lot sets it to the count plus the movements after it. `check` compares it with
    the ledger and `check --repair` rebuilds it. `lot_key` is the lot id, or the nil UUID for
    stock without a lot, because a primary key cannot hold NULL.
    """

    __tablename__ = "stock_balances"
    __table_args__ = (NO_ROWID,)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    lot_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"))
    on_hand: Mapped[int] = mapped_column(Integer)


class Stocktake(RecordMixin, Base):
    """One count sheet of a site at a moment: the header of its count lines."""

    __tablename__ = "stocktakes"
    occurred_at: Mapped[datetime]
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    lines: Mapped[list[StocktakeLine]] = relationship(lazy="selectin")


class StocktakeLine(Base):
    """The fact "`counted` of this item and lot at `site_id` at `counted_at`" (contracts §1).

    Expected and variance are not stored: they depend on whatever the ledger knows about that
    moment, which a merge or a back-dated entry can change. `reason` is the typed reason the
    counter gave for the difference they saw.
    """

    __tablename__ = "stocktake_lines"
    __table_args__ = (
        Index("ix_stocktake_lines_key", "site_id", "item_id", "counted_at"),
        CheckConstraint("counted >= 0", name="counted"),
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    stocktake_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stocktakes.id"))
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    counted_at: Mapped[datetime]
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"))
    counted: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(20))


class Import(RecordMixin, Base):
    """A spreadsheet imported whole; its id is the keyed digest of its normalised rows.

    `file_sha256` is kept only for imports made before revision 0003, whose rows were identified
    by the file's bytes: the same file is still refused.
    """

    __tablename__ = "imports"
    filename: Mapped[str]
    rows: Mapped[int] = mapped_column(Integer)
    file_sha256: Mapped[str | None] = mapped_column(String(64))


class RecordCopy(Base):
    """Who else made a record that can honestly be made twice (a void of the same encounter, a
    row of the same spreadsheet): the record keeps its first maker; each other device's
    who / when / why is kept here."""

    __tablename__ = "record_copies"
    __table_args__ = (NO_ROWID,)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")


class AuditEntry(Base):
    """One entry per action (contracts §10): who, what, and the hash of the records written,
    chained per device. Holds no participant codes or notes.

    An entry is identified by its device and sequence number, which is also the order of its
    device's chain, so the table is keyed by them (`WITHOUT ROWID` on SQLite: no second copy of
    the key in an index). The previous entry's hash is not stored: it is the `entry_hash` of the
    device's entry before this one, and `verify` takes it from there. `id` is kept only for
    entries written before revision 0007, whose hash covers it; newer entries leave it empty.
    """

    __tablename__ = "audit_log"
    __table_args__ = (NO_ROWID,)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    records_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    entry_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    id: Mapped[uuid.UUID | None] = mapped_column(Id())


class Purge(RecordMixin, Base):
    """A purge (contracts §10): free text of records that occurred before `cut_off` is emptied,
    here and on every device it reaches, also for records that arrive after it. Random id: a
    purge is made once, by one person."""

    __tablename__ = "purges"
    cut_off: Mapped[datetime]
    older_than_months: Mapped[int] = mapped_column(Integer)


# Imported last so that one import of this module registers every table on `Base.metadata`.
from outreach_app.storage.models_devices import (  # noqa: E402
    Device,
    DeviceRevocation,
    Invitation,
    Setting,
    StaffPin,
    SyncHeld,
    SyncMark,
)

__all__ = [
    "KEY_PREFIX",
    "NAMING",
    "NO_ROWID",
    "AuditEntry",
    "Base",
    "Device",
    "DeviceRevocation",
    "Encounter",
    "EncounterItem",
    "EncounterKit",
    "EncounterReferral",
    "EncounterVoid",
    "Import",
    "Invitation",
    "Item",
    "Kit",
    "KitLine",
    "Lot",
    "Purge",
    "RecordCopy",
    "RecordMixin",
    "ReferralType",
    "Setting",
    "SharedRowMixin",
    "Site",
    "Staff",
    "StaffPin",
    "StockBalance",
    "StockMovement",
    "Stocktake",
    "StocktakeLine",
    "SyncHeld",
    "SyncMark",
    "new_id",
]
