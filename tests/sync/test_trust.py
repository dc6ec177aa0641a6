"""The chain of invitations: who is trusted, and forgeries that are not."""

from __future__ import annotations

import uuid
from dataclasses import replace

from outreach_app.domain.device_keys import new_signing_seed, verify_key_of
from outreach_app.sync.trust import (
    DeviceClaim,
    InvitationClaim,
    sign_device,
    sign_invitation,
    trusted_keys,
)

ORG = uuid.uuid4()


class Member:
    """A device with its key, as the tests need one."""

    def __init__(self, name: str, invited_by: Member | None = None) -> None:
        self.seed = new_signing_seed()
        self.key = verify_key_of(self.seed)
        self.invitation: InvitationClaim | None = None
        self.invite_seed: bytes | None
        invitation_id = None
        invite_seed = self.invite_seed = None
        if invited_by is not None:
            invite_seed = self.invite_seed = new_signing_seed()
            invitation_id = uuid.uuid4()
            invite_key = verify_key_of(invite_seed)
            self.invitation = InvitationClaim(
                id=invitation_id,
                device_id=invited_by.claim.id,
                invite_key=invite_key,
                signature=sign_invitation(invited_by.seed, ORG, invitation_id, invite_key),
            )
        claim = DeviceClaim(uuid.uuid4(), name, self.key, invitation_id, None)
        if invite_seed is not None:
            claim = replace(claim, join_signature=sign_device(invite_seed, ORG, claim))
        self.claim = claim


def _invitations(*members: Member) -> list[InvitationClaim]:
    return [m.invitation for m in members if m.invitation is not None]


def test_a_chain_a_b_c() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    c = Member("Satellite", invited_by=b)
    known = {a.claim.id: a.key}
    # Given in any order: C's claim before B's still resolves.
    found = trusted_keys(known, [c.claim, b.claim], _invitations(c, b), ORG)
    assert found == {a.claim.id: a.key, b.claim.id: b.key, c.claim.id: c.key}
    assert known == {a.claim.id: a.key}  # the caller's mapping is left alone


def test_a_broken_link_stops_the_chain() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    c = Member("Satellite", invited_by=b)
    found = trusted_keys({a.claim.id: a.key}, [c.claim], _invitations(b, c), ORG)
    assert found == {a.claim.id: a.key}


def test_an_outsider_is_not_trusted() -> None:
    a = Member("Drop-in")
    stranger = Member("Elsewhere")
    d = Member("Theirs", invited_by=stranger)
    found = trusted_keys({a.claim.id: a.key}, [stranger.claim, d.claim], _invitations(d), ORG)
    assert found == {a.claim.id: a.key}


def test_a_forged_device_row() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    invitations = _invitations(b)
    # Same invitation and signature, but another key: the signature no longer fits.
    swapped = replace(b.claim, verify_key=verify_key_of(new_signing_seed()))
    assert trusted_keys({a.claim.id: a.key}, [swapped], invitations, ORG) == {a.claim.id: a.key}
    renamed = replace(b.claim, name="Coordinator laptop")
    assert trusted_keys({a.claim.id: a.key}, [renamed], invitations, ORG) == {a.claim.id: a.key}
    unsigned = replace(b.claim, join_signature=None)
    assert trusted_keys({a.claim.id: a.key}, [unsigned], invitations, ORG) == {a.claim.id: a.key}


def test_a_forged_invitation() -> None:
    a = Member("Drop-in")
    mallory_seed = new_signing_seed()
    invite_seed = new_signing_seed()
    invitation_id = uuid.uuid4()
    invite_key = verify_key_of(invite_seed)
    # Claims to be A's invitation, signed with a key that is not A's.
    forged = InvitationClaim(
        invitation_id,
        a.claim.id,
        invite_key,
        sign_invitation(mallory_seed, ORG, invitation_id, invite_key),
    )
    claim = DeviceClaim(uuid.uuid4(), "Intruder", verify_key_of(new_signing_seed()), invitation_id)
    claim = replace(claim, join_signature=sign_device(invite_seed, ORG, claim))
    assert trusted_keys({a.claim.id: a.key}, [claim], [forged], ORG) == {a.claim.id: a.key}


def test_a_genuine_invitation_with_its_key_swapped() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    assert b.invitation is not None
    mallory_invite = new_signing_seed()
    swapped = replace(b.invitation, invite_key=verify_key_of(mallory_invite))
    claim = DeviceClaim(
        uuid.uuid4(), "Intruder", verify_key_of(new_signing_seed()), b.invitation.id
    )
    claim = replace(claim, join_signature=sign_device(mallory_invite, ORG, claim))
    assert trusted_keys({a.claim.id: a.key}, [claim], [swapped], ORG) == {a.claim.id: a.key}


def test_another_organisations_signatures_are_worthless_here() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    assert trusted_keys({a.claim.id: a.key}, [b.claim], _invitations(b), uuid.uuid4()) == {
        a.claim.id: a.key
    }


def test_a_known_device_keeps_its_key() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    # A genuine invitation's holder re-signs B's id with another key: B keeps the key known.
    known = {a.claim.id: a.key, b.claim.id: b.key}
    impostor = Member("Van", invited_by=a)
    stolen_id = replace(impostor.claim, id=b.claim.id)
    assert trusted_keys(known, [stolen_id], _invitations(impostor), ORG) == known


def test_one_invitation_used_twice_gives_two_devices() -> None:
    a = Member("Drop-in")
    invite_seed = new_signing_seed()
    invitation_id = uuid.uuid4()
    invite_key = verify_key_of(invite_seed)
    invitation = InvitationClaim(
        invitation_id,
        a.claim.id,
        invite_key,
        sign_invitation(a.seed, ORG, invitation_id, invite_key),
    )
    claims = []
    for name in ("Van", "Van too"):
        claim = DeviceClaim(uuid.uuid4(), name, verify_key_of(new_signing_seed()), invitation_id)
        claims.append(replace(claim, join_signature=sign_device(invite_seed, ORG, claim)))
    found = trusted_keys({a.claim.id: a.key}, claims, [invitation], ORG)
    assert set(found) == {a.claim.id, claims[0].id, claims[1].id}


def test_two_proven_keys_for_one_new_id_are_both_left_out() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    assert b.invitation is not None and b.invite_seed is not None
    twin = DeviceClaim(b.claim.id, "Van", verify_key_of(new_signing_seed()), b.invitation.id)
    # Only the holder of B's invite key could sign this: which one is B cannot be told.
    twin = replace(twin, join_signature=sign_device(b.invite_seed, ORG, twin))
    found = trusted_keys({a.claim.id: a.key}, [b.claim, twin], _invitations(b), ORG)
    assert found == {a.claim.id: a.key}


def test_a_twin_with_a_stolen_signature_does_not_verify() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    assert b.invitation is not None
    twin = DeviceClaim(b.claim.id, "Van", verify_key_of(new_signing_seed()), b.invitation.id)
    twin = replace(twin, join_signature=b.claim.join_signature)
    found = trusted_keys({a.claim.id: a.key}, [twin, b.claim], _invitations(b), ORG)
    assert found[b.claim.id] == b.key


def test_reprs_hold_no_keys() -> None:
    a = Member("Drop-in")
    b = Member("Van", invited_by=a)
    assert b.key.hex() not in repr(b.claim)
    assert "\\x" not in repr(b.claim) and "\\x" not in repr(b.invitation)
