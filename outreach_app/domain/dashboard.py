"""The coordinator's dashboard (contracts §11) as frozen values, and how each figure is shown.

The service fills `Dashboard` with raw numbers; `dashboard_rows` applies the arithmetic of
contracts §11 (days left, reorder quantities, expiry windows, the mean of four weeks) and the
suppression of contracts §8, so the PDF, the CSV and the app print the same text for each row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from outreach_app.domain.figures import ALL_SITES
from outreach_app.domain.suppression import COMPLEMENTARY, day_bars, suppress
from outreach_app.i18n import N_, _, format_day

DEFAULT_TARGET_DAYS = 30
USAGE_DAYS = 28  # distribution is averaged over the 28 days ending on the date
WEEKS_BEFORE = 4
EXPIRY_WINDOWS = (30, 60, 90)
EXPIRED = "expired"

#: Week figures in contracts order, with the words a reader sees.
WEEK_LABELS: dict[str, str] = {
    "contacts": N_("Contacts (encounters + tally)"),
    "people_served": N_("People served"),
    "syringes_distributed": N_("Syringes distributed"),
    "naloxone_kits": N_("Naloxone kits given"),
    "reversals_reported": N_("Overdose reversals reported"),
}
#: Week figures that count people (suppressed); the others are supplies (never suppressed).
PEOPLE_COUNTS = frozenset({"contacts", "people_served", "reversals_reported"})
SECTIONS = ("week", "days_left", "count_needed", "expiring", "reorder")


def days_left(on_hand: int, distributed: int) -> int | None:
    """on hand ÷ (distributed in 28 days ÷ 28), rounded down; 0 when nothing is on hand; None
    (blank) when nothing was distributed."""
    if distributed <= 0:
        return None
    if on_hand <= 0:
        return 0
    return on_hand * USAGE_DAYS // distributed


def reorder_quantity(on_hand: int, distributed: int, target_days: int) -> int:
    """Whole units to order so that the stock lasts `target_days` at the last 28 days' rate; 0
    when it already does (or nothing was distributed). A recorded on hand below zero orders as
    from an empty shelf: the count that is needed will say what is really there."""
    left = days_left(on_hand, distributed)
    if left is None or left >= target_days:
        return 0
    # ceil(target × distributed ÷ 28 − on hand), in integers
    return -((USAGE_DAYS * max(on_hand, 0) - target_days * distributed) // USAGE_DAYS)


def expiry_window(expires: date, as_of: date) -> str | None:
    """`expired`, `30`, `60` or `90` (the first window the date falls in), or None beyond 90
    days. A lot expiring on the date itself can still be handed out that day (contracts §1)."""
    if expires < as_of:
        return EXPIRED
    for days in EXPIRY_WINDOWS:
        if expires <= as_of + timedelta(days=days):
            return str(days)
    return None


def mean_text(total: int, weeks: int = WEEKS_BEFORE) -> str:
    """The mean of `weeks` weeks with one decimal, rounded half up (10 over 4 weeks is 2.5)."""
    tenths = (total * 20 + weeks) // (2 * weeks)
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True, slots=True)
class WeekFigure:
    """One figure of one site (or ALL): this week, and each of the four weeks before."""

    site: str
    code: str
    this_week: int
    weeks_before: tuple[int, ...]  # oldest first

    @property
    def total_before(self) -> int:
        return sum(self.weeks_before)


@dataclass(frozen=True, slots=True)
class StockLine:
    """One site and item with anything on hand or distributed in the 28 days."""

    site: str
    item_code: str
    item_name: str
    unit: str
    on_hand: int  # at the end of the date, every lot together
    distributed: int  # in the 28 days ending on the date (voided records left out)
    target_days: int
    sort_order: int = 0

    @property
    def days_left(self) -> int | None:
        return days_left(self.on_hand, self.distributed)

    @property
    def count_needed(self) -> bool:
        return self.on_hand < 0

    @property
    def reorder(self) -> int:
        return reorder_quantity(self.on_hand, self.distributed, self.target_days)


@dataclass(frozen=True, slots=True)
class ExpiringLot:
    site: str
    item_code: str
    item_name: str
    lot: str
    expires: date
    on_hand: int
    window: str  # expired, 30, 60 or 90


@dataclass(frozen=True, slots=True)
class Dashboard:
    org: str
    site: str  # a site's name, or ALL
    sites: tuple[str, ...]
    as_of: date
    generated_at: datetime
    device: str
    app_version: str
    targets: tuple[tuple[str, int], ...]  # (site, target days) as used
    target_override: int | None  # --target-days, when given
    weeks: tuple[WeekFigure, ...]  # ALL first for several sites, then each site
    stock: tuple[StockLine, ...]  # by site, then item order
    expiring: tuple[ExpiringLot, ...]  # by site, then expiry

    @property
    def multi_site(self) -> bool:
        return self.site == ALL_SITES

    @property
    def week_start(self) -> date:
        return self.as_of - timedelta(days=6)

    @property
    def usage_start(self) -> date:
        """The first of the 28 days whose distribution gives the rate of use."""
        return self.as_of - timedelta(days=USAGE_DAYS - 1)

    def week_bounds(self, index: int) -> tuple[date, date]:
        """First and last day of week `index`: 0 to 3 the weeks before (oldest first), 4 this."""
        end = self.as_of - timedelta(days=7 * (WEEKS_BEFORE - index))
        return end - timedelta(days=6), end

    @property
    def reorder_lines(self) -> tuple[StockLine, ...]:
        return tuple(line for line in self.stock if line.reorder > 0)

    @property
    def count_needed(self) -> tuple[StockLine, ...]:
        return tuple(line for line in self.stock if line.count_needed)

    def week(self, code: str, site: str | None = None) -> WeekFigure:
        wanted = site or self.site
        return next(w for w in self.weeks if (w.site, w.code) == (wanted, code))


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One row of the dashboard CSV (contracts §11), as printed."""

    section: str
    site: str
    item_code: str
    lot: str
    label: str
    value: str

    def cells(self) -> tuple[str, str, str, str, str, str]:
        return (self.section, self.site, self.item_code, self.lot, self.label, self.value)


