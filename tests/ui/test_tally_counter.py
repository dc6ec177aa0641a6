"""Tally counter: each click or number key is a saved tally record; Undo steps back one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from outreach_app.services import encounter_list

from outreach_app.ui.pages.tally_counter import CONTACT, TallyCounterPage


def _records(store):
    flt = encounter_list.EncounterFilter(include_voided=False)
    with store.unit_of_work() as uow:
        return encounter_list.list_encounters(uow, flt).rows


def test_clicks_and_keys_count_and_undo_steps_back(qtbot, context, app_store):
    page = TallyCounterPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.setFocus()
    before = len(_records(app_store))
    qtbot.mouseClick(page.tiles[CONTACT], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.tiles["SYRINGE"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(page, Qt.Key.Key_2)  # key 2 is the first item: Syringe
    assert page.counts == {CONTACT: 1, "SYRINGE": 2}
    assert "Syringe\n2" in page.tiles["SYRINGE"].text()
    rows = _records(app_store)
    assert len(rows) == before + 3 and all(r.is_tally for r in rows[:3])
    assert sum(r.contacts for r in rows if r.is_tally) == 1
    qtbot.mouseClick(page.undo, Qt.MouseButton.LeftButton)
    assert page.counts["SYRINGE"] == 1
    assert len(_records(app_store)) == before + 2
