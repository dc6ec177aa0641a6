"""What every PDF report shares: the bundled TrueType font (accents print), one page template
with a running header, "Page N of M" footer and the optional INTERNAL stamp, deterministic output
(ReportLab `invariant`), and tables whose header row repeats on each page.

Every visible word goes through the message catalogue (`i18n._`), in the language set when the
report is made; dates and numbers are written in that language's locale (`when`, `day`,
`number`). Header cells wrap, so a longer word in French or Spanish stays inside its column.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from outreach_app.i18n import N_, _, format_date, format_figure, format_time
from outreach_app.resources import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
# The frame both A4 and letter leave after margins: reports laid out to it print on either.
WIDTH = 182 * mm
INTERNAL_STAMP = N_("INTERNAL — small counts shown")
PAPER = {"letter": letter, "a4": A4}
MARGIN = 15 * mm
GRID = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#e8edf2")


def register_fonts() -> None:
    """Register DejaVu Sans once; Base-14 fonts cannot print most accented or dash characters."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.5),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: `<5` is data, not markup)."""
    return Paragraph(escape(text), style)


def when(moment: datetime) -> str:
    """A UTC moment as a report's "generated at": `March 5, 2026 2:05 PM UTC` in the locale."""
    utc = moment.astimezone(UTC)
    return f"{format_date(utc.date())} {format_time(utc)} UTC"


def day(value: date | None, style: str = "medium") -> str:
    """A date in the locale (`Mar 5, 2026`, `5 mars 2026`); blank for None."""
    return "" if value is None else format_date(value, style)


def number(value: object) -> str:
    """A figure in the locale (`1,234`, `1 234`, `0,85`); `<5`, `*` and blanks as they are."""
    return "" if value is None else format_figure(str(value))


def _header_cells(row: Sequence[Any], font_size: float, numeric_from: int) -> list[Any]:
    """Header words as bold paragraphs, so a long word wraps inside its column."""
    out: list[Any] = []
    for column, cell in enumerate(row):
        if isinstance(cell, str) and cell:
            style = ParagraphStyle(
                "head",
                fontName=FONT_BOLD,
                fontSize=font_size,
                leading=font_size * 1.2,
                alignment=TA_RIGHT if column >= numeric_from else TA_LEFT,
            )
            cell = Paragraph(escape(cell).replace("\n", "<br/>"), style)
        out.append(cell)
    return out


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    *,
    font_size: float = 8,
    numeric_from: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
    row_height: float | None = None,
    padding: float = 3,
) -> Table:
    """A grid table; row 0 is the header, repeated on every page the table runs onto.

    `row_height` fixes the height of the body rows (room to write on a paper form)."""
    heights = [None] + [row_height] * (len(rows) - 1) if row_height else None
    body = [list(row) for row in rows]
    if body and widths:  # without widths a column sizes to its words: nothing to wrap
        register_fonts()
        body[0] = _header_cells(body[0], font_size, numeric_from)
    t = Table(body, colWidths=list(widths) if widths else None, rowHeights=heights, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, font_size),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, font_size),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                *extra,
            ]
        )
    )
    return t


def key_value_table(rows: Sequence[tuple[str, str]], key_width: float) -> Table:
    """A report's header block: one "what / which" pair a row, the keys shaded, no header row."""
    s = styles()
    data = [[para(key, s["cell"]), para(value, s["cell"])] for key, value in rows]
    return table(
        data,
        [key_width, WIDTH - key_width],
        numeric_from=2,
        extra=[
            ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ],
    )


def internal_note() -> str:
    """What an unsuppressed report says on its first page (each page is stamped INTERNAL)."""
    return _(
        "INTERNAL: small counts are shown (no suppression). Do not share this report outside "
        "the program."
    )


def _numbered_canvas(
    running_header: str, stamp: bool, footer_left: str
) -> Callable[..., canvas.Canvas]:
    """A canvas that holds its pages until the end, so the footer can say "Page N of M"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(MARGIN, height - MARGIN + 4 * mm, running_header)
            self.drawString(MARGIN, MARGIN - 7 * mm, footer_left)
            self.drawRightString(
                width - MARGIN, MARGIN - 7 * mm, _("Page {n} of {total}", n=number, total=total)
            )
            if stamp:
                self.setFont(FONT_BOLD, 10)
                self.setFillColor(colors.HexColor("#b00020"))
                self.drawRightString(width - MARGIN, height - MARGIN + 4 * mm, _(INTERNAL_STAMP))
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    running_header: str,
    footer_left: str = "",
    pagesize: tuple[float, float] = letter,
    stamp: bool = False,
) -> bytes:
    """Lay out `story` and return the PDF bytes; the same input gives the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 2 * mm,
        bottomMargin=MARGIN,
        title=title,
        author="Outreach Tally",
        creator="Outreach Tally",
        invariant=1,
    )
    doc.build(story, canvasmaker=_numbered_canvas(running_header, stamp, footer_left))
    return buffer.getvalue()
