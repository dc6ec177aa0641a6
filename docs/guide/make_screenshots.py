"""Screenshots for the user guide (docs/guide/img/<lang>/), taken from the real app.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/guide/make_screenshots.py --lang en
    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/guide/make_screenshots.py --lang fr

A throwaway folder (not encrypted, for speed) is made by `outreach init` and `outreach demo`
(a synthetic month: made-up codes, stock phrases for notes). The real main window opens on it,
signs in by keyboard, visits each page and dialog a guide page shows and saves its grab. The
language is set before any widget is built and passed to the commands (`--lang`), so the
catalog is seeded in it; UI texts not yet translated show in English.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import more_shots  # beside this script

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from outreach_app.i18n import LANGUAGES, _, current_language, set_language

GUIDE = Path(__file__).resolve().parent
WINDOW = (1280, 760)  # the app's own first size: every page fits without scrolling sideways
NAMES = {  # organisation, device and (setup only) first site; the demo's sites stay as they are
    "en": ("Riverside Harm Reduction (demo)", "Drop-in laptop", "Drop-in Centre"),
    "fr": ("Réduction des méfaits Riverside (démo)", "Portable de la halte", "Halte-accueil"),
    "es": ("Reducción de Daños Riverside (demo)", "Portátil del centro", "Centro de día"),
}
SITE = "Drop-in Centre"  # the demo's first site
BAG = "Outreach Bag 1"  # the demo's bag site
COORDINATOR, PIN = "Alex", "2468"
WORKER, WORKER_PIN = "Sam", "1357"
RETURNING = "222-237"  # the demo's most frequent made-up code
SHOWN_FOLDER = Path("~/.local/share/OutreachTally")  # what the opening dialogs print


def previous_month(today: date) -> str:
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def month_end(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    first_next = date(year + number // 12, number % 12 + 1, 1)
    return first_next - timedelta(days=1)


def outreach(data: Path, lang: str, *args: str, pin: str = PIN) -> None:
    """Runs the real command line on the throwaway folder (PINs from the environment)."""
    env = {**os.environ, "OUTREACH_NEW_PIN": pin, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "outreach_app", "--data-dir", str(data), "--lang", lang]
    subprocess.run([*command, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def make_folder(data: Path, lang: str, month: str) -> None:
    org, device, _site = NAMES[lang]
    init = ["init", "--org", org, "--site", SITE, "--device", device, "--no-encryption"]
    outreach(data, lang, *init, "--timezone", "America/Toronto", "--coordinator", COORDINATOR)
    outreach(data, lang, "demo", "--month", month)
    outreach(data, lang, "staff", "add", WORKER, "--role", "worker", pin=WORKER_PIN)


def settle(app: QApplication, rounds: int = 30) -> None:
    """Lets timers (the 200 ms code lookup), layouts and paints run."""
    for _round in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def wait_for(app: QApplication, ready: Callable[[], bool], what: str, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > end:
            raise SystemExit(f"gave up waiting for {what}")
        settle(app, 5)


class Shooter:
    """Saves grabs into the output folder and remembers them for the summary."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app, self.out = app, out
        self.saved: list[str] = []

    def __call__(self, widget: QWidget, name: str) -> None:
        settle(self.app)
        image = widget.grab()
        if image.isNull() or image.width() < 100 or image.height() < 100:
            raise SystemExit(f"{name}: the grab is empty ({image.width()}x{image.height()})")
        image.save(str(self.out / f"{name}.png"))
        self.saved.append(name)

    def dialog(self, dialog: QWidget, name: str, size: tuple[int, int] | None = None) -> None:
        if size:
            dialog.resize(*size)
        dialog.show()
        self(dialog, name)
        dialog.close()


def stand_ins() -> None:
    """No modal question may wait forever offscreen: a shortfall is confirmed, a role refusal
    (none is expected: the coordinator is signed in) is dropped."""
    from outreach_app.ui.widgets.role_notice import CoordinatorOnly
    from outreach_app.ui.widgets.shortfall import ShortfallConfirm

    ShortfallConfirm.ask = classmethod(lambda cls, *a, **k: True)  # type: ignore[method-assign,assignment]
    CoordinatorOnly.tell = classmethod(lambda cls, *a, **k: None)  # type: ignore[method-assign,assignment]


