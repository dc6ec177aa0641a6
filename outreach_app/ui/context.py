"""What every page shares: the worker, the current site, and the person signed in.

The person's role decides what the pages offer (`may`, from domain/roles.py so the rule lives
once); the services refuse whatever the caller, so a disabled button is a courtesy, not the
guard. `require_coordinator` is for the few places that find out late (a shortfall on import):
a coordinator signed in goes ahead, anyone else is told a coordinator must do it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from outreach_app.domain.errors import OutreachError
from outreach_app.domain.roles import Action, Role, may

from outreach_app.ui.widgets.role_notice import CoordinatorOnly
from outreach_app.ui.worker import DbWorker


class AppContext(QObject):
    site_changed = Signal(str)
    data_changed = Signal()  # emitted after any write, so pages refresh what they show
    writes_state_changed = Signal(str)  # "" when writes may go ahead, else why they wait
    person_changed = Signal(object)  # the person signed in (id, name, role), or None

    def __init__(
        self,
        worker: DbWorker,
        *,
        org_name: str,
        current_site: str,
        person: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.org_name = org_name
        self._site = current_site
        self.person: Any = None  # a StaffInfo of the services: id, name, role
        self.set_person(person)
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

    def set_person(self, person: Any) -> None:
        """`person` signed in (None: nobody): the worker's jobs act as them from now on."""
        self.person = person
        self.worker.acting = person.id if person is not None else None
        self.person_changed.emit(person)

    @property
    def is_coordinator(self) -> bool:
        return self.person is not None and self.person.role == Role.COORDINATOR.value

    def may(self, action: Action) -> bool:
        return self.person is not None and may(self.person.role, action)

    def require_coordinator(self, parent: QWidget | None, what: str) -> bool:
        """True for a coordinator signed in; anyone else is told a coordinator must do `what`."""
        if self.is_coordinator:
            return True
        CoordinatorOnly.tell(parent, what, self.person.name if self.person else None)
        return False

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
