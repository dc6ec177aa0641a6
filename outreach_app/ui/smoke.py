"""The built app's smoke test hook: `OUTREACH_SMOKE_EXIT_AFTER_SHOWN=1` makes the app quit by
itself once its main window has shown and the store is open.

`packaging/smoke_test.py` starts the frozen app this way (offscreen) to prove that the bundle
holds what is loaded only at run time. Once the window shows with the store open (and, with
`OUTREACH_SMOKE_PIN`, the first coordinator has signed in with it, so pages load their data),
every page in the registry is shown in turn (the registry imports them by name, and a page that
fails to import would otherwise quietly become a "coming in a later version" placeholder); with
the PIN the Dashboard must also have drawn its charts (pyqtgraph, loaded only then). The window
then closes the ordinary way (queued jobs, the daily backup) and the app exits 0. Exit 1, with
the reason on stderr, when a page is a placeholder, the charts did not load, a job fails
unexpectedly, an exception reaches `sys.excepthook` (printed, not shown in a dialog nobody can
close), or the window is not open with its store within `TIMEOUT_MS`.

Nothing else changes: without the variable this module only answers `wanted()`.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from outreach_app.ui.page_registry import PAGES, PLACEHOLDER

ENV = "OUTREACH_SMOKE_EXIT_AFTER_SHOWN"
PIN_ENV = "OUTREACH_SMOKE_PIN"  # the first coordinator's: signed in before the pages are shown
TIMEOUT_MS = 90_000
SETTLE_MS = 2_000  # after the last page is shown: its first jobs run before the window closes


def wanted() -> bool:
    return os.environ.get(ENV) == "1"


def say(text: str) -> None:
    print(f"smoke: {text}", file=sys.stderr, flush=True)


class SmokeExit(QObject):
    """Watches one main window, as its child (so it lives as long); see the module docstring."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.problems: list[str] = []
        self._typed = False  # the PIN, once
        self.clock = QElapsedTimer()
        self.clock.start()
        self.timer = QTimer(self, interval=100)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        sys.excepthook = self._excepthook  # replaces the app's dialog: nobody is there to close it

    def _excepthook(self, kind: Any, error: BaseException, tb: Any) -> None:
        say("unexpected exception:\n" + "".join(traceback.format_exception(kind, error, tb)))
        self._fail(f"{kind.__name__}: {error}")

    def _poll(self) -> None:
        if self.clock.elapsed() > TIMEOUT_MS:
            self._fail(f"the window was not open with its data within {TIMEOUT_MS // 1000} s")
        elif self.window.isVisible() and getattr(self.window, "worker", None) is not None:
            if not self._signed_in():
                return
            self.timer.stop()
            say(f"window shown: {self.window.windowTitle()}")
            self.window.worker.unexpected_error.connect(self.problems.append)
            self._show_pages()

    def _signed_in(self) -> bool:
        """With OUTREACH_SMOKE_PIN, the first coordinator signs in (their PIN typed as the
        names show), so the pages load their data and the Dashboard draws its charts."""
        pin = os.environ.get(PIN_ENV)
        if not pin or self.window.context.person is not None:
            return True
        screen = self.window.sign_in.screen
        if self._typed and screen.error.text():
            self._fail(f"the sign-in refused {PIN_ENV}: {screen.error.text()}")
        elif screen.names.count() and not self._typed:
            self._typed = True
            screen.pin.setText(pin)
            screen.button.click()
        return False

    def _show_pages(self) -> None:
        for index, spec in enumerate(PAGES):
            self.window.show_page(index)
            page = self.window.pages.widget(index)
            if isinstance(page, QLabel) and page.objectName() == PLACEHOLDER:  # any language
                self.problems.append(f"page {spec.title!r} ({spec.module}) did not load")
        say(f"{len(PAGES)} pages shown")
        QTimer.singleShot(SETTLE_MS, self._finish)

    def _finish(self) -> None:
        charts = "pyqtgraph" in sys.modules
        if os.environ.get(PIN_ENV) and not charts:
            if self.clock.elapsed() < TIMEOUT_MS:  # its data, then the charts, still loading
                QTimer.singleShot(200, self._finish)
                return
            self.problems.append("the Dashboard's charts (pyqtgraph) did not load")
        if self.problems:
            self._fail("; ".join(self.problems))
            return
        say(f"closing (pyqtgraph loaded: {charts})")
        # A timeout still applies while the window finishes (backup on close).
        self.timer.timeout.disconnect(self._poll)
        self.timer.timeout.connect(self._check_closing)
        self.timer.start()
        self.window.close()

    def _check_closing(self) -> None:
        if self.clock.elapsed() > TIMEOUT_MS:
            self._fail("the window did not finish closing in time")

    def _fail(self, why: str) -> None:
        self.timer.stop()
        say(f"FAILED: {why}")
        QApplication.exit(1)


def watch(window: Any) -> SmokeExit | None:
    """A watcher on `window`, when the variable asks for one."""
    return SmokeExit(window) if wanted() else None
