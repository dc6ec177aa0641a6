"""The invitation file (contracts §9): useless without its join code.

Layout::

    OUTREACH-TALLY-INVITE 1\\n
    {"kdf":"argon2id","memlimit":…,"opslimit":…,"salt":"<hex>","sealed":"<hex>"}\\n
    SecretBox(argon2id(join code, salt)).encrypt(JSON payload)

The join code is 80 random bits (`ABCD-EFGH-JKMN-PQRS`), stretched with argon2id so that even a
file and an hour of guessing get nowhere; the file alone opens nothing. `sealed` is a plain
(unkeyed) BLAKE2b digest of the encrypted part: it tells a damaged or cut file apart from a
wrong join code without revealing anything about either. Every primitive is libsodium's,
through PyNaCl.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from nacl import pwhash
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.secret import SecretBox

from outreach_app.domain.device_keys import crockford_groups, parse_crockford
from outreach_app.domain.errors import BadFile, InvalidInput
from outreach_app.i18n import _l

INVITE_MAGIC = b"OUTREACH-TALLY-INVITE"
INVITE_FORMAT = 1
JOIN_CODE_BYTES = 10
# Moderate: about a second and 256 MiB on a laptop, once per invitation and once per join.
OPSLIMIT = pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_MODERATE
# A hostile file must not make us spend unbounded memory or time before refusing it.
_MAX_OPSLIMIT = pwhash.argon2id.OPSLIMIT_SENSITIVE
_MAX_MEMLIMIT = 2 * pwhash.argon2id.MEMLIMIT_MODERATE
_MAX_HEADER = 1024


class WrongJoinCode(InvalidInput):
    """The join code does not open this invitation (exit 1)."""


def new_join_code() -> str:
    return crockford_groups(secrets.token_bytes(JOIN_CODE_BYTES))


def _key(code: bytes, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, code, salt, opslimit=opslimit, memlimit=memlimit)


def _code_bytes(join_code: str) -> bytes:
    value = parse_crockford(join_code)
    if value is None:
        raise WrongJoinCode(
            _l(
                "That is not a join code: it is 16 letters and digits in four groups, like "
                "ABCD-EFGH-JKMN-PQRS, shown by `outreach invite` on the inviting device."
            )
        )
    return value


def seal_invitation(payload: dict[str, Any], join_code: str) -> bytes:
    salt = secrets.token_bytes(pwhash.argon2id.SALTBYTES)
    box = SecretBox(_key(_code_bytes(join_code), salt, OPSLIMIT, MEMLIMIT))
    sealed = bytes(box.encrypt(json.dumps(payload, separators=(",", ":")).encode("utf-8")))
    header = {
        "kdf": "argon2id",
        "memlimit": MEMLIMIT,
        "opslimit": OPSLIMIT,
        "salt": salt.hex(),
        "sealed": blake2b(sealed, digest_size=32, encoder=RawEncoder).hex(),
    }
    first = b"%s %d\n" % (INVITE_MAGIC, INVITE_FORMAT)
    return first + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + sealed


def _not_an_invitation() -> BadFile:
    return BadFile(_l("This is not an Outreach Tally invitation file."))


def _damaged() -> BadFile:
    return BadFile(_l("The invitation file is damaged or incomplete; ask for a new invitation."))


def _header(data: bytes) -> tuple[dict[str, Any], bytes]:
    if not data.startswith(INVITE_MAGIC + b" "):
        raise _not_an_invitation()
    first_end = data.find(b"\n", 0, 64)
    number = data[len(INVITE_MAGIC) + 1 : first_end] if first_end > 0 else b""
    if not number.isdigit() or len(number) > 6:
        raise _not_an_invitation()
    if int(number) > INVITE_FORMAT:
        raise BadFile(
            _l(
                "This invitation was made by a newer version of Outreach Tally; update this app "
                "and try again."
            )
        )
    if int(number) != INVITE_FORMAT:
        raise _not_an_invitation()
    end = data.find(b"\n", first_end + 1, first_end + 1 + _MAX_HEADER)
    if end < 0:
        raise _damaged()
    try:
        header = json.loads(data[first_end + 1 : end].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged() from None
    if not isinstance(header, dict):
        raise _damaged()
    return header, data[end + 1 :]


def open_invitation(data: bytes, join_code: str) -> dict[str, Any]:
    """The payload of an invitation file; BadFile for a file that is not one (or is damaged),
    WrongJoinCode for a code that does not open it. Both exit 1."""
    header, sealed = _header(data)
    try:
        salt = bytes.fromhex(str(header["salt"]))
        opslimit, memlimit = int(header["opslimit"]), int(header["memlimit"])
        digest = bytes.fromhex(str(header["sealed"]))
    except (KeyError, ValueError, TypeError):
        raise _damaged() from None
    bounded = (
        header.get("kdf") == "argon2id"
        and len(salt) == pwhash.argon2id.SALTBYTES
        and pwhash.argon2id.OPSLIMIT_MIN <= opslimit <= _MAX_OPSLIMIT
        and pwhash.argon2id.MEMLIMIT_MIN <= memlimit <= _MAX_MEMLIMIT
    )
    if not bounded or blake2b(sealed, digest_size=32, encoder=RawEncoder) != digest:
        raise _damaged()
    code = _code_bytes(join_code)
    try:
        plain = SecretBox(_key(code, salt, opslimit, memlimit)).decrypt(sealed)
    except CryptoError:
        raise WrongJoinCode(
            _l(
                "The join code does not open this invitation. Check it against the code shown "
                "when the invitation was made (letters and digits in four groups). Nothing was "
                "created."
            )
        ) from None
    try:
        payload = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged() from None
    if not isinstance(payload, dict):
        raise _damaged()
    return payload
