"""Bundle files (contracts §9): `bundle export` and `bundle import`.

A bundle's payload, inside the sealed envelope of `sync/envelope.py`, is a JSON header line
(format, organisation, the device that wrote it, when, its device rows and the organisation's
settings), then one JSON array of records (`Record.body`): the shared rows whole, then every
record this device holds that it has not yet written to a bundle (its own and those
it merged from others, by each device's export mark), or every record with `everything`.

Export holds the write lock from reading to moving the marks, so a merge meanwhile cannot slip
a record behind a mark. Import reads and verifies every file first (format, organisation,
decryption, a signature by a device this store trusts or a bundle proves, that device not
revoked), then merges all of them in one unit of work: a file refused means nothing is written.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from outreach_app.domain.errors import BadFile
from outreach_app.domain.facts import plain
from outreach_app.i18n import Text, _l
from outreach_app.services import audit, devices
from outreach_app.services.store import Store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Device, DeviceRevocation
from outreach_app.storage.plain_codec import Inserter
from outreach_app.sync import bundle_again, envelope
from outreach_app.sync.held import HeldRow, listing, read_marks, set_marks
from outreach_app.sync.merge import Incoming, MergeCounts, merge, trusted_devices
from outreach_app.sync.records import (
    CHILD_TABLES,
    ENCODER,
    TABLES,
    Record,
    device_rows,
    org_settings,
    shared_rows,
    travelling_since,
)

PAYLOAD_FORMAT = 1


@dataclass(frozen=True)
class Exported:
    path: Path
    by_kind: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _kind, n in self.by_kind)


def _payload(
    conn: Connection, uow: UnitOfWork, everything: bool
) -> tuple[bytes, Counter[str], dict[uuid.UUID, int]]:
    """The payload, records counted by kind (shared rows aside) and the highest sequence
    number written per device (the marks to move to)."""
    marks = read_marks(conn)
    header = {
        "format": PAYLOAD_FORMAT,
        "org": uow.organisation_id().hex,
        "device": uow.device_id.hex,
        "made_at": plain(uow.now()),
        "all": everything,
        "devices": device_rows(conn),
        "settings": org_settings(conn),
    }
    texts = [ENCODER.encode(r.body()) for r in shared_rows(conn)]
    counts: Counter[str] = Counter()
    highest: dict[str, int] = {}
    for kind, device, seq, text in travelling_since(conn, marks, everything=everything):
        texts.append(text)
        counts[kind] += 1
        if seq > highest.get(device, 0):
            highest[device] = seq
    body = ",".join(texts).encode()
    moved = {uuid.UUID(hex=d): s for d, s in highest.items() if s > marks.get(uuid.UUID(hex=d), 0)}
    return b"".join((ENCODER.encode(header).encode(), b"\n[", body, b"]")), counts, moved


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BadFile(
            _l("{path} cannot be written ({reason}).", path=path, reason=exc.strerror or exc)
        ) from exc


def export_bundle(store: Store, out: Path, *, everything: bool = False) -> Exported:
    """Write the bundle, then move the export marks (only once the file is safely written)."""
    with store.unit_of_work() as uow:
        conn = uow.session.connection()
        seed = devices.signing_seed(uow)  # the hub has none: refused before reading anything
        payload, counts, moved = _payload(conn, uow, everything)
        sealed = envelope.seal(
            payload,
            org_id=uow.organisation_id(),
            carrier=uow.device_id,
            org_key=envelope.org_key(uow.organisation_secret()),
            signing_seed=seed,
        )
        _write_atomically(out, sealed)
        set_marks(conn, moved)
        total = sum(counts.values())
        audit.record(
            uow, "export", f"{total} records to a bundle" + (" (all)" if everything else "")
        )
    return Exported(out, tuple(sorted(counts.items())))


# --- Import ----------------------------------------------------------------------------------


def _damaged() -> Text:
    return _l("the file is damaged or incomplete; export it again")


def parse_payload(payload: bytes) -> tuple[dict[str, Any], Incoming]:
    """The header and what the payload brings; ValueError when it is not a payload of ours,
    `envelope.BundleRefused` when it is of a newer format."""
    first, _sep, rest = payload.partition(b"\n")
    header = json.loads(first)
    if not isinstance(header, dict) or not isinstance(header.get("format"), int):
        raise ValueError("no header")
    if header["format"] > PAYLOAD_FORMAT:
        raise envelope.BundleRefused(
            _l("it was made by a newer version of Outreach Tally; update this app")
        )
    devices, settings = header.get("devices"), header.get("settings")
    if not isinstance(devices, list) or not isinstance(settings, list):
        raise ValueError("bad header")
    if not all(isinstance(r, dict) for r in [*devices, *settings]):
        raise ValueError("bad header")
    bodies = json.loads(rest)
    if type(bodies) is not list:
        raise ValueError("no records")
    return header, Incoming(devices, settings, [Record.from_body(body) for body in bodies])


@dataclass
class _Opened:
    path: Path
    sealed: envelope.Opened
    header: dict[str, Any]
    incoming: Incoming
    digest: str  # of its signed payload: what the merge's audit entry names it by


def _refused(path: Path, reason: Text | str) -> BadFile:
    return BadFile(
        _l(
            "{file} was refused: {reason}. Nothing was imported from any file.",
            file=path.name,
            reason=reason,
        )
    )


def _open(path: Path, org_id: uuid.UUID, key: bytes) -> _Opened:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refused(path, exc.strerror or str(exc)) from None
    try:
        sealed = envelope.open_sealed(data, org_id=org_id, org_key=key)
        header, incoming = parse_payload(sealed.payload)
    except envelope.BundleRefused as exc:
        raise _refused(path, exc.reason) from None
    except (ValueError, TypeError, KeyError):
        raise _refused(path, _damaged()) from None
    if header.get("device") != sealed.carrier.hex or header.get("org") != org_id.hex:
        raise _refused(path, _damaged())
    return _Opened(path, sealed, header, incoming, bundle_again.digest(sealed.payload))


def _revoked(conn: Connection, incoming: Incoming) -> set[uuid.UUID]:
    devices = Device.__table__
    found = set(conn.scalars(select(devices.c.id).where(devices.c.revoked_at.isnot(None))))
    found.update(conn.scalars(select(DeviceRevocation.__table__.c.revoked_device_id)))
    for record in incoming.records:
        if record.kind == "device_revocations" and "revoked_device_id" in record.row:
            found.add(uuid.UUID(hex=record.row["revoked_device_id"]))
    return found


def verify_files(
    uow: UnitOfWork, paths: Sequence[Path]
) -> tuple[list[_Opened], Incoming, dict[uuid.UUID, bytes]]:
    """Every file opened and its signature checked; what they bring, and who is trusted."""
    key = envelope.org_key(uow.organisation_secret())
    opened = [_open(path, uow.organisation_id(), key) for path in paths]
    combined = Incoming()
    for item in opened:
        combined.extend(item.incoming)
    trusted = trusted_devices(uow, combined)
    revoked = _revoked(uow.session.connection(), combined)
    for item in opened:
        carrier = item.sealed.carrier
        verify_key = trusted.get(carrier)
        if verify_key is None:
            unknown = _l("it was written by a device this organisation does not know")
            raise _refused(item.path, unknown)
        try:
            envelope.check_signature(item.sealed, verify_key)
        except envelope.BundleRefused as exc:
            raise _refused(item.path, exc.reason) from None
        if carrier in revoked:
            raise _refused(item.path, _l("it was written by a revoked device"))
    return opened, combined, trusted


def _unreadable(conn: Connection, opened: list[_Opened]) -> Path | None:
    """The first file holding a record whose values cannot be stored."""
    for item in opened:
        for record in item.incoming.records:
            try:
                Inserter(conn, TABLES[record.kind]).row(record.row)
                for label, child, _parent in CHILD_TABLES.get(record.kind, ()):
                    for row in record.children.get(label, ()):
                        Inserter(conn, child).row(row)
            except (ValueError, TypeError):
                return item.path
    return None


def import_bundles(store: Store, paths: Iterable[Path]) -> MergeCounts:
    """Verify every file, then merge them all in one unit of work (nothing written if any file
    is refused)."""
    paths = list(paths)
    with store.unit_of_work() as uow:
        opened, incoming, trusted = verify_files(uow, paths)
        digests = [item.digest for item in opened]
        note = bundle_again.files_note(digests)
        try:
            if bundle_again.merged_before(uow, digests):  # the same files again: counted
                settled, again = bundle_again.split_known(uow, incoming.records)
                incoming = Incoming(incoming.devices, incoming.settings, again)
                counts = merge(uow, incoming, trusted=trusted, settled_before=settled, note=note)
            else:
                counts = merge(uow, incoming, trusted=trusted, note=note)
        except (ValueError, TypeError, IntegrityError):
            # A record that cannot be stored: signed, so made by a device of ours that
            # misbehaves. Raising here rolls the whole unit back: nothing is written.
            path = _unreadable(uow.session.connection(), opened)
            if path is None:
                raise
            raise _refused(path, _damaged()) from None
        # What `devices` shows as each carrier's last sync: this device's own knowledge.
        uow.session.execute(
            update(Device)
            .where(Device.id.in_({item.sealed.carrier for item in opened}))
            .values(last_sync_at=uow.now())
            .execution_options(synchronize_session=False)
        )
        return counts


def held_list(store: Store) -> list[HeldRow]:
    """What `outreach quarantine` lists: quarantined records first, then pending ones."""
    with store.reading() as uow:
        return listing(uow.session.connection())
