"""The app never gets stuck: an unexpected error inside a background job gives the page back its
Save or Generate with a message saying where the log is; closing while a job runs shows that it
is finishing and closes by itself; after shutdown no job runs on the GUI thread.

The errors are real: the data file's `encounters` table is renamed behind the app's back (as a
damaged or foreign file would be), so the services' own queries fail with SQLite's error.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing

from PySide6.QtCore import QSettings, Qt, QTimer

from outreach_app.logsetup import log_path
from outreach_app.services.store import open_store
from tests.ui.conftest import close_window, sign_in

from outreach_app.ui.main_window import MainWindow
from outreach_app.ui.page_registry import page_index
from outreach_app.ui.worker import DbWorker, JobFailed

DATABASE = "outreach.db"


def _window(qtbot, folder, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(open_store(folder), folder, synchronous=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.opening_check.done, timeout=10_000)
    return window


def _rename(folder, old, new):
    with closing(sqlite3.connect(folder / DATABASE)) as db:
        db.execute(f"ALTER TABLE {old} RENAME TO {new}")
        db.commit()


def test_generate_comes_back_after_an_unexpected_error(qtbot, plain_folder, tmp_path, caplog):
    window = _window(qtbot, plain_folder, tmp_path)
    window.show_page(page_index("Reports"))
    page = window.pages.widget(page_index("Reports"))
    _rename(plain_folder, "encounters", "zz_gone")
    with caplog.at_level(logging.ERROR):
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
        assert not page.generate_button.isEnabled()  # while the job runs
        qtbot.waitUntil(page.generate_button.isEnabled, timeout=10_000)
    shown = page.message.text()
    assert page.message.isVisible() and "Something unexpected went wrong" in shown
    assert str(log_path(plain_folder)) in shown
    assert "zz_gone" not in shown and "no such table" in caplog.text  # the details: in the log
    _rename(plain_folder, "zz_gone", "encounters")
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20_000)
    assert "ready to save" in page.message.text()
    close_window(qtbot, window)


def test_the_log_page_saves_again_after_an_unexpected_error(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, plain_folder, tmp_path)
    page = window.pages.widget(page_index("Log encounter"))
    window.show_page(page_index("Log encounter"))
    qtbot.waitUntil(lambda: bool(page.form.item_rows), timeout=10_000)
    _rename(plain_folder, "encounters", "zz_gone")
    page.form.code.setText("ZZ-TEST-07")
    page.form.referral_boxes["OAT"].setChecked(True)
    page.save_action.trigger()
    qtbot.waitUntil(lambda: "Something unexpected" in page.form.message.text(), timeout=10_000)
    assert str(log_path(plain_folder)) in page.form.message.text()
    assert page.form.code.text() == "ZZ-TEST-07"  # nothing typed is lost
    _rename(plain_folder, "zz_gone", "encounters")
    page.save_action.trigger()  # not stuck in "saving"
    qtbot.waitUntil(lambda: "Saved #" in page.form.message.text(), timeout=10_000)  # a tag
    close_window(qtbot, window)


def test_a_result_slot_that_fails_still_gets_its_error_path(qtbot, ui_store):
    worker = DbWorker(ui_store, synchronous=True)
    errors = []

    def broken_slot(_result):
        raise ZeroDivisionError("a bug in the page")

    worker.submit(lambda store: store.org_name, broken_slot, errors.append)
    assert len(errors) == 1 and isinstance(errors[0], JobFailed)
    assert not worker.is_busy


def test_closing_during_a_long_job_shows_it_finishing_then_closes(qtbot, plain_folder, tmp_path):
    window = _window(qtbot, plain_folder, tmp_path)
    release = threading.Event()
    ran_on = []
    window.worker.submit(
        lambda store: (ran_on.append(threading.current_thread()), release.wait(20))
    )
    qtbot.waitUntil(lambda: bool(ran_on))
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    window.close()  # returns at once: the job still runs
    assert window.isVisible() and window.finishing
    assert "Finishing" in window.central.currentWidget().text()
    assert not window.menuBar().isEnabled()
    qtbot.wait(100)
    assert len(ticks) >= 3  # the GUI thread kept running its events meanwhile
    window.close()  # a second close while finishing is refused, not stacked
    assert window.isVisible() and "Still finishing" in window.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    timer.stop()
    assert ran_on[0] is not threading.main_thread()
    assert list((plain_folder / "backups").glob("daily-*.db"))  # taken on the worker
    late = []
    assert window.worker.submit(lambda store: late.append(threading.current_thread())) is None
    qtbot.wait(50)
    assert late == []  # refused after shutdown: never run on the GUI thread
    assert not any(t.name.startswith("db") for t in threading.enumerate())
