"""More of the guide's screenshots, for `make_screenshots.py`: the wallet cards, and the
"Several devices" page's (joining at setup, the join code shown once, and the Sync page after a
van laptop's bundle was imported). Also what the script types into fields, in each language.

The van is joined for real (`outreach invite` on the demo folder, `outreach init --join` in a
scratch folder), logs a visit and voids it; only its second bundle (the void, without its
visit) reaches the drop-in laptop, so the page shows a pending record, as a bundle brought back
out of order would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage, QPainter

#: What a person would type in each language (a reason, a shipment's source).
TYPED = {
    "en": {"void": "entered twice", "source": "health unit order 42"},
    "fr": {"void": "saisie en double", "source": "commande 42 de la santé publique"},
    "es": {"void": "registrado dos veces", "source": "pedido 42 de salud pública"},
}
VAN = {"en": "Van laptop", "fr": "Portable de la fourgonnette", "es": "Portátil de la furgoneta"}
SHOWN_CODE = "7K2Q-M9XD-4HPA-W3TC"  # made up: a real join code is never shown twice
HUB = "postgresql://desk@hub.example.org/outreach"


def _outreach(data: Path, lang: str, *args: str, **env: str) -> str:
    """Runs the real command line; its stderr (where `invite` prints the join code)."""
    command = [sys.executable, "-m", "outreach_app", "--data-dir", str(data), "--lang", lang]
    done = subprocess.run(
        [*command, *args],
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return done.stderr


def van_bundle(desk: Path, lang: str, scratch: Path, site: str, pin: str) -> Path:
    """A van joined to the desk's organisation; the bundle of its void alone."""
    from outreach_app.domain.values import EncounterDraft
    from outreach_app.services import encounters
    from outreach_app.services.store import open_store

    invitation = scratch / "van.invite"
    said = _outreach(desk, lang, "invite", "--out", str(invitation))
    code = said.strip().splitlines()[-1].removeprefix("Join code: ")
    van = scratch / "van"
    join = ["init", "--join", str(invitation), "--device", VAN[lang], "--no-encryption"]
    _outreach(van, lang, *join, OUTREACH_JOIN_CODE=code, OUTREACH_NEW_PIN=pin)
    store = open_store(van)
    try:
        with store.unit_of_work() as uow:
            draft = EncounterDraft(
                site=site, occurred_at=uow.now() - timedelta(hours=3), items={"SYRINGE": 10}
            )
            visit = encounters.log_encounter(uow, draft, override=True).id
    finally:
        store.close()
    _outreach(van, lang, "bundle", "export", "--out", str(scratch / "van-1.bundle"))
    store = open_store(van)
    try:
        with store.unit_of_work() as uow:
            encounters.void_encounter(uow, visit, "entered twice")
    finally:
        store.close()
    later = scratch / "van-2.bundle"
    _outreach(van, lang, "bundle", "export", "--out", str(later))
    return later


def several_devices(
    shoot: Any, window: Any, data: Path, scratch: Path, lang: str, *, site: str, pin: str
) -> None:
    """Every shot of the "Several devices" page (`data`: the demo folder the window has open)."""
    setup_join(shoot, Path("~/.local/share/OutreachTally"), VAN[lang], pin)
    sync_page(shoot, window, van_bundle(data, lang, scratch, site, pin))


def setup_join(shoot: Any, shown_folder: Path, device: str, pin: str) -> None:
    from outreach_app.ui.dialogs.opening import SetupDialog

    join = SetupDialog(shown_folder, None)  # nothing is created: Join is not clicked
    join.join_org.setChecked(True)
    join.invitation.path.setText(str(Path("~/van-laptop.invite")))
    join.join_code.setText(SHOWN_CODE)
    join.device.setText(device)
    for edit in (join.passphrase, join.passphrase_again):
        edit.setText("four words for the van")
    join.pin.setText(pin)
    shoot.dialog(join, "setup-join")


def sync_page(shoot: Any, window: Any, bundle: Path) -> None:
    from outreach_app.ui.page_registry import page_index
    from outreach_app.ui.pages import sync_jobs

    window.show_page(page_index("Sync"))
    page = window.pages.widget(page_index("Sync"))
    sync_jobs.OpenBundles.ask = classmethod(lambda cls, *a: [bundle])  # type: ignore[method-assign,assignment]
    page.import_button.click()
    page.hub.address.setText(HUB)
    page.hub.address.setCursorPosition(0)
    shoot(window, "sync")
    code = sync_jobs.JoinCodeDialog(window, Path("~/van-laptop.invite"), SHOWN_CODE)
    shoot.dialog(code, "join-code")


def cards(shoot: Any, data: Path, lang: str, scratch: Path) -> None:
    """The first wallet cards of `outreach cards` (fresh codes, given to nobody), drawn from the
    PDF as the Reports page draws its preview."""
    from outreach_app.ui.pages.report_jobs import render_first_page
    from outreach_app.ui.widgets.page_preview import page_image

    pdf = scratch / "cards.pdf"
    _outreach(data, lang, "cards", "--count", "10", "--out", str(pdf))
    rendered, _pages = render_first_page(pdf.read_bytes(), scale=1.2)
    image = page_image(rendered.width, rendered.height, rendered.stride, rendered.pixels)
    two_rows = image.copy(0, 0, image.width(), image.height() * 52 // 100)  # of four
    framed = QImage(two_rows.width() + 2, two_rows.height() + 2, QImage.Format.Format_RGB32)
    framed.fill(QColor("#999999"))
    painter = QPainter(framed)
    painter.drawImage(1, 1, two_rows)
    painter.end()
    framed.save(str(shoot.out / "cards.png"))
    shoot.saved.append("cards")
