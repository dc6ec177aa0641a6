"""First-run setup, "Join an organisation": an invitation file and its join code, by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from nacl import pwhash

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from outreach_app.services import auth
from outreach_app.services.store import folder_is_encrypted, open_store
from outreach_app.sync import invitation_file
from outreach_app.sync.joining import make_invitation

from outreach_app.ui.dialogs.opening import SetupDialog

PASSPHRASE = "four words for the van"  # synthetic


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(invitation_file, "OPSLIMIT", pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(invitation_file, "MEMLIMIT", pwhash.argon2id.MEMLIMIT_MIN)


@pytest.fixture
def invitation(plain_folder: Path, tmp_path: Path) -> tuple[Path, str]:
    store = open_store(plain_folder)
    try:
        made = make_invitation(store, tmp_path / "van.invite")
    finally:
        store.close()
    return made.path, made.join_code


def _ok(dialog: SetupDialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_joining_shows_its_own_fields_and_makes_an_encrypted_device(
    qtbot, tmp_path, invitation
) -> None:
    path, code = invitation
    folder = tmp_path / "van"
    dialog = SetupDialog(folder, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.org.isVisible() and not dialog.join_code.isVisible()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.new_org)  # the choice first
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Down)  # arrows move between the choices
    assert dialog.join_org.isChecked()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.invitation.path  # next: the file, then its code
    assert dialog.join_code.isVisible() and not dialog.org.isVisible()
    assert _ok(dialog).text() == "Join"
    qtbot.keyClicks(dialog.invitation.path, str(path))
    qtbot.keyClicks(dialog.join_code, "AAAA-BBBB-CCCC-DDDD")  # not this invitation's
    dialog.device.setText("ZZ Van")
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase_again, PASSPHRASE)
    qtbot.keyClicks(dialog.pin, "2468")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "does not open this invitation" in dialog.error.text()
    assert not folder.exists()
    dialog.join_code.clear()
    qtbot.keyClicks(dialog.join_code, code.lower())
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == SetupDialog.DialogCode.Accepted, dialog.error.text()
    assert dialog.join_code.text() == ""  # not kept once used
    assert folder_is_encrypted(folder)
    store = open_store(folder, passphrase=PASSPHRASE)
    try:
        assert store.org_name == "Test Harm Reduction Org"
        with store.unit_of_work() as uow:
            assert auth.verify_coordinator_pin(uow, "2468")  # the inviter's PIN here
    finally:
        store.close()


def test_joining_asks_for_the_file_first(qtbot, tmp_path) -> None:
    dialog = SetupDialog(tmp_path / "van", None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.join_org.setChecked(True)
    dialog.no_encryption.setChecked(True)
    dialog.pin.setText("2468")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Choose the invitation file."
    dialog.invitation.path.setText(str(tmp_path / "missing.invite"))
    dialog.join_code.setText("AAAA-BBBB-CCCC-DDDD")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "Cannot read" in dialog.error.text()
    dialog.new_org.setChecked(True)  # back: the new organisation's fields again
    assert dialog.org.isVisible() and _ok(dialog).text() == "Create"
    assert dialog.error.text() == ""
