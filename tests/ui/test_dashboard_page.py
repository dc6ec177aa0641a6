"""Dashboard page: the tables show the same figures as the CSV (hand-worked in
`tests/dashboard_expected.py`), count needed is flagged, the charts draw the five weeks with small
counts hidden, a site's target is saved, and the order form is written as PDF and CSV."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QDate, Qt

from outreach_app.services.store import Store
from tests import dashboard_data as data
from tests import dashboard_expected as expected

from outreach_app.ui.dialogs.save_file import SaveFileDialog
from outreach_app.ui.models import dashboard_tables as dt
from outreach_app.ui.pages.dashboard import DashboardPage
from outreach_app.ui.theme import cell_colour

WINDOWS = {words: code for code, words in dt.WINDOW_WORDS.items()}


@pytest.fixture
def page(ui_store: Store, context: Any, qtbot: Any) -> DashboardPage:
    data.build(ui_store)
    shown = DashboardPage(context)
    qtbot.addWidget(shown)
    shown.date_edit.setDate(QDate(2026, 11, 30))  # regenerates (synchronous worker)
    return shown


def cell(model: Any, row: int, column: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, column), role)


def csv_lines_on_page(page: DashboardPage) -> list[str]:
    """The page's tables written back as CSV rows, from what the models show."""
    weeks, stock, lots = page.week_model, page.stock_model, page.expiring_model
    out = []
    for r in range(weeks.rowCount()):
        site = cell(weeks, r, dt.WK_SITE)
        code = weeks.row_at(r).code
        out.append(f"week,{site},,,{code}:this,{cell(weeks, r, dt.WK_THIS)}")
        out.append(f"week,{site},,,{code}:avg4,{cell(weeks, r, dt.WK_MEAN)}")
    needed, orders = [], []
    for r in range(stock.rowCount()):
        site, code = cell(stock, r, dt.ST_SITE), cell(stock, r, dt.ST_CODE)
        item = cell(stock, r, dt.ST_ITEM)
        name = item.removesuffix(" — count needed")
        out.append(f"days_left,{site},{code},,{name},{cell(stock, r, dt.ST_DAYS)}")
        if item != name:
            needed.append(f"count_needed,{site},{code},,{name},{cell(stock, r, dt.ST_ON_HAND)}")
        if cell(stock, r, dt.ST_ORDER):
            orders.append(f"reorder,{site},{code},,{name},{cell(stock, r, dt.ST_ORDER)}")
    out += needed
    for r in range(lots.rowCount()):
        code = cell(lots, r, dt.EX_ITEM, Qt.ItemDataRole.ToolTipRole)
        window = WINDOWS[cell(lots, r, dt.EX_WHEN)]
        out.append(
            f"expiring,{cell(lots, r, dt.EX_SITE)},{code},{cell(lots, r, dt.EX_LOT)},{window},"
            f"{cell(lots, r, dt.EX_ON_HAND)}"
        )
    return out + orders


def test_the_page_shows_the_figures_of_the_csv(page: DashboardPage, qtmodeltester: Any) -> None:
    assert page.site_combo.currentData() == "all"
    assert csv_lines_on_page(page) == expected.ALL_SITES[1:]
    generated = page.generated
    assert generated is not None
    assert generated.csv.decode("utf-8").split("\r\n")[:-1] == expected.ALL_SITES
    for model in (page.week_model, page.stock_model, page.expiring_model):
        qtmodeltester.check(model)


def test_count_needed_is_flagged(page: DashboardPage) -> None:
    assert not page.banner.isHidden()
    assert "Cooker at Van (on hand -5)" in page.banner.text()
    stock = page.stock_model
    row = next(r for r in range(stock.rowCount()) if cell(stock, r, dt.ST_CODE) == "COOKER")
    assert cell(stock, row, dt.ST_ITEM) == "Cooker — count needed"
    assert cell(stock, row, dt.ST_SITE, Qt.ItemDataRole.BackgroundRole) == cell_colour(
        "alert-background"
    )
    page.site_combo.setCurrentIndex(page.site_combo.findData("Drop-in"))
    assert page.banner.isHidden()  # nothing below zero at Drop-in
    assert csv_lines_on_page(page) == expected.DROP_IN[1:]


