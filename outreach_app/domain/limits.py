"""Bounds on the numbers one record may hold.

A count or quantity above them is a typing slip (or another program's file), and past 2**31 the
database could not store it at all: refused with a message instead of failing on write.
"""

from __future__ import annotations

MAX_QUANTITY = 1_000_000  # per cell, line or command-line value: contacts, items, kits, people


def too_large(value: int | str) -> bool:
    """For digits 0-9 as text, judged by length first: int() refuses over 4,300 digits."""
    if isinstance(value, str):
        digits = value.strip().lstrip("0")
        return len(digits) > len(str(MAX_QUANTITY)) or int(digits or "0") > MAX_QUANTITY
    return value > MAX_QUANTITY


def whole_number(digits: str) -> int:
    """Digits 0-9 as an int; leading zeros dropped first (int() refuses over 4,300 digits)."""
    return int(digits.strip().lstrip("0") or "0")
