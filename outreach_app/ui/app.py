"""The app's entry: QApplication, the first-run setup or the passphrase, then the main window.

Unexpected exceptions go to the log in the data folder (never participant data) and a dialog
says where that log is.

Start-up order: the first window shows before SQLAlchemy and the services are imported. A plain
folder's main window shows "Opening your data…" and opens the store on a background thread; an
encrypted folder's unlock dialog shows first and only asks the passphrase, then the main window
shows and opens the store with it the same way (a wrong one brings the dialog back). Only
the first-run setup and a PostgreSQL --db-url import the services before a window shows.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from outreach_app.domain.errors import NotInitialised, OutreachError, StoreError
from outreach_app.i18n import _
from outreach_app.logsetup import configure_file_logging, log_path
from outreach_app.resources import resources_dir

from outreach_app.ui import smoke
from outreach_app.ui.dialogs.opening import SetupDialog, UnlockDialog, show_store_error
from outreach_app.ui.main_window import APPLICATION, ORGANISATION, MainWindow
from outreach_app.ui.qt_language import apply_language
from outreach_app.ui.theme import apply_theme, follow_system, starting_contrast

log = logging.getLogger(__name__)

DESKTOP_FILE = "outreach-tally"  # packaging/outreach-tally.desktop


def app_icon() -> QIcon:
    """The window icon, from the sizes `packaging/make_icon.py` renders (read when drawn)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(resources_dir() / "icons" / f"outreach-tally-{size}.png"))
    return icon


def install_excepthook(data_dir: Path) -> None:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, error, tb))
        QMessageBox.critical(
            QApplication.activeWindow(),
            _("Something went wrong"),
            _("Something unexpected went wrong. What you were doing may not have been saved.")
            + "\n\n"
            + _(
                "The details (no participant data) are in the log:\n{path}",
                path=log_path(data_dir),
            ),
        )

    sys.excepthook = hook


def _folder_is_encrypted(data_dir: Path) -> bool:
    from outreach_app.services.folder_state import folder_is_encrypted  # the record alone

    return folder_is_encrypted(data_dir)


def _needs_setup(data_dir: Path, db_url: str | None) -> bool:
    if db_url:
        from outreach_app.services.store import open_store

        try:
            open_store(data_dir, db_url).close()
        except NotInitialised:
            return True
        return False
    try:
        _folder_is_encrypted(data_dir)
    except NotInitialised:
        return True
    return False


@dataclass(frozen=True)
class OpenBehind:
    """The main window opens the folder behind its "Opening your data…": a plain folder, or
    one just set up with the passphrase typed in the setup."""

    passphrase: str | None = field(default=None, repr=False)


OPEN_BEHIND = OpenBehind()  # a plain folder


def open_data(data_dir: Path, db_url: str | None) -> Any:
    """Setup on first run, then the passphrase when the folder is encrypted: the opened store
    (PostgreSQL), an OpenBehind for a plain folder or one just set up, the UnlockDialog with
    the passphrase entered for an encrypted one (all opened behind the shown window), or None:
    cancelled."""
    if _needs_setup(data_dir, db_url):
        done = SetupDialog.ask(None, data_dir, db_url)
        if done is None:
            return None
        configure_file_logging(data_dir)
        if not db_url:
            return OpenBehind(done.passphrase)  # typed twice just now: not asked a third time
    if db_url:
        from outreach_app.services.store import open_store

        return open_store(data_dir, db_url)
    if _folder_is_encrypted(data_dir):
        return UnlockDialog.ask(None, data_dir, db_url)
    return OPEN_BEHIND


def claim_folder(data_dir: Path, db_url: str | None) -> Any:
    """One app per data folder (services/app_lock.py): the lock this app now holds; None when
    there is no folder to claim (PostgreSQL, or a first run before its setup made it); False
    after saying which computer and process has the folder open."""
    if db_url or not data_dir.is_dir():
        return None
    from outreach_app.services.app_lock import claim_folder as claim

    try:
        return claim(data_dir)
    except OutreachError as error:
        show_store_error(None, error)
        return False


def prepare_app(app: QApplication) -> None:
    """Names, icon, Qt's own language and the palette: before the first window shows."""
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName(DESKTOP_FILE)  # Wayland matches the window to the desktop entry
    app.setWindowIcon(app_icon())
    apply_language(app)  # Qt's own buttons and dialogs in the language chosen (--lang, system)
    if starting_contrast():  # chosen on this computer, else the system's preference
        apply_theme(app, True)  # before the first window: setup and unlock too
    follow_system(app)


def run_app(data_dir: Path, db_url: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    prepare_app(app)
    data_dir = Path(data_dir)
    configure_file_logging(data_dir)
    install_excepthook(data_dir)
    claims = [claim_folder(data_dir, db_url)]  # before the passphrase is asked
    try:
        return _run_claimed(app, data_dir, db_url, claims)
    finally:
        for claim in claims:
            if claim:
                claim.release()


def _run_claimed(app: Any, data_dir: Path, db_url: str | None, claims: list[Any]) -> int:
    if claims[0] is False:
        return 1
    try:
        store = open_data(data_dir, db_url)
    except StoreError as error:
        show_store_error(None, error)
        return 3
    except OutreachError as error:
        show_store_error(None, error)
        return 1
    if store is None:
        return 0
    if claims[0] is None and not db_url:  # the first-run setup has just made the folder
        claims.append(claim_folder(data_dir, db_url))
        if claims[-1] is False:
            return 1
    window = show_main_window(store, data_dir, db_url)
    window.opening_failed.connect(app.exit)
    smoke.watch(window)  # only with OUTREACH_SMOKE_EXIT_AFTER_SHOWN=1 (packaging's smoke test)
    return app.exec()


def show_main_window(
    opened: Any, data_dir: Path, db_url: str | None, settings: QSettings | None = None
) -> MainWindow:
    """The main window, shown, opening what `open_data` gave."""
    window = MainWindow(None, data_dir, db_url, settings=settings)
    window.show()
    if isinstance(opened, OpenBehind):
        window.open_in_background(passphrase=opened.passphrase)
    elif isinstance(opened, UnlockDialog):
        window.open_in_background(unlock=opened)  # a wrong passphrase brings the dialog back
    else:
        QTimer.singleShot(0, lambda: window.attach_store(opened))  # after the window shows
    return window
