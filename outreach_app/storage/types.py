"""Column types shared by every model: compact ids and times on SQLite, native ones on PostgreSQL.

On SQLite an id is 16 raw bytes (not 32 hex characters) and a time is whole milliseconds since
the Unix epoch in UTC (an integer of at most 6 bytes, not 26 characters of text): together they
halve the size of a year of records. PostgreSQL keeps its own `uuid` and `timestamp` types. Times
are cut to milliseconds on every engine, so the same record has the same facts (and hash)
wherever it is stored.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import UUID, BigInteger, DateTime, Dialect, LargeBinary
from sqlalchemy.types import TypeDecorator, TypeEngine

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_millis(value: datetime) -> int:
    """Whole milliseconds since the epoch; floors, so a moment never moves later."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_millis(value: int) -> datetime:
    return EPOCH + timedelta(milliseconds=value)


def truncate_to_millis(value: datetime) -> datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


class Id(TypeDecorator[uuid.UUID]):
    """A UUID: 16 bytes on SQLite, `uuid` on PostgreSQL."""

    impl = LargeBinary(16)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(UUID(as_uuid=True))
        return dialect.type_descriptor(LargeBinary(16))

    def process_bind_param(self, value: uuid.UUID | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            raise TypeError(f"an id must be a UUID, not {type(value).__name__}")
        return value if dialect.name == "postgresql" else value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(bytes=bytes(value))


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python; milliseconds on SQLite, naive UTC `timestamp` on PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime())
        return dialect.type_descriptor(BigInteger())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        if dialect.name == "postgresql":
            return truncate_to_millis(value.astimezone(UTC)).replace(tzinfo=None)
        return to_millis(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, int):
            return from_millis(value)
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)
