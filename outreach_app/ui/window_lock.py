"""The window's lock (contracts §10): on demand (Ctrl+L), after some minutes without a key or
mouse input, when switching person, and "Lock and close".

Locked, every window of the app is hidden (the main window shows only the sign-in screen; the
Ledger, Stocktake, Shift-bag and Import windows and any open dialog are hidden, and shown again
after signing in, with whatever was typed in them). The idle lock and switching person keep the
store open and ask only a PIN (anyone on the staff may sign in); "Lock and close" closes the
store and asks the passphrase first (`screen`), then a PIN. The window pauses its database
worker while locked (`window_session`).
"""

from __future__ import annotations

from enum import Enum

from shiboken6 import isValid

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from outreach_app.i18n import _

from outreach_app.ui.widgets.lock_screen import LockScreen

DEFAULT_IDLE_MINUTES = 10


class LockKind(Enum):
    START = "start"  # nobody has signed in yet
    IDLE = "idle"  # Ctrl+L or the idle timer: a PIN
    SWITCH = "switch"  # another person at the counter: a name and a PIN
    CLOSED = "closed"  # Lock and close: the passphrase, then a PIN


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


def hide_other_windows(keep: QWidget | None) -> list[QWidget]:
    """Hides every visible window of the app but `keep`; the ones to show again. A dialog run
    with `widgets.modal.run_modal` waits, hidden, with what was typed in it."""
    hidden = []
    for window in QApplication.topLevelWidgets():
        if window is keep or not window.isVisible():
            continue
        if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            window.close()  # an open menu or list: nothing typed in it
            continue
        window.hide()
        hidden.append(window)
    return hidden


class WindowLock(QObject):
    locked_changed = Signal(bool)  # the window hides (True) or shows again (False) its data
    unlock_requested = Signal(str)  # after Lock and close: the passphrase ("" unencrypted)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.locked = False
        self.kind: LockKind | None = None
        self.store_closed = False  # Lock and close: until the passphrase opened it again
        self.encrypted = False
        self._window = parent
        self._hidden: list[QWidget] = []
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

    def lock(self, kind: LockKind = LockKind.IDLE) -> None:
        if self.locked:
            return
        self.locked = True
        self.kind = kind
        self.store_closed = kind is LockKind.CLOSED
        self.timer.stop()
        self._hidden = hide_other_windows(self._window)
        self.locked_changed.emit(True)
        if self.store_closed:
            self.screen.prepare(self.encrypted)

    def opening(self) -> None:
        """The store is opening with the typed passphrase."""
        self.screen.set_busy(True)

    def refused(self, why: str) -> None:
        self.screen.set_busy(False)
        self.screen.show_error(why)

    def reopened(self) -> None:
        """The passphrase opened the store again: on to the PIN."""
        self.screen.set_busy(False)
        self.store_closed = False

    def unlocked(self) -> None:
        """Someone signed in: the windows hidden by the lock come back."""
        self.locked = False
        self.kind = None
        hidden, self._hidden = self._hidden, []
        for window in hidden:
            if isValid(window) and window.isHidden():
                window.show()
        self.locked_changed.emit(False)
        self.start_watching()

    def ask_minutes(self, parent: QWidget) -> None:
        minutes, ok = QInputDialog.getInt(
            parent,
            _("Idle lock"),
            _("Lock the window after this many minutes without use:"),
            self.timer.interval() // 60_000,
            1,
            240,
        )
        if ok:
            self.settings.setValue("idle_minutes", minutes)
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()
