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
    writes_state_changed = Signal(str)  # why writes are refused from now on
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
        self._writes_refused = ""  # why writes are refused (the file is damaged); "" if not

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

    # Writes are refused once the check after opening has found the file damaged
    # (`store_upkeep.OpeningCheck`): adding to a damaged file could spread the damage. Nothing
    # waits for that check: it runs beside the app's work, so until it ends writes go ahead.

    @property
    def writes_refused(self) -> str:
        """Why writes are refused ("" while they go ahead)."""
        return self._writes_refused

    def refuse_writes(self, why: str) -> None:
        self._writes_refused = why
        self.writes_state_changed.emit(why)

    def submit_write(
        self,
        job: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[OutreachError], None] | None = None,
    ) -> None:
        """Like `worker.submit`, but refused with the reason once writes are refused (the
        page gets its error path, so its Save comes back)."""
        if not self._writes_refused:
            self.worker.submit(job, on_done, on_error)
        elif on_error is not None:
            on_error(OutreachError(self._writes_refused))
