"""Catalog & sites: add, edit and deactivate through the page, checked through the services."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from outreach_app.services import catalog
from tests.ui.conftest import WORKER, add_worker, person

from outreach_app.ui.dialogs.catalog_dialogs import (
    ItemDialog,
    KitDialog,
    ReferralDialog,
    ReferralRequest,
    SiteDialog,
    SiteRequest,
)
from outreach_app.ui.models import catalog_tables as ct
from outreach_app.ui.models import quantity_table as qt
from outreach_app.ui.pages.catalog import ITEMS, KITS, REFERRALS, SITES, CatalogPage

LEFT = Qt.MouseButton.LeftButton


def _show(widget: Any, qtbot: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _select(page: CatalogPage, tab: int, text: str) -> None:
    page.tabs.setCurrentIndex(tab)
    table = page.tables[tab]
    proxy = table.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == text)
    table.scrollTo(proxy.index(row, 0))
    QTest.mouseClick(table.viewport(), LEFT, pos=table.visualRect(proxy.index(row, 0)).center())


def test_models_pass_the_model_tester(ui_store, context, qtbot, qtmodeltester):
    page = _show(CatalogPage(context), qtbot)
    for model in page.models:
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    kit = page.models[KITS].row_at(0)
    assert "10 SYRINGE" in page.models[KITS].index(0, ct.KIT_CONTENTS).data()
    assert kit.code == "KIT-INJECT"


def test_add_site_and_deactivate_keeps_it_in_history(
    ui_store, context, refusals, qtbot, monkeypatch
):
    page = _show(CatalogPage(context), qtbot)
    dialog = _show(SiteDialog(), qtbot)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "name" in dialog.error.text()
    qtbot.keyClicks(dialog.name_edit, "Van 2")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("van"))
    assert dialog.request() == SiteRequest("Van 2", "van")

    monkeypatch.setattr(
        SiteDialog, "ask", classmethod(lambda cls, parent, site=None: dialog.request())
    )
    qtbot.mouseClick(page.add_button, LEFT)
    assert refusals.told == []  # a coordinator is signed in: no second PIN
    with ui_store.unit_of_work() as uow:
        assert ("Van 2", "van") in [(s.name, s.kind) for s in catalog.list_sites(uow)]

    _select(page, SITES, "Van 2")
    assert page.toggle_button.text() == "&Deactivate"
    qtbot.mouseClick(page.toggle_button, LEFT)
    with ui_store.unit_of_work() as uow:
        assert "Van 2" not in [s.name for s in catalog.list_sites(uow)]
        assert "Van 2" in [s.name for s in catalog.list_sites(uow, include_inactive=True)]
    names = [page.models[SITES].row_at(r).name for r in range(page.models[SITES].rowCount())]
    assert "Van 2" not in names
    qtbot.mouseClick(page.inactive_check, LEFT)
    model = page.models[SITES]
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == "Van 2")
    assert model.index(row, ct.SITE_STATE).data() == "Deactivated"
    assert model.index(row, 0).data(ct.ActiveRole) is False


def test_edit_item_reorder_level_refused_to_a_worker(
    ui_store, context, refusals, qtbot, monkeypatch
):
    page = _show(CatalogPage(context), qtbot)
    _select(page, ITEMS, "COOKER")
    item = page.selected()
    dialog = _show(ItemDialog(item), qtbot)
    assert not dialog.code_edit.isEnabled()  # codes stay fixed
    dialog.reorder_spin.selectAll()
    qtbot.keyClicks(dialog.reorder_spin, "350")
    request = dialog.request()
    assert request.reorder_level == 350
    monkeypatch.setattr(ItemDialog, "ask", classmethod(lambda cls, parent, item=None: request))
    add_worker(ui_store)
    context.set_person(person(ui_store, WORKER))
    assert not page.edit_button.isEnabled() and not page.add_button.isEnabled()
    page._on_edit()  # reached anyway (a double click): told a coordinator must
    assert refusals.told == ["edit the catalog"]
    with ui_store.unit_of_work() as uow:
        cooker = next(i for i in catalog.list_items(uow) if i.code == "COOKER")
    assert cooker.reorder_level == 200
    context.set_person(person(ui_store))
    assert page.edit_button.isEnabled()
    qtbot.mouseClick(page.edit_button, LEFT)
    with ui_store.unit_of_work() as uow:
        cooker = next(i for i in catalog.list_items(uow) if i.code == "COOKER")
    assert cooker.reorder_level == 350
    assert "Saved COOKER" in page.message.text()


def test_add_item_kit_and_referral(ui_store, context, qtbot, monkeypatch):
    page = _show(CatalogPage(context), qtbot)
    dialog = _show(ItemDialog(), qtbot)
    qtbot.keyClicks(dialog.code_edit, "ZZ-GLOVES")
    qtbot.keyClicks(dialog.name_edit, "Synthetic gloves")
    qtbot.keyClicks(dialog.category_edit, "wound care")
    item = dialog.request()
    monkeypatch.setattr(ItemDialog, "ask", classmethod(lambda cls, parent, item_=None: item))
    page.tabs.setCurrentIndex(ITEMS)
    qtbot.mouseClick(page.add_button, LEFT)

    kit_dialog = _show(KitDialog(page._items), qtbot)
    qtbot.keyClicks(kit_dialog.code_edit, "ZZ-KIT")
    qtbot.keyClicks(kit_dialog.name_edit, "Synthetic kit")
    model = kit_dialog.model
    gloves = next(r for r in range(model.rowCount()) if model.row_at(r).item_code == "ZZ-GLOVES")
    model.setData(model.index(gloves, qt.COL_QTY), "4")
    kit = kit_dialog.request()
    assert kit.lines == {"ZZ-GLOVES": 4}
    monkeypatch.setattr(KitDialog, "ask", classmethod(lambda cls, parent, items: kit))
    page.tabs.setCurrentIndex(KITS)
    qtbot.mouseClick(page.add_button, LEFT)

    ref = ReferralRequest("ZZ-REF", "Synthetic referral")
    monkeypatch.setattr(ReferralDialog, "ask", classmethod(lambda cls, parent: ref))
    page.tabs.setCurrentIndex(REFERRALS)
    qtbot.mouseClick(page.add_button, LEFT)

    with ui_store.unit_of_work() as uow:
        assert "ZZ-GLOVES" in [i.code for i in catalog.list_items(uow)]
        kits = {k.code: k for k in catalog.list_kits(uow)}
        assert kits["ZZ-KIT"].lines == (("ZZ-GLOVES", 4),)
        assert "ZZ-REF" in [r.code for r in catalog.list_referral_types(uow)]
    assert page.message.text() == "Added the referral type ZZ-REF."
