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
from outreach_app.i18n import N_, _
from outreach_app.reports.labels import week_label
from outreach_app.reports.order_form import order_form_story
from outreach_app.reports.pdfkit import (
    FONT,
    FONT_BOLD,
    WIDTH,
    build_pdf,
    day,
    internal_note,
    key_value_table,
    number,
    para,
    styles,
    table,
    when,
)

ALERT = colors.HexColor("#fdecea")
ALERT_TEXT = colors.HexColor("#8a1c1c")
BAR = colors.HexColor("#3b6e8f")
BAR_HIDDEN = colors.HexColor("#c9d3da")
CHARTED = {
    "contacts": N_("Contacts per week"),
    "syringes_distributed": N_("Syringes given per week"),
}
WINDOW_WORDS = {"expired": N_("expired"), "30": N_("within 30 days"), "60": N_("within 60 days"),
                "90": N_("within 90 days")}  # fmt: skip


def dashboard_pdf(dashboard: Dashboard, threshold: int | None) -> bytes:
    """`threshold=None` shows every count and stamps each page INTERNAL."""
    s = styles()
    rows = dashboard_rows(dashboard, threshold)
    where = _("all sites") if dashboard.multi_site else dashboard.site
    story: list[Flowable] = [
        para(
            _("Coordinator's dashboard — as of {day}", day=day(dashboard.as_of, "long")), s["title"]
        ),
        Spacer(1, 2 * mm),
        _header(dashboard),
        Spacer(1, 2 * mm),
        para(_suppression_note(threshold), s["small"]),
    ]
    story += _count_needed(rows)
    story.append(para(_("This week against the four weeks before"), s["h2"]))
    story.append(_week_table(dashboard, rows))
    story.append(Spacer(1, 3 * mm))
    story.append(_chart(dashboard, threshold))
    story.append(para(_("Days of stock left"), s["h2"]))
    story.append(
        para(
            _(
                "On hand at the end of the date ÷ (given out in the 28 days ending on it ÷ 28), "
                "rounded down; 0 when nothing is on hand; blank when nothing was given out."
            ),
            s["small"],
        )
    )
    story.append(_days_left_table(dashboard, rows))
    story.append(para(_("Lots expired or expiring within 90 days"), s["h2"]))
    story.append(_expiring_table(dashboard))
    story.append(PageBreak())
    story += order_form_story(dashboard)
    return build_pdf(
        story,
        title=_("Coordinator's dashboard {day}", day=dashboard.as_of.isoformat()),
        running_header=_(
            "{org} — dashboard — as of {day} — {sites}",
            org=dashboard.org,
            day=day(dashboard.as_of),
            sites=where,
        ),
        footer_left=f"Outreach Tally {dashboard.app_version}",
        stamp=threshold is None,
    )


def _targets(dashboard: Dashboard) -> str:
    if dashboard.target_override is not None:
        return _(
            "{days} days for every site (chosen for this report)", days=dashboard.target_override
        )
    return ", ".join(
        _("{site} {days} days", site=site, days=days) for site, days in dashboard.targets
    )


def _header(dashboard: Dashboard) -> Flowable:
    first = dashboard.week_bounds(0)[0]
    last_before = dashboard.week_bounds(3)[1]
    sites = dashboard.site
    if dashboard.multi_site:
        sites = _("all sites ({sites})", sites=", ".join(dashboard.sites))
    between = N_("{start} to {end}")
    rows = [
        (_("Organisation"), dashboard.org),
        (_("Site(s)"), sites),
        (_("This week"), _(between, start=day(dashboard.week_start), end=day(dashboard.as_of))),
        (_("Four weeks before"), _(between, start=day(first), end=day(last_before))),
        (
            _("Stock"),
            _(
                "on hand at the end of {day}; given out from {start} to {day}",
                day=day(dashboard.as_of),
                start=day(dashboard.usage_start),
            ),
        ),
        (_("Reorder target"), _targets(dashboard)),
        (_("Generated at"), when(dashboard.generated_at)),
        (_("Device"), f"{dashboard.device} · Outreach Tally {dashboard.app_version}"),
    ]
    return key_value_table(rows, 36 * mm)


