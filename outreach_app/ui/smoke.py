"""The built app's smoke test hook: `OUTREACH_SMOKE_EXIT_AFTER_SHOWN=1` makes the app quit by
itself once its main window has shown and the store is open.

`packaging/smoke_test.py` starts the frozen app this way (offscreen) to prove that the bundle
holds what is loaded only at run time. Once the window shows with the store open, every page in
the registry is shown in turn (the registry imports them by name, and a page that fails to import
would otherwise quietly become a "coming in a later version" placeholder), which also loads
pyqtgraph for the Dashboard; the window then closes the ordinary way (queued jobs, the daily
backup) and the app exits 0. Exit 1, with the reason on stderr, when a page is a placeholder,
a job fails unexpectedly, an exception reaches `sys.excepthook` (printed, not shown in a dialog
nobody can close), or the window is not open with its store within `TIMEOUT_MS`.

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
            self.timer.stop()
            say(f"window shown: {self.window.windowTitle()}")
            self.window.worker.unexpected_error.connect(self.problems.append)
            self._show_pages()

    def _show_pages(self) -> None:
        for index, spec in enumerate(PAGES):
            self.window.show_page(index)
            page = self.window.pages.widget(index)
            if isinstance(page, QLabel) and page.objectName() == PLACEHOLDER:  # any language
                self.problems.append(f"page {spec.title!r} ({spec.module}) did not load")
        say(f"{len(PAGES)} pages shown")
        QTimer.singleShot(SETTLE_MS, self._finish)

    def _finish(self) -> None:
        if self.problems:
            self._fail("; ".join(self.problems))
            return
        say(f"closing (pyqtgraph loaded: {'pyqtgraph' in sys.modules})")
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
