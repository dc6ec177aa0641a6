"""The canonical encoding of a record's facts and of an audit entry, for their SHA-256 hashes.

A record's hash covers its facts only (contracts §9): never provenance (device, sequence
number, who, when it was written) nor free text a purge may empty. The encoding is JSON with
sorted keys and no spaces, values in one form on every engine: ids as 32 hex digits, moments as
whole milliseconds since the epoch (UTC), dates as ISO text, bytes as hex. A value that is
NULL is left out, so a column added by a later migration (NULL in old rows) keeps old hashes.

An entry's hash covers everything about it, its records' hash and the previous entry's hash
of the same device: the chain (contracts §10).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _millis(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """One JSON-able form for every value a column can hold."""
    kind = type(value)
    if kind in _AS_IS:  # most values: checked first, as `check` hashes every record
        return value
    if kind is bytes:  # ids as SQLite stores them
        return value.hex()
    if kind is dict:
        return {
            str(k): v if type(v) in _AS_IS else plain(v) for k, v in value.items() if v is not None
        }
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return _millis(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items() if v is not None}
    return value


# One encoder for every hash (json.dumps with options builds a new one per call).
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical(facts: Mapping[str, Any]) -> bytes:
    return _ENCODE(plain(facts)).encode("utf-8")


def record_hash(kind: str, facts: Mapping[str, Any]) -> bytes:
    return hashlib.sha256(kind.encode("ascii") + b"\0" + canonical(facts)).digest()


def records_hash(hashes: Iterable[bytes]) -> bytes:
    """The hash of an action's records, given in the order of their sequence numbers."""
    digest = hashlib.sha256(b"records\0")
    for value in hashes:
        digest.update(value)
    return digest.digest()


def entry_hash(
    *,
    entry_id: uuid.UUID,
    device_id: uuid.UUID,
    seq: int,
    staff_id: uuid.UUID | None,
    created_at: datetime,
    action: str,
    summary: str,
    records: bytes | None,
    prev: bytes | None,
) -> bytes:
    body = {
        "id": entry_id,
        "device": device_id,
        "seq": seq,
        "staff": staff_id,
        "at": created_at,
        "action": action,
        "summary": summary,
        "records": records,
        "prev": prev,
    }
    return hashlib.sha256(b"audit\0" + canonical(body)).digest()
