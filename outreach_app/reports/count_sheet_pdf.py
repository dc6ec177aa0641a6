"""The blank stock count sheet: a site's items and lots with empty boxes for what is counted."""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from outreach_app.domain.forms import CountSheet
from outreach_app.i18n import _
from outreach_app.reports.pdfkit import FONT_BOLD, SHADE, build_pdf, day, para, styles, table


def count_sheet_pdf(sheet: CountSheet, *, show_expected: bool = False) -> bytes:
    s = styles()
    story: list[Flowable] = [
        para(_("Stock count sheet — {site}", site=sheet.site), s["title"]),
        Spacer(1, 2 * mm),
        table(
            [
                [_("Organisation"), sheet.org, _("Date"), ""],
                [_("Site"), sheet.site, _("Counted by"), ""],
            ],
            [28 * mm, 80 * mm, 24 * mm, 50 * mm],
            font_size=9,
            numeric_from=4,
            extra=[
                ("FONT", (0, 0), (0, -1), FONT_BOLD, 9),
                ("FONT", (2, 0), (2, -1), FONT_BOLD, 9),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        ),
        Spacer(1, 3 * mm),
        para(
            _(
                "Count every item and lot on the shelf and write the number in Counted (0 when "
                "none). Add any lot not listed on a blank line at the end."
            ),
            s["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    header = [_("Item"), _("Name"), _("Lot"), _("Expires")]
    header += (
        [_("Expected"), _("Counted"), _("Note")] if show_expected else [_("Counted"), _("Note")]
    )
    data: list[list[Any]] = [header]
    for line in sheet.lines:
        row: list[Any] = [
            para(line.code, s["cell"]),
            para(line.name, s["cell"]),
            line.lot or "",
            day(line.expires),
        ]
        row += [line.expected, "", ""] if show_expected else ["", ""]
        data.append(row)
    data += [["", "", "", "", *([""] * (len(header) - 4))] for _blank in range(4)]
    if show_expected:
        widths = [34 * mm, 46 * mm, 22 * mm, 20 * mm, 18 * mm, 20 * mm, 26 * mm]
    else:
        widths = [34 * mm, 51 * mm, 25 * mm, 22 * mm, 24 * mm, 30 * mm]
    story.append(
        table(
            data,
            widths,
            font_size=8,
            numeric_from=4,
            row_height=7 * mm,
        )
    )
    return build_pdf(
        story,
        title=_("Count sheet {site}", site=sheet.site),
        running_header=_("{org} — stock count sheet — {site}", org=sheet.org, site=sheet.site),
        footer_left=f"Outreach Tally {sheet.app_version}",
        pagesize=letter,
    )
