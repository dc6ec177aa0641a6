"""The Dashboard page's layout: the choices, the save buttons, the count-needed banner, the
week table beside the charts' place, and the stock and expiring tables. Layout only; the page
(`dashboard.DashboardPage`) holds the logic."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.suppression import DEFAULT_THRESHOLD
from outreach_app.i18n import N_, _

from outreach_app.ui.context import AppContext
from outreach_app.ui.models import dashboard_tables as dt
from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.common import BusyBar, MessageLine, compact_table, date_edit

TITLE_STYLE = "font-weight: bold; padding-top: 4px;"


class DashboardLayout(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.titles: dict[QWidget, tuple[QLabel, str]] = {}  # table -> its title
        self.week_model = dt.WeekTableModel(self)
        self.stock_model = dt.StockTableModel(self)
        self.expiring_model = dt.ExpiringTableModel(self)
        self._build()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.site_combo = QComboBox()
        self.site_combo.setMinimumContentsLength(14)
        self.date_edit = date_edit()
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setToolTip(_("The dashboard as of the end of this day"))
        self.target_spin = QSpinBox()
        self.target_spin.setRange(0, 365)
        self.target_spin.setSpecialValueText(_("each site's own"))
        self.target_spin.setSuffix(" " + _("days"))
        self.target_spin.setToolTip(_("Days of stock to reorder up to, for this view only"))
        self.hide_radio = QRadioButton(_("Hi&de small counts under"))
        self.threshold_spin = QSpinBox()
        self.threshold_spin.setAccessibleName(_("Hide small counts under"))
        self.threshold_spin.setRange(2, 99)
        self.threshold_spin.setValue(DEFAULT_THRESHOLD)
        self.show_radio = QRadioButton(_("Show small counts (&internal)"))
        self.privacy = QButtonGroup(self)
        self.privacy.addButton(self.hide_radio)
        self.privacy.addButton(self.show_radio)
        self.hide_radio.setChecked(True)
        self.refresh_button = QPushButton(_("Refresh"))  # every letter is a menu's: F5
        self.refresh_button.setToolTip(_("Read the figures again (F5)"))

        self.save_pdf_button = QPushButton(_("Save &PDF…"))
        self.save_csv_button = QPushButton(_("Save &CSV…"))
        self.save_order_button = QPushButton(_("Save &order form…"))
        self.save_order_button.setToolTip(
            _("The reorder list as a PDF to sign, and a CSV beside it")
        )
        self.site_target_spin = QSpinBox()
        self.site_target_spin.setRange(1, 365)
        self.site_target_spin.setSuffix(" " + _("days"))
        self.save_target_button = QPushButton(_("Sa&ve target"))
        self.save_target_button.setToolTip(_("Keep this target as the site's own (coordinator)"))
        self.site_target_label = QLabel(_("Site's target"))

        row1 = QHBoxLayout()
        for text, widget in ((_("Si&te"), self.site_combo), (_("&As of"), self.date_edit),
                             (_("Reorder &up to"), self.target_spin)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            row1.addWidget(label)
            row1.addWidget(widget)
            row1.addSpacing(10)
        row1.addStretch(1)
        row1.addWidget(self.refresh_button)
        # The privacy choice has a line of its own: in French and Spanish the choices and the
        # labels of row 1 are too long to share one line at 1366 pixels.
        privacy = QHBoxLayout()
        for widget in (self.hide_radio, self.threshold_spin, self.show_radio):
            privacy.addWidget(widget)
        privacy.addStretch(1)
        privacy.addWidget(self.site_target_label)
        privacy.addWidget(self.site_target_spin)
        privacy.addWidget(self.save_target_button)
        row2 = QHBoxLayout()
        for button in (self.save_pdf_button, self.save_csv_button, self.save_order_button):
            row2.addWidget(button)
        row2.addStretch(1)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        set_tone(self.banner, "banner")
        self.banner.hide()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)  # its figures and dates grow with the sites chosen
        set_tone(self.summary, "quiet")

        self.week_table = self._table(self.week_model)
        self.week_table.setAccessibleName(_("This week"))
        self.week_table.horizontalHeader().setSectionResizeMode(
            dt.WK_LABEL, QHeaderView.ResizeMode.Stretch
        )
        self.stock_table = self._table(self.stock_model)
        self.stock_table.setAccessibleName(_("Stock"))
        self.stock_table.horizontalHeader().setSectionResizeMode(
            dt.ST_ITEM, QHeaderView.ResizeMode.Stretch
        )
        self.stock_table.setColumnHidden(dt.ST_CODE, True)  # the item's tooltip has it
        self.expiring_table = self._table(self.expiring_model)
        self.expiring_table.setAccessibleName(_("Expiring soon"))
        self.expiring_table.horizontalHeader().setSectionResizeMode(
            dt.EX_ITEM, QHeaderView.ResizeMode.Stretch
        )
        self.charts_box = QWidget()
        self.charts_layout = QHBoxLayout(self.charts_box)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.charts_placeholder = QLabel(_("The charts appear here."))
        self.charts_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self.charts_placeholder, "dim")
        self.charts_layout.addWidget(self.charts_placeholder)

        top = QSplitter()
        top.addWidget(self._titled(N_("This week against the four weeks before"), self.week_table))
        top.addWidget(self.charts_box)
        top.setSizes([540, 560])
        bottom = QSplitter()
        bottom.addWidget(self._titled(N_("Days of stock left and what to order"), self.stock_table))
        bottom.addWidget(
            self._titled(N_("Lots expired or expiring within 90 days"), self.expiring_table)
        )
        bottom.setSizes([600, 500])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(bottom)
        body.setSizes([280, 320])
        for splitter in (top, bottom, body):
            splitter.setChildrenCollapsible(False)

        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(privacy)
        layout.addLayout(row2)
        layout.addWidget(self.message)
        layout.addWidget(BusyBar(self.context))
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(body, 1)

    def _table(self, model: Any) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        compact_table(table)
        return table

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        """`title`: a message id (N_), kept as it is for the page to add to; shown translated."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_(title))
        label.setStyleSheet(TITLE_STYLE)
        # On two lines where the table is narrow: a French title, with what the page adds
        # ("nothing in stock…"), was wider than its table at 1024 pixels.
        label.setWordWrap(True)
        self.titles[widget] = (label, title)
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box
