"""Grab the Sync page for docs/screenshots/sync.png: a desk that invited a van and imported
the van's first bundle, then exported a bundle of its own (so "Last result" shows counts).

    export OUTREACH_NEW_PIN=2468
    outreach --data-dir /tmp/shots/desk init --org "Riverside Harm Reduction (demo)" \
        --site Drop-in --no-encryption && outreach --data-dir /tmp/shots/desk demo --month 2026-10
    outreach --data-dir /tmp/shots/desk invite --out /tmp/shots/van.invite   # its join code:
    OUTREACH_JOIN_CODE=... outreach --data-dir /tmp/shots/van init --join /tmp/shots/van.invite \
        --device Van --no-encryption
    outreach --data-dir /tmp/shots/van bundle export --out /tmp/shots/van.bundle
    outreach --data-dir /tmp/shots/desk bundle import /tmp/shots/van.bundle
    QT_QPA_PLATFORM=offscreen python docs/screenshots/shoot_sync.py /tmp/shots/desk \
        docs/screenshots/sync.png [fr|es]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from outreach_app import i18n
from outreach_app.services import staff
from outreach_app.services.store import open_store

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.save_file import SaveFileDialog
from outreach_app.ui.pages.sync import SyncPage
from outreach_app.ui.worker import DbWorker


def main(data_dir: Path, out: Path, language: str = "en") -> None:
    i18n.set_language(language)
    app = QApplication(sys.argv)
    store = open_store(data_dir)
    with store.reading() as uow:
        coordinator = next(p for p in staff.list_staff(uow) if p.role == "coordinator")
    context = AppContext(
        DbWorker(store, synchronous=True),
        org_name=store.org_name,
        current_site="Drop-in",
        person=coordinator,
    )
    page = SyncPage(context)
    page.resize(1366, 700)
    bundle = Path(tempfile.mkdtemp()) / "desk-2026-11-02.bundle"
    SaveFileDialog.ask = classmethod(lambda cls, *a: bundle)  # type: ignore[method-assign]
    page.everything.setChecked(True)  # the whole year, so the counts show every kind
    page.export_button.click()
    page.hub.address.setText("postgresql://desk@hub.example.org/outreach")
    page.show()
    for _ in range(20):
        app.processEvents()
    page.grab().save(str(out))
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4])
