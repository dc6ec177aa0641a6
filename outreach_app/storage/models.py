"""The schema: catalog rows and append-only events.

Every fact is an event with a UUID key, the device that made it and its created/occurred times.
Corrections are new events (a void, a reversing movement); history is never updated or deleted,
which lets several devices merge their records as a plain set union. Stock on hand is never
stored: it is the sum of `stock_movements`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from outreach_app.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        uuid.UUID: Uuid(),
        datetime: UTCDateTime(),
        date: Date(),
        str: String(200),
    }


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class EventMixin:
    """Columns every event carries."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    created_at: Mapped[datetime]


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str]
    created_at: Mapped[datetime]


class Staff(EventMixin, Base):
    __tablename__ = "staff"
    name: Mapped[str] = mapped_column(String(80))
    initials: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Site(EventMixin, Base):
    __tablename__ = "sites"
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Item(EventMixin, Base):
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


class Kit(EventMixin, Base):
    __tablename__ = "kits"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lines: Mapped[list[KitLine]] = relationship(
        back_populates="kit", cascade="all, delete-orphan", lazy="selectin"
    )


class KitLine(Base):
    __tablename__ = "kit_lines"
    kit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kits.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0", name="positive"))
    kit: Mapped[Kit] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship(lazy="joined")


class Lot(EventMixin, Base):
    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("item_id", "lot_number", name="uq_lots_item_lot"),)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    lot_number: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[date | None]


class ReferralType(EventMixin, Base):
    __tablename__ = "referral_types"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Encounter(EventMixin, Base):
    """One contact, or a tally record (`is_tally`) that counts contacts without details."""

    __tablename__ = "encounters"
    __table_args__ = (
        Index("ix_encounters_occurred", "occurred_at", "id"),
        Index("ix_encounters_site_occurred", "site_id", "occurred_at"),
        Index("ix_encounters_code", "participant_code"),
        CheckConstraint("people_served >= 0", name="people_served"),
        CheckConstraint("syringes_returned >= 0", name="returned"),
        CheckConstraint("reversals_reported >= 0", name="reversals"),
        CheckConstraint("contacts >= 0", name="contacts"),
    )
    occurred_at: Mapped[datetime]
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    is_tally: Mapped[bool] = mapped_column(Boolean, default=False)
    contacts: Mapped[int] = mapped_column(Integer, default=0)
    participant_code: Mapped[str | None] = mapped_column(String(40))
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
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0", name="positive"))
    __table_args__ = (Index("ix_encounter_items_item", "item_id"),)


class EncounterKit(Base):
    __tablename__ = "encounter_kits"
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), primary_key=True)
    kit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kits.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0", name="positive"))


class EncounterReferral(Base):
    __tablename__ = "encounter_referrals"
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), primary_key=True)
    referral_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referral_types.id"), primary_key=True
    )


class EncounterVoid(EventMixin, Base):
    __tablename__ = "encounter_voids"
    encounter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("encounters.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))


class StockMovement(EventMixin, Base):
    """A signed change of stock. Reversals carry the kind of the movement they reverse."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_movements_site_item_lot", "site_id", "item_id", "lot_id"),
        Index("ix_movements_occurred", "occurred_at"),
        Index("ix_movements_encounter", "encounter_id"),
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
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("encounters.id"))
    transfer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    stocktake_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stocktakes.id"))
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stock_movements.id"))


class StockBalance(Base):
    """The ledger's running sum per site, item and lot, kept by a database trigger.

    Derived, never written by the app: the trigger adds each new movement (movements are never
    updated or deleted), `outreach check` compares it with the ledger, and migration 0002 built
    it from the ledger. `lot_key` is the lot id as text, '' for stock without a lot, because a
    primary key cannot hold NULL.
    """

    __tablename__ = "stock_balances"
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    lot_key: Mapped[str] = mapped_column(String(36), primary_key=True)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"))
    on_hand: Mapped[int] = mapped_column(Integer)


class Stocktake(EventMixin, Base):
    """A count of a site at a moment; variance is against the ledger as of `occurred_at`."""

    __tablename__ = "stocktakes"
    occurred_at: Mapped[datetime]
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    lines: Mapped[list[StocktakeLine]] = relationship(lazy="selectin")


class StocktakeLine(Base):
    __tablename__ = "stocktake_lines"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    stocktake_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stocktakes.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"))
    expected: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int] = mapped_column(Integer, CheckConstraint("counted >= 0", name="counted"))
    variance: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(20))


class Import(EventMixin, Base):
    __tablename__ = "imports"
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str]
    rows: Mapped[int] = mapped_column(Integer)


class AuditEntry(EventMixin, Base):
    """Who changed what. Holds no participant codes or notes."""

    __tablename__ = "audit_log"
    staff: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")
