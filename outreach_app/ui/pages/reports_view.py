"""The Reports page's layout: every widget and where it sits, nothing of what they do.

`ReportsPage` (pages/reports.py) inherits it and connects the widgets to its `_on_*` slots, so a
change of layout and a change of behaviour touch different files.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
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

from outreach_app.domain.suppression import DEFAULT_THRESHOLD
from outreach_app.i18n import _, _l

from outreach_app.ui.context import AppContext
from outreach_app.ui.models import report_tables as rt
from outreach_app.ui.pages.report_jobs import REPORT_TITLES
from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.common import BusyBar, MessageLine, compact_table, date_edit, org_zone
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.widgets.page_preview import PagePreview

NO_FIGURES = _l("Figures appear here after Generate. Click a figure to list the records behind it.")
TRACE_HINT = _l("Click a figure to list the encounters, tally records or movements behind it.")


class ReportsView(Page):
    """The report choices, the buttons, the preview, the figures and the records behind one."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.figures_model = rt.FiguresTableModel(self)
        self.stock_model = rt.ReconciliationTableModel(self)
        self.trace_model = rt.TraceTableModel(org_zone(context), self)
        self._build()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind, title in REPORT_TITLES.items():
            self.kind_combo.addItem(_(title), kind)
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName(_("Period"))
        self.mode_combo.addItem(_("Month"), "month")
        self.mode_combo.addItem(_("From … to"), "range")
        today = QDate.currentDate()
        self.month_edit = date_edit()
        self.month_edit.setAccessibleName(_("Month"))
        self.month_edit.setDisplayFormat("MMMM yyyy")
        self.month_edit.setDate(QDate(today.year(), today.month(), 1))
        # Wide enough for the longest month name of the language ("septiembre 2026").
        months = [
            self.month_edit.locale().toString(QDate(2026, m, 1), "MMMM yyyy") for m in range(1, 13)
        ]
        widest = max(self.month_edit.fontMetrics().horizontalAdvance(m) for m in months)
        self.month_edit.setMinimumWidth(widest + 48)  # the arrow button and the frame
        self.from_edit, self.to_edit = date_edit(), date_edit()
        self.from_edit.setAccessibleName(_("From"))
        self.to_edit.setAccessibleName(_("To"))
        self.from_edit.setDate(QDate(today.year(), today.month(), 1))
        self.to_edit.setDate(today)
        self.to_label = QLabel(_("to"))
        self.site_combo = QComboBox()
        self.site_combo.setMinimumContentsLength(16)

        self.hide_radio = QRadioButton(_("Hi&de small counts under"))
        self.hide_radio.setToolTip(_("Counts of people from 1 to N−1 print as <N (for sharing)"))
        self.threshold_spin = QSpinBox()
        self.threshold_spin.setAccessibleName(_("Hide small counts under"))
        self.threshold_spin.setRange(2, 99)
        self.threshold_spin.setValue(DEFAULT_THRESHOLD)
        self.show_radio = QRadioButton(_("Show small counts (&internal)"))
        self.show_radio.setToolTip(_("Every count printed; each page is stamped INTERNAL"))
        self.privacy = QButtonGroup(self)
        self.privacy.addButton(self.hide_radio)
        self.privacy.addButton(self.show_radio)
        self.hide_radio.setChecked(True)
        self.paper_combo = QComboBox()
        self.paper_combo.setAccessibleName(_("Paper"))
        self.paper_combo.addItem(_("Letter"), "letter")
        self.paper_combo.addItem("A4", "a4")
        self.per_combo = QComboBox()
        self.per_combo.setAccessibleName(_("Sheets"))
        self.per_combo.addItem(_("one per shift"), "shift")
        self.per_combo.addItem(_("one per day"), "day")
        self.expected_check = QCheckBox(_("Print e&xpected quantities"))

        self.generate_button = QPushButton(_("Ge&nerate"))
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip(_("Build the report and show its first page (Ctrl+G)"))
        self.save_pdf_button = QPushButton(_("Save &PDF…"))
        self.save_pdf_button.setToolTip(_("Save the report as a PDF file (Ctrl+S)"))
        self.save_csv_button = QPushButton(_("Save &CSV…"))
        self.save_csv_button.setToolTip(_("Save the figures as a spreadsheet (CSV)"))
        self.open_button = QPushButton(_("Open in &viewer"))
        self.open_button.setToolTip(_("Open the PDF in the system's PDF viewer"))
        self.key_in_button = QPushButton(_("&Key in a filled sheet…"))
        self.key_in_button.setToolTip(_("Type a filled paper tally sheet back in (Ctrl+7)"))

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        row1 = QHBoxLayout()
        for widget in (self.kind_combo, self.mode_combo, self.month_edit, self.from_edit):
            row1.addWidget(widget)
        row1.addWidget(self.to_label)
        row1.addWidget(self.to_edit)
        site_label = QLabel(_("Si&te"))
        site_label.setBuddy(self.site_combo)
        row1.addSpacing(12)
        row1.addWidget(site_label)
        row1.addWidget(self.site_combo)
        row1.addStretch(1)
        report_label = QLabel(_("Rep&ort"))
        report_label.setBuddy(self.kind_combo)
        grid.addWidget(report_label, 0, 0)
        grid.addLayout(row1, 0, 1)
        self.options_label = QLabel(_("Options"))
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
        self.figures_table.setAccessibleName(_("Figures"))
        header = self.figures_table.horizontalHeader()
        header.setSectionResizeMode(rt.COL_LABEL, QHeaderView.ResizeMode.Stretch)
        for column, width in ((rt.COL_SECTION, 95), (rt.COL_SITE, 120)):
            self.figures_table.setColumnWidth(column, width)
        self.figures_table.setColumnHidden(rt.COL_CODE, True)  # the label's tooltip has it
        for column in (rt.COL_VALUE, rt.COL_PREVIOUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.stock_table = self._table(self.stock_model)
        self.stock_table.setAccessibleName(_("Stock"))
        self.stock_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.figures_empty = QLabel(str(NO_FIGURES))
        self.figures_empty.setWordWrap(True)
        self.figures_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self.figures_empty, "dim", "padding: 12px;")
        self.figures_stack = QStackedWidget()
        for widget in (self.figures_empty, self.figures_table, self.stock_table):
            self.figures_stack.addWidget(widget)
        self.trace_label = QLabel(str(TRACE_HINT))
        self.trace_label.setWordWrap(True)
        self.trace_table = self._table(self.trace_model)
        self.trace_table.setAccessibleName(_("Records behind the figure"))
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

    def _table(self, model: Any) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_table(table)
        return table