def _week_texts(dashboard: Dashboard, threshold: int | None) -> dict[tuple[str, str], str]:
    """(site, label) -> text for every week row, with small counts of people suppressed.

    Under several sites each figure's site rows add up to its ALL row, so they are a breakdown
    (contracts §8): a lone hidden site row takes the next smallest with it. An `avg4` is
    judged by the four weeks' sum, the count it is made from.
    """
    this = {(w.site, f"{w.code}:this"): w.this_week for w in dashboard.weeks}
    before = {(w.site, f"{w.code}:avg4"): w.total_before for w in dashboard.weeks}
    if threshold is None:
        this_text = {k: str(v) for k, v in this.items()}
        before_text = {k: str(v) for k, v in before.items()}
    else:
        groups: list[list[tuple[str, str]]] = []
        if dashboard.multi_site and len(dashboard.sites) > 1:
            for code in (c for c in WEEK_LABELS if c in PEOPLE_COUNTS):
                for suffix in (":this", ":avg4"):
                    groups.append([(s, code + suffix) for s in dashboard.sites])
        allowed = [k for k in [*this, *before] if k[1].split(":")[0] in PEOPLE_COUNTS]
        this_text = suppress(this, allowed, groups, threshold)
        before_text = suppress(before, allowed, groups, threshold)
    hidden = (f"<{threshold}", COMPLEMENTARY)
    for key, text in before_text.items():
        if text not in hidden:
            before_text[key] = mean_text(before[key])
    return this_text | before_text


def dashboard_rows(dashboard: Dashboard, threshold: int | None) -> list[DashboardRow]:
    """Every row of contracts §11 in order; `threshold=None` shows every count."""
    texts = _week_texts(dashboard, threshold)
    rows = [
        DashboardRow("week", w.site, "", "", label, texts[(w.site, label)])
        for w in dashboard.weeks
        for label in (f"{w.code}:this", f"{w.code}:avg4")
    ]
    for line in dashboard.stock:
        left = line.days_left
        rows.append(
            DashboardRow(
                "days_left",
                line.site,
                line.item_code,
                "",
                line.item_name,
                "" if left is None else str(left),
            )
        )
    for line in dashboard.count_needed:
        rows.append(
            DashboardRow(
                "count_needed", line.site, line.item_code, "", line.item_name, str(line.on_hand)
            )
        )
    for lot in dashboard.expiring:
        rows.append(
            DashboardRow("expiring", lot.site, lot.item_code, lot.lot, lot.window, str(lot.on_hand))
        )
    for line in dashboard.reorder_lines:
        rows.append(
            DashboardRow(
                "reorder", line.site, line.item_code, "", line.item_name, str(line.reorder)
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class WeekBars:
    """Bars of one figure for the five weeks (oldest first): shown heights, and placeholder
    heights for weeks whose small count is hidden."""

    code: str
    shown: tuple[int, ...]
    hidden: tuple[int, ...]


def week_bars(dashboard: Dashboard, code: str, threshold: int | None) -> WeekBars:
    """The five weeks of one figure of the report's selection, for the charts.

    A count of people is suppressed like the tables: the four weeks before add up to the mean's
    total, so they are one breakdown; this week stands alone (it is its own `:this` row).
    """
    figure = dashboard.week(code)
    if code not in PEOPLE_COUNTS:
        values = (*figure.weeks_before, figure.this_week)
        return WeekBars(code, values, (0,) * len(values))
    shown, hidden = day_bars(list(figure.weeks_before), threshold)
    shown_now, hidden_now = day_bars([figure.this_week], threshold)
    return WeekBars(code, (*shown, *shown_now), (*hidden, *hidden_now))


def week_names(dashboard: Dashboard) -> list[str]:
    """The five weeks' names for a chart's axis, oldest first: "Oct 27", …, "This week" (in the
    current language)."""
    starts = [dashboard.week_bounds(index)[0] for index in range(WEEKS_BEFORE)]
    return [*(format_day(start) for start in starts), _("This week")]