def _suppression_note(threshold: int | None) -> str:
    if threshold is None:
        return internal_note()
    return _(
        "Small counts: counts of people (contacts, people served, reversals) from 1 to {last} "
        "show as “<{n}”, a mean when the four weeks add up to under {n}; where one hidden site "
        "could be worked out from the total, the next smallest is hidden too (“*”). Supplies are "
        "never hidden.",
        last=threshold - 1,
        n=threshold,
    )


def _count_needed(rows: Sequence[DashboardRow]) -> list[Flowable]:
    needed = [r for r in rows if r.section == "count_needed"]
    if not needed:
        return []
    s = styles()
    data: list[list[Any]] = [[_("Site"), _("Item"), _("Code"), _("On hand recorded")]]
    data += [[r.site, para(r.label, s["cell"]), r.item_code, number(r.value)] for r in needed]
    return [
        Spacer(1, 2 * mm),
        para(
            _(
                "Count needed: more was handed out than the records show on hand. Count these "
                "items and enter the count; until then days left and orders treat the shelf as "
                "empty."
            ),
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
    data: list[list[Any]] = [[_("Figure"), _("Site"), _("This week"), _("Mean, 4 weeks before")]]
    extra: list[tuple[Any, ...]] = []
    for site in sites:
        if len(sites) > 1 and len(data) > 1:
            extra.append(("LINEABOVE", (0, len(data)), (-1, len(data)), 1.2, colors.black))
        for code in WEEK_LABELS:
            data.append(
                [
                    para(week_label(code), s["cell"]),
                    site,
                    number(texts[(site, f"{code}:this")]),
                    number(texts[(site, f"{code}:avg4")]),
                ]
            )
    return table(data, [WIDTH - 110 * mm, 40 * mm, 30 * mm, 40 * mm], numeric_from=2, extra=extra)


def _days_left_table(dashboard: Dashboard, rows: Sequence[DashboardRow]) -> Flowable:
    s = styles()
    shown = {(r.site, r.item_code): r.value for r in rows if r.section == "days_left"}
    data: list[list[Any]] = [
        [
            _("Site"),
            _("Item"),
            _("Code"),
            _("On hand"),
            _("Given out\n28 days"),
            _("Days\nleft"),
            _("Target\ndays"),
            _("Order"),
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
                para(
                    _("{item} — count needed", item=line.item_name)
                    if line.count_needed
                    else line.item_name,
                    s["cell"],
                ),
                line.item_code,
                number(line.on_hand),
                number(line.distributed),
                number(shown[(line.site, line.item_code)]),
                number(line.target_days),
                number(line.reorder or ""),
            ]
        )
    if len(data) == 1:
        data.append([_("nothing on hand or given out"), "", "", "", "", "", "", ""])
    widths = [28 * mm, 46 * mm, 30 * mm, 16 * mm, 18 * mm, 14 * mm, 14 * mm, 16 * mm]
    return table(data, widths, numeric_from=3, extra=extra)


def _expiring_table(dashboard: Dashboard) -> Flowable:
    s = styles()
    data: list[list[Any]] = [
        [_("Site"), _("Item"), _("Lot"), _("Expires"), _("When"), _("On hand")]
    ]
    extra: list[tuple[Any, ...]] = []
    for lot in dashboard.expiring:
        if lot.window == "expired":
            extra.append(("TEXTCOLOR", (0, len(data)), (-1, len(data)), ALERT_TEXT))
        data.append(
            [
                para(lot.site, s["cell"]),
                para(lot.item_name, s["cell"]),
                lot.lot,
                day(lot.expires),
                _(WINDOW_WORDS[lot.window]),
                number(lot.on_hand),
            ]
        )
    if len(data) == 1:
        data.append([_("none"), "", "", "", "", ""])
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
        title = (
            _("{chart} — all sites", chart=_(CHARTED[code]))
            if dashboard.multi_site
            else _(CHARTED[code])
        )
        drawing.add(String(index * half + 12 * mm, 47 * mm, title, fontName=FONT_BOLD, fontSize=8))
    parts: list[Flowable] = [drawing]
    if threshold is not None and any(week_bars(dashboard, "contacts", threshold).hidden):
        parts.append(
            para(
                _(
                    "Grey: a week with a small count of contacts, hidden (<{n} or *); its bar "
                    "shows that there were contacts, not how many.",
                    n=threshold,
                ),
                styles()["small"],
            )
        )
    return KeepTogether(parts)