def first_run(shoot: Shooter, lang: str) -> None:
    from outreach_app.ui.dialogs.opening import SetupDialog, UnlockDialog

    setup = SetupDialog(SHOWN_FOLDER, None)  # nothing is created: Create is not clicked
    org, device, site = NAMES[lang]
    setup.org.setText(org.split(" (")[0])
    setup.zone.setText("America/Toronto")
    setup.device.setText(device)
    setup.site.setText(site)
    for edit in (setup.passphrase, setup.passphrase_again):
        edit.setText("river stone lantern orchard")
    setup.pin.setText(PIN)
    shoot.dialog(setup, "setup")
    unlock = UnlockDialog(SHOWN_FOLDER, None, "Open Outreach Tally")
    unlock.passphrase.setText("river stone lantern")
    shoot.dialog(unlock, "unlock")


def sign_in(app: QApplication, window: Any, name: str, pin: str) -> None:
    """As a person does: the name from the list, the PIN typed, Enter (see tests/ui)."""
    screen = window.sign_in.screen
    wait_for(app, lambda: screen.names.count() > 0 and not screen.busy.isVisible(), "names")
    screen.names.setCurrentIndex(screen.names.findData(name))
    QTest.keyClicks(screen.pin, pin)
    QTest.keyClick(screen.pin, Qt.Key.Key_Return)
    wait_for(app, lambda: not window.locked, f"{name} to be signed in")


def show(window: Any, title: str) -> Any:
    """Shows the page of that (English, untranslated) title and returns it."""
    from outreach_app.ui.page_registry import page_index

    window.show_page(page_index(title))
    return window.pages.widget(page_index(title))


def log_visit(shoot: Shooter, window: Any, app: QApplication) -> None:
    from outreach_app.domain.values import Shortfall

    from outreach_app.ui.widgets.shortfall import ShortfallConfirm

    form = show(window, "Log encounter").form
    form.code.setText(RETURNING)
    wait_for(app, lambda: form.repeat.isEnabled(), "the code lookup")
    wanted = {"SYRINGE": 10, "NALOXONE-NASAL": 1, "SWAB": 10}
    for row in form.item_rows:
        row.set_value(wanted.get(row.code, 0))
    form.reason.setCurrentIndex(form.reason.findData("USED"))
    form.returned.setValue(10)
    for code, box in form.referral_boxes.items():
        box.setChecked(code == "WOUND-CARE")
    shoot(window, "log-encounter")
    form.clear.click()
    short = [Shortfall(SITE, "XTS", wanted=5, available=0)]  # the demo has none on hand
    shoot.dialog(ShortfallConfirm.dialog(window, short), "shortfall")


def tally_counter(shoot: Shooter, window: Any) -> None:
    page = show(window, "Tally counter")
    codes = list(page.tiles)
    for code, clicks in zip(codes, (3, 2, 1, 0, 1), strict=False):
        for _click in range(clicks):
            page.count(code)
    shoot(window, "tally-counter")


def encounters(shoot: Shooter, window: Any) -> None:
    from outreach_app.ui.dialogs.void_dialog import VoidDialog

    page = show(window, "Encounters")
    model = page.model
    rows = [r for r in range(model.rowCount()) if not model.row_at(r).is_tally]
    chosen = next((r for r in rows if model.row_at(r).participant_code), rows[0])
    page.table.selectRow(chosen)
    shoot(window, "encounters")
    void = VoidDialog(_("the encounter of {when} at {site}", when="14:05", site=SITE), window)
    void.reason_edit.setText(more_shots.TYPED[current_language()]["void"])
    shoot.dialog(void, "void")


