"""Start-up: the first window shows before SQLAlchemy is imported, a plain folder opens behind
the shown window, and pages are built the first time they are shown."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QSettings

from tests.ui.conftest import close_window, sign_in

from outreach_app.ui.main_window import PAGES, MainWindow


def test_the_app_module_imports_no_sqlalchemy_nor_services():
    code = (
        "import sys, outreach_app.ui.app, outreach_app.cli.parser; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' "
        "or m.startswith(('outreach_app.storage.engine', 'outreach_app.services.store', "
        "'outreach_app.ui.pages', 'reportlab', 'pypdfium2'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_plain_folder_opens_behind_the_shown_window(qtbot, plain_folder, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, plain_folder, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.opening_label.isVisible() and window.worker is None
    window.open_in_background()
    qtbot.waitUntil(lambda: window.worker is not None, timeout=10_000)
    sign_in(qtbot, window)
    titles = [title for title, _module, _cls in PAGES]
    assert window.pages.is_built(0)
    assert not any(window.pages.is_built(i) for i in range(1, len(PAGES)))
    window.show_page(titles.index("Encounters"))
    assert window.pages.is_built(titles.index("Encounters"))
    assert not window.pages.is_built(titles.index("Reports"))
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    close_window(qtbot, window)
