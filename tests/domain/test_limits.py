"""The bound on a count or quantity, judged on digits of any length."""

from __future__ import annotations

from outreach_app.domain.limits import too_large, whole_number


def test_the_bound_is_one_million() -> None:
    assert not too_large(1_000_000) and too_large(1_000_001)
    assert not too_large("1000000") and too_large("1000001")
    assert not too_large("0001000000") and not too_large(" 5 ")


def test_thousands_of_digits_are_judged_without_int() -> None:
    assert too_large("9" * 5000)
    assert not too_large("0" * 9000 + "7")
    assert whole_number("0" * 9000 + "7") == 7
    assert whole_number("000") == 0
    assert whole_number(" 42 ") == 42
