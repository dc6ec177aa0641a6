"""The Log encounter page in high contrast (File › High contrast), for docs/screenshots
(log-contrast.png), the Dashboard with its charts (dashboard-contrast.png), and the unlock
screen the app shows first in it (unlock-contrast.png).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/shoot_contrast.py docs/screenshots

A fresh synthetic folder (`init`, then last month from `demo`), a window of 1366x768 signed in
as the first coordinator, the page filled as for a visit with the focus in a quantity box (its
yellow frame), and `widget.grab()`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from outreach_app.domain.clock import Period
from outreach_app.services import auth, demo
from outreach_app.services.store import open_store
from outreach_app.services.store_init import InitOptions, init_store

from outreach_app.ui.dialogs.opening import UnlockDialog
from outreach_app.ui.main_window import MainWindow
from outreach_app.ui.page_registry import page_index
from outreach_app.ui.theme import apply_theme

PIN = "2468"
SIZE = (1366, 768)


def settle(app: QApplication) -> None:
    for _round in range(40):  # long enough for the 200 ms code lookup
        app.processEvents()
        time.sleep(0.01)


def main(out: Path) -> None:
    app = QApplication(sys.argv)
    out.mkdir(parents=True, exist_ok=True)
    apply_theme(app, True)  # as at start when chosen: before the first window
    unlock = UnlockDialog(Path("~/.local/share/OutreachTally"), None, "Open Outreach Tally")
    unlock.passphrase.setText("river stone lantern")
    unlock.show()
    settle(app)
    unlock.grab().save(str(out / "unlock-contrast.png"))
    unlock.close()

    folder = Path(tempfile.mkdtemp()) / "data"
    init_store(folder, InitOptions(org="Riverside Harm Reduction (demo)", site="Drop-in",
                                   site_kind="fixed", device="Demo laptop",
                                   timezone="America/Toronto", passphrase=None))  # fmt: skip
    last_month = date.today().replace(day=1) - timedelta(days=1)
    store = open_store(folder)
    with store.unit_of_work() as uow:
        auth.set_coordinator_pin(uow, PIN)
    demo.fill_month(store, Period.month(last_month.year, last_month.month))
    settings = QSettings(str(folder.parent / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, folder, synchronous=True, settings=settings, run_check=False)
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    settle(app)
    screen = window.sign_in.screen
    screen.names.setCurrentIndex(0)
    screen.pin.setText(PIN)
    screen.button.click()
    settle(app)

    window.show_page(page_index("Log encounter"))
    page = window.pages.widget(page_index("Log encounter"))
    page.form.code.setText("P-0001")
    for row in page.form.item_rows:
        row.set_value({"SYRINGE": 10, "NALOXONE-NASAL": 1}.get(row.code, 0))
    page.form.returned.setValue(10)
    page.form.note.setText("Jane Doe 555-0100")  # the identifying-text warning shows
    settle(app)
    syringes = next(row for row in page.form.item_rows if row.code == "SYRINGE")
    syringes.spin.setFocus()  # the focus frame shows where typing goes
    settle(app)
    window.grab().save(str(out / "log-contrast.png"))

    window.show_page(page_index("Dashboard"))
    for _round in range(5):  # its data, then pyqtgraph's import and the charts
        settle(app)
    window.grab().save(str(out / "dashboard-contrast.png"))
    window.close()
    settle(app)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
