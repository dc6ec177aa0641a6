"""The coordinator's dashboard PDF: the week against the four before (with a chart of the five
weeks), count needed, days of stock left, lots expiring, and the order form on the last page.

Dashboard in, PDF bytes out. Every figure is the text of `dashboard_rows`, the CSV's own, so
the PDF, the CSV and the app print the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from outreach_app.domain.dashboard import (
    WEEK_LABELS,
    Dashboard,
    DashboardRow,
    dashboard_rows,
    week_bars,
    week_names,
)
from outreach_app.reports.order_form import order_form_story
from outreach_app.reports.pdfkit import FONT, FONT_BOLD, SHADE, build_pdf, para, styles, table

WIDTH = 182 * mm
ALERT = colors.HexColor("#fdecea")
ALERT_TEXT = colors.HexColor("#8a1c1c")
BAR = colors.HexColor("#3b6e8f")
BAR_HIDDEN = colors.HexColor("#c9d3da")
CHARTED = {"contacts": "Contacts per week", "syringes_distributed": "Syringes given per week"}
WINDOW_WORDS = {"expired": "expired", "30": "within 30 days", "60": "within 60 days",
                "90": "within 90 days"}  # fmt: skip


def dashboard_pdf(dashboard: Dashboard, threshold: int | None) -> bytes:
    """`threshold=None` shows every count and stamps each page INTERNAL."""
    s = styles()
    rows = dashboard_rows(dashboard, threshold)
    where = "all sites" if dashboard.multi_site else dashboard.site
    story: list[Flowable] = [
        para(f"Coordinator's dashboard — as of {dashboard.as_of.isoformat()}", s["title"]),
        Spacer(1, 2 * mm),
        _header(dashboard),
        Spacer(1, 2 * mm),
        para(_suppression_note(threshold), s["small"]),
    ]
    story += _count_needed(rows)
    story.append(para("This week against the four weeks before", s["h2"]))
    story.append(_week_table(dashboard, rows))
    story.append(Spacer(1, 3 * mm))
    story.append(_chart(dashboard, threshold))
    story.append(para("Days of stock left", s["h2"]))
    story.append(
        para(
            "On hand at the end of the date ÷ (given out in the 28 days ending on it ÷ 28), "
            "rounded down; 0 when nothing is on hand; blank when nothing was given out.",
            s["small"],
        )
    )
    story.append(_days_left_table(dashboard, rows))
    story.append(para("Lots expired or expiring within 90 days", s["h2"]))
    story.append(_expiring_table(dashboard))
    story.append(PageBreak())
    story += order_form_story(dashboard)
    return build_pdf(
        story,
        title=f"Coordinator's dashboard {dashboard.as_of.isoformat()}",
        running_header=(
            f"{dashboard.org} — dashboard — as of {dashboard.as_of.isoformat()} — {where}"
        ),
        footer_left=f"Outreach Tally {dashboard.app_version}",
        stamp=threshold is None,
    )


def _targets(dashboard: Dashboard) -> str:
    if dashboard.target_override is not None:
        return f"{dashboard.target_override} days for every site (chosen for this report)"
    return ", ".join(f"{site} {days} days" for site, days in dashboard.targets)


def _header(dashboard: Dashboard) -> Flowable:
    s = styles()
    first, _ = dashboard.week_bounds(0)
    _, last_before = dashboard.week_bounds(3)
    sites = dashboard.site
    if dashboard.multi_site:
        sites = "all sites (" + ", ".join(dashboard.sites) + ")"
    rows = [
        ("Organisation", dashboard.org),
        ("Site(s)", sites),
        ("This week", f"{dashboard.week_start} to {dashboard.as_of}"),
        ("Four weeks before", f"{first} to {last_before}"),
        (
            "Stock",
            f"on hand at the end of {dashboard.as_of}; given out from "
            f"{dashboard.usage_start} to {dashboard.as_of}",
        ),
        ("Reorder target", _targets(dashboard)),
        ("Generated at", dashboard.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Device", f"{dashboard.device} · Outreach Tally {dashboard.app_version}"),
    ]
    data = [[para(k, s["cell"]), para(v, s["cell"])] for k, v in rows]
    return table(
        data,
        [36 * mm, WIDTH - 36 * mm],
        numeric_from=2,
        extra=[
            ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ],
    )


def _suppression_note(threshold: int | None) -> str:
    if threshold is None:
        return (
            "INTERNAL: small counts are shown (no suppression). Do not share this report outside "
            "the program."
        )
    return (
        f"Small counts: counts of people (contacts, people served, reversals) from 1 to "
        f"{threshold - 1} show as “<{threshold}”, a mean when the four weeks add up to under "
        f"{threshold}; where one hidden site could be worked out from the total, the next "
        "smallest is hidden too (“*”). Supplies are never hidden."
    )


def _count_needed(rows: Sequence[DashboardRow]) -> list[Flowable]:
    needed = [r for r in rows if r.section == "count_needed"]
    if not needed:
        return []
    s = styles()
    data: list[list[Any]] = [["Site", "Item", "Code", "On hand recorded"]]
    data += [[r.site, para(r.label, s["cell"]), r.item_code, r.value] for r in needed]
    return [
        Spacer(1, 2 * mm),
        para(
            "Count needed: more was handed out than the records show on hand. Count these "
            "items and enter the count; until then days left and orders treat the shelf as empty.",
            s["body"],
        ),
        table(
            data,
            [45 * mm, WIDTH - 120 * mm, 40 * mm, 35 * mm],
            numeric_from=3,
            extra=[
                ("BACKGROUND", (0, 0), (-1, 0), ALERT),
                ("TEXTCOLOR", (0, 0), (-1, -1), ALERT_TEXT),
            ],
        ),
    ]


def _week_table(dashboard: Dashboard, rows: Sequence[DashboardRow]) -> Flowable:
    s = styles()
    texts = {(r.site, r.label): r.value for r in rows if r.section == "week"}
    sites = list(dict.fromkeys(r.site for r in rows if r.section == "week"))
    data: list[list[Any]] = [["Figure", "Site", "This week", "Mean, 4 weeks before"]]
    extra: list[tuple[Any, ...]] = []
    for site in sites:
        if len(sites) > 1 and len(data) > 1:
            extra.append(("LINEABOVE", (0, len(data)), (-1, len(data)), 1.2, colors.black))
        for code, label in WEEK_LABELS.items():
            data.append(
                [
                    para(label, s["cell"]),
                    site,
                    texts[(site, f"{code}:this")],
                    texts[(site, f"{code}:avg4")],
                ]
            )
    return table(data, [WIDTH - 110 * mm, 40 * mm, 30 * mm, 40 * mm], numeric_from=2, extra=extra)


def _days_left_table(dashboard: Dashboard, rows: Sequence[DashboardRow]) -> Flowable:
    s = styles()
    shown = {(r.site, r.item_code): r.value for r in rows if r.section == "days_left"}
    data: list[list[Any]] = [
        [
            "Site",
            "Item",
            "Code",
            "On hand",
            "Given out\n28 days",
            "Days\nleft",
            "Target\ndays",
            "Order",
        ]
    ]
    extra: list[tuple[Any, ...]] = []
    for line in dashboard.stock:
        at = len(data)
        if line.count_needed:
            extra.append(("BACKGROUND", (0, at), (-1, at), ALERT))
            extra.append(("TEXTCOLOR", (0, at), (-1, at), ALERT_TEXT))
        if line.reorder:
            extra.append(("FONT", (5, at), (5, at), FONT_BOLD, 8))
        data.append(
            [
                para(line.site, s["cell"]),
                para(line.item_name + (" — count needed" if line.count_needed else ""), s["cell"]),
                line.item_code,
                line.on_hand,
                line.distributed,
                shown[(line.site, line.item_code)],
                line.target_days,
                line.reorder or "",
            ]
        )
    if len(data) == 1:
        data.append(["nothing on hand or given out", "", "", "", "", "", "", ""])
    widths = [28 * mm, 46 * mm, 30 * mm, 16 * mm, 18 * mm, 14 * mm, 14 * mm, 16 * mm]
    return table(data, widths, numeric_from=3, extra=extra)


def _expiring_table(dashboard: Dashboard) -> Flowable:
    s = styles()
    data: list[list[Any]] = [["Site", "Item", "Lot", "Expires", "When", "On hand"]]
    extra: list[tuple[Any, ...]] = []
    for lot in dashboard.expiring:
        if lot.window == "expired":
            extra.append(("TEXTCOLOR", (0, len(data)), (-1, len(data)), ALERT_TEXT))
        data.append(
            [
                para(lot.site, s["cell"]),
                para(lot.item_name, s["cell"]),
                lot.lot,
                lot.expires.isoformat(),
                WINDOW_WORDS[lot.window],
                lot.on_hand,
            ]
        )
    if len(data) == 1:
        data.append(["none", "", "", "", "", ""])
    widths = [34 * mm, 50 * mm, 26 * mm, 24 * mm, 28 * mm, 20 * mm]
    return table(data, widths, numeric_from=5, extra=extra)


def _chart(dashboard: Dashboard, threshold: int | None) -> Flowable:
    """Contacts and syringes per week for the five weeks, small counts hidden like the tables."""
    half = WIDTH / 2
    drawing = Drawing(WIDTH, 52 * mm)
    for index, code in enumerate(CHARTED):
        bars = week_bars(dashboard, code, threshold)
        chart = VerticalBarChart()
        chart.x, chart.y = index * half + 12 * mm, 8 * mm
        chart.width, chart.height = half - 18 * mm, 34 * mm
        chart.data = [list(bars.shown), list(bars.hidden)]
        chart.categoryAxis.style = "stacked"
        chart.categoryAxis.categoryNames = week_names(dashboard)
        for axis in (chart.categoryAxis, chart.valueAxis):
            axis.labels.fontName = FONT
            axis.labels.fontSize = 6
        chart.valueAxis.valueMin = 0
        chart.valueAxis.forceZero = True
        chart.bars[0].fillColor = BAR
        chart.bars[0].strokeColor = None
        chart.bars[1].fillColor = BAR_HIDDEN
        chart.bars[1].strokeColor = None
        chart.barLabelFormat = None
        drawing.add(chart)
        title = CHARTED[code] + (" — all sites" if dashboard.multi_site else "")
        drawing.add(String(index * half + 12 * mm, 47 * mm, title, fontName=FONT_BOLD, fontSize=8))
    parts: list[Flowable] = [drawing]
    if threshold is not None and any(week_bars(dashboard, "contacts", threshold).hidden):
        parts.append(
            para(
                f"Grey: a week with a small count of contacts, hidden (<{threshold} or *); "
                "its bar shows that there were contacts, not how many.",
                styles()["small"],
            )
        )
    return KeepTogether(parts)
