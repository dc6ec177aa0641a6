"""Screenshots of the Encounters, Inventory, Stocktake, Catalog and Ledger pages.

Run under a display (Xvfb + a window manager, screen at the size wanted):
    python docs/screenshots/shoot_pages.py DATA_DIR OUT_DIR WIDTH HEIGHT [SUFFIX]
on a folder made by `outreach init` then `outreach demo --month 2026-10`. Each page sits in a
plain QMainWindow that the window manager fills to the screen (1366x768, 1920x1080).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from outreach_app.services.store import open_store

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.ledger_dialog import LedgerDialog
from outreach_app.ui.dialogs.stocktake_dialog import StocktakeDialog
from outreach_app.ui.pages.catalog import ITEMS, CatalogPage
from outreach_app.ui.pages.encounters import EncountersPage
from outreach_app.ui.pages.inventory import InventoryPage
from outreach_app.ui.worker import DbWorker

SIZES = ((int(sys.argv[3]), int(sys.argv[4])),)


def settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()


def main() -> None:
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    store = open_store(data)
    context = AppContext(
        DbWorker(store, synchronous=True),
        org_name=store.org_name,
        current_site="Drop-in",
    )

    def page_shot(name: str, make) -> None:
        for width, height in SIZES:
            window = QMainWindow()
            window.setWindowTitle(f"Outreach Tally — {name}")
            widget = make()
            window.setCentralWidget(widget)
            window.resize(width, height)
            window.show()
            settle(app)
            suffix = sys.argv[5] if len(sys.argv) > 5 else ""
            window.grab().save(str(out / f"{name}{suffix}.png"))
            window.close()

    def encounters() -> EncountersPage:
        page = EncountersPage(context)
        page.period_combo.setCurrentIndex(page.period_combo.findText("All time"))
        page.table.selectRow(2)
        return page

    page_shot("encounters", encounters)
    page_shot("inventory", lambda: InventoryPage(context))

    def catalog() -> CatalogPage:
        page = CatalogPage(context)
        page.tabs.setCurrentIndex(ITEMS)
        return page

    page_shot("catalog", catalog)

    for width, height in SIZES:
        suffix = sys.argv[5] if len(sys.argv) > 5 else ""
        sheet = StocktakeDialog(context, "Drop-in Centre")
        for row in range(min(6, sheet.model.rowCount())):
            line = sheet.model.row_at(row)
            sheet.model.setData(sheet.model.index(row, 5), str(max(line.expected - row % 3, 0)))
        sheet.setFixedSize(min(width, 1100), min(height, 700))
        sheet.show()
        settle(app)
        sheet.grab().save(str(out / f"stocktake{suffix}.png"))
        sheet.close()
        inv = InventoryPage(context)
        names = [(i.code, i.name) for i in inv.choices.items]
        ledger = LedgerDialog(
            context, list(inv.choices.sites), names, "Drop-in Centre", "NALOXONE-NASAL"
        )
        ledger.setFixedSize(min(width, 1100), min(height, 700))
        ledger.show()
        settle(app)
        ledger.grab().save(str(out / f"ledger{suffix}.png"))
        ledger.close()
    QTimer.singleShot(0, app.quit)
    store.close()


if __name__ == "__main__":
    main()
