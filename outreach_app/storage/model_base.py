"""The declarative base of the schema and what every record carries (see `models`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from outreach_app.storage.types import Id, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
NO_ROWID = {"sqlite_with_rowid": False}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        uuid.UUID: Id(),
        datetime: UTCDateTime(),
        date: Date(),
        str: String(200),
    }


#: Bytes of a participant key its index holds. Keys are keyed hashes (uniformly spread), so 8
#: bytes tell a program's codes apart; the whole key is still compared.
KEY_PREFIX = 8


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class RecordMixin:
    """Provenance every record carries. `seq` counts per device (see UnitOfWork.stamp)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]


class SharedRowMixin(RecordMixin):
    """Rows of the organisation that change in place (catalog, sites): the latest change by
    (time, device id) wins when devices merge."""

    changed_at: Mapped[datetime]
    changed_by: Mapped[uuid.UUID] = mapped_column(Id())
