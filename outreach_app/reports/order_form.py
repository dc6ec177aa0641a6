"""The order form: the dashboard's reorder list as a PDF to fill in and sign, and as a CSV for a
supplier's spreadsheet. The same lines end the dashboard PDF.

Quantities are whole units to bring each site to its target of days of stock at the rate of the
28 days ending on the dashboard's date (contracts §11).
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from outreach_app.domain.dashboard import Dashboard, StockLine
from outreach_app.i18n import _
from outreach_app.reports.csvio import to_csv
from outreach_app.reports.pdfkit import (
    FONT,
    GRID,
    build_pdf,
    day,
    number,
    para,
    styles,
    table,
    when,
)

CSV_HEADER = (
    "site", "item_code", "item_name", "unit", "on_hand", "distributed_28d", "days_left",
    "target_days", "order_quantity",
)  # fmt: skip


def order_form_csv(dashboard: Dashboard) -> bytes:
    """One row per site and item to order; UTF-8 without BOM, RFC 4180 like every CSV."""
    return to_csv(CSV_HEADER, (_csv_cells(line) for line in dashboard.reorder_lines))


def _csv_cells(line: StockLine) -> tuple[object, ...]:
    left = "" if line.days_left is None else line.days_left
    return (line.site, line.item_code, line.item_name, line.unit, line.on_hand,
            line.distributed, left, line.target_days, line.reorder)  # fmt: skip


def order_form_pdf(dashboard: Dashboard) -> bytes:
    return build_pdf(
        order_form_story(dashboard),
        title=_("Order form {day}", day=dashboard.as_of.isoformat()),
        running_header=_(
            "{org} — order form — as of {day}", org=dashboard.org, day=day(dashboard.as_of)
        ),
        footer_left=f"Outreach Tally {dashboard.app_version}",
    )


def order_form_story(dashboard: Dashboard) -> list[Flowable]:
    """The form's title, one table per site and the lines to sign."""
    s = styles()
    story: list[Flowable] = [
        para(_("Order form — {org}", org=dashboard.org), s["title"]),
        Spacer(1, 2 * mm),
        para(
            _(
                "Supplies to order so that each site has its target of days of stock at the rate "
                "given out in the 28 days ending {day}. Generated at {stamp} on {device}.",
                day=day(dashboard.as_of, "long"),
                stamp=when(dashboard.generated_at),
                device=dashboard.device,
            ),
            s["body"],
        ),
        Spacer(1, 2 * mm),
    ]
    lines = dashboard.reorder_lines
    if not lines:
        story.append(
            para(
                _(
                    "Nothing to order: every site has at least its target of days for every "
                    "item given out in the last 28 days."
                ),
                s["body"],
            )
        )
    for site, members in groupby(lines, key=lambda line: line.site):
        rows = list(members)
        story.append(KeepTogether([para(_site_heading(site, rows), s["h2"]), _site_table(rows)]))
    story += [Spacer(1, 10 * mm), _signatures()]
    return story


def _site_heading(site: str, rows: list[StockLine]) -> str:
    return _("{site} — target {days} days of stock", site=site, days=rows[0].target_days)


def _site_table(rows: list[StockLine]) -> Flowable:
    s = styles()
    data: list[list[Any]] = [
        [
            _("Item"),
            _("Code"),
            _("Unit"),
            _("On hand"),
            _("Days left"),
            _("Order"),
            _("Ordered"),
            _("Received"),
        ]
    ]
    for line in rows:
        data.append(
            [
                para(line.item_name, s["cell"]),
                line.item_code,
                line.unit,
                number(line.on_hand),
                number(line.days_left),
                number(line.reorder),
                "",
                "",
            ]
        )
    widths = [46 * mm, 30 * mm, 18 * mm, 18 * mm, 18 * mm, 16 * mm, 18 * mm, 18 * mm]
    return table(data, widths, numeric_from=3, row_height=8 * mm)


def _signatures() -> Flowable:
    """Lines to write on: who ordered, who approved, and when."""
    signed = Table(
        [[_("Ordered by"), "", _("Date"), ""], [_("Approved by"), "", _("Date"), ""]],
        colWidths=[28 * mm, 84 * mm, 14 * mm, 50 * mm],
        rowHeights=[12 * mm, 12 * mm],
        hAlign="LEFT",
    )
    signed.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, GRID),
                ("LINEBELOW", (3, 0), (3, -1), 0.6, GRID),
            ]
        )
    )
    return signed
