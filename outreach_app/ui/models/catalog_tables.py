"""Catalog tables: sites, items, kits and referral types, deactivated ones shown greyed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from outreach_app.domain.values import ItemInfo, KitInfo, ReferralTypeInfo, SiteInfo
from outreach_app.i18n import N_, _

from outreach_app.ui.models.rows import RowsTableModel
from outreach_app.ui.theme import cell_colour

ActiveRole = Qt.ItemDataRole.UserRole + 20


def _state(active: bool) -> str:
    return _("Active") if active else _("Deactivated")


class _CatalogModel(RowsTableModel):
    def extra(self, row: Any, column: int, role: int) -> Any:
        if role == ActiveRole:
            return row.active
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return cell_colour("muted")
        if role == Qt.ItemDataRole.FontRole and not row.active:
            font = QFont()
            font.setItalic(True)
            return font
        return None


SITE_NAME, SITE_KIND, SITE_STATE = range(3)


class SiteTableModel(_CatalogModel):
    HEADERS = (N_("Name"), N_("Kind"), N_("State"))

    def display(self, row: SiteInfo, column: int) -> str:
        return (row.name, row.kind, _state(row.active))[column]


ITEM_CODE, ITEM_NAME, ITEM_CATEGORY, ITEM_UNIT, ITEM_REORDER, ITEM_LOTS, ITEM_STATE = range(7)


class ItemTableModel(_CatalogModel):
    HEADERS = (
        N_("Code"), N_("Name"), N_("Category"), N_("Unit"), N_("Reorder level"),
        N_("Lots & expiry"), N_("State"),
    )  # fmt: skip

    def display(self, row: ItemInfo, column: int) -> str:
        values = (
            row.code,
            row.name,
            row.category,
            row.unit,
            str(row.reorder_level),
            _("Yes") if row.tracks_lots else _("No"),
            _state(row.active),
        )
        return values[column]

    def sort_value(self, row: ItemInfo, column: int) -> Any:
        if column == ITEM_CODE:
            return row.sort_order
        if column == ITEM_REORDER:
            return row.reorder_level
        return self.display(row, column)

    def is_number(self, column: int) -> bool:
        return column == ITEM_REORDER


KIT_CODE, KIT_NAME, KIT_CONTENTS, KIT_STATE = range(4)


class KitTableModel(_CatalogModel):
    HEADERS = (N_("Code"), N_("Name"), N_("Contents"), N_("State"))

    def display(self, row: KitInfo, column: int) -> str:
        contents = ", ".join(f"{qty} {code}" for code, qty in row.lines)
        return (row.code, row.name, contents, _state(row.active))[column]


REF_CODE, REF_LABEL, REF_STATE = range(3)


class ReferralTableModel(_CatalogModel):
    HEADERS = (N_("Code"), N_("Label"), N_("State"))

    def display(self, row: ReferralTypeInfo, column: int) -> str:
        return (row.code, row.label, _state(row.active))[column]
