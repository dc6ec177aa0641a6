"""Time rules at month ends and both DST changes (America/Toronto: 2026-03-08 and 2026-11-01).

Every expected instant is written out by hand: Toronto is UTC-5 in winter (EST) and UTC-4 in
summer (EDT); in 2026 the clocks go from 02:00 to 03:00 on 8 March and from 02:00 back to 01:00
on 1 November. Paris (checked once) is UTC+1 / UTC+2, changing on 29 March 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from outreach_app.domain import clock
from outreach_app.domain.clock import (
    NonexistentLocalTime,
    Period,
    ahead_problem,
    date_at_noon,
    wall_clock_to_utc,
)

TORONTO = ZoneInfo("America/Toronto")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("year", "month", "first", "after_last"),
    [
        # March begins in winter time and ends in summer time: 31 days less one hour.
        (2026, 3, utc(2026, 3, 1, 5), utc(2026, 4, 1, 4)),
        # November begins in summer time (midnight EDT) and ends in winter time.
        (2026, 11, utc(2026, 11, 1, 4), utc(2026, 12, 1, 5)),
        (2026, 10, utc(2026, 10, 1, 4), utc(2026, 11, 1, 4)),
        # The year's end, and a leap February.
        (2026, 12, utc(2026, 12, 1, 5), utc(2027, 1, 1, 5)),
        (2028, 2, utc(2028, 2, 1, 5), utc(2028, 3, 1, 5)),
    ],
)
def test_month_bounds_in_utc(year: int, month: int, first: datetime, after_last: datetime) -> None:
    assert Period.month(year, month).utc_bounds(TORONTO) == (first, after_last)


def test_month_end_dates() -> None:
    assert Period.month(2028, 2).end == date(2028, 2, 29)
    assert Period.month(2026, 2).end == date(2026, 2, 28)
    assert Period.month(2026, 12).end == date(2026, 12, 31)
    assert Period.month(2026, 1).previous() == Period(date(2025, 12, 1), date(2025, 12, 31))


def test_the_two_change_days_last_23_and_25_hours() -> None:
    spring = Period(date(2026, 3, 8), date(2026, 3, 8)).utc_bounds(TORONTO)
    autumn = Period(date(2026, 11, 1), date(2026, 11, 1)).utc_bounds(TORONTO)
    assert spring == (utc(2026, 3, 8, 5), utc(2026, 3, 9, 4))
    assert autumn == (utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))
    assert spring[1] - spring[0] == timedelta(hours=23)
    assert autumn[1] - autumn[0] == timedelta(hours=25)


def test_another_zone_changes_on_its_own_day() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert Period.month(2026, 3).utc_bounds(paris) == (
        utc(2026, 2, 28, 23),
        utc(2026, 3, 31, 22),
    )


def test_a_date_only_value_is_noon_local_on_both_sides_of_each_change() -> None:
    assert date_at_noon(date(2026, 3, 7), TORONTO) == utc(2026, 3, 7, 17)
    assert date_at_noon(date(2026, 3, 8), TORONTO) == utc(2026, 3, 8, 16)  # after 02:00: EDT
    assert date_at_noon(date(2026, 10, 31), TORONTO) == utc(2026, 10, 31, 16)
    assert date_at_noon(date(2026, 11, 1), TORONTO) == utc(2026, 11, 1, 17)  # after 02:00: EST
    assert date_at_noon(date(2026, 12, 31), TORONTO) == utc(2026, 12, 31, 17)


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_time_inside_the_spring_forward_gap_does_not_exist(minute: int) -> None:
    with pytest.raises(NonexistentLocalTime, match=r"2026-03-08 02:\d\d does not exist"):
        wall_clock_to_utc(datetime(2026, 3, 8, 2, minute), TORONTO)


def test_times_either_side_of_the_gap() -> None:
    assert wall_clock_to_utc(datetime(2026, 3, 8, 1, 59), TORONTO) == utc(2026, 3, 8, 6, 59)
    assert wall_clock_to_utc(datetime(2026, 3, 8, 3, 0), TORONTO) == utc(2026, 3, 8, 7, 0)


def test_a_time_in_the_autumn_overlap_is_the_first_one() -> None:
    # 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST): the first is taken.
    assert wall_clock_to_utc(datetime(2026, 11, 1, 1, 30), TORONTO) == utc(2026, 11, 1, 5, 30)
    assert wall_clock_to_utc(datetime(2026, 11, 1, 0, 59), TORONTO) == utc(2026, 11, 1, 4, 59)
    assert wall_clock_to_utc(datetime(2026, 11, 1, 2, 0), TORONTO) == utc(2026, 11, 1, 7, 0)


def test_a_time_with_its_own_offset_keeps_it() -> None:
    minus_four = timezone(timedelta(hours=-4))
    given = datetime(2026, 3, 8, 2, 30, tzinfo=minus_four)
    assert wall_clock_to_utc(given, TORONTO) == utc(2026, 3, 8, 6, 30)


# 2026-03-07 10:00 EST; tomorrow is 2026-03-08, the spring-forward day.
MORNING = utc(2026, 3, 7, 15)


def test_a_date_up_to_tomorrow_is_accepted_and_after_it_refused() -> None:
    assert ahead_problem(date_at_noon(date(2026, 3, 7), TORONTO), TORONTO, MORNING) is None
    assert ahead_problem(date_at_noon(date(2026, 3, 8), TORONTO), TORONTO, MORNING) is None
    problem = ahead_problem(date_at_noon(date(2026, 3, 9), TORONTO), TORONTO, MORNING)
    assert problem is not None
    assert "2026-03-09 is after tomorrow (2026-03-08)" in str(problem)


def test_tomorrow_is_the_local_date_late_in_the_evening() -> None:
    # 2026-03-07 23:30 EST is already 2026-03-08 04:30 UTC: tomorrow is still 2026-03-08.
    evening = utc(2026, 3, 8, 4, 30)
    assert ahead_problem(date_at_noon(date(2026, 3, 8), TORONTO), TORONTO, evening) is None
    assert ahead_problem(date_at_noon(date(2026, 3, 9), TORONTO), TORONTO, evening) is not None


def test_a_date_time_up_to_a_day_ahead_of_the_clock() -> None:
    assert ahead_problem(utc(2026, 3, 8, 15), TORONTO, MORNING, date_only=False) is None
    problem = ahead_problem(utc(2026, 3, 8, 15, 1), TORONTO, MORNING, date_only=False)
    assert problem is not None
    # Shown in local time: 15:01 UTC is 11:01 EDT on the 8th, the clock 10:00 EST on the 7th.
    assert "2026-03-08 11:01 is more than a day ahead" in str(problem)
    assert "(2026-03-07 10:00)" in str(problem)


def test_noon_local_is_read_as_a_date_unless_told() -> None:
    # 2026-03-07 00:30 EST: tomorrow's noon (2026-03-08 16:00 UTC) is 34.5 hours ahead.
    just_after_midnight = utc(2026, 3, 7, 5, 30)
    tomorrow_noon = utc(2026, 3, 8, 16)
    assert ahead_problem(tomorrow_noon, TORONTO, just_after_midnight) is None
    assert ahead_problem(tomorrow_noon, TORONTO, just_after_midnight, date_only=False)


def test_system_zone_comes_from_tzlocal(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "America/Indiana/Indianapolis")
    assert clock.system_zone().key == "America/Indiana/Indianapolis"


@pytest.mark.parametrize("answer", [None, "Not/AZone"])
def test_system_zone_is_utc_when_the_system_names_none(
    monkeypatch: pytest.MonkeyPatch, answer: str | None
) -> None:
    import tzlocal

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: answer)
    assert clock.system_zone().key == "UTC"


def test_system_zone_is_utc_when_the_configuration_conflicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tzlocal

    def conflicting() -> str:
        raise clock.ZoneInfoNotFoundError("Multiple conflicting time zone configurations found")

    monkeypatch.setattr(tzlocal, "get_localzone_name", conflicting)
    assert clock.system_zone().key == "UTC"
