"""Encounters and tally records, filtered and paged from the database, with void and detail
(the detail pane's HTML is `encounter_detail`'s)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.clock import Period
from outreach_app.domain.errors import OutreachError
from outreach_app.domain.roles import Action
from outreach_app.i18n import N_, _, ngettext
from outreach_app.services import catalog, encounter_list, encounters

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.void_dialog import VoidDialog
from outreach_app.ui.models.encounter_table import (
    COL_WHEN,
    EncounterTableModel,
    RowRole,
)
from outreach_app.ui.pages.encounter_detail import detail_html
from outreach_app.ui.widgets.common import (
    BusyBar,
    MessageLine,
    RefreshWhenShown,
    compact_table,
    date_edit,
    fill_combo,
    org_zone,
    submit_write,
)
from outreach_app.ui.widgets.page import Page, button_action

PERIODS = (
    (N_("Last 7 days"), 7),
    (N_("Last 30 days"), 30),
    (N_("This month"), -1),
    (N_("All time"), 0),
    (N_("Custom dates"), -2),
)


class EncountersPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._zone = org_zone(context)
        self._total: int | None = None  # of the current filter, once counted
        self.model = EncounterTableModel(context.worker, self._zone, self)
        self._build()
        self._code_timer = QTimer(self)
        self._code_timer.setSingleShot(True)
        self._code_timer.setInterval(350)
        self._code_timer.timeout.connect(self._on_filters_changed)
        self._connect()
        self._load_choices()
        self._on_filters_changed()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.period_combo = QComboBox()
        for label, days in PERIODS:
            self.period_combo.addItem(_(label), days)
        self.period_combo.setCurrentIndex(1)
        self.from_edit = date_edit()
        self.to_edit = date_edit()
        today = QDate.currentDate()
        self.from_edit.setDate(today.addDays(-29))
        self.to_edit.setDate(today)
        self.site_combo = QComboBox()
        self.site_combo.setMinimumContentsLength(12)
        self.item_combo = QComboBox()
        self.item_combo.setMinimumContentsLength(16)
        for combo in (self.site_combo, self.item_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self.code_edit = QLineEdit(placeholderText=_("Participant code"))
        self.code_edit.setAccessibleName(_("Participant code"))
        self.code_edit.setClearButtonEnabled(True)
        self.tally_check = QCheckBox(_("Tally records"))
        self.tally_check.setChecked(True)
        self.tally_check.setToolTip(
            _("Include tally records (counter clicks, paper sheets, shift bags)")
        )

        # Two lines, when first, then where and what: on one line the filters made the window
        # wider than a 1024-pixel screen, in English too. The widgets are added in reading
        # order, which is the tab order.
        when, what = QHBoxLayout(), QHBoxLayout()
        for row, label, widget in (
            (when, _("Period"), self.period_combo),
            (when, _("From"), self.from_edit),
            (when, _("To"), self.to_edit),
            (what, _("Site"), self.site_combo),
            (what, _("Item"), self.item_combo),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        when.addStretch(1)
        what.addWidget(self.code_edit, 1)
        what.addWidget(self.tally_check)
        filters = QVBoxLayout()
        filters.addLayout(when)
        filters.addLayout(what)

        self.table = QTableView()
        self.table.setAccessibleName(_("Encounters"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL_WHEN, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        compact_table(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Status takes what is left (mostly empty: a void's reason is in the tooltip, a voided
        # row is struck through). Supplies as a stretched column got what the others left,
        # which in French was a few letters.
        header.setStretchLastSection(True)
        for column, width in enumerate((122, 115, 95, 100, 60, 110, 75)):
            # never narrower than its header, whatever the language
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))

        self.detail = QTextBrowser()
        self.detail.setAccessibleName(_("Details"))
        self.detail.setMinimumWidth(260)
        self.void_button = QPushButton(_("&Void…"))
        self.void_button.setToolTip(
            _("Void the selected encounter with a reason (your own; a coordinator: anyone's)")
        )
        self.void_button.setEnabled(False)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(QLabel("<b>" + _("Selected record") + "</b>"))
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.void_button)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # "no record matches…" is long in French
        self.busy = BusyBar(self._context)
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        self.from_edit.setEnabled(False)
        self.to_edit.setEnabled(False)
        self._show_detail(None)

    def _connect(self) -> None:
        self.period_combo.currentIndexChanged.connect(self._on_period_changed)
        self.from_edit.dateChanged.connect(self._on_filters_changed)
        self.to_edit.dateChanged.connect(self._on_filters_changed)
        self.site_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.item_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.tally_check.toggled.connect(self._on_filters_changed)
        self.code_edit.textChanged.connect(self._code_timer.start)
        self.code_edit.returnPressed.connect(self._on_filters_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._context.person_changed.connect(lambda _p: self._on_selection_changed())
        self.void_button.clicked.connect(self._on_void)
        self._void_action = button_action(self.void_button)
        self.model.load_failed.connect(self.message.show_error)
        self.model.modelReset.connect(self._on_rows_changed)
        self.model.rowsInserted.connect(self._on_rows_changed)
        self._refresher = RefreshWhenShown(self, self._context, self._on_data_changed)

    def page_actions(self) -> dict[str, QAction]:
        return {"void": self._void_action}

    # ---- filters -------------------------------------------------------------------------
    def _load_choices(self) -> None:
        def job(store: Any) -> Any:
            with store.reading() as uow:
                return (
                    catalog.list_sites(uow, include_inactive=True),
                    catalog.list_items(uow, include_inactive=True),
                )

        self._context.worker.submit(job, self._on_choices, self._on_service_error)

    def _on_choices(self, result: Any) -> None:
        sites, items = result
        fill_combo(self.site_combo, (_("All sites"), None), [(s.name, s.name) for s in sites])
        fill_combo(
            self.item_combo,
            (_("Any supplies"), None),
            [(f"{i.code} — {i.name}", i.code) for i in items],
        )

    def current_filter(self) -> encounter_list.EncounterFilter:
        return encounter_list.EncounterFilter(
            period=self._period(),
            site=self.site_combo.currentData(),
            item_code=self.item_combo.currentData(),
            participant_code=self.code_edit.text().strip() or None,
            include_tally=self.tally_check.isChecked(),
        )

    def _period(self) -> Period | None:
        days = self.period_combo.currentData()
        today = date.today()
        if days == 0:
            return None
        if days == -1:
            return Period(today.replace(day=1), today)
        if days == -2:
            start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
            return Period(min(start, end), max(start, end))
        return Period(today - timedelta(days=days - 1), today)

    def _on_period_changed(self) -> None:
        custom = self.period_combo.currentData() == -2
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        self._on_filters_changed()

    def _on_filters_changed(self) -> None:
        self._code_timer.stop()
        self.message.clear_message()
        self._show_detail(None)
        self.model.set_filter(self.current_filter())
        self._count()

    def _count(self) -> None:
        flt = self.current_filter()
        self._total = None

        def count(store: Any) -> Any:
            with store.reading() as uow:
                return flt, encounter_list.count_encounters(uow, flt)

        self._context.worker.submit(count, self._on_counted, self._on_service_error)

    def _on_counted(self, result: Any) -> None:
        flt, total = result
        if flt == self.current_filter():  # not a count for filters changed since
            self._total = total
            self._on_rows_changed()

    def _on_data_changed(self) -> None:
        self.model.reload()
        self._count()  # a save elsewhere changes the total as well as the rows

    def _on_rows_changed(self, *args: Any) -> None:
        shown = self.model.rowCount()
        if shown == 0 and not self.model.is_loading:
            self.count_label.setText(
                _(
                    "No encounters or tally records match these filters. Try a longer period "
                    "or “All sites”."
                )
            )
        else:
            if self._total is not None:
                text = ngettext(
                    "{shown} of {n} record shown", "{shown} of {n} records shown", self._total,
                    shown=shown,
                )  # fmt: skip
            else:
                text = ngettext("{n} record shown", "{n} records shown", shown)
            if self.model.canFetchMore(QModelIndex()):
                text += " " + _("(scroll for more)")
            self.count_label.setText(text)

    # ---- selection, detail, void ---------------------------------------------------------
    def selected_row(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], RowRole) if rows else None

    def _on_selection_changed(self, *_args: QItemSelection) -> None:
        row = self.selected_row()
        person = self._context.person  # a worker voids only their own records
        own = row is not None and person is not None and row.staff_id == person.id
        may_void = own or self._context.may(Action.VOID_OTHERS)
        self.void_button.setEnabled(row is not None and not row.voided and may_void)
        if row is None:
            self._show_detail(None)
            return
        record_id = row.id

        def job(store: Any) -> Any:
            with store.reading() as uow:
                return encounters.get_encounter(uow, record_id)

        self._context.worker.submit(job, self._show_detail, self._on_service_error)

    def _show_detail(self, summary: Any) -> None:
        if summary is None:
            hint = _("Select a row to see everything recorded with it.")
            self.detail.setHtml(f"<p style='color:#555'>{hint}</p>")
            return
        self.detail.setHtml(detail_html(summary, self._zone))

    def _on_void(self) -> None:
        row = self.selected_row()
        if row is None or row.voided:
            return
        when = self.model.data(self.table.selectionModel().selectedRows()[0])
        if row.is_tally:
            what = _("the tally record of {when} at {site}", when=when, site=row.site)
        else:
            what = _("the encounter of {when} at {site}", when=when, site=row.site)
        reason = VoidDialog.ask(self, what)
        if not reason:
            return
        # No coordinator PIN: the services let a worker void their own records and refuse
        # anyone else's naming the role (contracts §10).
        record_id = row.id

        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                return encounters.void_encounter(uow, record_id, reason)

        submit_write(self._context, job, self._on_voided, self._on_service_error)

    def _on_voided(self, summary: Any) -> None:
        for number in range(self.model.rowCount()):
            existing = self.model.row_at(number)
            if existing.id == summary.id:
                self.model.replace_row(
                    type(existing)(
                        **{
                            **{f: getattr(existing, f) for f in existing.__slots__},
                            "voided": True,
                            "void_reason": summary.void_reason,
                        }
                    )
                )
                break
        self.void_button.setEnabled(False)
        self._show_detail(summary)
        self.message.show_info(_("Voided. It stays in the list, struck through, with its reason."))
        with self._refresher.muted():  # the row is already shown voided, where it was
            self._context.data_changed.emit()

    def _on_service_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)
