"""The arithmetic of contracts §11 on hand-worked values."""

from __future__ import annotations

from datetime import date

import pytest

from outreach_app.domain.dashboard import (
    days_left,
    expiry_window,
    mean_text,
    reorder_quantity,
)


@pytest.mark.parametrize(
    ("on_hand", "given", "expected"),
    [
        (30, 100, 8),  # 30 / (100 / 28) = 8.4
        (28, 28, 28),  # one a day for 28 days
        (1, 28, 1),
        (0, 10, 0),
        (-5, 5, 0),  # below zero: nothing left
        (40, 0, None),  # nothing given out: blank
        (-3, 0, None),
    ],
)
def test_days_left(on_hand: int, given: int, expected: int | None) -> None:
    assert days_left(on_hand, given) == expected


@pytest.mark.parametrize(
    ("on_hand", "given", "target", "expected"),
    [
        (30, 100, 21, 45),  # 21 x 100 / 28 = 75, less 30
        (50, 50, 30, 4),  # 53.6 - 50 = 3.6, up to 4
        (-5, 5, 30, 6),  # from an empty shelf: 5.4 -> 6
        (28, 28, 28, 0),  # exactly at the target
        (27, 28, 28, 1),
        (10, 0, 30, 0),  # nothing given out: nothing to order
    ],
)
def test_reorder_quantity(on_hand: int, given: int, target: int, expected: int) -> None:
    assert reorder_quantity(on_hand, given, target) == expected


@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        (date(2026, 11, 29), "expired"),
        (date(2026, 11, 30), "30"),  # usable on its own date
        (date(2026, 12, 30), "30"),
        (date(2026, 12, 31), "60"),
        (date(2027, 1, 29), "60"),
        (date(2027, 1, 30), "90"),
        (date(2027, 2, 28), "90"),
        (date(2027, 3, 1), None),
    ],
)
def test_expiry_window(expires: date, expected: str | None) -> None:
    assert expiry_window(expires, date(2026, 11, 30)) == expected


@pytest.mark.parametrize(
    ("total", "expected"),
    [(0, "0.0"), (1, "0.3"), (2, "0.5"), (3, "0.8"), (10, "2.5"), (11, "2.8"), (100, "25.0")],
)
def test_mean_of_four_weeks_rounds_half_up(total: int, expected: str) -> None:
    assert mean_text(total) == expected
