"""Merging what changes in place: devices, the organisation's settings and shared rows.

- Devices: a device row is taken only when `sync/trust.py` proves it belongs to the
  organisation (`trusted`); a known device keeps its key whatever a bundle says. Revocations
  (records) mark the device revoked here.
- Settings: only the organisation's (`domain/org_settings.py`); a device's own settings never
  arrive. The latest change by (time, device id) wins.
- Shared rows (staff, sites, items, referral types, kits with their lines): one id per code,
  site name or person on every device; the latest change by (time, device id) wins and the row
  keeps its first maker (another maker is kept as a copy, for its audit chain). A row that
  would take a code or name another row holds waits, pending, until that one moves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update

from outreach_app.domain.facts import plain
from outreach_app.domain.org_settings import is_org_setting
from outreach_app.storage.models import Device, DeviceRevocation, KitLine, Setting
from outreach_app.storage.plain_rows import PlainRow, from_plain
from outreach_app.sync.held import PENDING, QUARANTINED
from outreach_app.sync.merge_context import ADDED, PRESENT, Context
from outreach_app.sync.records import DEVICE_COLUMNS, SHARED_KINDS, TABLES, Record

DEVICES: Table = Device.__table__  # type: ignore[assignment]
SETTINGS: Table = Setting.__table__  # type: ignore[assignment]
KIT_LINES: Table = KitLine.__table__  # type: ignore[assignment]
REVOCATIONS: Table = DeviceRevocation.__table__  # type: ignore[assignment]
#: Columns that record who made a row first: never changed by a later change.
_FIRST = ("id", "device_id", "seq", "staff_id", "created_at")


def merge_devices(
    ctx: Context, rows: list[PlainRow], trusted: Mapping[uuid.UUID, bytes]
) -> list[uuid.UUID]:
    """Devices proven to belong to the organisation and not known yet, added."""
    added = []
    for row in rows:
        values = from_plain(DEVICES, {k: row.get(k) for k in DEVICE_COLUMNS})
        device = values["id"]
        if ctx.known.has("devices", device.hex) or trusted.get(device) != values["verify_key"]:
            continue
        values.update(last_seq=0, revoked_at=None, last_sync_at=None)
        ctx.conn.execute(insert(DEVICES).values(values))
        ctx.known.add("devices", device.hex)
        added.append(device)
    return added


def note_revocations(ctx: Context) -> None:
    """Every device a revocation here names is revoked (at its earliest revocation)."""
    first = (
        select(func.min(REVOCATIONS.c.created_at))
        .where(REVOCATIONS.c.revoked_device_id == DEVICES.c.id)
        .scalar_subquery()
    )
    ctx.conn.execute(
        update(DEVICES)
        .where(DEVICES.c.revoked_at.is_(None))
        .where(DEVICES.c.id.in_(select(REVOCATIONS.c.revoked_device_id)))
        .values(revoked_at=first)
    )
    revoked = select(DEVICES.c.id).where(DEVICES.c.revoked_at.isnot(None))
    ctx.revoked = {device.hex for device in ctx.conn.scalars(revoked)}


def _stamp(row: Mapping[str, Any]) -> tuple[int, str]:
    """(time, device id) of a row's last change, in plain form, for "latest wins"."""
    return (int(row.get("changed_at") or 0), str(row.get("changed_by") or ""))


def merge_settings(ctx: Context, rows: list[PlainRow]) -> None:
    local = {
        r["key"]: {k: plain(v) for k, v in r.items()}
        for r in ctx.conn.execute(select(SETTINGS)).mappings()
    }
    latest: dict[str, PlainRow] = {}
    for row in rows:
        key = row.get("key")
        if not isinstance(key, str) or not is_org_setting(key):
            continue  # a device's own settings never arrive, whatever a bundle says
        if key not in latest or _stamp(row) > _stamp(latest[key]):
            latest[key] = row
    for key, row in latest.items():
        values = from_plain(SETTINGS, row)
        by = row.get("changed_by")
        if not isinstance(by, str) or not ctx.known.has("devices", by) or by in ctx.revoked:
            continue  # sent again with every bundle: taken once its device is trusted
        mine = local.get(key)
        if mine is not None and _stamp(row) <= _stamp(mine):
            continue
        if mine is None:
            ctx.conn.execute(insert(SETTINGS).values(values))
        else:
            ctx.conn.execute(update(SETTINGS).where(SETTINGS.c.key == key).values(values))
        ctx.counts.add("settings", ADDED)


