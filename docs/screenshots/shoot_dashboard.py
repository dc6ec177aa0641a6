"""Grab the Dashboard page for docs/screenshots/dashboard.png, on a folder filled by `demo`.

    outreach --data-dir /tmp/shots init --org "Riverside Harm Reduction (demo)" --site Drop-in \
        --no-encryption && outreach --data-dir /tmp/shots demo --month 2026-10
    QT_QPA_PLATFORM=offscreen python docs/screenshots/shoot_dashboard.py /tmp/shots 2026-10-31 \
        docs/screenshots/dashboard.png
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication

from outreach_app.services.store import open_store

from outreach_app.ui.main_window import PAGES, MainWindow


def settle(app: QApplication) -> None:
    for _ in range(40):
        app.processEvents()
        time.sleep(0.01)


def main(data_dir: Path, as_of: date, out: Path) -> None:
    app = QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        open_store(data_dir), data_dir, synchronous=True, settings=settings, run_check=False
    )
    window.resize(1366, 768)
    window.show()
    settle(app)
    window.show_page([title for title, _module, _cls in PAGES].index("Dashboard"))
    settle(app)
    page = window.pages.currentWidget()
    page.date_edit.setDate(QDate(as_of.year, as_of.month, as_of.day))
    settle(app)
    window.grab().save(str(out))
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), Path(sys.argv[3]))
