"""The "Join an organisation" half of the first-run setup: an invitation file and its join code.

The setup dialog shows these fields instead of the new organisation's when the person chooses
to join; the device name, passphrase and PIN fields stay the dialog's own. The join code is
typed like a password (not shown, never logged) and is used once, here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _, _l

INVITATION_FILTER = _l("Outreach Tally invitations (*.invite);;All files (*)")


class InvitationPicker(QWidget):
    """A path field with a Browse… button beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("The .invite file made on a device of the organisation"))
        self.browse = QPushButton(_("&Browse…"))
        self.browse.clicked.connect(self._on_browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.setFocusProxy(self.path)

    def _on_browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the invitation file"), str(Path.home()), str(INVITATION_FILTER)
        )
        if chosen:
            self.path.setText(chosen)


def join_code_field() -> QLineEdit:
    field = QLineEdit()
    # Readable while typed (16 characters copied from another screen), hidden once left.
    field.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
    field.setMaxLength(40)
    field.setPlaceholderText("ABCD-EFGH-JKMN-PQRS")
    field.setToolTip(
        _("The 16 letters and digits shown once on the device that made the invitation")
    )
    return field


def join_organisation(
    *,
    data_dir: Path,
    db_url: str | None,
    invitation: str,
    join_code: str,
    device: str,
    passphrase: str | None,
    pin: str,
) -> None:
    """Joins with what was typed; raises OutreachError with the reason to show."""
    from outreach_app.sync.joining import join, read_invitation  # first run only

    if not invitation.strip():
        raise InvalidInput(_l("Choose the invitation file."))
    if not join_code.strip():
        raise InvalidInput(_l("Type the join code shown on the device that made the invitation."))
    opened = read_invitation(Path(invitation.strip()).expanduser(), join_code)
    join(
        data_dir,
        opened,
        device_name=device,
        passphrase=passphrase,
        coordinator_pin=pin,
        db_url=db_url,
    )
