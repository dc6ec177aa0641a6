"""What the Dashboard page asks the database worker to do: read the dashboard in one unit of
work and write its PDF, CSV and order form, all off the GUI thread; save a site's target.

ReportLab and the writers are imported inside the job, on the worker, when the dashboard is
first generated, as the Reports page does, so start-up does not pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from outreach_app.domain.dashboard import (
    Dashboard,
    DashboardRow,
    WeekBars,
    dashboard_rows,
    week_bars,
    week_names,
)
from outreach_app.services import catalog, dashboard

CHARTED = ("contacts", "syringes_distributed")


@dataclass(frozen=True, slots=True)
class DashboardRequest:
    site: str  # a site's name, or "all"
    as_of: date | None = None  # None: today, in the organisation's zone
    target_days: int | None = None  # None: each site's own target
    threshold: int | None = 5  # None: small counts shown (internal)


@dataclass(frozen=True, slots=True)
class GeneratedDashboard:
    request: DashboardRequest
    board: Dashboard
    rows: tuple[DashboardRow, ...]  # the CSV's rows, as printed
    bars: tuple[WeekBars, ...]  # contacts and syringes, five weeks each
    week_names: tuple[str, ...]
    pdf: bytes
    csv: bytes
    order_pdf: bytes
    order_csv: bytes

    @property
    def file_stem(self) -> str:
        where = "all-sites" if self.board.multi_site else _slug(self.board.site)
        internal = "-internal" if self.request.threshold is None else ""
        return f"dashboard-{self.board.as_of.isoformat()}-{where}{internal}"

    @property
    def order_stem(self) -> str:
        where = "all-sites" if self.board.multi_site else _slug(self.board.site)
        return f"order-form-{self.board.as_of.isoformat()}-{where}"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def generate(store: Any, request: DashboardRequest) -> GeneratedDashboard:
    """The worker job: the figures in one read unit of work, then the files."""
    from outreach_app.reports.dashboard_csv import dashboard_csv
    from outreach_app.reports.dashboard_pdf import dashboard_pdf
    from outreach_app.reports.order_form import order_form_csv, order_form_pdf

    with store.unit_of_work() as uow:
        board = dashboard.dashboard(
            uow, request.as_of, request.site, target_days=request.target_days
        )
    threshold = request.threshold
    return GeneratedDashboard(
        request=request,
        board=board,
        rows=tuple(dashboard_rows(board, threshold)),
        bars=tuple(week_bars(board, code, threshold) for code in CHARTED),
        week_names=tuple(week_names(board)),
        pdf=dashboard_pdf(board, threshold),
        csv=dashboard_csv(board, threshold),
        order_pdf=order_form_pdf(board),
        order_csv=order_form_csv(board),
    )


def site_targets(store: Any) -> list[tuple[str, int]]:
    """Each site's name and its reorder target in days."""
    with store.unit_of_work() as uow:
        names = [s.name for s in catalog.list_sites(uow)]
        return [(name, dashboard.site_target_days(uow, name)) for name in names]


def save_target(site: str, days: int) -> Any:
    def job(store: Any) -> int:
        with store.unit_of_work() as uow:
            return dashboard.set_site_target_days(uow, site, days)

    return job
