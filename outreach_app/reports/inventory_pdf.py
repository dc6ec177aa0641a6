"""The inventory reconciliation PDF: opening + movements = expected closing, against the count.

Landscape, so the eighteen columns of contracts §7 fit; long reconciliations paginate with the
header row repeated.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from outreach_app.domain.figures import ALL_SITES
from outreach_app.domain.reconciliation import InventoryReport
from outreach_app.i18n import N_, _
from outreach_app.reports.pdfkit import build_pdf, day, number, para, styles, table, when

COLUMNS = (
    N_("Site"), N_("Item"), N_("Lot"), N_("Expires"), N_("Opening"), N_("Received"),
    N_("Given out"), N_("Transfer in"), N_("Transfer out"), N_("Damaged"), N_("Expired"),
    N_("Lost"), N_("Found"), N_("Recount"), N_("Other adj."), N_("Expected closing"),
    N_("Counted"), N_("Variance"),
)  # fmt: skip


def inventory_pdf(report: InventoryReport) -> bytes:
    s = styles()
    s["head"] = ParagraphStyle("head", parent=s["small"], fontSize=5.5, leading=6.5)
    s["tiny"] = ParagraphStyle("tiny", parent=s["small"], fontSize=6, leading=7)
    site_text = _("all sites") if report.site == ALL_SITES else report.site
    counts = "; ".join(
        _("{site} on {day}", site=site, day=day(taken.date()))
        for site, taken in report.counts_taken
    )
    story: list[Flowable] = [
        para(_("Inventory reconciliation — {period}", period=report.period_label), s["title"]),
        Spacer(1, 2 * mm),
        para(
            _(
                "Organisation: {org} · Site(s): {sites} · Period: {start} to {end} · Generated "
                "at: {stamp} · Device: {device} · Outreach Tally {version}",
                org=report.org,
                sites=site_text,
                start=day(report.start),
                end=day(report.end),
                stamp=when(report.generated_at),
                device=report.device,
                version=report.app_version,
            ),
            s["body"],
        ),
        para(
            _(
                "Opening is the stock at the start of the period. Movement columns are signed as "
                "they change stock; a reversal sits in the column of the movement it reverses. "
                "Expected closing = opening + movements. Counted and variance come from the last "
                "count taken in the period (blank when none): {counts}.",
                counts=counts or _("no count was taken in this period"),
            ),
            s["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    data: list[list[Any]] = [[para(_(c), s["head"]) for c in COLUMNS]]
    for r in report.rows:
        data.append(
            [
                para(r.site, s["small"]),
                para(r.item_code, s["small"]),
                para(r.lot or "", s["small"]),
                para(day(r.expires), s["tiny"]),
                number(r.opening),
                *(number(m) for m in r.movements),
                number(r.expected_closing),
                number(r.counted),
                number(r.variance),
            ]
        )
    widths = [24 * mm, 28 * mm, 19 * mm, 15 * mm] + [11.5 * mm] * 14
    story.append(table(data, widths, font_size=6.5, numeric_from=4, padding=2))
    story.append(para(_("Lots expired or expiring within 60 days of the period's end"), s["h2"]))
    lots: list[list[Any]] = [
        [_("Site"), _("Item"), _("Lot"), _("Expires"), _("On hand"), _("State")]
    ]
    lots += [
        [e.site, e.item_code, e.lot, day(e.expires), number(e.on_hand),
         _("expired") if e.expired else _("expiring")]
        for e in report.expiring
    ]  # fmt: skip
    if len(lots) == 1:
        lots.append([_("none"), "", "", "", "", ""])
    story.append(
        table(lots, [50 * mm, 40 * mm, 30 * mm, 25 * mm, 20 * mm, 25 * mm], numeric_from=4)
    )
    story.append(para(_("Items under their reorder level at the period's end"), s["h2"]))
    low: list[list[Any]] = [[_("Site"), _("Item"), _("Name"), _("On hand"), _("Reorder level")]]
    low += [
        [
            r.site,
            r.item_code,
            para(r.item_name, s["small"]),
            number(r.on_hand),
            number(r.reorder_level),
        ]
        for r in report.under_reorder
    ]
    if len(low) == 1:
        low.append([_("none"), "", "", "", ""])
    story.append(table(low, [50 * mm, 40 * mm, 60 * mm, 25 * mm, 25 * mm], numeric_from=3))
    return build_pdf(
        story,
        title=_("Inventory reconciliation {period}", period=report.period_label),
        running_header=_(
            "{org} — inventory reconciliation — {period} — {sites}",
            org=report.org,
            period=report.period_label,
            sites=site_text,
        ),
        footer_left=f"Outreach Tally {report.app_version}",
        pagesize=landscape(letter),
    )
