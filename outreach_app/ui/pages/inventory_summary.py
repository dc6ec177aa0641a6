"""The line above the Inventory table: what needs a coordinator's attention, or where to start."""

from __future__ import annotations

from outreach_app.i18n import _, ngettext

from outreach_app.ui.models import stock_table as sm


def summary_text(rows: list[sm.StockRow], has_items: bool, any_stock: bool) -> str:
    if has_items and not any_stock:  # a new folder: reorder levels would only be noise
        return _(
            "<b>Nothing is on hand yet.</b> Start by recording the supplies you have: "
            "<b>Receive…</b> (Ctrl+Shift+R), one line per item and lot."
        )
    if not rows and has_items:
        return _("Nothing is on hand at this site: Receive… or Transfer… brings supplies here.")
    if not rows:
        return _("No items in the catalog yet. Add some under Catalog & sites.")
    expired = sum(1 for r in rows if r.expired)
    expiring = sum(1 for r in rows if r.expiring_in is not None)
    reorder = len({(r.row.site, r.row.item_code) for r in rows if r.reorder_level is not None})
    needed = sorted(
        {
            _("{item} at {site}", item=r.row.item_code, site=r.row.site)
            for r in rows
            if r.count_needed
        }
    )
    parts = []
    if needed:
        parts.append(_("<b>Count needed</b>: {items} (below zero)", items=", ".join(needed)))
    if expired:
        lots = ngettext("{n} expired lot", "{n} expired lots", expired)
        parts.append(f"<span style='color:#b00020'><b>{lots}</b></span>")
    if expiring:
        parts.append(
            ngettext(
                "{n} lot expiring within {days} days",
                "{n} lots expiring within {days} days",
                expiring,
                days=sm.EXPIRING_DAYS,
            )
        )
    if reorder:
        parts.append(
            ngettext(
                "{n} item under its reorder level (counted per site)",
                "{n} items under their reorder level (counted per site)",
                reorder,
            )
        )
    if not parts:
        return _(
            "Nothing needs attention: no expired or expiring lots, every item at or above its "
            "reorder level."
        )
    return " · ".join(parts)
