"""What the window shows until someone signs in: a name chosen from the active staff and a PIN.

Used at start, after the idle lock (Ctrl+L), when switching person at a shared counter and after
"Lock and close" once the passphrase opened the data again. The pages stay alive underneath
(hidden), so anything typed into a form is still there after signing in.

Three states, by the person chosen: their PIN is asked; the folder's first coordinator has no
PIN on this device yet, so it is chosen here, typed twice; anyone else without a PIN here is told
a coordinator can set one. After wrong PINs the services make the next try wait: the wait is
shown as a countdown and the button stays off until it ends.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.roles import role_label
from outreach_app.i18n import _, ngettext

from outreach_app.ui.theme import set_tone


class Person(NamedTuple):
    name: str
    role: str
    has_pin: bool  # on this device
    first_coordinator: bool  # may choose their first PIN here


def pin_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(12)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    edit.setPlaceholderText(placeholder)
    edit.setFixedWidth(320)
    return edit


class SignInScreen(QWidget):
    sign_in_requested = Signal(str, str)  # name, PIN
    set_pin_requested = Signal(str, str)  # name, the new PIN (typed twice, the same)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<h2>" + _("Sign in") + "</h2>")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = QLabel("")
        self.explain.setWordWrap(True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain.setFixedWidth(440)  # a wrapped label needs a width to wrap against
        self.names = QComboBox()
        self.names.setFixedWidth(320)
        self.names.setAccessibleName(_("Your name"))
        self.names.currentIndexChanged.connect(self._on_person_changed)
        # Letters typed on the list choose the person; the first digit starts the PIN, so
        # switching person is Ctrl+Shift+P, a few letters of the name, the PIN and Enter.
        self.names.installEventFilter(self)
        self.pin = pin_edit(_("PIN"))
        self.pin.returnPressed.connect(self._on_submit)
        self.again = pin_edit(_("the same PIN again"))
        self.again.returnPressed.connect(self._on_submit)
        self.button = QPushButton(_("&Sign in"))
        self.button.setFixedWidth(320)
        self.button.clicked.connect(self._on_submit)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(320, 8)
        self.busy.hide()
        self.error = QLabel("")
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setFixedWidth(440)
        self.wait = QLabel("")  # the countdown after wrong PINs
        self.wait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._seconds = 0
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._on_tick)
        self._people: list[Person] = []
        self._typed, self._typed_at = "", 0.0  # the letters of a name typed on the list
        form = QFormLayout()
        form.addRow(_("&Name"), self.names)
        form.addRow(_("&PIN"), self.pin)
        self.again_label = QLabel(_("PIN &again"))
        self.again_label.setBuddy(self.again)
        form.addRow(self.again_label, self.again)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.explain, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        form.setFormAlignment(Qt.AlignmentFlag.AlignHCenter)
        for widget in (self.button, self.busy, self.error, self.wait):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self._show_mode()

    # Filling ---------------------------------------------------------------------------------

    def prepare(self, title: str, explain: str, *, choose_name: bool) -> None:
        """Shown afresh: nothing typed, no message; the focus on the names (switching person)
        or on the PIN of the person chosen (start, idle lock)."""
        self.title.setText(f"<h2>{title}</h2>")
        self.explain.setText(explain)
        self.explain.setMinimumHeight(self.explain.heightForWidth(440))  # else cut off
        self.pin.clear()
        self.again.clear()
        self.error.clear()
        self._choose_name = choose_name
        self._focus()

    def fill(self, people: list[Person], current: str | None) -> None:
        self._people = list(people)
        self.names.blockSignals(True)
        self.names.clear()
        for person in self._people:
            self.names.addItem(f"{person.name} ({role_label(person.role)})", person.name)
        index = self.names.findData(current) if current else -1
        self.names.setCurrentIndex(max(index, 0))
        self.names.blockSignals(False)
        self._show_mode()
        self._focus()

    def person(self) -> Person | None:
        index = self.names.currentIndex()
        return self._people[index] if 0 <= index < len(self._people) else None

    @property
    def setting_pin(self) -> bool:
        person = self.person()
        return person is not None and not person.has_pin and person.first_coordinator

    # Outcomes --------------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.pin.setReadOnly(busy)
        self.again.setReadOnly(busy)
        self._enable()
        if busy:
            self.error.clear()

    def refused(self, message: Any, wait_seconds: int = 0) -> None:
        """`message`: text, or the services' translatable text (shown in today's language)."""
        self.set_busy(False)
        self.error.setText(str(message))
        self.pin.clear()
        self.again.clear()
        self._seconds = wait_seconds
        if wait_seconds:
            self._tick.start()
        self._show_wait()
        self._focus_pin()

    @property
    def waiting(self) -> int:
        """Seconds before the next try is accepted (0: now)."""
        return self._seconds

    # Private ---------------------------------------------------------------------------------

    def _focus(self) -> None:
        if getattr(self, "_choose_name", False) or self.person() is None:
            self.names.setFocus()
        else:
            self._focus_pin()

    def _search(self, text: str) -> None:
        """The name starting with what was typed in the last second ("ZZ S" → ZZ Sam)."""
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < 1.0 else "") + text
        self._typed_at = now
        wanted = self._typed.casefold()
        for index, person in enumerate(self._people):
            if person.name.casefold().startswith(wanted):
                self.names.setCurrentIndex(index)
                return

    def _focus_pin(self) -> None:
        self.pin.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.names and isinstance(event, QKeyEvent):
            text = event.text()
            if event.type() == QEvent.Type.KeyPress and text.isdigit():
                self._focus_pin()
                self.pin.insert(text)
                return True
            if event.type() == QEvent.Type.KeyPress and text.isprintable() and text:
                self._search(text)  # a space in a name must not open the list
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.type() == QEvent.Type.KeyPress:
                    self._focus_pin()
                return True
        return super().eventFilter(watched, event)

    def _on_person_changed(self, _index: int) -> None:
        self.pin.clear()
        self.again.clear()
        self.error.clear()
        self._seconds = 0  # the wait is someone else's: the services count per person
        self._tick.stop()
        self._show_mode()

    def _show_mode(self) -> None:
        person = self.person()
        setting = self.setting_pin
        self.again.setVisible(setting)
        self.again_label.setVisible(setting)
        self.button.setText(_("&Set PIN and sign in") if setting else _("&Sign in"))
        if person is not None and not person.has_pin and not setting:
            self.wait.setText(
                _(
                    "{name} has no PIN on this device yet; a coordinator can set one "
                    "(Records › Staff…).",
                    name=person.name,
                )
            )
        elif setting and person is not None:
            self.wait.setText(
                _(
                    "No PIN is set for {name} on this device yet: choose one now (4 to 12 "
                    "digits) and type it twice.",
                    name=person.name,
                )
            )
        else:
            self._show_wait()
        self._enable()

    def _enable(self) -> None:
        person = self.person()
        usable = person is not None and (person.has_pin or person.first_coordinator)
        self.button.setEnabled(usable and self._seconds == 0 and not self.busy.isVisible())

    def _show_wait(self) -> None:
        seconds = self._seconds
        self.wait.setText(
            ngettext(
                "The next try is possible in {n} second.",
                "The next try is possible in {n} seconds.",
                seconds,
            )
            if seconds
            else ""
        )
        self._enable()

    def _on_tick(self) -> None:
        self._seconds = max(self._seconds - 1, 0)
        if not self._seconds:
            self._tick.stop()
            if self.error.text():
                self.error.setText(self.error.text() + " " + _("You can try again now."))
        self._show_wait()

    def _on_submit(self) -> None:
        person = self.person()
        if person is None or not self.button.isEnabled():
            return
        if self.setting_pin:
            if not self.again.text() and self.sender() is self.pin:
                self.again.setFocus()  # Enter after the first PIN: on to the second
                return
            if self.pin.text() != self.again.text():
                self.refused(_("The two PINs differ; type them again."))
                return
            self.set_pin_requested.emit(person.name, self.pin.text())
            return
        self.sign_in_requested.emit(person.name, self.pin.text())


def people_from(staff: list[Any], first_id: Any) -> list[Person]:
    """The screen's list from the services' StaffInfo rows (active ones only)."""
    return [
        Person(s.name, s.role, s.has_pin, s.id == first_id and s.role == "coordinator")
        for s in staff
        if s.active
    ]
