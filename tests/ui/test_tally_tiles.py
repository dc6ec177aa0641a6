"""Tally tiles: every tile has a key that counts it, and this device's choice of tiles (which,
in what order, under which keys) is kept and comes back when the page opens again."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from outreach_app.domain.errors import InvalidInput
from outreach_app.services import tile_layout
from outreach_app.services.tile_layout import TileSetting

from outreach_app.ui.dialogs.tile_dialog import TileDialog
from outreach_app.ui.pages.tally_counter import CONTACT, TallyCounterPage


def _open(qtbot, context):
    page = TallyCounterPage(context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.setFocus()
    return page


def test_every_tile_has_a_key_and_each_key_counts_its_item(qtbot, context, confirm):
    page = _open(qtbot, context)
    assert len(page.tiles) > 10  # more tiles than digits: letters take over after 0
    keys = [page.keys[code] for code in page.tiles]
    assert all(keys) and len(set(keys)) == len(keys)
    for code, key in page.keys.items():
        QTest.keyClicks(page, key)
        assert page.counts.get(code) == 1, (code, key)
        assert page.tiles[code].text().startswith(f"[{key}]")
        assert page.tiles[code].accessibleName().endswith(": 1")
    assert sum(page.counts.values()) == len(page.tiles)


def test_long_names_wrap_instead_of_being_cut(qtbot, context):
    page = _open(qtbot, context)
    page._names["SYRINGE"] = "Syringe 1 mL 27G half-inch, long-name test"
    page._paint("SYRINGE")
    text = page.tiles["SYRINGE"].text().split("  ", 1)[1]
    *lines, count = text.split("\n")
    assert len(lines) > 1 and all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == page._names["SYRINGE"] and count == "0"


def test_chosen_tiles_order_and_keys_persist_across_reopening(qtbot, context, monkeypatch):
    page = _open(qtbot, context)
    chosen = [TileSetting("SYRINGE", "s"), TileSetting(CONTACT, "c"), TileSetting("SWAB", "")]
    monkeypatch.setattr(TileDialog, "ask", classmethod(lambda cls, *a: list(chosen)))
    qtbot.mouseClick(page.choose, Qt.MouseButton.LeftButton)
    assert list(page.tiles) == ["SYRINGE", CONTACT, "SWAB"]
    page.close()
    again = _open(qtbot, context)
    assert list(again.tiles) == ["SYRINGE", CONTACT, "SWAB"]
    assert again.keys == {"SYRINGE": "s", CONTACT: "c", "SWAB": ""}
    qtbot.keyClick(again, Qt.Key.Key_S)
    qtbot.keyClick(again, Qt.Key.Key_1)  # no longer a tile's key: counts nothing
    assert again.counts == {"SYRINGE": 1}


def test_the_dialog_orders_hides_and_refuses_a_key_twice(qtbot):
    names = {CONTACT: "Contact", "A": "Alpha", "B": "Beta"}
    dialog = TileDialog(names, [TileSetting(CONTACT, "1"), TileSetting("A", "2")])
    qtbot.addWidget(dialog)
    assert [t.code for t in dialog.tiles()] == [CONTACT, "A"]  # B listed, not ticked
    dialog.table.setCurrentCell(1, 1)
    qtbot.mouseClick(dialog.up, Qt.MouseButton.LeftButton)
    assert [t.code for t in dialog.tiles()] == ["A", CONTACT]
    dialog.table.item(2, 0).setCheckState(Qt.CheckState.Checked)
    dialog.table.item(2, 2).setText("1")
    dialog._on_ok()
    assert dialog.result() != dialog.DialogCode.Accepted and "1" in dialog.message.text()
    dialog.table.item(2, 2).setText("b")
    dialog._on_ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.tiles()[-1] == TileSetting("B", "b")


def test_the_service_keeps_it_on_this_device_only(ui_store):
    with ui_store.unit_of_work() as uow:
        assert tile_layout.tally_tiles(uow) is None
        with pytest.raises(InvalidInput):
            tile_layout.set_tally_tiles(uow, [TileSetting("A", "x"), TileSetting("B", "X")])
        tile_layout.set_tally_tiles(uow, [TileSetting("A", "x")])
        key = f"{tile_layout.TILES_KEY}{uow.device_id}"
    with ui_store.reading() as uow:
        assert tile_layout.tally_tiles(uow) == (TileSetting("A", "x"),)
        assert key.endswith(str(uow.device_id))
    with ui_store.unit_of_work() as uow:
        tile_layout.set_tally_tiles(uow, None)
    with ui_store.reading() as uow:
        assert tile_layout.tally_tiles(uow) is None
