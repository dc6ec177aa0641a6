"""One unit of work per user action: a session that commits on success and rolls back on error.

New records are stamped here, just before they are written, with what every record carries
(contracts §9): the device, this device's next sequence number, who acted and when. Shared rows
(catalog, sites, staff) also get the time and device of their last change, which decides between
two devices' edits.

The unit also remembers which records it wrote (`written`), so that the audit entry of the
action covers exactly them (services/audit.py); the person acting (`staff_id`) is the one the
store was signed in as (services/staff.py).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from outreach_app.domain.clock import local_date, utc_now
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.org_settings import is_org_setting
from outreach_app.domain.participant import participant_key
from outreach_app.i18n import _l
from outreach_app.storage.models import (
    Device,
    RecordMixin,
    Setting,
    SharedRowMixin,
    Staff,
)


class UnitOfWork:
    def __init__(
        self,
        session: Session,
        device_id: uuid.UUID,
        zone: ZoneInfo,
        *,
        org_id: uuid.UUID | None = None,
        staff_id: uuid.UUID | None = None,
    ) -> None:
        self.session = session
        self.device_id = device_id
        self.zone = zone
        self.org_id = org_id
        self.staff_id = staff_id
        self._now = utc_now()
        self._device: Device | None = None
        self.written: list[tuple[str, uuid.UUID]] = []  # (table, id) not yet audited
        self.audit_head: tuple[int, bytes] | None = None  # this device's last entry, once read
        self._org_secret: bytes | None = None  # read once: an import keys thousands of codes
        session.info["uow"] = self

    def now(self) -> datetime:
        """One timestamp per action, so every row it writes shares its created_at."""
        return self._now

    def today(self) -> date:
        return local_date(self._now, self.zone)

    def next_seq(self) -> int:
        """This device's next sequence number (the write lock makes it race-free)."""
        if self._device is None:
            self._device = self.session.get(Device, self.device_id)
            if self._device is None:
                raise LookupError("this device is missing from its own database")
        self._device.last_seq += 1
        return self._device.last_seq

    def take_seqs(self, count: int) -> int:
        """`count` sequence numbers at once, for rows inserted in bulk; returns the first."""
        first = self.next_seq()
        self._device.last_seq += count - 1  # type: ignore[union-attr]  # loaded by next_seq
        return first

    def organisation_id(self) -> uuid.UUID:
        if self.org_id is None:
            setting = self.session.get(Setting, "org_id")
            if setting is None:
                raise LookupError("the organisation id is missing from the settings")
            self.org_id = uuid.UUID(setting.value)
        return self.org_id

    def organisation_secret(self) -> bytes:
        """The key for participant codes and file identities; never leaves the store."""
        if self._org_secret is not None:
            return self._org_secret
        setting = self.session.get(Setting, "org_secret")
        if setting is None:
            # The organisation's hub holds records, never its secret (contracts §9).
            raise InvalidInput(
                _l(
                    "This is the organisation's hub: it holds no organisation secret, so "
                    "participant codes and spreadsheet imports are done on a device, then synced."
                )
            )
        self._org_secret = bytes.fromhex(setting.value)
        return self._org_secret

    def code_key(self, code: str | None) -> bytes | None:
        """A normalised participant code as it is stored: keyed with the organisation secret."""
        if not code:
            return None
        return participant_key(self.organisation_secret(), code)

    def code_scheme(self) -> str:
        setting = self.session.get(Setting, "code_scheme")
        return setting.value if setting is not None else "own"

    def __repr__(self) -> str:
        return f"UnitOfWork(device={self.device_id})"


def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        return
    for obj in list(session.new):
        # Audit entries are not RecordMixin: audit.py stamps them and they cover, not are covered.
        if isinstance(obj, RecordMixin):
            if obj.id is None:
                obj.id = uuid.uuid4()
            uow.written.append((str(getattr(type(obj), "__tablename__")), obj.id))  # noqa: B009
            if obj.device_id is None:
                obj.device_id = uow.device_id
            if obj.created_at is None:
                obj.created_at = uow.now()
            if obj.seq is None:
                obj.seq = uow.next_seq()
            if obj.staff_id is None and not isinstance(obj, Staff):
                obj.staff_id = uow.staff_id
        if isinstance(obj, SharedRowMixin):
            if obj.changed_at is None:
                obj.changed_at = obj.created_at
            if obj.changed_by is None:
                obj.changed_by = obj.device_id
        if isinstance(obj, Setting) and is_org_setting(obj.key) and obj.changed_at is None:
            obj.changed_at = uow.now()
            obj.changed_by = uow.device_id
    for obj in list(session.dirty):
        shared = isinstance(obj, SharedRowMixin) or (
            isinstance(obj, Setting) and is_org_setting(obj.key)
        )
        # A change merged from another device arrives with its own time and device: keep them.
        if shared and session.is_modified(obj) and not _sets_own_change_time(obj):
            obj.changed_at = uow.now()
            obj.changed_by = uow.device_id


def _sets_own_change_time(obj: object) -> bool:
    return bool(inspect(obj).attrs.changed_at.history.has_changes())


event.listen(Session, "before_flush", _stamp)
