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
from outreach_app.reports.pdfkit import FONT_BOLD, PAPER, SHADE, build_pdf, para, styles, table

BOXES = 20


def tally_sheet_pdf(sheet: TallySheet, *, paper: str = "letter", per: str = "shift") -> bytes:
    s = styles()
    size = landscape(PAPER[paper])
    usable = size[0] - 30 * mm
    when = "Shift: start ____:____  end ____:____" if per == "shift" else "Whole day"
    story: list[Flowable] = [
        para(f"Tally sheet — {sheet.org}", s["title"]),
        Spacer(1, 2 * mm),
        table(
            [
                ["Site", sheet.site, "Date", "", "Initials", ""],
                ["Per", when, "Sheet", "____ of ____", "Entered by", ""],
            ],
            [18 * mm, usable * 0.4, 14 * mm, 40 * mm, 22 * mm],
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
            "Tick one box per contact and one box per unit given (use the next row's boxes or "
            "write the count in Total when a row fills up). Write the total at the end of the "
            "shift. No names or other details of participants on this sheet.",
            s["small"],
        ),
        Spacer(1, 2 * mm),
    ]
    name_w, code_w, total_w = 55 * mm, 33 * mm, 20 * mm
    box = (usable - name_w - code_w - total_w) / BOXES
    data: list[list[Any]] = [["Item", "Code", *[""] * BOXES, "Total"]]
    data.append([para("Contacts (people met)", s["cell"]), "CONTACTS", *[""] * BOXES, ""])
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
        title=f"Tally sheet {sheet.site}",
        running_header=f"{sheet.org} — tally sheet — {sheet.site}",
        footer_left=f"Outreach Tally {sheet.app_version} · key in with `outreach tally-entry`",
        pagesize=size,
    )
