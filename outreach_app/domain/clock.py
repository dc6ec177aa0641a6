"""Time rules of contracts §1: timestamps in UTC, days and months in the organisation's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    """Now, in whole milliseconds: the precision every store keeps, so a moment read back
    compares equal to the one written."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """A naive moment is local to the organisation; an aware one keeps its own zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def date_at_noon(day: date, zone: ZoneInfo) -> datetime:
    """A date-only value means 12:00 local."""
    return datetime.combine(day, time(12, 0), tzinfo=zone).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive local dates."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return cls(start, nxt - timedelta(days=1))

    @property
    def is_calendar_month(self) -> bool:
        return (
            self.start.day == 1
            and (self.end + timedelta(days=1)).day == 1
            and (
                self.start.year,
                self.start.month,
            )
            == (self.end.year, self.end.month)
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The previous calendar month for a month, otherwise the same length just before."""
        if self.is_calendar_month:
            last = self.start - timedelta(days=1)
            return Period.month(last.year, last.month)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def utc_bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC for querying stored timestamps."""
        lo = datetime.combine(self.start, time.min, tzinfo=zone).astimezone(UTC)
        hi = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
        return lo, hi

    def label(self) -> str:
        if self.is_calendar_month:
            return self.start.strftime("%B %Y")
        return f"{self.start.isoformat()} to {self.end.isoformat()}"
