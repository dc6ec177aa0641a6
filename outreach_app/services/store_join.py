"""Creating a store as a new device of an existing organisation (contracts §9, `init --join`).

The caller (sync/joining.py) has opened the invitation and signed the new device's identity
with the invitation's one-time key; here the new database takes the organisation's id, its
secret (a folder only: the hub holds records, never secrets), its settings, and the rows the
inviting device knew, each with its own id and provenance. The new device then has what it
needs to work before any merge, and later merges see the same rows rather than copies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from outreach_app.domain.clock import utc_now
from outreach_app.domain.device_keys import SIGNING_SEED_KEY
from outreach_app.domain.errors import BadFile
from outreach_app.domain.roles import Role
from outreach_app.i18n import _l
from outreach_app.services import audit, org_snapshot, staff
from outreach_app.services.store_init import create_store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.migrate import upgrade_to_head
from outreach_app.storage.models import Device, Setting, Staff

ORG_SECRET_KEY = "org_secret"
HUB_KEY = "hub"  # a device-only setting: this store is the organisation's hub


@dataclass(frozen=True)
class NewDevice:
    id: uuid.UUID
    name: str
    verify_key: bytes = field(repr=False)
    invitation_id: uuid.UUID
    join_signature: bytes = field(repr=False)


@dataclass(frozen=True)
class JoinPlan:
    """Everything the new store is made of. Its secrets stay out of its repr."""

    org_id: uuid.UUID
    snapshot: dict[str, Any] = field(repr=False)
    device: NewDevice
    first_coordinator: uuid.UUID | None
    org_secret: bytes | None = field(default=None, repr=False)  # None: a hub
    signing_seed: bytes | None = field(default=None, repr=False)  # None: a hub
    passphrase: str | None = field(default=None, repr=False)
    coordinator_pin: str | None = field(default=None, repr=False)

    @property
    def is_hub(self) -> bool:
        return self.org_secret is None


@dataclass(frozen=True)
class Joined:
    org_name: str
    coordinator: str | None  # the first coordinator on this device
    coordinator_has_pin: bool


def _damaged() -> BadFile:
    return BadFile(_l("The invitation's contents are damaged; make a new invitation."))


def _check(plan: JoinPlan) -> dict[str, list[dict[str, Any]]]:
    """The rows decoded and checked against each other before anything is created: a bad
    invitation must not leave a half-made hub (PostgreSQL's tables outlive a failed seed)."""
    rows = {
        name: org_snapshot.decode_rows(name, plan.snapshot.get(name) or [])
        for name in org_snapshot.COLUMNS
    }
    devices = {r["id"] for r in rows["devices"]}
    people = {r["id"] for r in rows["staff"]}
    if plan.device.id in devices:
        raise _damaged()
    for table_rows in rows.values():
        for row in table_rows:
            if "device_id" in row and row["device_id"] not in devices:
                raise _damaged()
            if row.get("staff_id") is not None and row["staff_id"] not in people:
                raise _damaged()
    kits, items = {r["id"] for r in rows["kits"]}, {r["id"] for r in rows["items"]}
    if any(r["kit_id"] not in kits or r["item_id"] not in items for r in rows["kit_lines"]):
        raise _damaged()
    if any(r["item_id"] not in items for r in rows["lots"]):
        raise _damaged()
    if any(r["revoked_device_id"] not in devices for r in rows["device_revocations"]):
        raise _damaged()
    settings = {r["key"]: r["value"] for r in rows["settings"]}
    if not settings.get("org_name") or "timezone" not in settings:
        raise _damaged()
    try:
        ZoneInfo(str(settings["timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise _damaged() from None
    invited = {r["id"] for r in rows["invitations"]}
    if plan.device.invitation_id not in invited:
        raise _damaged()
    return rows


def _first_coordinator(session: Session, wanted: uuid.UUID | None) -> uuid.UUID | None:
    """The person who made the invitation, when they are an active coordinator; else the
    longest-standing active coordinator."""
    if wanted is not None:
        person = session.get(Staff, wanted)
        if person is not None and person.active and person.role == Role.COORDINATOR.value:
            return wanted
    return session.scalar(
        select(Staff.id)
        .where(Staff.role == Role.COORDINATOR.value, Staff.active)
        .order_by(Staff.created_at, Staff.id)
        .limit(1)
    )


def _seed(engine: Engine, plan: JoinPlan, rows: dict[str, list[dict[str, Any]]]) -> Joined:
    upgrade_to_head(engine)
    new = plan.device
    with Session(engine) as session, session.begin():
        org_snapshot.write_snapshot(session, plan.snapshot)
        now = utc_now()
        session.add(
            Device(
                id=new.id,
                name=new.name,
                created_at=now,
                last_seq=0,
                verify_key=new.verify_key,
                invitation_id=new.invitation_id,
                join_signature=new.join_signature,
            )
        )
        # The fresh schema made an organisation of its own (revision 0003): it becomes this one.
        session.execute(delete(Setting).where(Setting.key.in_(("org_id", ORG_SECRET_KEY))))
        own: list[tuple[str, str]] = [("org_id", str(plan.org_id)), ("device_id", str(new.id))]
        if plan.org_secret is not None:
            own.append((ORG_SECRET_KEY, plan.org_secret.hex()))
        else:
            own.append((HUB_KEY, "1"))
        if plan.signing_seed is not None:
            own.append((SIGNING_SEED_KEY, plan.signing_seed.hex()))
        first = _first_coordinator(session, plan.first_coordinator) if rows["staff"] else None
        if first is not None:
            own.append((staff.FIRST_COORDINATOR_KEY, str(first)))
        for key, value in own:
            session.add(Setting(key=key, value=value))
        for row in rows["settings"]:  # with the time and device of their last change
            session.add(Setting(**row))
        session.flush()
        settings = {r["key"]: r["value"] for r in rows["settings"]}
        zone = ZoneInfo(str(settings["timezone"]))
        uow = UnitOfWork(session, new.id, zone, org_id=plan.org_id, staff_id=first)
        audit.record(
            uow, "join", f"{settings['org_name']}: joined with invitation {new.invitation_id}"
        )
        name, has_pin = None, False
        if first is not None:
            name = session.get_one(Staff, first).name
            if plan.coordinator_pin is not None:
                staff.set_pin(uow, name, plan.coordinator_pin)
                has_pin = True
        return Joined(str(settings["org_name"]), name, has_pin)


def join_store(data_dir: Path, plan: JoinPlan, db_url: str | None = None) -> Joined:
    """A new folder (or an empty PostgreSQL database: the hub) as a device of the organisation
    of `plan`. Refuses (exit 1) a folder or database already initialised."""
    if plan.coordinator_pin is not None:
        staff.check_pin_shape(plan.coordinator_pin)
    rows = _check(plan)
    outcome: list[Joined] = []
    create_store(
        data_dir,
        lambda engine: outcome.append(_seed(engine, plan, rows)),
        passphrase=None if db_url else plan.passphrase,
        db_url=db_url,
    )
    return outcome[0]
