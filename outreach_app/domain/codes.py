"""The fixed code lists of contracts §2 and the rule for matching codes typed by people."""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from typing import TypeVar

_SEPARATORS = re.compile(r"[\s_\-]+")
_E = TypeVar("_E", bound=StrEnum)


def normalize_code(text: str) -> str:
    """Match codes case-insensitively with spaces, hyphens and underscores treated alike."""
    return _SEPARATORS.sub("-", text.strip()).upper()


class SiteKind(StrEnum):
    FIXED = "fixed"
    VAN = "van"
    STREET = "street"
    SATELLITE = "satellite"
    BAG = "bag"


class MovementKind(StrEnum):
    RECEIVE = "receive"
    DISTRIBUTE = "distribute"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    ADJUST = "adjust"
    COUNT_CORRECTION = "count_correction"


class AdjustReason(StrEnum):
    DAMAGED = "DAMAGED"
    EXPIRED = "EXPIRED"
    LOST = "LOST"
    FOUND = "FOUND"
    RECOUNT = "RECOUNT"
    OTHER = "OTHER"


class NaloxoneReason(StrEnum):
    FIRST = "FIRST"
    USED = "USED"
    LOST = "LOST"
    STOLEN = "STOLEN"
    CONFISCATED = "CONFISCATED"
    EXPIRED = "EXPIRED"


class AgeBand(StrEnum):
    UNDER_20 = "<20"
    TWENTIES = "20-29"
    THIRTIES = "30-39"
    FORTIES = "40-49"
    FIFTY_PLUS = "50+"


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    TRANS_WOMAN = "trans-woman"
    TRANS_MAN = "trans-man"
    NON_BINARY = "non-binary"
    TWO_SPIRIT = "two-spirit"
    OTHER = "other"
    NOT_STATED = "not-stated"


class Role(StrEnum):
    WORKER = "worker"
    COORDINATOR = "coordinator"


def parse_enum(enum: type[_E], text: str) -> _E | None:
    """The member whose value matches `text` under the code-matching rule, or None."""
    return _members(enum).get(normalize_code(text))


@functools.cache
def _members(enum: type[_E]) -> dict[str, _E]:
    """An enum's members by normalised value, built once (an import parses every cell)."""
    found: dict[str, _E] = {}
    for member in enum:
        found.setdefault(normalize_code(member.value), member)
    return found
