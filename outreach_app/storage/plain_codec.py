"""Rows between the database driver and their plain form, without SQLAlchemy's per-value work.

Bundles and the hub move hundreds of thousands of rows; SQLAlchemy's type processing (a UUID
object per id, a datetime per moment) cost more than the inserts themselves. Here each column
of a table gets one small function per direction, chosen once per engine:

- reading: the driver's value (16 bytes and milliseconds on SQLite, `uuid` and naive UTC
  `timestamp` on PostgreSQL, as `storage/types.py` stores them) to the plain form of
  `domain.facts.plain` (32 hex digits, milliseconds, ISO dates, hex bytes);
- writing: the plain form back to the driver's value, refusing (ValueError or TypeError) a
  value that is not of the column's kind, since nothing else stands between a received row and
  the table.

`select_raw` reads a table's columns untouched by type processing; `Inserter` writes plain rows
with the driver's executemany. The same triggers run as for any insert.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    LargeBinary,
    Select,
    Table,
    select,
    type_coerce,
)
from sqlalchemy.types import NullType

from outreach_app.storage.types import EPOCH, Id, UTCDateTime, to_millis

Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _hex_id(value: str) -> bytes:
    raw = bytes.fromhex(value)
    if len(raw) != 16:
        raise ValueError("an id is 16 bytes")
    return raw


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not a whole number")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("not true or false")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not text")
    return value


def _iso_date(value: Any) -> str:
    return date.fromisoformat(_str(value)).isoformat()


def _pg_moment(value: Any) -> datetime:
    return (EPOCH + timedelta(milliseconds=_int(value))).replace(tzinfo=None)


def reader(dialect: str, column: Column[Any]) -> Convert:
    """Driver value -> plain, for a value that is not NULL."""
    kind, sqlite = column.type, dialect == "sqlite"
    if isinstance(kind, Id):
        return bytes.hex if sqlite else (lambda v: v.hex)
    if isinstance(kind, UTCDateTime):
        if sqlite:
            return _same
        return lambda v: to_millis(v.replace(tzinfo=UTC) if v.tzinfo is None else v)
    if isinstance(kind, Date):
        return _same if sqlite else date.isoformat
    if isinstance(kind, LargeBinary):
        return lambda v: bytes(v).hex()
    if isinstance(kind, Boolean):
        return bool
    return _same


def writer(dialect: str, column: Column[Any]) -> Convert:
    """Plain -> driver value, for a value that is not None; refuses one of another kind."""
    kind, sqlite = column.type, dialect == "sqlite"
    if isinstance(kind, Id):
        return _hex_id if sqlite else (lambda v: uuid.UUID(bytes=_hex_id(v)))
    if isinstance(kind, UTCDateTime):
        return _int if sqlite else _pg_moment
    if isinstance(kind, Date):
        return _iso_date if sqlite else (lambda v: date.fromisoformat(_str(v)))
    if isinstance(kind, LargeBinary):
        return lambda v: bytes.fromhex(_str(v))
    if isinstance(kind, Boolean):
        return (lambda v: int(_bool(v))) if sqlite else _bool
    if isinstance(kind, Integer):
        return _int
    return _str


_READERS: dict[tuple[str, str], tuple[list[str], list[tuple[str, Convert]]]] = {}
_WRITERS: dict[tuple[str, str], list[tuple[str, Convert]]] = {}


def readers(dialect: str, table: Table) -> tuple[list[str], list[tuple[str, Convert]]]:
    """The table's column names, and the columns whose driver value needs converting."""
    key = (dialect, table.name)
    if key not in _READERS:
        names = [c.name for c in table.columns]
        special = [(c.name, fn) for c in table.columns if (fn := reader(dialect, c)) is not _same]
        _READERS[key] = (names, special)
    return _READERS[key]


def select_raw(table: Table) -> Select[Any]:
    """Every column of `table` as the driver gives it (no type processing); filter it with
    the table's own (typed) columns."""
    columns = [type_coerce(c, NullType()).label(c.name) for c in table.columns]
    return select(*columns)  # type: ignore[return-value]  # SQLAlchemy 2.1 types it per column


