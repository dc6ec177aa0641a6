"""Who may see the window: the data stays behind the sign-in screen until someone signs in (at
start, after the idle lock, when switching person, after "Lock and close" and its passphrase).

While locked the database worker is paused: nothing queued meanwhile reopens the store or
writes; the jobs wait and run after the sign-in, as the person then signed in. Only the sign-in's
own jobs, and closing the store for "Lock and close", go ahead (`urgent`). At start, before
anyone has signed in, the Log form's lists (sites, catalog, stock: nothing about participants or
the person) also load behind the sign-in screen, so the form is ready as soon as someone signs
in; nothing is shown until then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from outreach_app.i18n import N_, _

from outreach_app.ui.context import AppContext
from outreach_app.ui.sign_in import SignIn
from outreach_app.ui.window_lock import LockKind, WindowLock

# Message ids (N_): the sign-in screen shows them in the language of the moment.
WHY = {
    LockKind.START: (N_("Sign in"), N_("Choose your name and type your PIN.")),
    LockKind.IDLE: (
        N_("Locked"),
        N_(
            "The data is hidden. Anyone on the staff may sign in; anything typed into a form "
            "before locking is kept."
        ),
    ),
    LockKind.SWITCH: (
        N_("Switch person"),
        N_(
            "Type the first letters of your name, then your PIN and Enter. What is on screen "
            "stays as it was."
        ),
    ),
    LockKind.CLOSED: (N_("Sign in"), N_("The data is open again. Type your PIN to carry on.")),
}


class WindowSession(QObject):
    """Connects the lock, the sign-in and the worker; `show(widget)` puts the sign-in screen,
    the passphrase screen or (None) the pages in the window; `chrome(enabled)` turns the menus
    and the site bar on or off; `status(text, ms)` writes the status bar."""

    def __init__(
        self,
        *,
        context: AppContext,
        lock: WindowLock,
        sign_in: SignIn,
        show: Callable[[QWidget | None], None],
        chrome: Callable[[bool], None],
        status: Callable[[str, int], None],
        stop_work: Callable[[Callable[[], None]], bool],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._context, self._lock, self._sign_in = context, lock, sign_in
        self._show, self._chrome, self._status = show, chrome, status
        self._stop_work = stop_work  # `PagesWork.stop`: a sync ends before the store closes
        self._shown_nothing = True  # until the first sign-in: pages have only loads held
        lock.locked_changed.connect(self._on_locked_changed)
        sign_in.signed_in.connect(self._on_signed_in)

    def start(self) -> None:
        """Nobody is signed in yet: every job but the sign-in's waits, except the reads that
        hold nothing about participants or the person (the Log form's lists), which load
        behind the sign-in screen so the form is ready the moment someone signs in."""
        self._context.worker.pause(reads_ahead=True)
        self._lock.lock(LockKind.START)

    def switch_person(self) -> None:
        self._lock.lock(LockKind.SWITCH)

    def lock_and_close(self) -> None:
        self._lock.lock(LockKind.CLOSED)

    def reopened(self, store: Any) -> None:
        """After Lock and close: the passphrase opened the store; now the PIN."""
        self._context.worker.store = store
        self._lock.reopened()
        self._ask(LockKind.CLOSED)

    def _on_locked_changed(self, locked: bool) -> None:
        worker = self._context.worker
        if not locked:
            worker.resume()  # the jobs held meanwhile, as the person now signed in
            self._show(None)
            self._chrome(True)
            return
        kind = self._lock.kind or LockKind.IDLE
        worker.pause(reads_ahead=kind is LockKind.START)
        self._context.set_person(None)
        self._chrome(False)
        if self._lock.store_closed:
            self._show(self._lock.screen)
            closing = worker.store  # not the one the passphrase may have opened meanwhile

            def close_store() -> None:
                worker.submit(lambda _store: closing.close(), urgent=True)  # after running jobs
                self._status(_("Locked and closed"), 0)

            if self._stop_work(close_store):
                self._status(_("Finishing the sync…"), 0)
            return
        self._ask(kind)

    def _ask(self, kind: LockKind) -> None:
        title, explain = WHY[kind]
        self._show(self._sign_in.screen)
        self._sign_in.ask(_(title), _(explain), choose_name=kind is LockKind.SWITCH)
        self._status(_("Locked") if kind is LockKind.IDLE else _("Sign in"), 0)

    def _on_signed_in(self, person: Any) -> None:
        if self._lock.locked:
            self._lock.unlocked()  # the loads held meanwhile run now, as this person
            if not self._shown_nothing:
                # Pages still show what they loaded for the person before: refresh them. At
                # start they have shown nothing yet, and refreshing would load each page twice
                # before the first save could run.
                self._context.data_changed.emit()
        self._shown_nothing = False
        self._status(_("Signed in as {name}.", name=person.name), 3000)


class FinishingScreen(QLabel):
    """What the window shows while it finishes on close: first, when a sync is under way, that
    it ends after its batch (`syncing`); then the saves in progress and the day's backup."""

    def __init__(self, status: Callable[[str], None]) -> None:
        super().__init__()
        self._status = status  # the window's status bar says the stage too
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.show_stage(syncing=False)

    def show_stage(self, *, syncing: bool) -> None:
        if syncing:
            title = _("Finishing the sync…")
            explain = _(
                "The sync stops when the batch under way is complete, so nothing is left "
                "half-sent. Then the day's backup is taken and the window closes by itself."
            )
        else:
            title = _("Finishing…")
            explain = _(
                "Saving what is in progress and taking the day's backup. The window closes "
                "by itself."
            )
        self.setText(f"<h3>{title}</h3><p>{explain}</p>")
        self._status(title)
