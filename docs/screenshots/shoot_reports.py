"""Screenshots of the Reports and Paper tally entry pages in the main window.

Run under Xvfb (1366x768) with a window manager, on a folder made by `outreach init` then
`outreach demo --month 2026-10`:
    python docs/screenshots/shoot_reports.py DATA_DIR OUT_DIR
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication

from outreach_app.services.store import open_store

from outreach_app.ui.main_window import MainWindow


def settle(app: QApplication, rounds: int = 40) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def main(data: Path, out: Path) -> None:
    app = QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_store(data), data, synchronous=True, settings=settings)
    window.show()
    settle(app)
    window.show_page(5)
    settle(app)
    page = window.pages.currentWidget()
    page.month_edit.setDate(QDate(2026, 10, 1))
    page.site_combo.setCurrentIndex(page.site_combo.findData("Drop-in Centre"))
    page.generate_button.click()
    settle(app)
    model = page.figures_model
    syringe = next(r for r, row in enumerate(model.rows) if row.code == "SYRINGE")
    page.figures_table.clicked.emit(model.index(syringe, 4))
    settle(app)
    window.grab().save(str(out / "reports.png"))
    window.show_page(6)
    settle(app)
    entry = window.pages.currentWidget()
    entry.date_edit.setDate(QDate(2026, 11, 20))
    entry.contacts.setValue(14)
    for code, qty in {
        "SYRINGE": 60,
        "SWAB": 40,
        "COOKER": 10,
        "CONDOM": 12,
        "KIT-INJECT": 2,
    }.items():
        entry.spins[code].setValue(qty)
    settle(app)
    window.grab().save(str(out / "tally-entry.png"))
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
