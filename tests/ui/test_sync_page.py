"""The Sync page on real device folders of one organisation (joined for real, as in the sync
tests): export on one, import on the other, a damaged file, the devices table, an invitation,
a revocation, a hub that cannot be reached, and kinds of records named in French."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt

from outreach_app import i18n
from outreach_app.domain.record_kinds import KIND_LABELS
from outreach_app.services.store import Store
from outreach_app.sync.bundles import held_list
from tests.conftest import FIRST_SITE
from tests.sync.devices import Member, _quick_join_codes, make_devices
from tests.sync.work import export, log, now_minus, receive, void
from tests.ui.conftest import person

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.save_file import SaveFileDialog
from outreach_app.ui.models.sync_tables import (
    COL_KIND,
    COL_NAME,
    COL_REASON,
    COL_REVOKED,
    DevicesModel,
)
from outreach_app.ui.pages import sync_jobs
from outreach_app.ui.pages.sync import SyncPage
from outreach_app.ui.pages.sync_hub import HubBox
from outreach_app.ui.worker import DbWorker


@pytest.fixture
def members(template_folders: dict[str, Path], tmp_path: Path) -> list[Member]:
    return make_devices(template_folders["sqlite"], tmp_path / "org", ["Desk", "Van"])


@pytest.fixture
def stores(members: list[Member]) -> Iterator[list[Store]]:
    opened = [m.open() for m in members]
    yield opened
    for store in opened:
        store.close()


def page_of(qtbot: Any, store: Store) -> SyncPage:
    worker = DbWorker(store, synchronous=True)
    context = AppContext(
        worker, org_name=store.org_name, current_site=FIRST_SITE, person=person(store)
    )
    page = SyncPage(context)
    qtbot.addWidget(page)
    return page


def counts_table(page: SyncPage) -> dict[str, list[str]]:
    model = page.counts
    return {
        model.display(row, 0): [model.display(row, c) for c in range(1, model.columnCount())]
        for row in model.rows
    }


def export_from(page: SyncPage, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: out))
    page.export_button.click()


def test_export_on_one_device_import_on_the_other(
    qtbot: Any, stores: list[Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, van = page_of(qtbot, stores[0]), page_of(qtbot, stores[1])
    out = tmp_path / "desk.bundle"
    desk.everything.setChecked(True)
    export_from(desk, out, monkeypatch)
    assert out.exists()
    exported = counts_table(desk)
    assert exported and all(int(n[0]) > 0 for n in exported.values())
    assert "desk.bundle" in desk.message.text()

    monkeypatch.setattr(sync_jobs.OpenBundles, "ask", classmethod(lambda cls, *a: [out]))
    van.import_button.click()
    imported = counts_table(van)
    assert imported, van.message.text()
    # Each kind: added + already present + quarantined + pending = what was exported.
    for kind, numbers in imported.items():
        assert sum(int(n) for n in numbers) >= 1, kind
    assert not van.message.isHidden() and "added" in van.message.text()

    # Again: all of it is already present, nothing added.
    van.import_button.click()
    assert all(int(numbers[0]) == 0 for numbers in counts_table(van).values())


def test_a_damaged_file_is_refused_with_its_reason(
    qtbot: Any, stores: list[Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, van = page_of(qtbot, stores[0]), page_of(qtbot, stores[1])
    out = tmp_path / "desk.bundle"
    export_from(desk, out, monkeypatch)
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    monkeypatch.setattr(sync_jobs.OpenBundles, "ask", classmethod(lambda cls, *a: [out]))
    van.import_button.click()
    text = van.message.text()
    assert "desk.bundle" in text and "damaged" in text
    assert "Nothing was written" in text
    assert van.import_button.isEnabled()


def test_the_devices_table_lists_both_and_this_device(
    qtbot: Any, stores: list[Store], qtmodeltester: Any
) -> None:
    van = page_of(qtbot, stores[1])
    names = [van.devices.display(row, COL_NAME) for row in van.devices.rows]
    assert sorted(names) == ["Test laptop", "Van (this device)"]
    assert van.fingerprint.text().count("-") == 3
    assert van.device_name.text() == "Van"
    qtmodeltester.check(van.devices)
    qtmodeltester.check(van.held)
    assert isinstance(van.devices, DevicesModel)


def test_invite_shows_the_join_code_once(
    qtbot: Any, stores: list[Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = page_of(qtbot, stores[0])
    out = tmp_path / "van2.invite"
    shown: list[tuple[Path, str]] = []
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: out))
    monkeypatch.setattr(
        sync_jobs.JoinCodeDialog,
        "ask",
        classmethod(lambda cls, p, path, code: shown.append((path, code))),
    )
    with _quick_join_codes():
        desk.invite_button.click()
    assert out.exists()
    assert len(shown) == 1 and shown[0][1].count("-") == 3
    assert shown[0][1] not in desk.message.text()  # shown in its dialog only


def test_revoke_asks_and_marks_the_device(
    qtbot: Any, stores: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The van knows the desk from its invitation (the desk learns of the van from its records).
    van = page_of(qtbot, stores[1])
    asked: list[str] = []

    def ask(cls: Any, parent: Any, name: str, fingerprint: str) -> bool:
        asked.append(name)
        return True

    monkeypatch.setattr(sync_jobs.ConfirmRevoke, "ask", classmethod(ask))
    view = van.devices_view
    for row in range(view.model().rowCount()):
        index = view.model().index(row, COL_NAME)
        if index.data() == "Test laptop":
            view.setCurrentIndex(index)
    van.revoke_button.click()
    assert asked == ["Test laptop"]
    desk_row = next(r for r in van.devices.rows if r.name == "Test laptop")
    assert van.devices.display(desk_row, COL_REVOKED)
    assert "hub" in van.message.text()


def test_an_unreachable_hub_leaves_the_page_usable(
    qtbot: Any, stores: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HubBox, "synchronous", True)
    desk = page_of(qtbot, stores[0])
    desk.hub.address.setText("postgresql://nobody@127.0.0.1:9/nowhere")
    desk.hub.password.setText("secret")
    qtbot.mouseClick(desk.hub.sync_button, Qt.MouseButton.LeftButton)
    assert not desk.message.isHidden()
    assert "127.0.0.1" in desk.message.text()
    assert "secret" not in desk.message.text()
    assert desk.hub.sync_button.isEnabled() and desk.hub.cancel_button.isHidden()
    assert desk.hub.password.text() == ""  # never kept, not even in the field
    assert not desk.hub.running


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


def test_every_kind_that_travels_has_a_french_and_a_spanish_label() -> None:
    same = {"fr": {"Sites", "Lots", "Invitations"}, "es": {"Kits"}}  # the right words there
    for language in ("fr", "es"):
        catalogue = i18n.catalogue(language)
        untranslated = {
            label for label in KIND_LABELS.values() if catalogue.gettext(label) == label
        }
        assert untranslated <= same[language], (language, untranslated)


def test_the_french_page_shows_kinds_in_french(
    qtbot: Any,
    stores: list[Store],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    french: None,
) -> None:
    desk_store, van_store = stores
    receive(desk_store, "SYRINGE", 50)
    visit = log(desk_store, now_minus(desk_store, hours=2), {"SYRINGE": 5})
    export(desk_store, tmp_path / "first.bundle")  # the van never gets this one
    void(desk_store, visit)
    later = export(desk_store, tmp_path / "later.bundle")  # the void, without its visit

    desk = page_of(qtbot, desk_store)
    desk.everything.setChecked(True)
    export_from(desk, tmp_path / "all.bundle", monkeypatch)
    exported = counts_table(desk)
    assert {"Rencontres", "Annulations", "Mouvements de stock"} <= exported.keys(), exported
    assert desk.held_box.title() == "Enregistrements en quarantaine et en attente : aucun"
    assert not [kind for kind in exported if "_" in kind or kind in KIND_LABELS]

    van = page_of(qtbot, van_store)
    monkeypatch.setattr(sync_jobs.OpenBundles, "ask", classmethod(lambda cls, *a: [later]))
    van.import_button.click()
    imported = counts_table(van)
    assert imported["Annulations"][3] == "1", imported  # pending: its visit has not arrived
    shown = {van.held.display(row, COL_KIND) for row in van.held.rows}
    assert shown == {"Annulations", "Mouvements de stock"}, shown
    assert van.held_box.title().endswith(" : 2")
    reasons = {van.held.display(row, COL_REASON) for row in van.held.rows}
    assert all("rencontre" in r and "encounter" not in r for r in reasons), reasons
    # Sorting by kind sorts the names people read.
    view = van.counts_view
    view.sortByColumn(0, view.horizontalHeader().sortIndicatorOrder())
    names = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert names == sorted(names, key=str.casefold)
    # What scripts read keeps the codes, whatever the language.
    assert {row.kind for row in held_list(van_store)} == {"encounter_voids", "stock_movements"}


@pytest.fixture
def pair(template_folders: dict[str, Path], pg: Any, tmp_path: Path) -> Iterator[Any]:
    """Device A and a hub joined to it on the session's PostgreSQL cluster."""
    from tests.sync.hub_org import make_org

    made = make_org(template_folders["sqlite"], pg, tmp_path, others=())
    yield made
    made.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_sync_now_with_a_real_hub_on_its_own_thread(qtbot: Any, pair: Any) -> None:
    page = page_of(qtbot, pair.stores["A"])
    page.hub.address.setText(pair.hub_url)
    qtbot.mouseClick(page.hub.sync_button, Qt.MouseButton.LeftButton)
    assert page.hub.running and not page.hub.sync_button.isEnabled()
    qtbot.waitUntil(lambda: not page.hub.running, timeout=60_000)
    assert "Synced with" in page.message.text(), page.message.text()
    sent = {row[0]: row[1] for row in page.counts.rows}
    assert sum(sent.values()) > 0
    assert page.hub.sync_button.isEnabled() and page.hub.cancel_button.isHidden()
    # The address is remembered without its password; shown again on the next page.
    again = page_of(qtbot, pair.stores["A"])
    assert again.hub.address.text() and ":" not in again.hub.address.text().split("@")[0][13:]
    # A second sync moves nothing new.
    qtbot.mouseClick(again.hub.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.hub.running, timeout=60_000)
    assert all(row[1] == 0 and row[2] == 0 for row in again.counts.rows), again.counts.rows


