"""Opening the data folder: the first-run setup (a new organisation, or joining one).

The passphrase (unlock) dialog is `unlock.py`, also importable from here as before.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.codes import SiteKind
from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _, _l

from outreach_app.ui.dialogs.join_fields import InvitationPicker, join_code_field, join_organisation
from outreach_app.ui.dialogs.unlock import UnlockDialog, show_store_error
from outreach_app.ui.theme import set_tone

__all__ = ["SetupDialog", "SetupDone", "UnlockDialog", "passphrase_strength", "show_store_error"]

if TYPE_CHECKING:
    from outreach_app.services.store_init import InitOptions

NO_ENCRYPTION_RISK = _l(
    "Without encryption, anyone who gets this computer or a copy of the data folder can read "
    "every encounter, note and participant code. Choose it only if the disk itself is encrypted."
)


def passphrase_strength(text: str) -> str:
    """A plain-words hint; length matters most for a passphrase."""
    if not text:
        return ""
    words = len(text.split())
    kinds = sum(
        bool(f(text))
        for f in (
            lambda t: any(c.islower() for c in t),
            lambda t: any(c.isupper() for c in t),
            lambda t: any(c.isdigit() for c in t),
            lambda t: any(not c.isalnum() for c in t),
        )
    )
    if len(text) < 10:
        return _("Too short: use at least 10 characters, ideally four or more words.")
    if len(text) >= 20 or (words >= 4 and len(text) >= 16):
        return _("Strong.")
    if len(text) >= 14 or kinds >= 3:
        return _("Fair: a few more words would make it strong.")
    return _("Weak: add words (a phrase of four or more words is easy to remember).")


@dataclass(frozen=True)
class SetupDone:
    passphrase: str | None = field(repr=False)  # None: a folder without encryption


class SetupDialog(QDialog):
    """First run: a new organisation (its name, zone, first site) or joining one (an
    invitation file and its join code); then this device's name, the passphrase or none, and
    the first coordinator's PIN."""

    def __init__(self, data_dir: Path, db_url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set up Outreach Tally"))
        self._data_dir, self._db_url = data_dir, db_url
        self.org = QLineEdit()
        from outreach_app.services.store_init import resolve_zone  # first run only

        self.zone = QLineEdit(resolve_zone(None).key)
        self.zone.setToolTip(_("The organisation's time zone, e.g. America/Toronto"))
        # The stored default name is English, as the command line's (data, not a label).
        self.device = QLineEdit("This computer")
        self.device.setToolTip(_("A name for this computer, e.g. 'Drop-in laptop' or 'Van'"))
        self.site = QLineEdit()
        self.site.setPlaceholderText(_("e.g. Drop-in, Van, Downtown route"))
        self.site_kind = QComboBox()
        for kind in SiteKind:
            self.site_kind.addItem(kind.value, kind.value)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = QLabel("")
        self.no_encryption = QCheckBox(_("&No encryption (not recommended)"))
        self.risk = QLabel(str(NO_ENCRYPTION_RISK))
        self.risk.setWordWrap(True)
        set_tone(self.risk, "warning")
        self.risk.hide()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setToolTip(
            "4 to 12 digits: the first coordinator signs in with it on this computer"
        )
        self.error = QLabel("")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.new_org = QRadioButton(_("Ne&w organisation"))
        self.new_org.setChecked(True)
        self.join_org = QRadioButton(_("&Join an organisation"))
        self.join_org.setToolTip(
            _("With an invitation file and its join code from a coordinator's device")
        )
        choice = QButtonGroup(self)
        choice.addButton(self.new_org)
        choice.addButton(self.join_org)
        self.invitation = InvitationPicker()
        self.join_code = join_code_field()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(_("Create"))
        buttons.accepted.connect(self._on_create)
        buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(self._on_passphrase)
        self.no_encryption.toggled.connect(self._on_no_encryption)
        self.join_org.toggled.connect(self._on_join_toggled)

        intro = QLabel(
            _(
                "This data folder is empty. A few answers and the app is ready; nothing here "
                "identifies a participant."
            )
            + f"<br><small>{data_dir}</small>"
        )
        intro.setWordWrap(True)
        form = self._form = QFormLayout()
        choices = QVBoxLayout()
        choices.addWidget(self.new_org)
        choices.addWidget(self.join_org)
        form.addRow("", choices)
        form.addRow(_("Invitation fi&le"), self.invitation)
        form.addRow(_("Join &code"), self.join_code)
        form.addRow(_("&Organisation"), self.org)
        form.addRow(_("Time &zone"), self.zone)
        form.addRow(_("This &device's name"), self.device)
        form.addRow(_("&First site"), self.site)
        form.addRow(_("Site &kind"), self.site_kind)
        form.addRow(_("&Passphrase"), self.passphrase)
        form.addRow(_("Passphrase &again"), self.passphrase_again)
        form.addRow("", self.strength)
        form.addRow("", self.no_encryption)
        form.addRow("", self.risk)
        form.addRow(_("Coordinator P&IN"), self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        if db_url:
            self.no_encryption.setChecked(True)
            self.no_encryption.setEnabled(False)
            self.risk.setText(_("A PostgreSQL database is protected by the server, not here."))
        self._on_join_toggled(False)
        chain = [
            self.new_org,
            self.join_org,
            self.invitation.path,
            self.invitation.browse,
            self.join_code,
            self.org,
            self.zone,
            self.device,
            self.site,
            self.site_kind,
            self.passphrase,
            self.passphrase_again,
            self.no_encryption,
            self.pin,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)  # the order they are shown in
        self.new_org.setFocus(Qt.FocusReason.OtherFocusReason)  # the choice first

    def _on_join_toggled(self, joining: bool) -> None:
        """Joining takes the organisation, its zone and sites from the invitation."""
        for widget in (self.invitation, self.join_code):
            self._form.setRowVisible(widget, joining)
        for widget in (self.org, self.zone, self.site, self.site_kind):
            self._form.setRowVisible(widget, not joining)
        self.create_button.setText(_("Join") if joining else _("Create"))
        self.pin.setToolTip(
            _(
                "4 to 12 digits: the coordinator who made the invitation signs in with it on "
                "this computer"
            )
            if joining
            else _("4 to 12 digits: the first coordinator signs in with it on this computer")
        )
        self.error.setText("")

    def _on_passphrase(self, text: str) -> None:
        self.strength.setText(passphrase_strength(text))

    def _on_no_encryption(self, checked: bool) -> None:
        for widget in (self.passphrase, self.passphrase_again):
            widget.setEnabled(not checked)
        self.risk.setVisible(checked)
        self.strength.setVisible(not checked)

    def options(self) -> InitOptions | None:
        if not self.org.text().strip() or not self.site.text().strip():
            self.error.setText(_("Give the organisation and the first site a name."))
            return None
        if not self._common_ok():
            return None
        from outreach_app.services.store_init import InitOptions

        return InitOptions(
            org=self.org.text(),
            site=self.site.text(),
            site_kind=self.site_kind.currentData(),
            device=self.device.text(),
            timezone=self.zone.text().strip() or None,
            passphrase=self._passphrase(),
        )

    def _passphrase(self) -> str | None:
        return None if self.no_encryption.isChecked() else self.passphrase.text()

    def _common_ok(self) -> bool:
        """The passphrase (or none) and the PIN, as both choices ask them."""
        passphrase: str | None = None
        if not self.no_encryption.isChecked():
            passphrase = self.passphrase.text()
            if len(passphrase) < 10:
                self.error.setText(
                    _("Choose a passphrase of at least 10 characters, or tick 'No encryption'.")
                )
                return False
            if passphrase != self.passphrase_again.text():
                self.error.setText(_("The two passphrases differ; type them again."))
                return False
        if not self.pin.text().isdigit() or not 4 <= len(self.pin.text()) <= 12:
            self.error.setText(_("The coordinator PIN is 4 to 12 digits."))
            return False
        return True

    def _on_join(self) -> None:
        if not self._common_ok():
            return
        passphrase = None if self._db_url else self._passphrase()
        self.setCursor(Qt.CursorShape.WaitCursor)  # the join code's key takes about a second
        try:
            join_organisation(
                data_dir=self._data_dir,
                db_url=self._db_url,
                invitation=self.invitation.path.text(),
                join_code=self.join_code.text(),
                device=self.device.text(),
                passphrase=passphrase,
                pin=self.pin.text(),
            )
        except OutreachError as error:
            self.error.setText(error.message)
            return
        finally:
            self.unsetCursor()
        self.join_code.clear()  # used once: not kept in the widget
        self.created_passphrase = passphrase
        self.accept()

    def _on_create(self) -> None:
        if self.join_org.isChecked():
            self._on_join()
            return
        options = self.options()
        if options is None:
            return
        from outreach_app.services import auth
        from outreach_app.services.store import open_store
        from outreach_app.services.store_init import init_store

        try:
            init_store(self._data_dir, options, self._db_url)
            store = open_store(self._data_dir, self._db_url, options.passphrase)
            try:
                with store.unit_of_work() as uow:
                    auth.set_coordinator_pin(uow, self.pin.text())
            finally:
                store.close()
        except OutreachError as error:
            self.error.setText(error.message)
            return
        self.created_passphrase = options.passphrase
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, data_dir: Path, db_url: str | None) -> SetupDone | None:
        """Runs the setup. None when cancelled; else the new folder's passphrase (None: not
        encrypted), which the main window opens it with: the person typed it twice just now and
        is not asked again."""
        dialog = cls(data_dir, db_url, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return SetupDone(dialog.created_passphrase)
