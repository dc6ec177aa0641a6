"""The invitation file: nothing opens without the join code, and each way a file or a code can
be wrong is refused with its own words (exit 1)."""

from __future__ import annotations

import json

import pytest
from nacl import pwhash

from outreach_app.domain.device_keys import parse_crockford
from outreach_app.domain.errors import BadFile
from outreach_app.sync import invitation_file
from outreach_app.sync.invitation_file import (
    WrongJoinCode,
    new_join_code,
    open_invitation,
    seal_invitation,
)

PAYLOAD = {"org_secret": "ab" * 32, "snapshot": {"staff": [{"name": "ZZ Lead"}]}}
NOT_AN_INVITATION = "This is not an Outreach Tally invitation file."
DAMAGED = "The invitation file is damaged or incomplete; ask for a new invitation."
WRONG_CODE = "The join code does not open this invitation."


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file says which cost it was sealed with; the cheapest keeps these tests quick."""
    monkeypatch.setattr(invitation_file, "OPSLIMIT", pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(invitation_file, "MEMLIMIT", pwhash.argon2id.MEMLIMIT_MIN)


def _refused(data: bytes, code: str) -> str:
    with pytest.raises(BadFile) as caught:  # WrongJoinCode is not a BadFile: see below
        open_invitation(data, code)
    assert caught.value.exit_code == 1
    return caught.value.message


def test_round_trip_and_a_lenient_code() -> None:
    code = new_join_code()
    assert len(code) == 19 and code.count("-") == 3 and parse_crockford(code) is not None
    data = seal_invitation(PAYLOAD, code)
    assert data.startswith(b"OUTREACH-TALLY-INVITE 1\n")
    assert b"ZZ Lead" not in data and b"abab" not in data
    assert open_invitation(data, code) == PAYLOAD
    # As typed by hand: lower case, spaces for hyphens, O for 0 and I or L for 1.
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert open_invitation(data, typed) == PAYLOAD


def test_two_codes_never_alike() -> None:
    assert len({new_join_code() for _ in range(50)}) == 50


def test_the_cost_is_the_moderate_one_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    header = json.loads(seal_invitation({}, new_join_code()).split(b"\n")[1])
    assert header["opslimit"] == pwhash.argon2id.OPSLIMIT_MODERATE
    assert header["memlimit"] == pwhash.argon2id.MEMLIMIT_MODERATE
    assert header["kdf"] == "argon2id" and len(bytes.fromhex(header["salt"])) == 16


def test_a_wrong_code() -> None:
    code = new_join_code()
    data = seal_invitation(PAYLOAD, code)
    with pytest.raises(WrongJoinCode) as caught:
        open_invitation(data, new_join_code())
    assert caught.value.exit_code == 1 and caught.value.message.startswith(WRONG_CODE)
    assert code not in repr(caught.value) and code not in caught.value.message


def test_not_a_code_at_all() -> None:
    data = seal_invitation(PAYLOAD, new_join_code())
    with pytest.raises(WrongJoinCode) as caught:
        open_invitation(data, "12345")
    assert "That is not a join code" in caught.value.message


def test_every_flipped_byte_of_the_sealed_part_is_damage_not_a_wrong_code() -> None:
    code = new_join_code()
    data = seal_invitation({"x": 1}, code)
    start = data.index(b"\n", data.index(b"\n") + 1) + 1
    for position in range(start, len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x40
        assert _refused(bytes(flipped), code) == DAMAGED


@pytest.mark.parametrize("keep", [0, 5, 22, 23, 24, 60, -17, -1])
def test_a_cut_file(keep: int) -> None:
    code = new_join_code()
    data = seal_invitation(PAYLOAD, code)
    reason = _refused(data[:keep], code)
    assert reason == (NOT_AN_INVITATION if 0 <= keep < 24 else DAMAGED)


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.7\n", b"OUTREACH-TALLY-BUNDLE 1\n{}\n", b"OUTREACH-TALLY-INVITE x\n{}\n"],
)
def test_not_an_invitation(data: bytes) -> None:
    assert _refused(data, new_join_code()) == NOT_AN_INVITATION


def test_a_newer_format() -> None:
    code = new_join_code()
    data = seal_invitation(PAYLOAD, code).replace(b"INVITE 1\n", b"INVITE 2\n", 1)
    assert "made by a newer version" in _refused(data, code)


@pytest.mark.parametrize(
    "change",
    [
        {"memlimit": 64 * 1024**3},  # 64 GiB: refused before any memory is taken
        {"opslimit": 10**6},
        {"kdf": "scrypt"},
        {"salt": "00"},
        {"sealed": "zz"},
    ],
)
def test_a_header_asking_for_too_much_or_nonsense(change: dict[str, object]) -> None:
    code = new_join_code()
    first, header, sealed = seal_invitation(PAYLOAD, code).split(b"\n", 2)
    values = {**json.loads(header), **change}
    data = first + b"\n" + json.dumps(values).encode() + b"\n" + sealed
    assert _refused(data, code) == DAMAGED
