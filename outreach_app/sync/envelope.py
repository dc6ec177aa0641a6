"""The sealed envelope a bundle travels in (contracts §9): readable only inside the organisation,
signed by the device that wrote it.

Layout, all bytes::

    OUTREACH-TALLY-BUNDLE 1\\n
    {"device":"<32 hex>","org":"<32 hex>"}\\n
    SecretBox(org key).encrypt(zlib(payload))      nonce + XSalsa20-Poly1305 ciphertext
    Ed25519 signature (64 bytes) of every byte before it

The organisation key is derived from the organisation's secret (which every device holds and
the hub never does), so a found USB stick reveals only which organisation and device wrote the
file. The signature is checked apart from opening (`check_signature`): the key of a device met
for the first time is proven by the device and invitation records inside the payload itself
(`sync/trust.py`), so the caller opens first, establishes trust, then checks.

Everything cryptographic is libsodium through PyNaCl. No secret (keys, seeds, the payload) ever
appears in an exception's text or a repr.
"""

from __future__ import annotations

import json
import uuid
import zlib
from dataclasses import dataclass, field

from nacl.encoding import RawEncoder
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.hash import blake2b
from nacl.secret import SecretBox
from nacl.signing import SigningKey, VerifyKey

from outreach_app.domain.errors import BadFile
from outreach_app.i18n import Text, _l

BUNDLE_MAGIC = b"OUTREACH-TALLY-BUNDLE"
BUNDLE_FORMAT = 1
SIGNATURE_BYTES = 64
#: A format line longer than this is not ours (we never read further looking for its end).
_MAX_FORMAT_LINE = 64
_MAX_HEADER_LINE = 1024
_ORG_KEY_PERSON = b"outreach-bundle"


class BundleRefused(BadFile):
    """A file refused before anything in it is used; `reason` says why, translatable.

    Exit code 1 through `BadFile`. The reason names no key and no content of the file."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason)
        self.reason = reason

    def __repr__(self) -> str:
        return f"BundleRefused({self.reason.english()!r})"


def org_key(org_secret: bytes) -> bytes:
    """The key bundles are sealed with: a keyed BLAKE2b of the organisation's secret, with its
    own personalisation so it can never equal a key derived for another purpose."""
    return blake2b(b"", key=org_secret, person=_ORG_KEY_PERSON, digest_size=32, encoder=RawEncoder)


def _head(org_id: uuid.UUID, carrier: uuid.UUID) -> bytes:
    header = json.dumps({"device": carrier.hex, "org": org_id.hex}, sort_keys=True)
    return b"%s %d\n%s\n" % (BUNDLE_MAGIC, BUNDLE_FORMAT, header.encode("ascii"))


def seal(
    payload: bytes, *, org_id: uuid.UUID, carrier: uuid.UUID, org_key: bytes, signing_seed: bytes
) -> bytes:
    """`payload` compressed, encrypted to the organisation and signed by `carrier`'s key."""
    box = SecretBox(org_key)
    signed = _head(org_id, carrier) + bytes(box.encrypt(zlib.compress(payload, 6)))
    return signed + SigningKey(signing_seed).sign(signed).signature


@dataclass(frozen=True)
class Opened:
    """A bundle opened with the organisation's key, its signature not yet checked."""

    carrier: uuid.UUID
    payload: bytes = field(repr=False)
    signed: bytes = field(repr=False)
    signature: bytes = field(repr=False)


def _not_a_bundle() -> BundleRefused:
    return BundleRefused(_l("not an Outreach Tally bundle"))


def _damaged() -> BundleRefused:
    return BundleRefused(_l("the file is damaged or incomplete; export it again"))


def _format_of(data: bytes) -> tuple[int, int]:
    """The format number and where the header line starts."""
    end = data.find(b"\n", 0, _MAX_FORMAT_LINE)
    if not data.startswith(BUNDLE_MAGIC + b" ") or end < 0:
        raise _not_a_bundle()
    number = data[len(BUNDLE_MAGIC) + 1 : end]
    if not number.isdigit() or len(number) > 6:
        raise _not_a_bundle()
    return int(number), end + 1


def _header(data: bytes, start: int) -> tuple[dict[str, str], int]:
    end = data.find(b"\n", start, start + _MAX_HEADER_LINE)
    if end < 0:
        raise _damaged()
    try:
        header = json.loads(data[start:end].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged() from None
    if not isinstance(header, dict):
        raise _damaged()
    return header, end + 1


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(hex=str(value))
    except ValueError:
        raise _damaged() from None


def open_sealed(data: bytes, *, org_id: uuid.UUID, org_key: bytes) -> Opened:
    """The payload of a bundle made for organisation `org_id`; raises `BundleRefused` with a
    reason of its own for a file that is not a bundle, of a newer format, of another
    organisation, or damaged or cut short. The signature is left to `check_signature`."""
    version, start = _format_of(data)
    if version > BUNDLE_FORMAT:
        raise BundleRefused(_l("it was made by a newer version of Outreach Tally; update this app"))
    if version != BUNDLE_FORMAT:
        raise _not_a_bundle()
    header, body = _header(data, start)
    if _uuid(header.get("org")) != org_id:
        raise BundleRefused(_l("it belongs to another organisation"))
    carrier = _uuid(header.get("device"))
    if len(data) < body + SecretBox.NONCE_SIZE + SecretBox.MACBYTES + SIGNATURE_BYTES:
        raise _damaged()
    signed, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    try:
        compressed = SecretBox(org_key).decrypt(signed[body:])
        payload = zlib.decompress(compressed)
    except (CryptoError, zlib.error):
        # Another organisation's key with a forged header lands here too: the same answer,
        # since both mean nothing in the file can be read.
        raise _damaged() from None
    return Opened(carrier=carrier, payload=payload, signed=signed, signature=signature)


def check_signature(opened: Opened, verify_key: bytes) -> None:
    """Raises `BundleRefused` unless the bundle was signed with `verify_key`."""
    try:
        VerifyKey(verify_key).verify(opened.signed, opened.signature)
    except (BadSignatureError, ValueError, TypeError):
        raise BundleRefused(_l("its signature does not match the device that wrote it")) from None
