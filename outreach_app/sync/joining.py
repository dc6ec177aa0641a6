"""Inviting a device and joining an organisation (contracts §9: `invite`, `init --join`).

`make_invitation` (a coordinator, on a device of the organisation) makes a one-time invite
signing key, records the invitation (its public half signed by this device's key), and writes
the invitation file: the organisation, its secret, the one-time key, and the rows a new device
needs, sealed under a fresh join code. `join` opens such a file with its join code, gives the
new device its own id and signing key, signs who it is with the one-time key (so any device can
trace it back, `sync/trust.py`), and creates its store. A hub (PostgreSQL) joins the same way
but keeps neither the organisation's secret nor a private key.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from outreach_app.domain.device_keys import fingerprint, new_signing_seed, verify_key_of
from outreach_app.domain.errors import BadFile
from outreach_app.domain.roles import Action
from outreach_app.i18n import _l
from outreach_app.services import devices, org_snapshot, staff
from outreach_app.services.store_join import Joined, JoinPlan, NewDevice, join_store
from outreach_app.sync.invitation_file import new_join_code, open_invitation, seal_invitation
from outreach_app.sync.trust import DeviceClaim, InvitationClaim, invitation_valid, sign_device
from outreach_app.sync.trust import sign_invitation as _sign_invitation

if TYPE_CHECKING:
    from outreach_app.services.store import Store
    from outreach_app.services.uow import UnitOfWork

PAYLOAD_FORMAT = 1
MAX_INVITATION_BYTES = 64 * 1024 * 1024  # a catalog and staff list, never near this


@dataclass(frozen=True)
class MadeInvitation:
    path: Path
    invitation_id: uuid.UUID
    join_code: str = field(repr=False)


def _check_destination(out: Path) -> None:
    parent = out.expanduser().resolve().parent
    if not parent.is_dir():
        raise BadFile(_l("The folder {path} does not exist; nothing was written.", path=parent))
    if out.is_dir():
        raise BadFile(_l("{path} is a folder; name a file. Nothing was written.", path=out))


def _write_private(out: Path, data: bytes) -> None:
    """The file whole or not at all, readable by its owner only (it holds the organisation's
    secret, sealed under the join code)."""
    out = out.expanduser()
    handle, temporary = tempfile.mkstemp(prefix=".invite-", dir=out.resolve().parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def make_invitation(store: Store, out: Path) -> MadeInvitation:
    """An invitation for one new device, written to `out`; its join code is returned, to be
    shown once and never stored."""
    _check_destination(out)
    invite_seed = new_signing_seed()
    invite_key = verify_key_of(invite_seed)

    def build(uow: UnitOfWork) -> tuple[uuid.UUID, dict[str, Any]]:
        staff.require(uow, Action.DEVICES)
        own_seed = devices.signing_seed(uow)
        org_id = uow.organisation_id()
        invitation_id = uuid.uuid4()
        signature = _sign_invitation(own_seed, org_id, invitation_id, invite_key)
        devices.add_invitation(uow, invitation_id, invite_key, signature)
        payload = {
            "format": PAYLOAD_FORMAT,
            "org_id": org_id.hex,
            "org_secret": uow.organisation_secret().hex(),
            "invitation_id": invitation_id.hex,
            "invite_seed": invite_seed.hex(),
            "made_by": uow.staff_id.hex if uow.staff_id else None,
            "snapshot": org_snapshot.read_snapshot(uow.session),
        }
        return invitation_id, payload

    invitation_id, payload = store.write(build)
    join_code = new_join_code()
    try:
        _write_private(out, seal_invitation(payload, join_code))
    except OSError as exc:
        raise BadFile(
            _l(
                "Cannot write {path}: {reason}. The invitation was recorded but not written; "
                "make a new one.",
                path=out,
                reason=exc.strerror,
            )
        ) from None
    return MadeInvitation(out, invitation_id, join_code)


@dataclass(frozen=True)
class OpenedInvitation:
    """An invitation opened with its join code. Holds secrets: none of them in its repr."""

    org_id: uuid.UUID
    org_name: str
    invitation_id: uuid.UUID
    coordinator: str | None  # who made it: the first coordinator of the new device
    payload: dict[str, Any] = field(repr=False)


def _damaged() -> BadFile:
    return BadFile(_l("The invitation's contents are damaged; make a new invitation."))


def read_invitation(path: Path, join_code: str) -> OpenedInvitation:
    """The invitation in `path`, opened with `join_code` (exit 1 when it cannot be)."""
    try:
        if path.stat().st_size > MAX_INVITATION_BYTES:
            raise BadFile(_l("This is not an Outreach Tally invitation file."))
        data = path.read_bytes()
    except OSError as exc:
        raise BadFile(
            _l("Cannot read {path}: {reason}.", path=path, reason=exc.strerror or "")
        ) from None
    payload = open_invitation(data, join_code)
    try:
        if payload.get("format") != PAYLOAD_FORMAT:
            raise _damaged()
        snapshot = payload["snapshot"]
        settings = {r["key"]: r["value"] for r in snapshot["settings"]}
        people = {r["id"]: r["name"] for r in snapshot["staff"]}
        return OpenedInvitation(
            org_id=uuid.UUID(hex=payload["org_id"]),
            org_name=str(settings["org_name"]),
            invitation_id=uuid.UUID(hex=payload["invitation_id"]),
            coordinator=people.get(payload.get("made_by")),
            payload=payload,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _damaged() from None


@dataclass(frozen=True)
class JoinResult:
    org_name: str
    device_id: uuid.UUID
    device_name: str
    fingerprint: str
    coordinator: str | None
    coordinator_has_pin: bool
    is_hub: bool


def _invitation_claim(opened: OpenedInvitation, invite_key: bytes) -> InvitationClaim:
    """The invitation's own record, checked against the device that signed it: a file whose
    parts do not fit together is refused before anything is created."""
    snapshot = opened.payload["snapshot"]
    records = org_snapshot.decode_rows("invitations", snapshot["invitations"])
    mine = [r for r in records if r["id"] == opened.invitation_id]
    keys = {
        r["id"]: r["verify_key"]
        for r in org_snapshot.decode_rows("devices", snapshot["devices"])
        if r["verify_key"]
    }
    if len(mine) != 1 or mine[0]["invite_key"] != invite_key:
        raise _damaged()
    claim = InvitationClaim(
        mine[0]["id"], mine[0]["device_id"], mine[0]["invite_key"], mine[0]["signature"]
    )
    inviter = keys.get(claim.device_id)
    if inviter is None or not invitation_valid(claim, inviter, opened.org_id):
        raise _damaged()
    return claim


def join(
    data_dir: Path,
    opened: OpenedInvitation,
    *,
    device_name: str,
    passphrase: str | None = None,
    coordinator_pin: str | None = None,
    db_url: str | None = None,
) -> JoinResult:
    """A new store (a folder, or the hub with `db_url`) as a new device of the organisation."""
    payload = opened.payload
    try:
        invite_seed = bytes.fromhex(payload["invite_seed"])
        org_secret = bytes.fromhex(payload["org_secret"])
        made_by = uuid.UUID(hex=payload["made_by"]) if payload.get("made_by") else None
        invite_key = verify_key_of(invite_seed)
    except (KeyError, TypeError, ValueError):
        raise _damaged() from None
    _invitation_claim(opened, invite_key)
    # The hub gets a key pair like any device, so its records trace back to the invitation,
    # but its private half is dropped here: the hub signs nothing (contracts §9: its trust
    # rests on PostgreSQL logins) and a copy of its database holds no key to sign with.
    seed = new_signing_seed()
    name = " ".join(device_name.split())[:80] or ("Hub" if db_url else "This computer")
    claim = DeviceClaim(uuid.uuid4(), name, verify_key_of(seed), opened.invitation_id, None)
    signature = sign_device(invite_seed, opened.org_id, claim)
    plan = JoinPlan(
        org_id=opened.org_id,
        snapshot=payload["snapshot"],
        device=NewDevice(claim.id, name, claim.verify_key, opened.invitation_id, signature),
        first_coordinator=made_by,
        org_secret=None if db_url else org_secret,
        signing_seed=None if db_url else seed,
        passphrase=passphrase,
        coordinator_pin=coordinator_pin,
    )
    joined: Joined = join_store(data_dir, plan, db_url=db_url)
    return JoinResult(
        org_name=joined.org_name,
        device_id=claim.id,
        device_name=name,
        fingerprint=fingerprint(claim.verify_key),
        coordinator=joined.coordinator,
        coordinator_has_pin=joined.coordinator_has_pin,
        is_hub=db_url is not None,
    )
