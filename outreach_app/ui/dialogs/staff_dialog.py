"""Staff… (Records menu, coordinators): the staff list; add a person with a role and a PIN,
set someone's PIN on this device, deactivate someone who left (their records keep their name).

The services check the role (`staff.add_staff`, `deactivate_staff`, `set_pin`); a PIN is set
per device, so a person who joined on another computer needs one set here before signing in.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.domain.roles import Role, role_label
from outreach_app.i18n import _
from outreach_app.services import staff

from outreach_app.ui.context import AppContext
from outreach_app.ui.models import staff_table as st
from outreach_app.ui.models.rows import RowRole
from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.common import MessageLine, compact_table, submit_write
from outreach_app.ui.widgets.modal import run_modal
from outreach_app.ui.widgets.sign_in_screen import pin_edit


class PersonDialog(QDialog):
    """A new person (name, role, PIN twice) or a new PIN for `name`."""

    def __init__(self, name: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a person") if name is None else _("Set {name}'s PIN", name=name))
        self.name = QLineEdit(name or "")
        self.name.setPlaceholderText(_("a first name or a nickname is enough"))
        self.role = QComboBox()
        for role in (Role.WORKER.value, Role.COORDINATOR.value):
            self.role.addItem(role_label(role), role)
        self.pin, self.again = pin_edit(_("4 to 12 digits")), pin_edit(_("the same PIN again"))
        self.error = QLabel("")
        set_tone(self.error, "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        if name is None:
            form.addRow(_("&Name"), self.name)
            form.addRow(_("&Role"), self.role)
        form.addRow(_("&PIN"), self.pin)
        form.addRow(_("PIN &again"), self.again)
        form.addRow(self.error)
        form.addRow(buttons)

    def _on_ok(self) -> None:
        if not self.name.text().strip():
            self.error.setText(_("Give the person a name."))
        elif not self.pin.text().isdigit() or not 4 <= len(self.pin.text()) <= 12:
            self.error.setText(_("A PIN is 4 to 12 digits."))
        elif self.pin.text() != self.again.text():
            self.error.setText(_("The two PINs differ; type them again."))
        else:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, name: str | None = None) -> tuple[str, str, str] | None:
        """(name, role, PIN), or None when cancelled."""
        dialog = cls(name, parent)
        if run_modal(dialog) != QDialog.DialogCode.Accepted:
            return None
        return " ".join(dialog.name.text().split()), dialog.role.currentData(), dialog.pin.text()


class StaffDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(_("Staff"))
        self.resize(640, 420)
        self.model = st.StaffTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Staff"))
        self.table.setModel(self.model)
        compact_table(self.table)
        header = self.table.horizontalHeader()
        # Each column as wide as its header or cells: "PIN on this device" was cut short.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(st.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("&Add…"))
        self.pin_button = QPushButton(_("Set &PIN…"))
        self.deactivate_button = QPushButton(_("&Deactivate"))
        self.message = MessageLine()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.pin_button, self.deactivate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self._on_add)
        self.pin_button.clicked.connect(self._on_set_pin)
        self.deactivate_button.clicked.connect(self._on_deactivate)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._on_selection()
        self._load()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], RowRole) if rows else None

    def _on_selection(self, *_args: Any) -> None:
        person = self.selected()
        self.pin_button.setEnabled(person is not None and person.active)
        self.deactivate_button.setEnabled(person is not None and person.active)

    def _load(self) -> None:
        def job(store: Any) -> Any:
            with store.reading() as uow:
                return staff.list_staff(uow)

        self._context.worker.submit(job, self._on_loaded, self._on_error)

    def _on_loaded(self, people: list[Any]) -> None:
        self.model.set_rows(people)
        self._on_selection()

    def _write(self, change: Any, done: str) -> None:
        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                return change(uow)

        def on_done(_person: Any) -> None:
            self.message.show_info(done)
            self._load()

        submit_write(self._context, job, on_done, self._on_error)

    def _on_add(self) -> None:
        answer = PersonDialog.ask(self)
        if answer is not None:
            name, role, pin = answer
            self._write(
                lambda uow: staff.add_staff(uow, name, role, pin),
                _(
                    "Added {name} as a {role}, with a PIN on this device.",
                    name=name,
                    role=role_label(role),
                ),
            )

    def _on_set_pin(self) -> None:
        person = self.selected()
        answer = PersonDialog.ask(self, person.name) if person else None
        if answer is not None:
            name, pin = person.name, answer[2]
            self._write(
                lambda uow: staff.set_pin(uow, name, pin), _("Set {name}'s PIN here.", name=name)
            )

    def _on_deactivate(self) -> None:
        person = self.selected()
        if person is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Deactivate"),
            _(
                "Deactivate {name}? They can no longer sign in; their records keep their name.",
                name=person.name,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        if run_modal(box) != QMessageBox.StandardButton.Yes.value:
            return
        name = person.name
        self._write(
            lambda uow: staff.deactivate_staff(uow, name), _("{name} is deactivated.", name=name)
        )

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)


def open_staff(context: AppContext, parent: QWidget | None = None) -> StaffDialog | None:
    if not context.require_coordinator(parent, _("manage the staff list")):
        return None
    dialog = StaffDialog(context, parent)
    dialog.show()
    return dialog
