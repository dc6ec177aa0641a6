"""Grab the import preview (every bad cell of a spreadsheet) and the shortfall confirmation, for
docs/screenshots/import-preview.png and docs/screenshots/shortfall.png, on a folder filled by
`demo` (see shoot_dashboard.py). Under an X server the whole screen is taken with ImageMagick's
`import -window root` (the window manager's frames included); offscreen, the windows themselves.

    Xvfb :95 -screen 0 1366x768x24 & matchbox-window-manager -display :95 &
    DISPLAY=:95 python docs/screenshots/shoot_import.py /tmp/shots docs/screenshots
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from outreach_app.services.store import open_store

from outreach_app.ui.dialogs.import_dialog import ImportDialog
from outreach_app.ui.main_window import PAGES, MainWindow

BROKEN = (
    "occurred_at,site,participant_code,age_band,gender,people_served,referrals,notes,"
    "SYRINGE,KIT-INJECT,NALOXONE-NASAL,favourite_colour\n"
    "2026-11-03 10:15,Drop-in,P-0012,30-39,woman,1,OAT,,10,1,,\n"
    "2026-11-31,Drop-in,P-0040,20-29,man,1,,,20,,,\n"
    "2026-11-04 14:00,Moonbase,,,,2,,,10,,1,\n"
    "2026-11-04 15:30,Drop-in,P-0007,99+,robot,1,HOUSING;ZZ,,2.5,1,,\n"
    "2026-11-05,Drop-in,P 0031 Jane,40-49,,one,,,5,,-1,\n"
)


def settle(app: QApplication, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(app: QApplication, widget: QWidget, out: Path) -> None:
    settle(app)
    if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM", "xcb") == "xcb":
        subprocess.run(["import", "-window", "root", str(out)], check=True)
    else:
        widget.grab().save(str(out))
    print(f"saved {out}")


def main(data_dir: Path, out_dir: Path) -> None:
    app = QApplication(sys.argv)
    work = Path(tempfile.mkdtemp())
    settings = QSettings(str(work / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        open_store(data_dir), data_dir, synchronous=True, settings=settings, run_check=False
    )
    window.resize(1366, 740)
    window.show()
    settle(app)

    sheet = work / "november-export.csv"
    sheet.write_text(BROKEN, encoding="utf-8")
    dialog = ImportDialog(window.context, sheet, window)
    dialog.resize(900, 480)
    dialog.show()
    dialog.start_check()
    shoot(app, dialog, out_dir / "import-preview.png")
    dialog.close()

    window.show_page([title for title, _m, _c in PAGES].index("Log encounter"))
    settle(app)
    page = window.pages.currentWidget()
    rows = {r.code: r for r in page.form.item_rows + page.form.kit_rows}
    page.form.code.setText("P-0012")
    rows["KIT-INJECT"].spin.setValue(1)
    rows["XTS"].spin.setValue(2)  # nothing on hand in the demo
    rows["WOUND-KIT"].spin.setValue(15)  # 13 on hand

    def grab_and_go_back() -> None:
        box = app.activeModalWidget()
        if isinstance(box, QMessageBox):
            shoot(app, box, out_dir / "shortfall.png")
            box.buttons()[-1].click()  # Go back: the screenshot saves nothing

    QTimer.singleShot(300, grab_and_go_back)
    page.form.save.click()
    settle(app)
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
