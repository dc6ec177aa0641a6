"""Grab the app's windows for docs/screenshots (run under Xvfb on a folder filled by `demo`).

    outreach --data-dir /tmp/shots init --org "Riverside Harm Reduction (demo)" --site Drop-in \
        --no-encryption && outreach --data-dir /tmp/shots demo --month 2026-10
    python docs/screenshots/take_screenshots.py /tmp/shots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from outreach_app.domain.errors import WrongPassphrase
from outreach_app.services.store import open_store
from outreach_app.services.store_init import InitOptions, init_store

from outreach_app.ui.dialogs.opening import SetupDialog, UnlockDialog
from outreach_app.ui.main_window import MainWindow

PIN = "2468"  # synthetic


def settle(app: QApplication) -> None:
    for _ in range(40):  # long enough for the 200 ms code lookup
        app.processEvents()
        time.sleep(0.01)


def main(data_dir: Path, out: Path) -> None:
    app = QApplication(sys.argv)
    scratch = Path(tempfile.mkdtemp())
    settings = QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_store(data_dir), data_dir, synchronous=True, settings=settings)
    window.show()
    settle(app)
    sign_in = window.sign_in.screen  # the first coordinator (their PIN chosen here the first time)
    sign_in.pin.setText(PIN)
    if sign_in.setting_pin:
        sign_in.again.setText(PIN)
    sign_in.button.click()
    settle(app)
    names = ["log-encounter", "tally-counter"]  # the other pages take their own
    screen = app.primaryScreen().size()
    for size in [str(screen.width())]:  # matchbox fills the screen: one Xvfb per size
        for index in range(len(names)):
            window.show_page(index)
            settle(app)
            if index == 0:
                page = window.pages.widget(0)
                page.form.code.setText("P-0001")
                settle(app)
                app.processEvents()
                for row in page.form.item_rows:
                    row.set_value({"SYRINGE": 10, "NALOXONE-NASAL": 1}.get(row.code, 0))
                page.form.returned.setValue(10)
                page.form.note.setText("Asked about OAT")
                settle(app)
            if index == 1:
                tally = window.pages.widget(1)
                for code in list(tally.tiles)[:3]:
                    tally.count(code)
                settle(app)
            suffix = "" if size == "1366" else "-1920"
            window.grab().save(str(out / f"{names[index]}{suffix}.png"))
    if screen.width() != 1366:
        window.close()
        return
    window.lock()
    settle(app)
    window.grab().save(str(out / "locked.png"))
    window.close()

    setup = SetupDialog(scratch / "new", None)
    setup.org.setText("Riverside Harm Reduction")
    setup.site.setText("Drop-in")
    setup.passphrase.setText("correct horse battery staple")
    setup.show()
    settle(app)
    setup.grab().save(str(out / "setup.png"))
    setup.no_encryption.setChecked(True)
    settle(app)
    setup.adjustSize()
    settle(app)
    setup.grab().save(str(out / "setup-no-encryption.png"))

    enc = scratch / "enc"
    init_store(enc, InitOptions(org="Demo", site="Drop-in", passphrase="demo passphrase words"))
    unlock = UnlockDialog(enc, None, "Open Outreach Tally")
    unlock.show()
    unlock.passphrase.setText("wrong guess")
    unlock._on_open()
    unlock.refused(WrongPassphrase("wrong"))  # as the main window does when it will not open
    settle(app)
    unlock.grab().save(str(out / "unlock.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
