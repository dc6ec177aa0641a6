"""Which devices belong to the organisation: the chain of invitations (contracts §9).

Every device trusts itself and the devices listed in the invitation it joined with. Beyond
those, a device is trusted when it is provably invited by a trusted one:

- its invitation (an `Invitation` record) carries the public half of a one-time invite key,
  signed by the inviting device's own key (`sign_invitation`);
- the device record (id, name, public key, invitation) is signed with that one-time key
  (`sign_device`), which only the holder of the invitation file and its join code had.

So a bundle from a device met for the first time is trusted when it carries that device's
record and its invitation, made by a device already trusted (possibly itself invited the same
way: `trusted_keys` follows chains). A claim for a known device id with another key is never
accepted. Signatures cover a canonical encoding with the organisation's id and a purpose tag,
so a signature made for one purpose or organisation is worth nothing for another.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from outreach_app.domain.facts import canonical

_INVITATION_PURPOSE = "outreach-tally invitation v1"
_DEVICE_PURPOSE = "outreach-tally device join v1"


@dataclass(frozen=True)
class DeviceClaim:
    """A device record as received: who it says it is, and the proof it was invited."""

    id: uuid.UUID
    name: str
    verify_key: bytes = field(repr=False)
    invitation_id: uuid.UUID | None
    join_signature: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class InvitationClaim:
    """An invitation record as received: `device_id` is the device that made it."""

    id: uuid.UUID
    device_id: uuid.UUID
    invite_key: bytes = field(repr=False)
    signature: bytes = field(repr=False)


def _invitation_message(org_id: uuid.UUID, invitation_id: uuid.UUID, invite_key: bytes) -> bytes:
    return canonical(
        {
            "purpose": _INVITATION_PURPOSE,
            "org": org_id,
            "invitation": invitation_id,
            "invite_key": invite_key,
        }
    )


def _device_message(org_id: uuid.UUID, device: DeviceClaim) -> bytes:
    # Everything the record says about the device except the signature itself.
    return canonical(
        {
            "purpose": _DEVICE_PURPOSE,
            "org": org_id,
            "device": device.id,
            "name": device.name,
            "verify_key": device.verify_key,
            "invitation": device.invitation_id,
        }
    )


def sign_invitation(
    inviter_seed: bytes, org_id: uuid.UUID, invitation_id: uuid.UUID, invite_key: bytes
) -> bytes:
    """The inviting device's signature over an invitation's one-time public key."""
    message = _invitation_message(org_id, invitation_id, invite_key)
    return SigningKey(inviter_seed).sign(message).signature


def sign_device(invite_seed: bytes, org_id: uuid.UUID, device: DeviceClaim) -> bytes:
    """The one-time invite key's signature over a joining device's record (its
    `join_signature` is not part of what is signed, so it may be None here)."""
    return SigningKey(invite_seed).sign(_device_message(org_id, device)).signature


def _verifies(key: bytes, message: bytes, signature: bytes | None) -> bool:
    if signature is None:
        return False
    try:
        VerifyKey(key).verify(message, signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def invitation_valid(claim: InvitationClaim, inviter_key: bytes, org_id: uuid.UUID) -> bool:
    """Whether `claim` was signed by the device whose public key is `inviter_key`."""
    message = _invitation_message(org_id, claim.id, claim.invite_key)
    return _verifies(inviter_key, message, claim.signature)


def device_valid(device: DeviceClaim, invite_key: bytes, org_id: uuid.UUID) -> bool:
    """Whether `device` was signed with the one-time key whose public half is `invite_key`."""
    return _verifies(invite_key, _device_message(org_id, device), device.join_signature)


def _proven_key(
    device: DeviceClaim,
    invitations: Mapping[uuid.UUID, list[InvitationClaim]],
    trusted: Mapping[uuid.UUID, bytes],
    org_id: uuid.UUID,
) -> bool:
    if device.invitation_id is None:
        return False  # a first device is trusted only through an invitation's snapshot
    for invitation in invitations.get(device.invitation_id, ()):
        inviter_key = trusted.get(invitation.device_id)
        if inviter_key is None or invitation.device_id == device.id:
            continue
        if invitation_valid(invitation, inviter_key, org_id) and device_valid(
            device, invitation.invite_key, org_id
        ):
            return True
    return False


def trusted_keys(
    known: Mapping[uuid.UUID, bytes],
    devices: Iterable[DeviceClaim],
    invitations: Iterable[InvitationClaim],
    org_id: uuid.UUID,
) -> dict[uuid.UUID, bytes]:
    """`known` (device id -> public key) extended with every device provably invited by a
    device in it, directly or through a chain of devices themselves invited.

    A known id keeps its key whatever a claim says. Two claims for the same new id with
    different keys that both verify (only a holder of that invitation's key could make them)
    are both left out: which one is the device cannot be told."""
    trusted = dict(known)
    by_invitation: dict[uuid.UUID, list[InvitationClaim]] = defaultdict(list)
    for invitation in invitations:
        by_invitation[invitation.id].append(invitation)
    waiting = [d for d in devices if d.id not in trusted]
    ambiguous: set[uuid.UUID] = set()
    while True:
        proven: dict[uuid.UUID, set[bytes]] = defaultdict(set)
        for device in waiting:
            if _proven_key(device, by_invitation, trusted, org_id):
                proven[device.id].add(bytes(device.verify_key))
        added = False
        for device_id, keys in proven.items():
            if len(keys) == 1:
                trusted[device_id] = next(iter(keys))
                added = True
            else:
                ambiguous.add(device_id)
        waiting = [d for d in waiting if d.id not in trusted and d.id not in ambiguous]
        if not added:
            return trusted
