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
from outreach_app.reports.pdfkit import build_pdf, para, styles, table

COLUMNS = (
    "Site", "Item", "Lot", "Expires", "Opening", "Received", "Given out", "Transfer in",
    "Transfer out", "Damaged", "Expired", "Lost", "Found", "Recount", "Other adj.",
    "Expected closing", "Counted", "Variance",
)  # fmt: skip


def inventory_pdf(report: InventoryReport) -> bytes:
    s = styles()
    s["head"] = ParagraphStyle("head", parent=s["small"], fontSize=5.5, leading=6.5)
    site_text = "all sites" if report.site == ALL_SITES else report.site
    stamp = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    counts = "; ".join(f"{site} on {when:%Y-%m-%d}" for site, when in report.counts_taken)
    story: list[Flowable] = [
        para(f"Inventory reconciliation — {report.period_label}", s["title"]),
        Spacer(1, 2 * mm),
        para(
            f"Organisation: {report.org} · Site(s): {site_text} · Period: {report.start} to "
            f"{report.end} · Generated at: {stamp} · Device: {report.device} · "
            f"Outreach Tally {report.app_version}",
            s["body"],
        ),
        para(
            "Opening is the stock at the start of the period. Movement columns are signed as they "
            "change stock; a reversal sits in the column of the movement it reverses. Expected "
            "closing = opening + movements. Counted and variance come from the last count taken "
            "in the period (blank when none): "
            + (counts or "no count was taken in this period")
            + ".",
            s["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    data: list[list[Any]] = [[para(c, s["head"]) for c in COLUMNS]]
    for r in report.rows:
        data.append(
            [
                para(r.site, s["small"]),
                para(r.item_code, s["small"]),
                para(r.lot or "", s["small"]),
                r.expires.isoformat() if r.expires else "",
                r.opening,
                *r.movements,
                r.expected_closing,
                "" if r.counted is None else r.counted,
                "" if r.variance is None else r.variance,
            ]
        )
    widths = [24 * mm, 28 * mm, 19 * mm, 15 * mm] + [11.5 * mm] * 14
    story.append(table(data, widths, font_size=6.5, numeric_from=4, padding=2))
    story.append(para("Lots expired or expiring within 60 days of the period's end", s["h2"]))
    lots: list[list[Any]] = [["Site", "Item", "Lot", "Expires", "On hand", "State"]]
    lots += [
        [e.site, e.item_code, e.lot, e.expires.isoformat(), e.on_hand,
         "expired" if e.expired else "expiring"]
        for e in report.expiring
    ]  # fmt: skip
    if len(lots) == 1:
        lots.append(["none", "", "", "", "", ""])
    story.append(
        table(lots, [50 * mm, 40 * mm, 30 * mm, 25 * mm, 20 * mm, 25 * mm], numeric_from=4)
    )
    story.append(para("Items under their reorder level at the period's end", s["h2"]))
    low: list[list[Any]] = [["Site", "Item", "Name", "On hand", "Reorder level"]]
    low += [
        [r.site, r.item_code, para(r.item_name, s["small"]), r.on_hand, r.reorder_level]
        for r in report.under_reorder
    ]
    if len(low) == 1:
        low.append(["none", "", "", "", ""])
    story.append(table(low, [50 * mm, 40 * mm, 60 * mm, 25 * mm, 25 * mm], numeric_from=3))
    return build_pdf(
        story,
        title=f"Inventory reconciliation {report.period_label}",
        running_header=f"{report.org} — inventory reconciliation — {report.period_label} — "
        f"{site_text}",
        footer_left=f"Outreach Tally {report.app_version}",
        pagesize=landscape(letter),
    )