def stock(shoot: Shooter, window: Any, app: QApplication) -> None:
    from outreach_app.ui.dialogs.stock_dialogs import ReceiveDialog
    from outreach_app.ui.dialogs.stocktake_dialog import StocktakeDialog

    page = show(window, "Inventory")
    wait_for(app, lambda: page.proxy.rowCount() > 0, "the inventory")
    shoot(window, "inventory")
    receive = ReceiveDialog(page.choices, window)
    receive.site_combo.setCurrentText(SITE)
    receive.item_combo.setCurrentIndex(receive.item_combo.findData("NALOXONE-NASAL"))
    receive.qty_spin.setValue(24)
    receive.lot_edit.setText("NX2291")
    receive.expires_edit.setDate(QDate(date.today().year + 1, 8, 31))
    receive.source_edit.setText(more_shots.TYPED[current_language()]["source"])
    shoot.dialog(receive, "receive")

    sheet = StocktakeDialog(window.context, SITE, window)
    wait_for(app, lambda: sheet.model.rowCount() > 0, "the count sheet")
    model = sheet.model
    for row in range(min(7, model.rowCount())):
        line = model.row_at(row)
        counted = max(line.expected - (2 if row == 3 else 0), 0)
        model.setData(model.index(row, 5), str(counted))
        if counted != line.expected:
            model.setData(model.index(row, 7), "DAMAGED")
    shoot.dialog(sheet, "stocktake", (980, 540))

    shift_bags(shoot, window, app)


def shift_bags(shoot: Shooter, window: Any, app: QApplication) -> None:
    """The bag emptied first (the demo left a month in it), then loaded, then back."""
    from outreach_app.ui.dialogs.shift_bag_dialog import CHECK_IN, CHECK_OUT, ShiftBagDialog
    from outreach_app.ui.models.quantity_table import COL_QTY

    def bag(mode: str, quantity: Callable[[Any], int]) -> Any:
        dialog = ShiftBagDialog(window.context, mode, SITE, window)
        dialog.bag_combo.setCurrentIndex(max(dialog.bag_combo.findData(BAG), 0))
        dialog.resize(640, 540)
        settle(app)
        for row in range(dialog.model.rowCount()):
            line = dialog.model.row_at(row)
            dialog.model.setData(dialog.model.index(row, COL_QTY), quantity(line))
        return dialog

    bag(CHECK_IN, lambda line: line.available).save_button.click()
    loads = {"SYRINGE": 100, "SWAB": 100, "NALOXONE-NASAL": 4, "FTS": 20, "CONDOM": 30}
    out = bag(CHECK_OUT, lambda line: loads.get(line.item_code, 0))
    out.show()
    shoot(out, "bag-out")
    out.save_button.click()  # really checked out, so the bag holds what the shift took
    back = {"SYRINGE": 40, "SWAB": 50, "NALOXONE-NASAL": 2, "FTS": 12, "CONDOM": 30}
    check_in = bag(CHECK_IN, lambda line: back.get(line.item_code, 0))
    check_in.contacts_spin.setValue(6)
    shoot.dialog(check_in, "bag-in")


def reports(shoot: Shooter, window: Any, app: QApplication, month: str) -> None:
    from outreach_app.ui.pages.report_jobs import COUNT_SHEET, INVENTORY, MONTHLY, TALLY_SHEET

    page = show(window, "Reports")
    year, number = (int(part) for part in month.split("-"))
    names = {MONTHLY: "report-monthly", INVENTORY: "report-inventory"}
    names.update({TALLY_SHEET: "tally-sheet", COUNT_SHEET: "count-sheet"})
    for kind, name in names.items():
        page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))
        page.month_edit.setDate(QDate(year, number, 1))
        if kind in (INVENTORY, COUNT_SHEET):
            page.site_combo.setCurrentIndex(max(page.site_combo.findData(SITE), 0))
        page.report = None
        page.generate_button.click()
        wait_for(app, lambda: page.report is not None, f"the {name} report")
        shoot(window, name)


def dashboard(shoot: Shooter, window: Any, app: QApplication, month: str) -> None:
    page = show(window, "Dashboard")
    end = month_end(month)
    page.date_edit.setDate(QDate(end.year, end.month, end.day))
    wait_for(app, lambda: bool(page.charts) and page.generated is not None, "the dashboard")
    shoot(window, "dashboard")


