"""A device's signing key and its fingerprint (contracts §9).

Each device signs what it writes with its own Ed25519 key (libsodium through PyNaCl). The
private half is a 32-byte seed kept in the device's own settings, inside its (encrypted) store;
it never travels. The fingerprint people compare on screens and in `devices revoke` is the
public key's BLAKE2b digest, 80 bits in Crockford base32 (no I, L, O or U), in four groups.
"""

from __future__ import annotations

import secrets

from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.signing import SigningKey

SIGNING_SEED_KEY = "device_signing_seed"  # a device-only setting: never exported
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_signing_seed() -> bytes:
    return secrets.token_bytes(32)


def verify_key_of(seed: bytes) -> bytes:
    return bytes(SigningKey(seed).verify_key)


def crockford_groups(value: bytes) -> str:
    """10 bytes as 16 Crockford base32 characters in groups of four (`7K2Q-M9XD-4HPA-W3TC`)."""
    if len(value) != 10:
        raise ValueError("a fingerprint or join code is 80 bits")
    number = int.from_bytes(value, "big")
    chars = [CROCKFORD[(number >> shift) & 31] for shift in range(75, -1, -5)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 16, 4))


def parse_crockford(text: str) -> bytes | None:
    """The 10 bytes written as `crockford_groups`, read leniently (case, spaces, hyphens, and
    the look-alikes O→0, I/L→1 that Crockford's alphabet allows); None if not 16 characters."""
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != 16 or any(c not in CROCKFORD for c in cleaned):
        return None
    number = 0
    for char in cleaned:
        number = (number << 5) | CROCKFORD.index(char)
    return number.to_bytes(10, "big")


def fingerprint(verify_key: bytes) -> str:
    return crockford_groups(blake2b(verify_key, digest_size=10, encoder=RawEncoder))
