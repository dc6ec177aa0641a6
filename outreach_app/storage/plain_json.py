"""SQLite writes each record's plain form as JSON itself, for the export of a year.

Reading a year (a million records and their lines) into Python values, then encoding them
again as JSON, took most of a minute; SQLite's JSON functions build the very same text in C.
The text is the plain form of `storage/plain_codec.py`: ids and bytes as lower-case hex, moments
as milliseconds, dates as ISO text, booleans as true/false, NULLs left out (`json_patch` onto
`{}` drops them), children grouped by kind and left out when there are none. A test compares it
with the Python reading, column by column, for every kind of record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Boolean, Column, Connection, LargeBinary, Table

from outreach_app.storage.plain_codec import driver_batches
from outreach_app.storage.types import Id


def _value(column: Column[Any], alias: str) -> str:
    ref = f'{alias}."{column.name}"'
    if isinstance(column.type, Id | LargeBinary):
        return f"CASE WHEN {ref} IS NULL THEN NULL ELSE lower(hex({ref})) END"
    if isinstance(column.type, Boolean):
        return (
            f"CASE WHEN {ref} IS NULL THEN NULL WHEN {ref} THEN json('true') ELSE json('false') END"
        )
    return ref


def _object(table: Table, alias: str, skip: str | None = None) -> str:
    pairs = ", ".join(f"'{c.name}', {_value(c, alias)}" for c in table.columns if c.name != skip)
    return f"json_patch('{{}}', json_object({pairs}))"


def _children(children: Sequence[tuple[str, Table, str]]) -> str:
    parts = []
    for n, (label, child, parent) in enumerate(children):
        alias = f"c{n}"
        each = f"json({_object(child, alias, parent)})"
        rows = (
            f"SELECT CASE WHEN count(*) THEN json_group_array({each}) END "
            f'FROM "{child.name}" AS {alias} WHERE {alias}."{parent}" = r."id"'
        )
        parts.append(f"'{label}', ({rows})")
    return f"json_patch('{{}}', json_object({', '.join(parts)}))"


def record_json(
    conn: Connection,
    table: Table,
    children: Sequence[tuple[str, Table, str]],
    after_seq: int | None,
    batch: int = 2000,
) -> Iterator[list[tuple[str, int, str, str | None]]]:
    """(device id, seq, row JSON, children JSON or None) of every row of `table` (those
    numbered above `after_seq`, when given), in batches. SQLite only."""
    child_sql = _children(children) if children else "NULL"
    sql = (
        f'SELECT lower(hex(r."device_id")), r."seq", {_object(table, "r")}, {child_sql} '
        f'FROM "{table.name}" AS r'
    )
    params: tuple[Any, ...] = ()
    if after_seq is not None:
        sql += ' WHERE r."seq" > ?'
        params = (after_seq,)
    # The query's four columns: device hex, seq, the record's JSON, its lines' JSON.
    yield from cast(
        Iterator[list[tuple[str, int, str, str | None]]], driver_batches(conn, sql, params, batch)
    )


def records_by_ids(
    conn: Connection,
    table: Table,
    children: Sequence[tuple[str, Table, str]],
    ids: Sequence[Any],
    chunk: int = 500,
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(row, children) in plain form of the rows of `table` whose id is one of `ids` (the
    driver's form): one JSON array per chunk, decoded in one call. SQLite only."""
    child_sql = _children(children) if children else "json_object()"
    cursor = conn.connection.cursor()
    try:
        for start in range(0, len(ids), chunk):
            part = tuple(ids[start : start + chunk])
            marks = ", ".join("?" * len(part))
            cursor.execute(
                f"SELECT json_group_array(json_array({_object(table, 'r')}, {child_sql})) "
                f'FROM "{table.name}" AS r WHERE r."id" IN ({marks})',
                part,
            )
            group = cursor.fetchone()  # one row: the group of the whole chunk
            found: list[tuple[dict[str, Any], dict[str, Any]]] = json.loads(
                group[0] if group else "[]"
            )
            yield from found
    finally:
        cursor.close()
