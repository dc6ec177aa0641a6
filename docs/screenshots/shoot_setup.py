"""The first-run setup, both choices: `setup.png` (a new organisation) and `setup-join.png`
(joining one with an invitation file and its join code), taken offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/shoot_setup.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from outreach_app.ui.dialogs.opening import SetupDialog


def settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def main(out: Path) -> None:
    app = QApplication(sys.argv)
    scratch = Path(tempfile.mkdtemp())
    setup = SetupDialog(scratch / "new", None)
    setup.org.setText("Riverside Harm Reduction")
    setup.site.setText("Drop-in")
    setup.passphrase.setText("correct horse battery staple")
    setup.show()
    settle(app)
    setup.grab().save(str(out / "setup.png"))

    join = SetupDialog(scratch / "van", None)
    join.join_org.setChecked(True)
    join.invitation.path.setText(str(Path.home() / "van-laptop.invite"))
    join.join_code.setText("7K2Q-M9XD-4HPA-W3TC")
    join.device.setText("Van laptop")
    join.passphrase.setText("four words for the van")
    join.passphrase_again.setText("four words for the van")
    join.pin.setText("2468")
    join.show()
    settle(app)
    join.adjustSize()
    settle(app)
    join.grab().save(str(out / "setup-join.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
