"""SQLCipher's key for one file, derived once from the passphrase and given to every connection.

SQLCipher 4 stretches the passphrase on each connection it opens (PBKDF2-HMAC-SHA512, 256,000
rounds, salted with the file's first 16 bytes): about 0.15 s for the opening probe, again for
the quick check's own connection, and for every other one. Given the key already derived, in
SQLCipher's documented raw-key form (`PRAGMA key = "x'…'"`), a connection opens at once. The
derivation is the standard library's (OpenSSL's) PBKDF2, which lets other threads run meanwhile:
the app starts it as soon as the passphrase is typed, beside importing the services.

A file made with other key settings does not open with this key; `services.store` then opens it
with the passphrase, as before. The key is as secret as the passphrase: never shown in a repr,
a log or an error.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

KDF_ROUNDS = 256_000  # SQLCipher 4's default (PRAGMA cipher_default_kdf_iter)
SALT_BYTES = 16  # the file's first bytes
KEY_BYTES = 32


def raw_key(salt: bytes, passphrase: str) -> str:
    """The value of `PRAGMA key` that opens a file salted with `salt` as `passphrase` would."""
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)
    return f"x'{key.hex()}'"


class KeyDerivation:
    """The raw key of the file at `path`, derived on a thread of its own from creation."""

    __slots__ = ("_thread", "_value")

    def __init__(self, path: Path, passphrase: str) -> None:
        self._value: str | None = None
        self._thread = threading.Thread(
            target=self._derive, args=(path, passphrase), name="sqlcipher-key", daemon=True
        )
        self._thread.start()

    def _derive(self, path: Path, passphrase: str) -> None:
        try:
            with path.open("rb") as handle:
                salt = handle.read(SALT_BYTES)
        except OSError:  # opening the file then says what is wrong, in its own words
            return
        if len(salt) == SALT_BYTES:
            self._value = raw_key(salt, passphrase)

    def pragma_key(self) -> str | None:
        """`x'…'` once derived; None when the file could not be read for its salt."""
        self._thread.join()
        return self._value

    def __repr__(self) -> str:
        return "KeyDerivation(<hidden>)"