def merge_shared(ctx: Context, records: list[Record]) -> None:
    for kind in SHARED_KINDS:
        latest: dict[str, Record] = {}
        older: list[Record] = []
        for record in records:
            if record.kind != kind:
                continue
            ident = str(record.row.get("id"))
            if ident not in latest or _stamp(record.row) > _stamp(latest[ident].row):
                if ident in latest:
                    older.append(latest[ident])
                latest[ident] = record
            else:
                older.append(record)
        if latest:
            _merge_kind(ctx, kind, list(latest.values()))
        _older_makers(ctx, kind, older)


def _older_makers(ctx: Context, kind: str, older: list[Record]) -> None:
    """Older versions of a row: nothing to apply, but a device that made the row too is kept
    as a copy (its audit chain covers its making of it)."""
    if not older:
        return
    table = TABLES[kind]
    makers = {r.hex: d.hex for r, d in ctx.conn.execute(select(table.c.id, table.c.device_id))}
    for record in older:
        ctx.count(record, PRESENT)
        row = record.row
        maker = makers.get(str(row.get("id")))
        if maker is None or maker == row.get("device_id"):
            continue
        if ctx.missing_provenance({k: row.get(k) for k in ("device_id", "staff_id")}) is None:
            ctx.add_copy(record, row, row["id"])


def _merge_kind(ctx: Context, kind: str, records: list[Record]) -> None:
    table = TABLES[kind]
    local = {r["id"]: dict(r) for r in ctx.conn.execute(select(table)).mappings()}
    unique = [c.name for c in table.columns if c.unique]
    for record in records:
        values = from_plain(table, record.row)
        waiting = ctx.missing_provenance(record.row)
        lines = [from_plain(KIT_LINES, r) for r in record.children.get("lines", ())]
        for line in lines:
            line["kit_id"] = values["id"]
            if waiting is None and not ctx.known.has("items", line["item_id"].hex):
                waiting = f"waiting:items:{line['item_id'].hex}"
        if waiting:
            ctx.hold(record, PENDING, waiting)
            continue
        if record.row.get("changed_by") in ctx.revoked:
            ctx.hold(record, QUARANTINED, "revoked")
            continue
        mine = local.get(values["id"])
        newer = mine is None or _stamp(record.row) > _stamp(
            {k: plain(v) for k, v in mine.items() if k in ("changed_at", "changed_by")}
        )
        if newer:
            clash = _clash(local, unique, values)
            if clash:
                ctx.hold(record, PENDING, f"unique:{kind}:{clash}")
                continue
            _write(ctx, table, kind, values, lines, mine is None)
            local[values["id"]] = values
            ctx.count(record, ADDED)
        else:
            ctx.count(record, PRESENT)
        maker = values["device_id"] if mine is None else mine["device_id"]
        if maker != values["device_id"]:
            ctx.add_copy(record, record.row, record.row["id"])


def _clash(local: dict[Any, dict[str, Any]], unique: list[str], values: dict[str, Any]) -> str:
    """A unique column (a code, a site's name) another row already holds, or ""."""
    for column in unique:
        wanted = values.get(column)
        for other_id, other in local.items():
            if other_id != values["id"] and other.get(column) == wanted:
                return column
    return ""


def _write(
    ctx: Context,
    table: Table,
    kind: str,
    values: dict[str, Any],
    lines: list[dict[str, Any]],
    new: bool,
) -> None:
    if new:
        ctx.conn.execute(insert(table).values(values))
        ctx.known.add(kind, values["id"].hex)
    else:
        changed = {k: v for k, v in values.items() if k not in _FIRST}
        ctx.conn.execute(update(table).where(table.c.id == values["id"]).values(changed))
    if kind == "kits":
        ctx.conn.execute(delete(KIT_LINES).where(KIT_LINES.c.kit_id == values["id"]))
        if lines:
            ctx.conn.execute(insert(KIT_LINES), lines)
