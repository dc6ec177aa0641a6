"""Time rules of contracts §1: timestamps in UTC, days and months in the organisation's zone.

Also the rules every recording path shares: a record is never dated more than a day ahead
(contracts §4), and a wall-clock time is read in the zone with its daylight-saving changes (a
time inside the spring-forward gap does not exist; one in the autumn overlap is the first).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from outreach_app.i18n import Text, _, _l, format_month

log = logging.getLogger(__name__)

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)  # dates on the command line are accepted in this range (§3)
AHEAD_LIMIT = timedelta(days=1)


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when the clocks go forward (e.g. 02:30 on a spring-forward day)."""


def utc_now() -> datetime:
    """Now, in whole milliseconds: the precision every store keeps, so a moment read back
    compares equal to the one written."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def system_zone() -> ZoneInfo:
    """The zone this computer is set to, by its IANA name; UTC only when the system names none.

    tzlocal reads TZ, /etc/timezone, /etc/localtime, macOS's setting or Windows's zone (mapped
    to its IANA name); tzdata supplies the zone rules where the system has none (Windows).
    """
    import tzlocal  # only `init` and the first-run setup need it

    try:
        name = tzlocal.get_localzone_name()
        if name:
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, LookupError, OSError) as exc:
        log.warning("the system's time zone cannot be read (%s); using UTC", exc)
        return ZoneInfo("UTC")
    log.warning("the system names no time zone; using UTC")
    return ZoneInfo("UTC")


def to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """A naive moment is local to the organisation; an aware one keeps its own zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def wall_clock_to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """A naive moment is a wall-clock time in `zone`; an aware one keeps its own offset.

    Raises NonexistentLocalTime for a time inside the spring-forward gap. A time in the autumn
    overlap happens twice; it is read as the first occurrence (fold=0, still summer time).
    """
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    local = moment.replace(tzinfo=zone, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != moment.replace(fold=0):
        raise NonexistentLocalTime(
            _l(
                "{moment} does not exist in {zone}: the clocks went forward over it",
                moment=f"{moment:%Y-%m-%d %H:%M}",
                zone=zone.key,
            )
        )
    return instant


def date_at_noon(day: date, zone: ZoneInfo) -> datetime:
    """A date-only value means 12:00 local."""
    return datetime.combine(day, time(12, 0), tzinfo=zone).astimezone(UTC)


def is_date_only(moment: datetime, zone: ZoneInfo) -> bool:
    """A date-only value is stored as 12:00:00 local; a moment exactly then stands for its date."""
    return moment.astimezone(zone).timetz().replace(tzinfo=None) == time(12, 0)


def ahead_problem(
    moment: datetime, zone: ZoneInfo, now: datetime, *, date_only: bool | None = None
) -> Text | None:
    """Why `moment` is too far ahead of `now` to be recorded, or None when it is not.

    A date-only value may be at most tomorrow's local date; a date-time at most a day ahead of
    this device's clock. `date_only=None` reads a moment at exactly 12:00 local as date-only.
    """
    if date_only is None:
        date_only = is_date_only(moment, zone)
    if date_only:
        day = local_date(moment, zone)
        tomorrow = local_date(now, zone) + timedelta(days=1)
        if day > tomorrow:
            return _l(
                "{day} is after tomorrow ({tomorrow}); a record cannot be dated ahead. Check the "
                "date, and this computer's date",
                day=day.isoformat(),
                tomorrow=tomorrow.isoformat(),
            )
        return None
    if moment - now > AHEAD_LIMIT:
        local = moment.astimezone(zone)
        clock = now.astimezone(zone)
        return _l(
            "{moment} is more than a day ahead of this computer's clock ({clock}); a record "
            "cannot be dated ahead. Check the date and time, and this computer's clock",
            moment=f"{local:%Y-%m-%d %H:%M}",
            clock=f"{clock:%Y-%m-%d %H:%M}",
        )
    return None


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
        """`March 2026` (in the current language) for a month, else `2026-01-01 to 2026-03-31`."""
        if self.is_calendar_month:
            return format_month(self.start.year, self.start.month)
        return _("{start} to {end}", start=self.start.isoformat(), end=self.end.isoformat())
