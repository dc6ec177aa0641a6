"""What every page shares: the worker, the current site, and the coordinator gate."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from outreach_app.ui.worker import DbWorker

# (parent widget, what the action is) -> True when the coordinator PIN was given (or is
# still unlocked). The main window installs the real PIN dialog; tests install a stand-in.
CoordinatorGate = Callable[[QWidget | None, str], bool]


class AppContext(QObject):
    site_changed = Signal(str)
    data_changed = Signal()  # emitted after any write, so pages refresh what they show

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

    @property
    def current_site(self) -> str:
        return self._site

    def set_current_site(self, name: str) -> None:
        if name != self._site:
            self._site = name
            self.site_changed.emit(name)

    def require_coordinator(self, parent: QWidget | None, action: str) -> bool:
        return self.coordinator_gate(parent, action)
