"""Reports: the monthly tally, the inventory reconciliation and the blank paper forms.

The worker computes the figures, writes the PDF (and CSV) and renders the first page, so the
window stays responsive; the page shows the preview, the figures as printed (small counts
hidden unless the internal choice is made) and, for a clicked figure, the records behind it.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.clock import Period
from outreach_app.domain.errors import OutreachError
from outreach_app.domain.figures import ALL_SITES
from outreach_app.domain.suppression import DEFAULT_THRESHOLD
from outreach_app.services import catalog
from outreach_app.services.traces import TracedRecord

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.save_file import SaveFileDialog, write_file
from outreach_app.ui.models import report_tables as rt
from outreach_app.ui.pages.report_jobs import (
    COUNT_SHEET,
    INVENTORY,
    MONTHLY,
    REPORT_TITLES,
    TALLY_SHEET,
    GeneratedReport,
    ReportRequest,
    figure_trace_job,
    generate,
    movement_trace_job,
)
from outreach_app.ui.widgets.common import (
    BusyBar,
    MessageLine,
    RefreshWhenShown,
    compact_table,
    date_edit,
    fill_combo,
    org_zone,
)
from outreach_app.ui.widgets.page_preview import PagePreview, page_image

ALL = "all"
NO_FIGURES = "Figures appear here after Generate. Click a figure to list the records behind it."
FORM_FIGURES = "A paper form has no figures: the preview shows the sheet. Save the PDF to print it."
TRACE_HINT = "Click a figure to list the encounters, tally records or movements behind it."


def _sites(store: Any) -> list[str]:
    with store.unit_of_work() as uow:
        return [s.name for s in catalog.list_sites(uow)]


class ReportsPage(QWidget):
    tally_entry_requested = Signal()  # "Key in a filled sheet…": the window shows that page

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: GeneratedReport | None = None
        self.saved_pdf: Path | None = None
        self._token = 0  # only the latest Generate's result is shown
        self._folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self._view_dir: str | None = None
        self.figures_model = rt.FiguresTableModel(self)
        self.stock_model = rt.ReconciliationTableModel(self)
        self.trace_model = rt.TraceTableModel(org_zone(context), self)
        self._build()
        self._on_kind_changed()
        self._on_mode_changed()
        self.refresher = RefreshWhenShown(self, context, self._load_sites)
        self._load_sites()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind, title in REPORT_TITLES.items():
            self.kind_combo.addItem(title, kind)
        self.mode_combo = QComboBox()
        self.mode_combo.addItem("Month", "month")
        self.mode_combo.addItem("From … to", "range")
        today = QDate.currentDate()
        self.month_edit = date_edit()
        self.month_edit.setDisplayFormat("MMMM yyyy")
        self.month_edit.setDate(QDate(today.year(), today.month(), 1))
        self.from_edit, self.to_edit = date_edit(), date_edit()
        self.from_edit.setDate(QDate(today.year(), today.month(), 1))
        self.to_edit.setDate(today)
        self.to_label = QLabel("to")
        self.site_combo = QComboBox()
        self.site_combo.setMinimumContentsLength(16)

        self.hide_radio = QRadioButton("&Hide small counts under")
        self.hide_radio.setToolTip("Counts of people from 1 to N−1 print as <N (for sharing)")
        self.threshold_spin = QSpinBox()
        self.threshold_spin.setRange(2, 99)
        self.threshold_spin.setValue(DEFAULT_THRESHOLD)
        self.show_radio = QRadioButton("Show small counts (&internal)")
        self.show_radio.setToolTip("Every count printed; each page is stamped INTERNAL")
        self.privacy = QButtonGroup(self)
        self.privacy.addButton(self.hide_radio)
        self.privacy.addButton(self.show_radio)
        self.hide_radio.setChecked(True)
        self.paper_combo = QComboBox()
        self.paper_combo.addItem("Letter", "letter")
        self.paper_combo.addItem("A4", "a4")
        self.per_combo = QComboBox()
        self.per_combo.addItem("one per shift", "shift")
        self.per_combo.addItem("one per day", "day")
        self.expected_check = QCheckBox("Print expected quantities")

        self.generate_button = QPushButton("&Generate")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip("Build the report and show its first page (Ctrl+G)")
        self.save_pdf_button = QPushButton("Save &PDF…")
        self.save_pdf_button.setToolTip("Save the report as a PDF file (Ctrl+S)")
        self.save_csv_button = QPushButton("Save C&SV…")
        self.save_csv_button.setToolTip("Save the figures as a spreadsheet (CSV)")
        self.open_button = QPushButton("&Open in viewer")
        self.open_button.setToolTip("Open the PDF in the system's PDF viewer")
        self.key_in_button = QPushButton("&Key in a filled sheet…")
        self.key_in_button.setToolTip("Type a filled paper tally sheet back in (Ctrl+7)")

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        row1 = QHBoxLayout()
        for widget in (self.kind_combo, self.mode_combo, self.month_edit, self.from_edit):
            row1.addWidget(widget)
        row1.addWidget(self.to_label)
        row1.addWidget(self.to_edit)
        site_label = QLabel("Si&te")
        site_label.setBuddy(self.site_combo)
        row1.addSpacing(12)
        row1.addWidget(site_label)
        row1.addWidget(self.site_combo)
        row1.addStretch(1)
        report_label = QLabel("&Report")
        report_label.setBuddy(self.kind_combo)
        grid.addWidget(report_label, 0, 0)
        grid.addLayout(row1, 0, 1)
        self.options_label = QLabel("Options")
        row2 = QHBoxLayout()
        for widget in (
            self.hide_radio,
            self.threshold_spin,
            self.show_radio,
            self.paper_combo,
            self.per_combo,
            self.expected_check,
            self.key_in_button,
        ):
            row2.addWidget(widget)
            if widget is self.threshold_spin:
                row2.addSpacing(16)
        row2.addStretch(1)
        grid.addWidget(self.options_label, 1, 0)
        grid.addLayout(row2, 1, 1)
        buttons = QHBoxLayout()
        for button in (
            self.generate_button,
            self.save_pdf_button,
            self.save_csv_button,
            self.open_button,
        ):
            buttons.addWidget(button)
        self.shown_label = QLabel("")
        self.shown_label.setStyleSheet("font-weight: bold;")
        buttons.addSpacing(12)
        buttons.addWidget(self.shown_label, 1)
        grid.addLayout(buttons, 2, 1)

        self.preview = PagePreview()
        self.figures_table = self._table(self.figures_model)
        header = self.figures_table.horizontalHeader()
        header.setSectionResizeMode(rt.COL_LABEL, QHeaderView.ResizeMode.Stretch)
        for column, width in ((rt.COL_SECTION, 95), (rt.COL_SITE, 120)):
            self.figures_table.setColumnWidth(column, width)
        self.figures_table.setColumnHidden(rt.COL_CODE, True)  # the label's tooltip has it
        for column in (rt.COL_VALUE, rt.COL_PREVIOUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.stock_table = self._table(self.stock_model)
        self.stock_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.figures_empty = QLabel(NO_FIGURES)
        self.figures_empty.setWordWrap(True)
        self.figures_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.figures_empty.setStyleSheet("color: #555; padding: 12px;")
        self.figures_stack = QStackedWidget()
        for widget in (self.figures_empty, self.figures_table, self.stock_table):
            self.figures_stack.addWidget(widget)
        self.trace_label = QLabel(TRACE_HINT)
        self.trace_label.setWordWrap(True)
        self.trace_table = self._table(self.trace_model)
        self.trace_table.horizontalHeader().setSectionResizeMode(
            rt.TR_SUPPLIES, QHeaderView.ResizeMode.Stretch
        )
        for column, width in ((rt.TR_WHEN, 120), (rt.TR_SITE, 120), (rt.TR_KIND, 190)):
            self.trace_table.setColumnWidth(column, width)
        trace_box = QWidget()
        trace_layout = QVBoxLayout(trace_box)
        trace_layout.setContentsMargins(0, 4, 0, 0)
        trace_layout.addWidget(self.trace_label)
        trace_layout.addWidget(self.trace_table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.figures_stack)
        right.addWidget(trace_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        body = QSplitter()
        body.addWidget(self.preview)
        body.addWidget(right)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        body.setChildrenCollapsible(False)
        body.setSizes([420, 640])
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(BusyBar(self.context))
        layout.addWidget(body, 1)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self.generate_button.clicked.connect(self._on_generate)
        self.save_pdf_button.clicked.connect(lambda: self._on_save("pdf"))
        self.save_csv_button.clicked.connect(lambda: self._on_save("csv"))
        self.open_button.clicked.connect(self._on_open)
        self.key_in_button.clicked.connect(self.tally_entry_requested.emit)
        for table in (self.figures_table, self.stock_table):
            table.clicked.connect(self._on_figure_clicked)
            table.activated.connect(self._on_figure_clicked)
        self._shortcut("Generate report", "Ctrl+G", self._on_generate)
        self._shortcut("Save PDF", "Ctrl+S", lambda: self._on_save("pdf"))
        self._set_outputs_enabled()

    def _table(self, model: Any) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_table(table)
        return table

    def _shortcut(self, text: str, keys: str, slot: Any) -> None:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    # ---- choices -------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _load_sites(self) -> None:
        self.context.worker.submit(_sites, self._on_sites, self._on_error)

    def _on_sites(self, sites: list[str]) -> None:
        self._site_names = sites
        self._fill_site_combo()

    def _fill_site_combo(self) -> None:
        sites = getattr(self, "_site_names", [])
        form = self.kind in (TALLY_SHEET, COUNT_SHEET)
        before = self.site_combo.currentData()
        fill_combo(self.site_combo, None if form else ("All sites", ALL), [(s, s) for s in sites])
        if form and before in (None, ALL):
            index = self.site_combo.findData(self.context.current_site)
            self.site_combo.setCurrentIndex(max(index, 0))

    def _on_kind_changed(self) -> None:
        kind = self.kind
        is_report = kind in (MONTHLY, INVENTORY)
        for widget in (self.mode_combo, self.month_edit, self.from_edit, self.to_edit):
            widget.setEnabled(is_report)
        for widget in (self.hide_radio, self.threshold_spin, self.show_radio):
            widget.setVisible(kind == MONTHLY)
        for widget in (self.paper_combo, self.per_combo, self.key_in_button):
            widget.setVisible(kind == TALLY_SHEET)
        self.expected_check.setVisible(kind == COUNT_SHEET)
        self.options_label.setVisible(kind != INVENTORY)
        self._fill_site_combo()

    def _on_mode_changed(self) -> None:
        month = self.mode_combo.currentData() == "month"
        self.month_edit.setVisible(month)
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(not month)

    def period(self) -> Period | None:
        if self.mode_combo.currentData() == "month":
            chosen = self.month_edit.date()
            return Period.month(chosen.year(), chosen.month())
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return Period(start, end) if start <= end else None

    def request(self) -> ReportRequest | None:
        period = self.period()
        if period is None:
            self.message.show_error("The period ends before it starts: choose a later “to” date.")
            return None
        site = self.site_combo.currentData()
        if not site:
            self.message.show_error("There is no site to report on yet; add one under Catalog.")
            return None
        return ReportRequest(
            self.kind,
            period,
            str(site),
            threshold=self.threshold_spin.value() if self.hide_radio.isChecked() else None,
            paper=str(self.paper_combo.currentData()),
            per=str(self.per_combo.currentData()),
            show_expected=self.expected_check.isChecked(),
        )

    # ---- generating ----------------------------------------------------------------------
    def _on_generate(self) -> None:
        request = self.request()
        if request is None:
            return
        self._token += 1
        token = self._token
        self.generate_button.setEnabled(False)
        self.message.show_info(f"Generating the {REPORT_TITLES[request.kind].lower()}…")
        self.context.worker.submit(
            lambda store: generate(store, request),
            lambda report: self._on_generated(token, report),
            lambda error: self._on_failed(token, error),
        )

    def _on_generated(self, token: int, report: GeneratedReport) -> None:
        if token != self._token:
            return
        self.generate_button.setEnabled(True)
        self.report, self.saved_pdf = report, None
        shown = report.preview
        self.preview.show_page(page_image(shown.width, shown.height, shown.stride, shown.pixels))
        pages = f"{report.page_count} page{'s' if report.page_count != 1 else ''}"
        self.shown_label.setText(f"{report.title} ({pages})")
        self.trace_model.set_rows([])
        self.trace_label.setText(TRACE_HINT)
        if report.request.kind == MONTHLY:
            self.figures_model.set_rows(report.figures)
            everywhere = report.request.site == ALL
            self.figures_table.setColumnHidden(rt.COL_SITE, not everywhere)
            self.figures_stack.setCurrentWidget(self.figures_table)
        elif report.request.kind == INVENTORY:
            self.stock_model.set_rows(report.stock_rows)
            self.figures_stack.setCurrentWidget(self.stock_table)
            if not report.stock_rows:
                self.trace_label.setText("No stock movements at these sites yet.")
        else:
            self.figures_empty.setText(FORM_FIGURES)
            self.figures_stack.setCurrentWidget(self.figures_empty)
            self.trace_label.setText("")
        self.message.show_info(f"{report.title}: ready to save or open.")
        self._set_outputs_enabled()

    def _on_failed(self, token: int, error: OutreachError) -> None:
        if token == self._token:
            self.generate_button.setEnabled(True)
            self._on_error(error)

    def _set_outputs_enabled(self) -> None:
        report = self.report
        self.save_pdf_button.setEnabled(report is not None)
        self.open_button.setEnabled(report is not None)
        self.save_csv_button.setEnabled(report is not None and report.csv is not None)

    # ---- tracing a figure ----------------------------------------------------------------
    def _on_figure_clicked(self, index: QModelIndex) -> None:
        report = self.report
        if report is None or not index.isValid():
            return
        period = report.request.period
        if report.request.kind == MONTHLY:
            row = self.figures_model.row_at(index.row())
            previous = index.column() == rt.COL_PREVIOUS
            when = period.previous().label() if previous else period.label()
            site = None if row.site == ALL_SITES else row.site
            what = f"{row.label} — {row.site}, {when}"
            job = figure_trace_job(period, row.section, row.code, site, previous)
        else:
            stock = self.stock_model.row_at(index.row())
            column = rt.reconciliation_column(index.column())
            if column is None:
                self.trace_label.setText(
                    "Click opening, a movement column or expected to list the movements; "
                    "counted and variance come from the stocktake."
                )
                return
            lot = f" lot {stock.lot}" if stock.lot else ""
            heading = rt.ReconciliationTableModel.HEADERS[index.column()]
            what = f"{heading} — {stock.item_code}{lot} at {stock.site}, {period.label()}"
            job = movement_trace_job(period, stock.site, stock.item_code, column, stock.lot)

        self.trace_label.setText(f"{what}: looking up the records…")
        self.context.worker.submit(job, lambda rows: self._on_traced(what, rows), self._on_error)

    def _on_traced(self, what: str, rows: list[TracedRecord]) -> None:
        self.trace_model.set_rows(rows)
        count = f"{len(rows)} record{'s' if len(rows) != 1 else ''}" if rows else "no records"
        self.trace_label.setText(f"{what}: {count} behind this figure.")

    # ---- saving and opening --------------------------------------------------------------
    def _on_save(self, what: str) -> None:
        report = self.report
        if report is None:
            self.message.show_error("Generate a report first, then save it.")
            return
        data = report.pdf if what == "pdf" else report.csv
        if data is None:
            return
        pattern = "PDF (*.pdf)" if what == "pdf" else "CSV spreadsheet (*.csv)"
        suggested = self._folder / f"{report.file_stem}.{what}"
        path = SaveFileDialog.ask(self, f"Save the {what.upper()}", suggested, pattern)
        if path is None:
            return
        try:
            write_file(path, data)
        except OSError as exc:
            self.message.show_error(
                f"Could not save to {path}: {exc.strerror or exc}. Choose another folder."
            )
            return
        self._folder = path.parent
        if what == "pdf":
            self.saved_pdf = path
        self.message.show_info(f"Saved {path}.")

    def _on_open(self) -> None:
        report = self.report
        if report is None:
            return
        path = self.saved_pdf
        if path is None or not path.exists():
            if self._view_dir is None:
                self._view_dir = tempfile.mkdtemp(prefix="outreach-reports-")
            path = Path(self._view_dir) / f"{report.file_stem}.pdf"
            try:
                write_file(path, report.pdf)
            except OSError as exc:
                self.message.show_error(f"Could not prepare the PDF: {exc.strerror or exc}.")
                return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.show_info(f"Opened {path.name} in the PDF viewer.")
        else:
            self.message.show_error(
                "No PDF viewer opened it. Save the PDF and open it from your files instead."
            )

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)
