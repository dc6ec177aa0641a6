"""Bounds on the numbers one record may hold.

A count or quantity above them is a typing slip (or another program's file), and past 2**31 the
database could not store it at all: refused with a message instead of failing on write.
"""

from __future__ import annotations

MAX_QUANTITY = 1_000_000  # per cell, line or command-line value: contacts, items, kits, people


def too_large(value: int) -> bool:
    return value > MAX_QUANTITY