def test_charts_draw_the_five_weeks(page: DashboardPage, qtbot: Any) -> None:
    assert page.charts == []  # pyqtgraph waits for the page to be shown
    page.show()
    qtbot.waitUntil(lambda: len(page.charts) == 2)
    contacts, syringes = page.charts
    # contacts, all sites: Oct 27 1, Nov 3 1, Nov 10 7, Nov 17 2, this week 8; the small weeks
    # of the four before are grey bars at 5, the threshold
    assert contacts.heights() == ([0, 0, 7, 0, 8], [5, 5, 0, 5, 0])
    assert syringes.heights() == ([20, 10, 30, 40, 70], [0, 0, 0, 0, 0])
    page.show_radio.setChecked(True)  # internal: every count shown
    assert contacts.heights() == ([1, 1, 7, 2, 8], [0, 0, 0, 0, 0])


def test_a_site_target_and_the_order_form(
    page: DashboardPage, refusals: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.site_combo.setCurrentIndex(page.site_combo.findData("Van"))
    assert page.site_target_spin.value() == 30 and page.site_target_spin.isVisibleTo(page)
    page.site_target_spin.setValue(60)
    page.save_target_button.click()
    assert refusals.told == []  # the coordinator signed in keeps it; no second PIN
    # 60 days: SYRINGE 60 x 50 / 28 - 50 = 57.1 -> 58; COOKER 60 x 5 / 28 = 10.7 -> 11
    target = tmp_path / "order.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: target))
    page.save_order_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "order.csv").read_bytes().decode("utf-8").split("\r\n")[1:-1] == [
        "Van,SYRINGE,Syringe,each,50,50,28,60,58",
        "Van,COOKER,Cooker,each,-5,5,0,60,11",
    ]
    assert "2 lines" in page.message.text()
    page.target_spin.setValue(10)  # for this view only: COOKER 10 x 5 / 28 = 1.8 -> 2
    page.save_pdf_button.click()
    assert target.read_bytes() == page.generated.pdf  # type: ignore[union-attr]
    orders = [r for r in csv_lines_on_page(page) if r.startswith("reorder,")]
    assert orders == ["reorder,Van,COOKER,,Cooker,2"]


def test_the_page_module_does_not_import_pyqtgraph() -> None:
    code = (
        "import sys; import outreach_app.ui.pages.dashboard; "
        "sys.exit('pyqtgraph' in sys.modules or 'numpy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_generated_on_the_real_worker_and_again_after_a_write(
    ui_store: Store, threaded_context: Any, qtbot: Any
) -> None:
    data.build(ui_store)
    page = DashboardPage(threaded_context)
    qtbot.addWidget(page)
    page.date_edit.setDate(QDate(2026, 11, 30))
    page.show()
    qtbot.waitUntil(lambda: page.generated is not None and len(page.charts) == 2, timeout=15000)
    qtbot.waitUntil(lambda: page.generated.board.as_of.day == 30, timeout=15000)
    assert page.generated.board.week("contacts").this_week == 8
    data.log(ui_store, date(2026, 11, 29), site=data.VAN, items={"SYRINGE": 5})
    threaded_context.data_changed.emit()  # a page that is shown reads the figures again
    qtbot.waitUntil(lambda: page.generated.board.week("contacts").this_week == 9, timeout=15000)
    assert page.refresh_button.isEnabled()


def test_week_names_and_figures_are_read_whole_in_french(
    ui_store: Store, context: Any, qtbot: Any
) -> None:
    from PySide6.QtGui import QFontMetrics

    from outreach_app import i18n

    i18n.set_language("fr")
    try:
        data.build(ui_store)
        page = DashboardPage(context)
        qtbot.addWidget(page)
        page.date_edit.setDate(QDate(2026, 11, 30))
        page.resize(1100, 700)  # the page in a 1280-pixel window
        page.show()
        qtbot.waitUntil(lambda: len(page.charts) == 2 and bool(page.charts[0].labels))
        assert page.charts[0].names[-1] == "Cette semaine"
        # The figures' names are read in full beside the week's numbers.
        qtbot.wait(50)
        named = page.week_table.horizontalHeader().sectionSize(dt.WK_LABEL)
        assert named > page.week_table.fontMetrics().horizontalAdvance("Seringues distribuées")
        narrowest = page.minimumSizeHint().width()  # the window at its smallest
        for width in (1100, narrowest):
            page.resize(width, 700)
            qtbot.wait(50)  # the layout, then the charts' plots, take the new size
            for chart in page.charts:
                metrics = QFontMetrics(chart.getAxis("bottom").style["tickFont"])
                widths = [
                    max(metrics.horizontalAdvance(line) for line in label.split("\n"))
                    for label in chart.labels
                ]
                # Two neighbours, each centred under its bar, leave a gap between them.
                for left, right in itertools.pairwise(widths):
                    assert (left + right) / 2 < chart.slot_width(), (width, chart.labels)
        assert any("\n" in label for label in page.charts[0].labels)  # narrow: on two lines
    finally:
        i18n.set_language("en")