def to_plain_rows(
    dialect: str, table: Table, rows: Iterable[Sequence[Any]]
) -> list[dict[str, Any]]:
    """Rows of `select_raw(table)` in plain form, NULLs left out."""
    names, special = readers(dialect, table)
    found = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        for name, fn in special:
            value = values[name]
            if value is not None:
                values[name] = fn(value)
        if None in row:
            values = {k: v for k, v in values.items() if v is not None}
        found.append(values)
    return found


def to_plain_children(
    dialect: str, table: Table, rows: Iterable[Sequence[Any]], parent: str
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Child rows of `select_raw(table)`: (the parent's id as the driver gave it, the row in
    plain form without it). The parent stays raw: it only groups the rows."""
    names, special = readers(dialect, table)
    convert = [(name, fn) for name, fn in special if name != parent]
    for row in rows:
        values = dict(zip(names, row, strict=True))
        owner = values.pop(parent)
        for name, fn in convert:
            value = values[name]
            if value is not None:
                values[name] = fn(value)
        if None in values.values():
            values = {k: v for k, v in values.items() if v is not None}
        yield owner, values


def rows_where_in(
    conn: Connection, table: Table, column: str, values: Sequence[Any], chunk: int = 500
) -> list[Sequence[Any]]:
    """Every row of `table` (all columns, as the driver gives them) whose `column` is one of
    `values` (the driver's form): one plain statement per chunk, nothing compiled per row."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    found: list[Sequence[Any]] = []
    # The driver's own cursor, inside the connection's transaction: no Row object per row.
    cursor = conn.connection.cursor()
    try:
        for start in range(0, len(values), chunk):
            part = tuple(values[start : start + chunk])
            marks = ", ".join([mark] * len(part))
            cursor.execute(
                f'SELECT {names} FROM "{table.name}" WHERE "{column}" IN ({marks})', part
            )
            found.extend(cursor.fetchall())
    finally:
        cursor.close()
    return found


def rows_after(
    conn: Connection, table: Table, after_seq: int | None, batch: int = 2000
) -> Iterator[list[Sequence[Any]]]:
    """Every row of `table` as the driver gives it (those whose `seq` is above `after_seq`,
    when given), in batches, from the driver's own cursor."""
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    sql = f'SELECT {names} FROM "{table.name}"'
    params: tuple[Any, ...] = ()
    if after_seq is not None:
        sql += ' WHERE "seq" > ' + ("?" if conn.dialect.paramstyle == "qmark" else "%s")
        params = (after_seq,)
    yield from driver_batches(conn, sql, params, batch)


def driver_batches(
    conn: Connection, sql: str, params: tuple[Any, ...], batch: int
) -> Iterator[list[Sequence[Any]]]:
    """The rows of `sql` in batches from the driver's own cursor (no Row objects, no per-value
    processing): what export and merge read a year through."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        while True:
            rows = list(cursor.fetchmany(batch))
            if not rows:
                return
            yield rows
    finally:
        cursor.close()


def db_id(dialect: str, hex_id: str) -> Any:
    """An id in plain form as the driver takes it (for a filter of a raw query)."""
    return _hex_id(hex_id) if dialect == "sqlite" else uuid.UUID(hex=hex_id)


class Inserter:
    """Plain rows into one table with the driver's executemany (parents before children is
    the caller's order)."""

    def __init__(self, conn: Connection, table: Table) -> None:
        dialect = conn.dialect.name
        key = (dialect, table.name)
        if key not in _WRITERS:
            _WRITERS[key] = [(c.name, writer(dialect, c)) for c in table.columns]
        self._convert = _WRITERS[key]
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        names = ", ".join(f'"{name}"' for name, _fn in self._convert)
        marks = ", ".join(mark for _ in self._convert)
        self._sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
        self._conn = conn

    def row(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """`values` (plain) as the driver's tuple; ValueError or TypeError when one is not of
        its column's kind."""
        out = []
        for name, fn in self._convert:
            value = values.get(name)
            out.append(None if value is None else fn(value))
        return tuple(out)

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> int:
        prepared = [self.row(r) for r in rows]
        if prepared:
            self._conn.exec_driver_sql(self._sql, prepared)
        return len(prepared)
