"""The window's lock: on demand (Ctrl+L) or after some minutes without a key or mouse input.

While locked the window shows only the lock screen and the store is closed; the pages stay alive
underneath, so a half-typed form is still there after unlocking. Unlocking reopens the store
through the same `StoreOpener` as at start; the window calls `unlocked` or `refused` with the
outcome.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from outreach_app.ui.widgets.lock_screen import LockScreen

DEFAULT_IDLE_MINUTES = 10


class IdleWatcher(QObject):
    """Restarts the idle timer on any key or mouse input anywhere in the app."""

    INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        }
    )

    def __init__(self, timer: QTimer) -> None:
        super().__init__(timer)
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT and self.timer.isActive():
            self.timer.start()
        return False


class WindowLock(QObject):
    locked_changed = Signal(bool)  # the window hides (True) or shows again (False) its data
    unlock_requested = Signal(str)  # the passphrase typed ("" for an unencrypted folder)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.locked = False
        self.encrypted = False
        minutes = int(settings.value("idle_minutes", DEFAULT_IDLE_MINUTES))
        self.timer = QTimer(self, singleShot=True, interval=max(minutes, 1) * 60_000)
        self.timer.timeout.connect(self.lock)
        self.watcher = IdleWatcher(self.timer)
        self.screen = LockScreen()
        self.screen.unlock_requested.connect(self.unlock_requested)

    def start_watching(self) -> None:
        if not self.locked and not self.timer.isActive():
            QApplication.instance().installEventFilter(self.watcher)
            self.timer.start()

    def stop_watching(self) -> None:
        QApplication.instance().removeEventFilter(self.watcher)
        self.timer.stop()

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.timer.stop()
        self.locked_changed.emit(True)
        self.screen.prepare(self.encrypted)

    def opening(self) -> None:
        """The store is opening with the typed passphrase."""
        self.screen.set_busy(True)

    def refused(self, why: str) -> None:
        self.screen.set_busy(False)
        self.screen.show_error(why)

    def unlocked(self) -> None:
        self.screen.set_busy(False)
        self.locked = False
        self.locked_changed.emit(False)
        self.timer.start()

    def ask_minutes(self, parent: QWidget) -> None:
        minutes, ok = QInputDialog.getInt(
            parent,
            "Idle lock",
            "Lock the window after this many minutes without use:",
            self.timer.interval() // 60_000,
            1,
            240,
        )
        if ok:
            self.settings.setValue("idle_minutes", minutes)
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()
