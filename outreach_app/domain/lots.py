"""First-expiry-first-out allocation of a quantity across a site's lots (contracts §1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class LotBalance:
    lot_id: uuid.UUID
    lot_number: str
    expires_on: date | None
    on_hand: int


@dataclass(frozen=True, slots=True)
class Draw:
    lot_id: uuid.UUID | None  # None: recorded without a lot (an overridden shortfall)
    quantity: int


def allocate_fefo(balances: list[LotBalance], wanted: int, today: date) -> tuple[list[Draw], int]:
    """Draw `wanted` from unexpired lots, earliest expiry first.

    Returns the draws and the quantity that could not be covered. Expired lots and lots with
    nothing on hand are never drawn from here: using them is the override path's decision.
    """
    usable = sorted(
        (b for b in balances if b.on_hand > 0 and (b.expires_on is None or b.expires_on >= today)),
        key=lambda b: (b.expires_on or date.max, b.lot_number),
    )
    draws: list[Draw] = []
    remaining = wanted
    for balance in usable:
        if remaining <= 0:
            break
        take = min(balance.on_hand, remaining)
        draws.append(Draw(balance.lot_id, take))
        remaining -= take
    return draws, remaining
