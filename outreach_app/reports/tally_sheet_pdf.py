"""The blank paper tally sheet for runs with no laptop: landscape, fits a clipboard.

One row of tick boxes per active item (and kit), a contacts row first, and boxes for the date,
site, shift and initials. Keyed back in with `tally-entry` or the Paper tally entry page.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from outreach_app.domain.forms import TallySheet
from outreach_app.i18n import _
from outreach_app.reports.pdfkit import FONT_BOLD, PAPER, SHADE, build_pdf, para, styles, table

BOXES = 20


def tally_sheet_pdf(sheet: TallySheet, *, paper: str = "letter", per: str = "shift") -> bytes:
    s = styles()
    size = landscape(PAPER[paper])
    usable = size[0] - 30 * mm
    when = _("Shift: start ____:____  end ____:____") if per == "shift" else _("Whole day")
    story: list[Flowable] = [
        para(_("Tally sheet — {org}", org=sheet.org), s["title"]),
        Spacer(1, 2 * mm),
        table(
            [
                [_("Site"), sheet.site, _("Date"), "", _("Initials"), ""],
                [_("Per"), when, _("Sheet"), _("____ of ____"), _("Entered by"), ""],
            ],
            [18 * mm, usable * 0.36, 18 * mm, 40 * mm, 32 * mm],
            font_size=9,
            numeric_from=6,
            extra=[
                ("FONT", (0, 0), (-1, -1), FONT_BOLD, 9),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        ),
        Spacer(1, 3 * mm),
        para(
            _(
                "Tick one box per contact and one box per unit given (use the next row's boxes "
                "or write the count in Total when a row fills up). Write the total at the end of "
                "the shift. No names or other details of participants on this sheet."
            ),
            s["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    name_w, code_w, total_w = 55 * mm, 33 * mm, 20 * mm
    box = (usable - name_w - code_w - total_w) / BOXES
    data: list[list[Any]] = [[_("Item"), _("Code"), *[""] * BOXES, _("Total")]]
    data.append([para(_("Contacts (people met)"), s["cell"]), "CONTACTS", *[""] * BOXES, ""])
    for line in sheet.lines:
        label = f"{line.name} ({line.unit})"
        data.append([para(label, s["cell"]), para(line.code, s["small"]), *[""] * BOXES, ""])
    story.append(
        table(
            data,
            [name_w, code_w, *[box] * BOXES, total_w],
            font_size=8,
            numeric_from=2,
            row_height=7.5 * mm,
            extra=[
                ("BACKGROUND", (0, 1), (-1, 1), SHADE),
                ("LINEBEFORE", (-1, 0), (-1, -1), 1.2, "black"),
            ],
        )
    )
    return build_pdf(
        story,
        title=_("Tally sheet {site}", site=sheet.site),
        running_header=_("{org} — tally sheet — {site}", org=sheet.org, site=sheet.site),
        footer_left=_(
            "Outreach Tally {version} · key in with `outreach tally-entry`",
            version=sheet.app_version,
        ),
        pagesize=size,
    )
