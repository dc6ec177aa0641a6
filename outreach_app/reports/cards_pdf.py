"""Wallet cards with new participant codes (contracts §10): credit-card size, ten a page (two
columns of five) with cut marks at every card corner. A card shows only the code and a line
saying what it is for: nothing names the service or the person.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from outreach_app.i18n import _
from outreach_app.reports.pdfkit import FONT, FONT_BOLD, register_fonts

CARD_W, CARD_H = 85.6 * mm, 54 * mm  # ISO/IEC 7810 ID-1, a wallet card
COLUMNS = 2
GAP = 6 * mm  # between cards, so each card's cut marks stay outside its neighbours
PRINTABLE_MARGIN = 10 * mm  # office printers leave the page's outer edge blank
MARK = 3 * mm
PAPER = {"letter": letter, "a4": A4}


def rows_per_page(height: float) -> int:
    """As many rows of cards as fit inside the printable margins, marks and gaps included."""
    return int((height - 2 * PRINTABLE_MARGIN + GAP) // (CARD_H + GAP))


def _cut_marks(pdf: canvas.Canvas, x: float, y: float) -> None:
    for cx in (x, x + CARD_W):
        for cy in (y, y + CARD_H):
            dx = -1 if cx == x else 1
            dy = -1 if cy == y else 1
            pdf.line(cx + dx * 1 * mm, cy, cx + dx * (1 * mm + MARK), cy)
            pdf.line(cx, cy + dy * 1 * mm, cx, cy + dy * (1 * mm + MARK))


def _card(pdf: canvas.Canvas, x: float, y: float, code: str, title: str, hint: str) -> None:
    pdf.setFont(FONT, 9)
    pdf.drawCentredString(x + CARD_W / 2, y + CARD_H - 12 * mm, title)
    pdf.setFont(FONT_BOLD, 26)
    pdf.drawCentredString(x + CARD_W / 2, y + CARD_H / 2 - 5 * mm, code)
    pdf.setFont(FONT, 7)
    pdf.drawCentredString(x + CARD_W / 2, y + 8 * mm, hint)


def cards_pdf(
    codes: Sequence[str],
    *,
    paper: str = "letter",
    title: str | None = None,
    hint: str | None = None,
) -> bytes:
    """One card per code, eight a page on letter or A4, in the order given; the card's words
    in the language of the moment unless given."""
    if title is None:
        title = _("Your code")
    if hint is None:
        hint = _("Show this card when you visit. Keep it to yourself.")
    register_fonts()
    width, height = PAPER[paper]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True)
    pdf.setTitle(_("Participant code cards"))
    rows = rows_per_page(height)
    left = (width - COLUMNS * CARD_W - (COLUMNS - 1) * GAP) / 2
    top = (height + rows * CARD_H + (rows - 1) * GAP) / 2
    per_page = COLUMNS * rows
    for start in range(0, len(codes), per_page):
        pdf.setLineWidth(0.3)
        for n, code in enumerate(codes[start : start + per_page]):
            row, column = divmod(n, COLUMNS)
            x = left + column * (CARD_W + GAP)
            y = top - (row + 1) * CARD_H - row * GAP
            _cut_marks(pdf, x, y)
            _card(pdf, x, y, code, title, hint)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
