"""Signing in: the sign-in screen's work on the database, and who the window says is signed in.

The PIN checks run on the database worker as `urgent` jobs: they go ahead while the worker is
paused by the lock (every other job waits for the sign-in). A wrong PIN is counted by the
services (`staff.check_pin`, the growing wait); the person signed in becomes the context's
person, so every job after it acts as them (`DbWorker.acting`, the store's `staff_id`).
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QLabel

from outreach_app.domain.errors import OutreachError
from outreach_app.domain.roles import role_label
from outreach_app.i18n import _

from outreach_app.ui.context import AppContext
from outreach_app.ui.mnemonics import shortcut_text
from outreach_app.ui.widgets.role_notice import SWITCH_KEYS
from outreach_app.ui.widgets.sign_in_screen import SignInScreen, people_from


def load_people(store: Any) -> list[Any]:
    from outreach_app.services import staff

    with store.reading() as uow:
        people = staff.list_staff(uow, include_inactive=False)
        return people_from(people, staff.first_coordinator_id(uow.session))


def try_pin(store: Any, name: str, pin: str) -> Any:
    """The services' PinCheck: ok with the person, or refused with the message and the wait."""
    from outreach_app.services import staff

    return store.write(lambda uow: staff.check_pin(uow, name, pin))


def set_first_pin(store: Any, name: str, pin: str) -> Any:
    """The folder's first coordinator chooses their PIN on this device, then is signed in."""
    from outreach_app.services import auth, staff

    def attempt(uow: Any) -> Any:
        person = staff.find(uow.session, name)
        if person.id != staff.first_coordinator_id(uow.session):
            raise OutreachError(
                _("{name}'s PIN is set by a coordinator (Records › Staff…).", name=person.name)
            )
        uow.staff_id = person.id  # the audit says who chose it
        auth.set_coordinator_pin(uow, pin)
        return staff.check_pin(uow, name, pin)

    return store.write(attempt)


class SignIn(QObject):
    """The screen, its jobs, and the status bar's "signed in" label."""

    signed_in = Signal(object)  # the services' StaffInfo of the person now signed in

    def __init__(self, context: AppContext, settings: QSettings, parent: QObject) -> None:
        super().__init__(parent)
        self._context, self._settings = context, settings
        self.screen = SignInScreen()
        self.screen.sign_in_requested.connect(self._on_sign_in)
        self.screen.set_pin_requested.connect(self._on_set_pin)
        self.status = QLabel("")
        context.person_changed.connect(self._show_person)
        self._show_person(context.person)

    def ask(self, title: str, explain: str, *, choose_name: bool = False) -> None:
        """Shows a fresh screen and fills the names from the staff list."""
        self.screen.prepare(title, explain, choose_name=choose_name)
        self.screen.set_busy(True)
        self._context.worker.submit(load_people, self._on_people, self._on_error, urgent=True)

    def _on_people(self, people: list[Any]) -> None:
        self.screen.set_busy(False)
        self.screen.fill(people, str(self._settings.value("last_person", "")) or None)

    def _on_sign_in(self, name: str, pin: str) -> None:
        self.screen.set_busy(True)
        self._context.worker.submit(
            lambda store: try_pin(store, name, pin), self._on_checked, self._on_error, urgent=True
        )

    def _on_set_pin(self, name: str, pin: str) -> None:
        self.screen.set_busy(True)
        self._context.worker.submit(
            lambda store: set_first_pin(store, name, pin),
            self._on_checked,
            self._on_error,
            urgent=True,
        )

    def _on_checked(self, check: Any) -> None:
        if not check.ok or check.staff is None:
            self.screen.refused(check.message, check.wait_seconds)
            return
        self.screen.set_busy(False)
        self._settings.setValue("last_person", check.staff.name)
        self._context.set_person(check.staff)
        self.signed_in.emit(check.staff)

    def _on_error(self, error: OutreachError) -> None:
        self.screen.refused(error.message)

    def _show_person(self, person: Any) -> None:
        if person is None:
            self.status.setText(_("Nobody signed in"))
        else:
            who = f"<b>{escape(person.name)}</b> ({role_label(person.role)})"
            self.status.setText(
                _(
                    "Signed in: {who} · Switch person: {keys}",
                    who=who,
                    keys=shortcut_text(SWITCH_KEYS),
                )
            )
