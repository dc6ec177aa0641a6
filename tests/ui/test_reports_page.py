"""Reports page: each report generates with a preview, the figures table shows hand-checked values
as printed (small counts hidden unless internal), a clicked figure lists exactly the records behind
it, saving writes a readable PDF, and generating on the real worker keeps the window responsive.

The data set (October 2026 at Drop-in, zone America/Toronto), written out so every expected value
below can be checked by hand:
  Oct 5  encounter ZZ-TEST-01, new, 30-39, woman, SYRINGE 20, referral OAT (note "ZZ-NOTE-SECRET")
  Oct 6  encounter ZZ-TEST-02, SYRINGE 10 + 1 KIT-INJECT (10 SYRINGE, 10 SWAB, 2 COOKER, ...)
  Oct 7  encounter without a code, SWAB 5
  Oct 8  tally record, 7 contacts, SYRINGE 30
  Oct 9  encounter ZZ-TEST-03, SYRINGE 5 — voided
So: encounters 3, unique participants 2, anonymous 1, tally contacts 7, voided 1,
SYRINGE 20 + 20 + 30 = 70, SWAB 10 + 5 = 15, COOKER 2, KIT-INJECT 1; September is empty.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from PySide6.QtCore import QDate, Qt, QTimer

from outreach_app.domain.clock import date_at_noon
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory
from tests.conftest import FIRST_SITE, TIMEZONE

from outreach_app.ui.dialogs.save_file import SaveFileDialog
from outreach_app.ui.models import report_tables as rt
from outreach_app.ui.pages import reports as rp
from outreach_app.ui.pages.report_jobs import COUNT_SHEET, INVENTORY, MONTHLY, TALLY_SHEET

ZONE = ZoneInfo(TIMEZONE)
NOTE = "ZZ-NOTE-SECRET"


def _at(day: int):
    return date_at_noon(date(2026, 10, day), ZONE)


@pytest.fixture
def month_store(ui_store):
    with ui_store.unit_of_work() as uow:
        for code, qty in (("SYRINGE", 500), ("SWAB", 500), ("COOKER", 50), ("WATER", 50)):
            inventory.receive(uow, FIRST_SITE, code, qty)
        inventory.receive(uow, FIRST_SITE, "FILTER", 50)
    drafts = [
        EncounterDraft(
            site=FIRST_SITE,
            occurred_at=_at(5),
            participant_code="ZZ-TEST-01",
            is_new=True,
            age_band="30-39",
            gender="woman",
            items={"SYRINGE": 20},
            referrals=("OAT",),
            note=NOTE,
        ),
        EncounterDraft(
            site=FIRST_SITE,
            occurred_at=_at(6),
            participant_code="ZZ-TEST-02",
            items={"SYRINGE": 10},
            kits={"KIT-INJECT": 1},
        ),
        EncounterDraft(site=FIRST_SITE, occurred_at=_at(7), items={"SWAB": 5}),
        EncounterDraft(
            site=FIRST_SITE, occurred_at=_at(8), is_tally=True, contacts=7, items={"SYRINGE": 30}
        ),
        EncounterDraft(
            site=FIRST_SITE, occurred_at=_at(9), participant_code="ZZ-TEST-03", items={"SYRINGE": 5}
        ),
    ]
    with ui_store.unit_of_work() as uow:
        saved = [encounters.log_encounter(uow, d) for d in drafts]
        encounters.void_encounter(uow, saved[-1].id, "ZZ test: entered twice")
    return ui_store


def _page(qtbot, context) -> rp.ReportsPage:
    page = rp.ReportsPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.site_combo.count() > 1)  # the sites arrive from the worker
    return page


def _choose(page: rp.ReportsPage, kind: str, *, site: str = FIRST_SITE) -> None:
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))
    page.month_edit.setDate(QDate(2026, 10, 1))
    page.site_combo.setCurrentIndex(page.site_combo.findData(site))


def _generate(qtbot, page: rp.ReportsPage) -> None:
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.report is not None and page.generate_button.isEnabled())


def _figures(page) -> dict[tuple[str, str], tuple[str, str]]:
    model = page.figures_model
    return {(r.section, r.code): (r.value, r.previous) for r in model.rows if r.site == FIRST_SITE}


def _cell(page, section: str, code: str, column: int):
    model = page.figures_model
    for row, shown in enumerate(model.rows):
        if (shown.section, shown.code, shown.site) == (section, code, FIRST_SITE):
            return model.index(row, column)
    raise AssertionError(f"no figure {section}/{code}")


def _click(qtbot, table, index) -> None:
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _shown(model) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_monthly_tally_figures_as_printed_and_internal(qtbot, context, month_store, qtmodeltester):
    page = _page(qtbot, context)
    assert page.figures_stack.currentWidget() is page.figures_empty  # before any report
    _choose(page, MONTHLY)
    _generate(qtbot, page)
    assert not page.preview.pixmap.isNull() and page.preview.pixmap.width() > 500
    assert page.report.page_count >= 1
    figures = _figures(page)
    assert figures[("summary", "encounters")] == ("<5", "0")
    assert figures[("summary", "unique_participants")] == ("<5", "0")
    assert figures[("summary", "anonymous_contacts")] == ("<5", "0")
    assert figures[("summary", "voided_encounters")] == ("<5", "0")
    assert figures[("summary", "tally_contacts")] == ("7", "0")
    assert figures[("summary", "syringes_distributed")] == ("70", "0")
    assert figures[("items", "SYRINGE")] == ("70", "0")
    assert figures[("items", "SWAB")] == ("15", "0")
    assert figures[("items", "COOKER")] == ("2", "0")
    assert figures[("kits", "KIT-INJECT")] == ("1", "0")
    value = _cell(page, "summary", "encounters", rt.COL_VALUE)
    assert page.figures_model.data(value) == "<5"
    assert "small count" in page.figures_model.data(value, Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(page.figures_model)

    page.show_radio.setChecked(True)  # "show small counts (internal)"
    _generate(qtbot, page)
    figures = _figures(page)
    assert figures[("summary", "encounters")] == ("3", "0")
    assert figures[("summary", "unique_participants")] == ("2", "0")
    assert figures[("summary", "new_participants")] == ("1", "0")
    assert figures[("summary", "anonymous_contacts")] == ("1", "0")
    assert figures[("summary", "voided_encounters")] == ("1", "0")
    assert figures[("referrals", "OAT")] == ("1", "0")
    assert "INTERNAL" in page.shown_label.text()
    assert page.report.file_stem == "monthly-tally-2026-10-drop-in-internal"


def test_clicking_a_figure_lists_exactly_the_records_behind_it(
    qtbot, context, month_store, qtmodeltester
):
    page = _page(qtbot, context)
    _choose(page, MONTHLY)
    _generate(qtbot, page)
    _click(qtbot, page.figures_table, _cell(page, "items", "SYRINGE", rt.COL_VALUE))
    rows = _shown(page.trace_model)
    assert [(r[0][:10], r[1], r[2]) for r in rows] == [
        ("2026-10-05", FIRST_SITE, "Encounter"),
        ("2026-10-06", FIRST_SITE, "Encounter"),
        ("2026-10-08", FIRST_SITE, "Tally record (7 contacts)"),
    ]
    assert [r[3].split(", ")[0] for r in rows] == ["SYRINGE 20", "SYRINGE 20", "SYRINGE 30"]
    assert "SWAB 10" in rows[1][3] and "COOKER 2" in rows[1][3]
    assert "3 records" in page.trace_label.text()
    assert not any(NOTE in cell or "ZZ-TEST" in cell for row in rows for cell in row)
    qtmodeltester.check(page.trace_model)

    _click(qtbot, page.figures_table, _cell(page, "summary", "encounters", rt.COL_VALUE))
    rows = _shown(page.trace_model)
    assert [(r[0][:10], r[2]) for r in rows] == [
        ("2026-10-05", "Encounter"),
        ("2026-10-06", "Encounter"),
        ("2026-10-07", "Encounter"),
    ]
    _click(qtbot, page.figures_table, _cell(page, "summary", "voided_encounters", rt.COL_VALUE))
    assert [(r[0][:10], r[2]) for r in _shown(page.trace_model)] == [
        ("2026-10-09", "Encounter — voided")
    ]
    _click(qtbot, page.figures_table, _cell(page, "summary", "tally_contacts", rt.COL_PREVIOUS))
    assert page.trace_model.rowCount() == 0
    assert "September 2026" in page.trace_label.text()
    assert "no records" in page.trace_label.text()


def test_inventory_reconciliation_and_its_movements(qtbot, context, month_store, qtmodeltester):
    page = _page(qtbot, context)
    _choose(page, INVENTORY)
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("range"))
    page.from_edit.setDate(QDate(2026, 10, 1))
    page.to_edit.setDate(QDate.currentDate())
    _generate(qtbot, page)
    assert not page.preview.pixmap.isNull()
    assert page.figures_stack.currentWidget() is page.stock_table
    model = page.stock_model
    syringe = next(r for r, row in enumerate(model.rows) if row.item_code == "SYRINGE")
    shown = [model.data(model.index(syringe, c)) for c in range(model.columnCount())]
    headers = list(rt.ReconciliationTableModel.HEADERS)
    assert shown[headers.index("Opening")] == "0"
    assert shown[headers.index("Received")] == "500"
    assert shown[headers.index("Given out")] == "-70"
    assert shown[headers.index("Expected")] == "430"
    assert shown[headers.index("Counted")] == ""
    qtmodeltester.check(model)

    _click(qtbot, page.stock_table, model.index(syringe, headers.index("Given out")))
    rows = _shown(page.trace_model)
    given = [int(r[3].rsplit(" ", 1)[1]) for r in rows]
    assert sorted(given) == [-30, -20, -20, -5, 5]  # the void's reversal cancels its -5
    assert sum(given) == -70
    assert sum("reversal" in r[2] for r in rows) == 1
    _click(qtbot, page.stock_table, model.index(syringe, headers.index("Received")))
    assert [r[3] for r in _shown(page.trace_model)] == ["SYRINGE +500"]


@pytest.mark.parametrize("kind", [TALLY_SHEET, COUNT_SHEET])
def test_paper_forms_preview_and_save(qtbot, context, month_store, monkeypatch, tmp_path, kind):
    page = _page(qtbot, context)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))
    assert page.site_combo.findData(rp.ALL) == -1  # a form is for one site
    assert page.site_combo.currentData() == FIRST_SITE
    _generate(qtbot, page)
    assert not page.preview.pixmap.isNull()
    assert page.figures_stack.currentWidget() is page.figures_empty
    assert not page.save_csv_button.isEnabled()
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: target))
    qtbot.mouseClick(page.save_pdf_button, Qt.MouseButton.LeftButton)
    reader = PdfReader(target)
    assert len(reader.pages) >= 1
    assert FIRST_SITE in reader.pages[0].extract_text()


def test_save_writes_a_readable_pdf_and_the_csv(qtbot, context, month_store, monkeypatch, tmp_path):
    page = _page(qtbot, context)
    _choose(page, MONTHLY)
    _generate(qtbot, page)
    asked: list[Path] = []

    def ask(cls, parent, caption, suggested, pattern):
        asked.append(suggested)
        return tmp_path / suggested.name

    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(ask))
    qtbot.mouseClick(page.save_pdf_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_csv_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in asked] == [
        "monthly-tally-2026-10-drop-in.pdf",
        "monthly-tally-2026-10-drop-in.csv",
    ]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(asked and page.report.pdf)).pages)
    saved = PdfReader(tmp_path / asked[0].name)
    assert len(saved.pages) == page.report.page_count
    assert "October 2026" in saved.pages[0].extract_text() and "October 2026" in text
    csv = (tmp_path / asked[1].name).read_text(encoding="utf-8").splitlines()
    assert csv[0] == "section,site,code,label,value,previous_value"
    assert "summary,Drop-in,encounters,Encounters,<5,0" in csv
    assert "items,Drop-in,SYRINGE,Syringe,70,0" in csv or any(
        line.startswith("items,Drop-in,SYRINGE,") and line.endswith(",70,0") for line in csv
    )
    assert page.saved_pdf == tmp_path / asked[0].name
    assert "Saved" in page.message.text()


def test_cancelled_save_writes_nothing(qtbot, context, month_store, monkeypatch, tmp_path):
    page = _page(qtbot, context)
    _choose(page, MONTHLY)
    _generate(qtbot, page)
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: None))
    qtbot.mouseClick(page.save_pdf_button, Qt.MouseButton.LeftButton)
    assert page.saved_pdf is None and not list(tmp_path.glob("*.pdf"))


def test_generation_on_the_worker_keeps_the_window_responsive(qtbot, threaded_context, month_store):
    page = _page(qtbot, threaded_context)
    _choose(page, MONTHLY)
    events: list[str] = []
    original = page._on_generated

    def arrived(token, report):
        events.append("result")
        original(token, report)

    page._on_generated = arrived
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, lambda: events.append("timer"))
    assert not page.generate_button.isEnabled()  # one generation at a time
    qtbot.waitUntil(lambda: "result" in events, timeout=30_000)
    assert events == ["timer", "result"]
    assert not page.preview.pixmap.isNull()
    assert _figures(page)[("items", "SYRINGE")] == ("70", "0")
    assert page.generate_button.isEnabled()


def test_open_in_viewer_hands_the_pdf_to_the_system(qtbot, context, month_store, monkeypatch):
    page = _page(qtbot, context)
    _choose(page, MONTHLY)
    _generate(qtbot, page)
    opened = []
    monkeypatch.setattr(rp.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    path = Path(opened[0].toLocalFile())
    assert path.name == "monthly-tally-2026-10-drop-in.pdf"
    assert path.read_bytes() == page.report.pdf


def test_a_period_ending_before_it_starts_is_refused(qtbot, context, month_store):
    page = _page(qtbot, context)
    _choose(page, MONTHLY)
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("range"))
    page.from_edit.setDate(QDate(2026, 10, 10))
    page.to_edit.setDate(QDate(2026, 10, 1))
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert page.report is None
    assert "ends before it starts" in page.message.text()
