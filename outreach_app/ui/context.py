"""What every page shares: the worker, the current site, and the coordinator gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from outreach_app.domain.errors import OutreachError

from outreach_app.ui.worker import DbWorker

# (parent widget, what the action is) -> True when the coordinator PIN was given (or is
# still unlocked). The main window installs the real PIN dialog; tests install a stand-in.
CoordinatorGate = Callable[[QWidget | None, str], bool]


class AppContext(QObject):
    site_changed = Signal(str)
    data_changed = Signal()  # emitted after any write, so pages refresh what they show
    writes_state_changed = Signal(str)  # "" when writes may go ahead, else why they wait

    def __init__(
        self,
        worker: DbWorker,
        *,
        org_name: str,
        current_site: str,
        coordinator_gate: CoordinatorGate,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.org_name = org_name
        self._site = current_site
        self.coordinator_gate = coordinator_gate
        self._writes_hold: str = ""  # why writes wait (the quick check runs); "" when free
        self._held: list[tuple] = []
        self._refused = False  # the check failed: writes are refused, not held

    @property
    def current_site(self) -> str:
        return self._site

    def set_current_site(self, name: str) -> None:
        if name != self._site:
            self._site = name
            self.site_changed.emit(name)

    def require_coordinator(self, parent: QWidget | None, action: str) -> bool:
        return self.coordinator_gate(parent, action)

    # Writes wait while the data file is being checked after opening; reads go ahead.

    @property
    def writes_hold(self) -> str:
        return self._writes_hold

    def hold_writes(self, why: str) -> None:
        self._writes_hold = why
        self.writes_state_changed.emit(why)

    def release_writes(self) -> None:
        self._writes_hold = ""
        self.writes_state_changed.emit("")
        held, self._held = self._held, []
        for job, on_done, on_error in held:
            self.worker.submit(job, on_done, on_error)

    def refuse_writes(self, why: str) -> None:
        """The check failed: held writes are refused with `why`, and later ones too."""
        self.hold_writes(why)
        held, self._held = self._held, []
        for _job, _on_done, on_error in held:
            if on_error is not None:
                on_error(OutreachError(why))
        self._refused = True

    def submit_write(
        self,
        job: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[OutreachError], None] | None = None,
    ) -> None:
        """Like `worker.submit`, but waits while writes are held (and is refused after a
        failed check)."""
        if not self._writes_hold:
            self.worker.submit(job, on_done, on_error)
        elif self._refused:
            if on_error is not None:
                on_error(OutreachError(self._writes_hold))
        else:
            self._held.append((job, on_done, on_error))
