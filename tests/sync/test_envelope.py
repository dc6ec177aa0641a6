"""The bundle envelope: sealed to the organisation, signed by its device, and every way a file
can be wrong refused with its own reason."""

from __future__ import annotations

import secrets
import uuid

import pytest

from outreach_app.domain.device_keys import new_signing_seed, verify_key_of
from outreach_app.sync.envelope import (
    BUNDLE_MAGIC,
    BundleRefused,
    check_signature,
    open_sealed,
    org_key,
    seal,
)

ORG = uuid.UUID("0e4b6a52-7d0f-4bb8-9a41-0c1f2b3d4e5f")
DEVICE = uuid.UUID("5a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9")
SECRET = bytes(range(32))
SEED = bytes(range(100, 132))
PAYLOAD = b'{"records": [' + b'{"kind": "encounter", "n": 1}, ' * 200 + b"]}"

NOT_A_BUNDLE = "not an Outreach Tally bundle"
DAMAGED = "the file is damaged or incomplete; export it again"
NEWER = "it was made by a newer version of Outreach Tally; update this app"
OTHER_ORG = "it belongs to another organisation"
BAD_SIGNATURE = "its signature does not match the device that wrote it"


def _sealed(payload: bytes = PAYLOAD) -> bytes:
    return seal(payload, org_id=ORG, carrier=DEVICE, org_key=org_key(SECRET), signing_seed=SEED)


def _refusal(data: bytes, *, key: bytes | None = None, org: uuid.UUID = ORG) -> str:
    with pytest.raises(BundleRefused) as caught:
        opened = open_sealed(data, org_id=org, org_key=org_key(SECRET) if key is None else key)
        check_signature(opened, verify_key_of(SEED))
    assert caught.value.exit_code == 1
    return caught.value.reason.english()


def test_round_trip() -> None:
    data = _sealed()
    assert data.startswith(b"OUTREACH-TALLY-BUNDLE 1\n")
    header = data.split(b"\n")[1]
    assert header == b'{"device": "%s", "org": "%s"}' % (DEVICE.hex.encode(), ORG.hex.encode())
    opened = open_sealed(data, org_id=ORG, org_key=org_key(SECRET))
    assert opened.carrier == DEVICE
    assert opened.payload == PAYLOAD
    check_signature(opened, verify_key_of(SEED))


def test_nothing_readable_without_the_key() -> None:
    data = _sealed()
    assert b"encounter" not in data
    assert SECRET not in data and org_key(SECRET) not in data and SEED not in data


def test_org_key_is_derived_not_the_secret_itself() -> None:
    assert org_key(SECRET) != SECRET
    assert len(org_key(SECRET)) == 32
    assert org_key(SECRET) != org_key(bytes(32))


def test_every_flipped_byte_is_refused() -> None:
    data = _sealed(b"short payload")
    for position in range(len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        reason = _refusal(bytes(flipped))
        if position >= len(data) - 64:
            assert reason == BAD_SIGNATURE
        elif position > data.index(b"\n", data.index(b"\n") + 1):
            assert reason == DAMAGED  # the sealed box
        else:  # the two header lines: whatever they now say, the file cannot pass
            assert reason in {NOT_A_BUNDLE, DAMAGED, NEWER, OTHER_ORG, BAD_SIGNATURE}


@pytest.mark.parametrize("keep", [0, 10, 23, 24, 60, 80, -65, -64, -1])
def test_truncated_file(keep: int) -> None:
    data = _sealed()
    reason = _refusal(data[:keep])
    if 0 <= keep < 24:  # the format line itself cut short
        assert reason == NOT_A_BUNDLE
    else:
        assert reason == DAMAGED


def test_another_organisation() -> None:
    other = seal(
        PAYLOAD,
        org_id=uuid.uuid4(),
        carrier=DEVICE,
        org_key=org_key(secrets.token_bytes(32)),
        signing_seed=SEED,
    )
    assert _refusal(other) == OTHER_ORG


def test_another_organisations_key_under_our_id() -> None:
    forged = seal(
        PAYLOAD,
        org_id=ORG,
        carrier=DEVICE,
        org_key=org_key(secrets.token_bytes(32)),
        signing_seed=SEED,
    )
    assert _refusal(forged) == DAMAGED


def test_newer_format() -> None:
    data = _sealed().replace(b"OUTREACH-TALLY-BUNDLE 1\n", b"OUTREACH-TALLY-BUNDLE 2\n", 1)
    assert _refusal(data) == NEWER
    assert _refusal(b"OUTREACH-TALLY-BUNDLE 17\nwhatever comes after") == NEWER


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04 a zip file",
        b"OUTREACH-TALLY-BUNDLE\n",
        b"OUTREACH-TALLY-BUNDLE one\n",
        b"OUTREACH-TALLY-BUNDLE 0\n{}\n",
        BUNDLE_MAGIC + b" 1" + b" " * 100 + b"\n",
        b"OUTREACH-TALLY-INVITE 1\n{}\n",
    ],
)
def test_not_a_bundle(data: bytes) -> None:
    assert _refusal(data) == NOT_A_BUNDLE


def test_wrong_signer() -> None:
    data = _sealed()
    opened = open_sealed(data, org_id=ORG, org_key=org_key(SECRET))
    with pytest.raises(BundleRefused) as caught:
        check_signature(opened, verify_key_of(new_signing_seed()))
    assert caught.value.reason.english() == BAD_SIGNATURE


def test_signed_by_another_device_under_this_ones_name() -> None:
    forged = seal(
        PAYLOAD, org_id=ORG, carrier=DEVICE, org_key=org_key(SECRET), signing_seed=bytes(32)
    )
    assert _refusal(forged) == BAD_SIGNATURE


def test_no_secret_in_reprs_or_messages() -> None:
    opened = open_sealed(_sealed(), org_id=ORG, org_key=org_key(SECRET))
    assert "encounter" not in repr(opened)
    with pytest.raises(BundleRefused) as caught:
        open_sealed(_sealed(), org_id=ORG, org_key=bytes(32))
    for text in (repr(caught.value), str(caught.value), repr(caught.value.args)):
        assert SECRET.hex() not in text and org_key(SECRET).hex() not in text
        assert "\\x" not in text
