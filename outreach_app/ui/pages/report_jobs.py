"""What the Reports page asks the worker to do: compute a report's figures, write its PDF (and
CSV), and render the first page for the preview — all off the GUI thread, in one job.

Nothing here touches a widget: the job returns plain bytes and frozen values, and the page turns
the rendered page into a QPixmap on the GUI thread.

ReportLab, pypdfium2 and the report writers are imported inside the jobs, on the worker thread,
when a report is first generated: importing them at start-up cost about 0.13 s before the
window showed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from outreach_app.domain.clock import Period
from outreach_app.domain.figures import DisplayRow, display_rows
from outreach_app.domain.reconciliation import ReconciliationRow
from outreach_app.i18n import N_, _
from outreach_app.services import forms, reconciliation, tally, traces

MONTHLY = "monthly"
INVENTORY = "inventory"
TALLY_SHEET = "tally_sheet"
COUNT_SHEET = "count_sheet"
# English (the saved file's suggested name is made of it), translated where shown.
REPORT_TITLES = {
    MONTHLY: N_("Monthly tally"),
    INVENTORY: N_("Inventory reconciliation"),
    TALLY_SHEET: N_("Paper tally sheet"),
    COUNT_SHEET: N_("Count sheet"),
}
PREVIEW_SCALE = 1.5  # 72 dpi PDF points -> 108 dpi pixels: sharp enough, then scaled to fit


@dataclass(frozen=True, slots=True)
class ReportRequest:
    kind: str
    period: Period
    site: str  # a site's name, or "all"
    threshold: int | None = 5  # None: small counts shown (internal)
    paper: str = "letter"
    per: str = "shift"
    show_expected: bool = False


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """The first page as RGBA8888 pixels."""

    width: int
    height: int
    stride: int
    pixels: bytes


@dataclass(frozen=True, slots=True)
class GeneratedReport:
    request: ReportRequest
    title: str  # "Monthly tally — October 2026 — all sites", in the language shown
    file_stem: str  # "monthly-tally-2026-10-all-sites"
    pdf: bytes
    csv: bytes | None
    page_count: int
    preview: RenderedPage
    figures: tuple[DisplayRow, ...] = field(default=())
    stock_rows: tuple[ReconciliationRow, ...] = field(default=())


def render_first_page(pdf: bytes, scale: float = PREVIEW_SCALE) -> tuple[RenderedPage, int]:
    """The first page's pixels and the number of pages (pypdfium2; QtPdf is not in Essentials)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        try:
            bitmap = page.render(
                scale=scale, force_bitmap_format=pdfium.raw.FPDFBitmap_BGRA, rev_byteorder=True
            )
            rendered = RenderedPage(
                bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)
            )
            bitmap.close()
        finally:
            page.close()
        return rendered, len(document)
    finally:
        document.close()


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _period_slug(period: Period) -> str:
    if period.is_calendar_month:
        return period.start.strftime("%Y-%m")
    return f"{period.start.isoformat()}-to-{period.end.isoformat()}"


def generate(store: Any, request: ReportRequest) -> GeneratedReport:
    """The worker job: one unit of work for the figures, then the bytes and the preview."""
    from outreach_app.reports.count_sheet_pdf import count_sheet_pdf
    from outreach_app.reports.inventory_csv import inventory_csv
    from outreach_app.reports.inventory_pdf import inventory_pdf
    from outreach_app.reports.monthly_csv import monthly_csv
    from outreach_app.reports.monthly_pdf import monthly_pdf
    from outreach_app.reports.tally_sheet_pdf import tally_sheet_pdf

    kind, period = request.kind, request.period
    everywhere = request.site.lower() == "all"
    site_words = "all sites" if everywhere else request.site  # for the file name
    where = _("all sites") if everywhere else request.site
    with store.reading() as uow:
        if kind == MONTHLY:
            figures = tally.monthly_tally(uow, period, request.site)
        elif kind == INVENTORY:
            stock = reconciliation.reconcile(uow, period, request.site)
        elif kind == TALLY_SHEET:
            sheet = forms.tally_sheet(uow, request.site)
        else:
            count = forms.count_sheet(uow, request.site)
    csv: bytes | None = None
    shown: tuple[DisplayRow, ...] = ()
    stock_rows: tuple[ReconciliationRow, ...] = ()
    if kind == MONTHLY:
        pdf = monthly_pdf(figures, request.threshold)
        csv = monthly_csv(figures, request.threshold)
        shown = tuple(display_rows(figures, request.threshold))
    elif kind == INVENTORY:
        pdf, csv = inventory_pdf(stock), inventory_csv(stock)
        stock_rows = stock.rows
    elif kind == TALLY_SHEET:
        pdf = tally_sheet_pdf(sheet, paper=request.paper, per=request.per)
    else:
        pdf = count_sheet_pdf(count, show_expected=request.show_expected)
    preview, pages = render_first_page(pdf)
    name = REPORT_TITLES[kind]
    if kind in (MONTHLY, INVENTORY):
        title = f"{_(name)} — {period.label()} — {where}"
        stem = f"{_slug(name)}-{_period_slug(period)}-{_slug(site_words)}"
    else:
        title = f"{_(name)} — {where}"
        stem = f"{_slug(name)}-{_slug(site_words)}"
    if kind == MONTHLY and request.threshold is None:
        title += " — " + _("INTERNAL, small counts shown")
        stem += "-internal"
    return GeneratedReport(request, title, stem, pdf, csv, pages, preview, shown, stock_rows)


def figure_trace_job(
    period: Period, section: str, code: str, site: str | None, previous: bool
) -> Callable[[Any], list[traces.TracedRecord]]:
    """The worker job listing the encounters and tally records behind one monthly figure."""

    def job(store: Any) -> list[traces.TracedRecord]:
        with store.reading() as uow:
            return traces.figure_records(uow, period, section, code, site, previous=previous)

    return job


def movement_trace_job(
    period: Period, site: str, item_code: str, column: str, lot: str | None
) -> Callable[[Any], list[traces.TracedRecord]]:
    """The worker job listing the stock movements behind one reconciliation cell."""

    def job(store: Any) -> list[traces.TracedRecord]:
        with store.reading() as uow:
            return traces.movement_records(uow, period, site, item_code, column, lot)

    return job