def tally_entry(shoot: Shooter, window: Any, month: str) -> None:
    page = show(window, "Paper tally entry")
    end = month_end(month)
    page.date_edit.setDate(QDate(end.year, end.month, min(end.day, 14)))
    page.contacts.setValue(14)
    sheet = {"SYRINGE": 120, "NALOXONE-NASAL": 3, "SWAB": 80, "KIT-INJECT": 4}
    for code, spin in page.spins.items():
        spin.setValue(sheet.get(code, 0))
    shoot(window, "tally-entry")


def staff_and_audit(shoot: Shooter, window: Any, app: QApplication) -> None:
    from outreach_app.ui.dialogs.staff_dialog import PersonDialog
    from outreach_app.ui.tool_windows import open_tool

    open_tool(window, "staff")
    staff = window.tool_windows["staff"]
    wait_for(app, lambda: staff.model.rowCount() > 1, "the staff list")
    shoot.dialog(staff, "staff", (720, 300))
    person = PersonDialog(None, window)
    person.name.setText("Jordan")
    for edit in (person.pin, person.again):
        edit.setText("8642")
    shoot.dialog(person, "add-person")
    open_tool(window, "audit")
    audit = window.tool_windows["audit"]
    wait_for(app, lambda: audit.model.rowCount() > 0, "the audit log")
    shoot.dialog(audit, "audit", (1000, 600))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    parser.add_argument("--month", default=previous_month(date.today()), help="YYYY-MM")
    parser.add_argument("--out", type=Path, help="default docs/guide/img/<lang>")
    parser.add_argument("--cache", type=Path, help="keep the demo folder here and copy it")
    options = parser.parse_args()
    out = options.out or GUIDE / "img" / options.lang
    out.mkdir(parents=True, exist_ok=True)
    set_language(options.lang)  # before any widget is built
    scratch = Path(tempfile.mkdtemp(prefix="outreach-guide-"))
    data = scratch / "OutreachTally"
    try:
        cached = options.cache / f"{options.lang}-{options.month}" if options.cache else None
        if cached is None or not cached.is_dir():
            print(f"Filling a demo folder for {options.month} (about a minute)…")
            make_folder(data, options.lang, options.month)
            if cached is not None:
                shutil.copytree(data, cached)
        else:
            shutil.copytree(cached, data)
        shoot_all(options.lang, options.month, data, scratch, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def shoot_all(lang: str, month: str, data: Path, scratch: Path, out: Path) -> None:
    from outreach_app.services.store import open_store

    from outreach_app.ui.main_window import MainWindow
    from outreach_app.ui.qt_language import apply_language

    app = QApplication(sys.argv)
    apply_language(app)  # as the app does: Qt's own words and date fields in the language
    stand_ins()
    shoot = Shooter(app, out)
    first_run(shoot, lang)
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("last_site", SITE)
    settings.setValue("last_person", COORDINATOR)
    store = open_store(data)
    window = MainWindow(store, data, synchronous=True, settings=settings, run_check=False)
    window.resize(*WINDOW)
    window.show()
    wait_for(app, lambda: window.sign_in.screen.names.count() > 0, "the sign-in screen")
    shoot(window, "sign-in")
    sign_in(app, window, COORDINATOR, PIN)
    log_visit(shoot, window, app)
    encounters(shoot, window)
    tally_counter(shoot, window)
    stock(shoot, window, app)
    reports(shoot, window, app, month)
    tally_entry(shoot, window, month)
    dashboard(shoot, window, app, month)
    staff_and_audit(shoot, window, app)
    more_shots.several_devices(shoot, window, data, scratch, lang, site=SITE, pin=PIN)
    window.lock()
    shoot(window, "locked")
    more_shots.cards(shoot, data, lang, scratch)
    window.close()
    settle(app)
    print(f"{len(shoot.saved)} screenshots in {out}: {', '.join(shoot.saved)}")


if __name__ == "__main__":
    main()