@pytest.mark.postgres
@pytest.mark.slow
def test_cancel_keeps_the_page_usable(
    qtbot: Any, pair: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cancelled before the first batch: the service stops at once and says it is incomplete.
    monkeypatch.setattr(sync_jobs.HubRun, "is_cancelled", lambda self: True)
    monkeypatch.setattr(HubBox, "synchronous", True)
    page = page_of(qtbot, pair.stores["A"])
    page.hub.address.setText(pair.hub_url)
    page.hub.sync_button.click()
    assert "cancelled" in page.message.text()
    assert page.hub.sync_button.isEnabled() and not page.hub.running


def test_an_unexpected_failure_never_leaves_the_sync_busy(
    qtbot: Any, stores: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    from outreach_app.ui.pages import sync_hub

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(sync_hub, "sync_with_hub", broken)
    page = page_of(qtbot, stores[0])
    page.hub.address.setText("postgresql://desk@hub.example.org/outreach")
    page.hub.sync_button.click()  # on its own thread, as in the app
    qtbot.waitUntil(lambda: not page.hub.running, timeout=10_000)
    assert "RuntimeError" in page.message.text()
    assert page.hub.sync_button.isEnabled() and page.hub.cancel_button.isHidden()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_control_is_named_and_its_mnemonic_unique(
    qtbot: Any, stores: list[Store], language: str
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QLineEdit

    from outreach_app import i18n

    i18n.set_language(language)
    try:
        page = page_of(qtbot, stores[0])
        controls = [
            w
            for kind in (QAbstractButton, QLineEdit, QAbstractItemView)
            for w in page.findChildren(kind)
            if w.parent() is not None and not isinstance(w.parent(), QAbstractItemView)
        ]
        unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
        assert not unnamed
        texts = [w.text() for w in page.findChildren(QAbstractButton)]
        texts += [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
        letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(letters) == len(set(letters)) == 9, texts
    finally:
        i18n.set_language("en")
