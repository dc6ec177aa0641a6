"""The ledger of one item at one site: every movement, who, when, why, running balance."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _, ngettext
from outreach_app.services import inventory

from outreach_app.ui.context import AppContext
from outreach_app.ui.models import ledger_table as lt
from outreach_app.ui.widgets.common import MessageLine, compact_table, org_zone


class LedgerDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        sites: list[str],
        items: list[tuple[str, str]],  # (code, name)
        site: str,
        item_code: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(_("Stock ledger"))
        self.resize(900, 560)
        self.model = lt.LedgerTableModel(org_zone(context), self)
        self.site_combo = QComboBox()
        self.site_combo.addItems(sites)
        self.site_combo.setCurrentText(site)
        self.item_combo = QComboBox()
        for code, name in items:
            self.item_combo.addItem(f"{code} — {name}", code)
        self.item_combo.setCurrentIndex(max(self.item_combo.findData(item_code), 0))
        self.table = QTableView()
        self.table.setAccessibleName(_("Stock movements"))
        self.table.setModel(self.model)
        compact_table(self.table)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(
            lt.COL_WHY, QHeaderView.ResizeMode.Stretch
        )
        for column, width in ((lt.COL_WHEN, 130), (lt.COL_KIND, 170), (lt.COL_LOT, 90)):
            self.table.setColumnWidth(column, width)
        self.summary = QLabel()
        self.message = MessageLine()
        top = QHBoxLayout()
        for text, combo in ((_("&Site"), self.site_combo), (_("&Item"), self.item_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo, 1 if combo is self.item_combo else 0)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.site_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.item_combo.currentIndexChanged.connect(self._on_choice_changed)
        self._on_choice_changed()

    def _on_choice_changed(self) -> None:
        site, code = self.site_combo.currentText(), self.item_combo.currentData()
        if not site or not code:
            return

        def job(store: Any) -> Any:
            with store.reading() as uow:
                return inventory.ledger(uow, site, code)

        self._context.worker.submit(job, self._on_ledger, self._on_error)

    def _on_ledger(self, movements: Any) -> None:
        self.message.clear_message()
        self.model.set_rows(list(movements))
        if movements:
            self.summary.setText(
                ngettext(
                    "{n} movement · balance now {balance}",
                    "{n} movements · balance now {balance}",
                    len(movements),
                    balance=movements[-1].balance,
                )
            )
            self.table.scrollToBottom()
        else:
            self.summary.setText(_("No movements of this item at this site yet."))

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)

    @classmethod
    def show_for(
        cls,
        context: AppContext,
        sites: list[str],
        items: list[tuple[str, str]],
        site: str,
        item_code: str,
        parent: QWidget | None = None,
    ) -> LedgerDialog:
        dialog = cls(context, sites, items, site, item_code, parent)
        dialog.show()
        return dialog
