"""The monthly tally PDF: what a program lead hands the funder at month end.

Figures in, PDF bytes out. Every count goes through the same suppression as the CSV
(`display_rows`); the previous period stands beside each figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from outreach_app.domain.figures import ALL_SITES, DayCount, DisplayRow, TallyFigures, display_rows
from outreach_app.domain.suppression import day_bars
from outreach_app.i18n import N_, _
from outreach_app.reports.labels import figure_label
from outreach_app.reports.pdfkit import (
    FONT,
    FONT_BOLD,
    SHADE,
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

SECTION_TITLES = {
    "summary": N_("Activity and supplies at a glance"),
    "items": N_("Supplies given (kit contents included, tally records included)"),
    "kits": N_("Kits given"),
    "naloxone": N_("Naloxone"),
    "referrals": N_("Referrals (encounters with that referral)"),
    "demographics": N_("Demographics (encounters, where recorded)"),
}


def monthly_pdf(figures: TallyFigures, threshold: int | None) -> bytes:
    """`threshold=None` shows every count and stamps each page INTERNAL."""
    s = styles()
    shown = display_rows(figures, threshold)
    mine = [r for r in shown if r.site == figures.site]
    story: list[Flowable] = [
        para(_("Monthly tally — {period}", period=figures.period_label), s["title"]),
        Spacer(1, 2 * mm),
        _header(figures),
        Spacer(1, 3 * mm),
    ]
    voided = next(r for r in mine if r.code == "voided_encounters")
    story.append(
        para(
            _(
                "Voided records left out of every figure: {now} (previous period: {before}). "
                "Tally records count in tally contacts and in supplies, never in encounters.",
                now=number(voided.value),
                before=number(voided.previous),
            ),
            s["body"],
        )
    )
    story.append(para(_suppression_note(threshold), s["small"]))
    story.append(Spacer(1, 2 * mm))
    story.append(_chart(figures.per_day, figures.period_label, threshold))
    for section in SECTION_TITLES:
        rows = [r for r in mine if r.section == section]
        story.append(para(_(SECTION_TITLES[section]), s["h2"]))
        if section == "items":
            story.append(_supplies_table(rows, figures))
        else:
            story.append(_figure_table(rows, figures))
    if figures.multi_site:
        story.append(para(_("By site"), s["h2"]))
        story.append(
            para(
                _(
                    "Each site's figures; the sites add up to ALL. Rows that are 0 everywhere in "
                    "both periods are left out here (they are in the tables above)."
                ),
                s["small"],
            )
        )
        story.append(_by_site_table(shown, figures))
    return build_pdf(
        story,
        title=_("Monthly tally {period}", period=figures.period_label),
        running_header=_(
            "{org} — monthly tally — {period} — {sites}",
            org=figures.org,
            period=figures.period_label,
            sites=_("all sites") if figures.multi_site else figures.site,
        ),
        footer_left=f"Outreach Tally {figures.app_version}",
        stamp=threshold is None,
    )


def _sites(figures: TallyFigures) -> str:
    if figures.multi_site:
        return _("all sites ({sites})", sites=", ".join(figures.sites))
    return figures.site


def _header(figures: TallyFigures) -> Flowable:
    between = N_("{label} ({start} to {end})")
    rows = [
        (_("Organisation"), figures.org),
        (_("Site(s)"), _sites(figures)),
        (
            _("Period"),
            _(between, label=figures.period_label, start=day(figures.start), end=day(figures.end)),
        ),
        (
            _("Previous period"),
            _(
                between,
                label=figures.previous_label,
                start=day(figures.previous_start),
                end=day(figures.previous_end),
            ),
        ),
        (_("Generated at"), when(figures.generated_at)),
        (_("Device"), figures.device),
        (_("App version"), f"Outreach Tally {figures.app_version}"),
    ]
    return key_value_table(rows, 40 * mm)


def _suppression_note(threshold: int | None) -> str:
    if threshold is None:
        return internal_note()
    return _(
        "Small counts: counts of people and encounters from 1 to {last} are shown as “<{n}”. "
        "Where one hidden count could be worked out from a total, the next smallest count is "
        "hidden too and shown as “*”. Supply quantities are never hidden. The return ratio is "
        "used syringes returned per syringe distributed.",
        last=threshold - 1,
        n=threshold,
    )


def _figure_table(rows: Sequence[DisplayRow], figures: TallyFigures) -> Flowable:
    s = styles()
    header = [_("Figure"), _("This period"), _("Previous period")]
    data: list[list[Any]] = [header]
    data += [[para(figure_label(r), s["cell"]), number(r.value), number(r.previous)] for r in rows]
    return table(data, [WIDTH - 70 * mm, 35 * mm, 35 * mm])


def _supplies_table(rows: Sequence[DisplayRow], figures: TallyFigures) -> Flowable:
    """Items grouped by category, with a total per category and overall (never suppressed)."""
    s = styles()
    data: list[list[Any]] = [[_("Item"), _("Code"), _("This period"), _("Previous period")]]
    extra: list[tuple[Any, ...]] = []
    groups: dict[str, list[DisplayRow]] = {}
    for r in rows:
        groups.setdefault(r.group or _("Other"), []).append(r)
    total_now = total_before = 0
    for group, members in groups.items():
        extra.append(("FONT", (0, len(data)), (-1, len(data)), FONT_BOLD, 8))
        data.append([para(group, s["cell"]), "", "", ""])
        now = sum(int(r.value) for r in members)
        before = sum(int(r.previous) for r in members)
        total_now, total_before = total_now + now, total_before + before
        data += [
            [para(r.label, s["cell"]), r.code, number(r.value), number(r.previous)] for r in members
        ]
        extra.append(("FONT", (0, len(data)), (-1, len(data)), FONT_BOLD, 8))
        data.append(
            [para(_("Total {group}", group=group), s["cell"]), "", number(now), number(before)]
        )
    extra.append(("FONT", (0, len(data)), (-1, len(data)), FONT_BOLD, 8))
    extra.append(("BACKGROUND", (0, len(data)), (-1, len(data)), SHADE))
    data.append([para(_("All supplies"), s["cell"]), "", number(total_now), number(total_before)])
    return table(data, [WIDTH - 100 * mm, 30 * mm, 35 * mm, 35 * mm], numeric_from=2, extra=extra)


def _by_site_table(shown: Sequence[DisplayRow], figures: TallyFigures) -> Flowable:
    s = styles()
    keep = {
        (r.section, r.code)
        for r in shown
        if r.site == ALL_SITES and (r.value not in ("0", "") or r.previous not in ("0", ""))
    }
    # each figure's rows together in figure order; sites in name order, ALL last
    order = {site: i for i, site in enumerate((*figures.sites, ALL_SITES))}
    first_seen: dict[tuple[str, str], int] = {}
    for i, r in enumerate(r for r in shown if r.site == ALL_SITES):
        first_seen.setdefault((r.section, r.code), i)
    rows = sorted(
        (r for r in shown if (r.section, r.code) in keep),
        key=lambda r: (first_seen[(r.section, r.code)], order[r.site]),
    )
    data: list[list[Any]] = [[_("Figure"), _("Site"), _("This period"), _("Previous period")]]
    data += [
        [
            para(figure_label(r), s["cell"]),
            para(r.site, s["cell"]),
            number(r.value),
            number(r.previous),
        ]
        for r in rows
    ]
    return table(data, [WIDTH - 110 * mm, 40 * mm, 35 * mm, 35 * mm], numeric_from=2)


def _chart(days: Sequence[DayCount], label: str, threshold: int | None) -> Flowable:
    """Contacts (encounters and tally contacts) per day, small counts hidden like the tables."""
    drawing = Drawing(WIDTH, 48 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 16 * mm, 34 * mm
    shown, hidden = day_bars([d.contacts for d in days], threshold)
    chart.data = [shown or [0], hidden or [0]]
    chart.categoryAxis.style = "stacked"
    step = max(1, len(days) // 16)
    chart.categoryAxis.categoryNames = [
        f"{d.day.day:02d}" if i % step == 0 else "" for i, d in enumerate(days)
    ] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    chart.bars[0].fillColor = colors.HexColor("#3b6e8f")
    chart.bars[0].strokeColor = None
    chart.bars[1].fillColor = colors.HexColor("#c9d3da")
    chart.bars[1].strokeColor = None
    drawing.add(chart)
    if threshold is not None and any(hidden):
        drawing.add(
            String(
                WIDTH - 4 * mm,
                44 * mm,
                _("grey: a day with a small count, hidden (<{n} or *)", n=threshold),
                fontName=FONT,
                fontSize=6,
                textAnchor="end",
            )
        )
    drawing.add(
        String(
            12 * mm,
            44 * mm,
            _("Contacts per day — {period} (encounters and tally contacts)", period=label),
            fontName=FONT_BOLD,
            fontSize=8,
        )
    )
    return KeepTogether([drawing])
