"""One call off the GUI thread, for work done before a store (and so its DbWorker) exists:
opening the store behind the passphrase (SQLCipher key derivation, a quick probe, maybe a
migration). The result or the error is delivered on the GUI thread.

    call = BackgroundCall(lambda: open_store(...), on_done, on_error, discard=close_store)
    call.start()

`cancel()` stops the delivery; a result that arrives after it goes to `discard` instead (an
opened store is closed, not leaked). `synchronous=True` runs the call inside `start()`, for tests
that do not exercise threading (as `DbWorker(synchronous=True)`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

# Calls on their way: each stays alive until its result is delivered, whatever its owner does.
_running: set[BackgroundCall] = set()


class BackgroundCall(QObject):
    _finished = Signal(object, object)  # result, error

    def __init__(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        discard: Callable[[Any], None] | None = None,
        synchronous: bool = False,
    ) -> None:
        super().__init__()
        self._call, self._on_done, self._on_error = call, on_done, on_error
        self._discard = discard
        self._synchronous = synchronous
        self._thread: threading.Thread | None = None
        self._cancelled = False
        self.running = False
        self._finished.connect(self._deliver)  # a slot of a GUI-thread object: queued

    def start(self) -> None:
        self.running = True
        if self._synchronous:
            result, error = self._outcome()
            self._deliver(result, error)
            return
        _running.add(self)
        self._thread = threading.Thread(target=self._run, name="background-call", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """No callback runs after this; a result still on its way is discarded."""
        self._cancelled = True

    def wait(self, seconds: float | None = None) -> None:
        """Waits for the thread (not the delivery), e.g. before a test ends."""
        if self._thread is not None:
            self._thread.join(seconds)

    def _outcome(self) -> tuple[Any, BaseException | None]:
        try:
            return self._call(), None
        except BaseException as error:  # delivered to on_error on the GUI thread
            return None, error

    def _run(self) -> None:
        result, error = self._outcome()
        self._finished.emit(result, error)

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        self.running = False
        # Let go of this object only once the event that called this slot is over: freed here,
        # Qt would still be delivering to it (a crash after the callbacks).
        QTimer.singleShot(0, lambda: _running.discard(self))
        if self._cancelled:
            if error is None and self._discard is not None:
                self._discard(result)
            return
        if error is None:
            self._on_done(result)
        else:
            self._on_error(error)
