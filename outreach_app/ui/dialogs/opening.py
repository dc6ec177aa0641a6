"""Opening the data folder: the first-run setup and the passphrase (unlock) dialog.

The unlock dialog only asks the passphrase; the main window opens the store with it behind its
"Opening your data…" state. A failed unlock creates and changes nothing: `open_store` only reads
until the key is right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.codes import SiteKind
from outreach_app.domain.errors import OutreachError, WrongPassphrase
from outreach_app.i18n import _, _l

if TYPE_CHECKING:
    from outreach_app.services.store_init import InitOptions

ERROR_STYLE = "color: #8a1c1c;"
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
    """First run: organisation, zone, device, first site, passphrase or none, coordinator PIN."""

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
        self.risk.setStyleSheet("color: #8a4b00;")
        self.risk.hide()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setToolTip(
            _("4 to 12 digits: the first coordinator signs in with it on this computer")
        )
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create"))
        buttons.accepted.connect(self._on_create)
        buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(self._on_passphrase)
        self.no_encryption.toggled.connect(self._on_no_encryption)

        intro = QLabel(
            _(
                "This data folder is empty. A few answers and the app is ready; nothing here "
                "identifies a participant."
            )
            + f"<br><small>{data_dir}</small>"
        )
        intro.setWordWrap(True)
        form = QFormLayout()
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
        passphrase: str | None = None
        if not self.no_encryption.isChecked():
            passphrase = self.passphrase.text()
            if len(passphrase) < 10:
                self.error.setText(
                    _("Choose a passphrase of at least 10 characters, or tick 'No encryption'.")
                )
                return None
            if passphrase != self.passphrase_again.text():
                self.error.setText(_("The two passphrases differ; type them again."))
                return None
        if not self.pin.text().isdigit() or not 4 <= len(self.pin.text()) <= 12:
            self.error.setText(_("The coordinator PIN is 4 to 12 digits."))
            return None
        from outreach_app.services.store_init import InitOptions

        return InitOptions(
            org=self.org.text(),
            site=self.site.text(),
            site_kind=self.site_kind.currentData(),
            device=self.device.text(),
            timezone=self.zone.text().strip() or None,
            passphrase=passphrase,
        )

    def _on_create(self) -> None:
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


class UnlockDialog(QDialog):
    """Asks the passphrase; it does not open the store.

    Open emits `passphrase_entered` and closes the dialog: the main window then shows "Opening
    your data…" and opens the store with it on a background thread (`MainWindow.
    open_in_background(unlock=...)`). Until the window reports back, `opening` is true and Open
    is disabled; a wrong passphrase (`refused`) brings the dialog back with the reason and the
    text selected, ready to type over; `opened` records the store it unlocked.
    """

    passphrase_entered = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        db_url: str | None,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._data_dir, self._db_url = data_dir, db_url
        self._opening = False
        self.store: Any = None
        intro = QLabel(
            _("This data folder is encrypted. Type its passphrase to open it.")
            + f"<br><small>{data_dir}</small>"
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMinimumWidth(320)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no known length: a moving bar
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Open"))
        buttons.accepted.connect(self._on_open)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(_("&Passphrase"), self.passphrase)
        form.addRow(self.busy)
        form.addRow(self.error)
        form.addRow(buttons)

    @property
    def opening(self) -> bool:
        """The passphrase was entered and the store is opening with it."""
        return self._opening

    def _on_open(self) -> None:
        if self._opening:
            return  # Enter pressed again while opening
        self._set_busy(True)
        self.accept()  # first: a synchronous open may bring the dialog back at once
        self.passphrase_entered.emit(self.passphrase.text())

    def _set_busy(self, busy: bool) -> None:
        self._opening = busy
        self.ok_button.setEnabled(not busy)
        self.passphrase.setReadOnly(busy)
        self.busy.setVisible(busy)
        self.error.setStyleSheet("" if busy else ERROR_STYLE)
        self.error.setText(_("Opening…") if busy else "")

    def opened(self, store: Any) -> None:
        """The store opened with the entered passphrase."""
        self._set_busy(False)
        self.store = store

    def refused(self, error: OutreachError) -> None:
        """The store did not open: back to the person, with the reason."""
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            self.error.setText(_("That passphrase is not right. Check Caps Lock and try again."))
        else:
            self.error.setText(error.message)
        self.passphrase.selectAll()
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.isVisible():
            self.open()

    def reject(self) -> None:
        self._set_busy(False)
        super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        data_dir: Path,
        db_url: str | None = None,
        title: str | None = None,
    ) -> UnlockDialog | None:
        """The dialog with a passphrase entered (its store still to open), or None: cancelled."""
        dialog = cls(data_dir, db_url, title or _("Open Outreach Tally"), parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog


def show_store_error(parent: QWidget | None, error: OutreachError) -> None:
    QMessageBox.critical(parent, _("Cannot open the data"), error.message)
