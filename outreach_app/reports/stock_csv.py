"""`stock --csv` (contracts §5)."""

from __future__ import annotations

from collections.abc import Sequence

from outreach_app.domain.values import OnHandRow
from outreach_app.i18n import _
from outreach_app.reports.csvio import to_csv

HEADER = ("site", "item_code", "item_name", "lot", "expires", "on_hand")


def stock_csv(rows: Sequence[OnHandRow]) -> bytes:
    return to_csv(
        HEADER,
        (
            (
                r.site,
                r.item_code,
                r.item_name,
                r.lot or "",
                r.expires_on.isoformat() if r.expires_on else "",
                r.on_hand,
            )
            for r in rows
        ),
    )


def stock_text(rows: Sequence[OnHandRow]) -> str:
    """A table for people at a terminal (its words in the current language; the CSV's never)."""
    lines = [f"{_('site'):<20} {_('item'):<16} {_('lot'):<12} {_('expires'):<10} {_('on hand'):>8}"]
    for r in rows:
        expires = r.expires_on.isoformat() if r.expires_on else ""
        lines.append(
            f"{r.site[:20]:<20} {r.item_code:<16} {r.lot or '':<12} {expires:<10} {r.on_hand:>8}"
        )
    return "\n".join(lines) + "\n"
