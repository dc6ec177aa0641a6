"""Participant codes: optional, program-chosen, never a name or anything built from one.

A code is normalised (trimmed, upper-cased, spaces and hyphens removed, contracts §10) and then
stored only as its HMAC-SHA-256 keyed with the organisation secret (`participant_key`), so the
same code matches on every device and a copy of the database cannot be read back. Lists show
a short tag of that hash (`code_tag`).

Under the `random` scheme codes are like `K7M-4Q2`: five characters from an alphabet without
look-alikes (no 0/O, 1/I/L) and a check character, so a mistyped code is refused at entry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from enum import StrEnum

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _l


class CodeScheme(StrEnum):
    RANDOM = "random"
    OWN = "own"


_CODE = re.compile(r"^[A-Z0-9_.]{1,24}$")
_TWO_WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")  # "Jane Doe": a name, not a code
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters (a prime): no 0 O 1 I L
RANDOM_LENGTH = 6


def normalize_participant_code(text: str) -> str:
    """Trimmed, upper-cased, spaces and hyphens removed (contracts §10)."""
    return "".join(text.strip().upper().replace("-", "").split())


def clean_participant_code(text: str | None) -> str | None:
    """The normalised code, or None for an anonymous contact (blank)."""
    if text is None or not text.strip():
        return None
    code = normalize_participant_code(text)
    if not _CODE.match(code) or _TWO_WORDS.search(text):
        raise InvalidInput(
            _l(
                "A participant code is a short program code of letters and digits (at most 24), "
                "never a name. Leave it blank for an anonymous contact."
            )
        )
    return code


def participant_key(secret: bytes, code: str) -> bytes:
    """HMAC-SHA-256 of the normalised code, keyed with the organisation secret."""
    return hmac.new(secret, b"participant:" + code.encode("utf-8"), hashlib.sha256).digest()


def code_tag(key: bytes | None) -> str | None:
    """A short tag of a keyed code for lists (not the code, and not enough to find it)."""
    if not key:
        return None
    return "#" + base64.b32encode(key[:5]).decode("ascii")[:6]


def check_character(body: str) -> str:
    """Weights 1..5 modulo 31 catch any one wrong character and any two swapped neighbours."""
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_random_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH - 1))
    code = body + check_character(body)
    return f"{code[:3]}-{code[3:]}"


def numbered_code(number: int) -> str:
    """The `number`-th code of a synthetic pool (demo data): valid under both schemes."""
    digits = []
    for _ in range(RANDOM_LENGTH - 1):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    body = "".join(reversed(digits))
    code = body + check_character(body)
    return f"{code[:3]}-{code[3:]}"


def check_random_code(code: str) -> None:
    """Refuse a normalised code that is not a well-formed random code with its check character."""
    if len(code) != RANDOM_LENGTH or any(c not in ALPHABET for c in code):
        raise InvalidInput(
            _l(
                "This organisation uses printed codes like K7M-4Q2 (6 letters and digits, no O, "
                "I or L). Check the participant's card and type it again, or leave it blank."
            )
        )
    if check_character(code[:-1]) != code[-1]:
        raise InvalidInput(
            _l(
                "That code does not exist: its last character does not match the others. Check "
                "the participant's card and type it again."
            )
        )
