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

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QWidget

from outreach_app.domain.clock import Period
from outreach_app.domain.errors import OutreachError
from outreach_app.domain.figures import ALL_SITES
from outreach_app.i18n import _, _l, ngettext
from outreach_app.reports.labels import figure_label
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
from outreach_app.ui.pages.reports_view import TRACE_HINT, ReportsView
from outreach_app.ui.widgets.common import RefreshWhenShown, fill_combo
from outreach_app.ui.widgets.page import small_counts_follow_role
from outreach_app.ui.widgets.page_preview import page_image

ALL = "all"
FORM_FIGURES = _l(
    "A paper form has no figures: the preview shows the sheet. Save the PDF to print it."
)


def _sites(store: Any) -> list[str]:
    with store.reading() as uow:
        return [s.name for s in catalog.list_sites(uow)]


class ReportsPage(ReportsView):
    """The logic of the Reports page; the layout is `ReportsView`'s."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.report: GeneratedReport | None = None
        self.saved_pdf: Path | None = None
        self._token = 0  # only the latest Generate's result is shown
        self._folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self._view_dir: str | None = None
        self._connect()
        self._on_kind_changed()
        self._on_mode_changed()
        self.refresher = RefreshWhenShown(self, context, self._load_sites)
        self._load_sites()

    def _connect(self) -> None:
        small_counts_follow_role(self.context, self.hide_radio, self.show_radio)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self.generate_button.clicked.connect(self._on_generate)
        self.save_pdf_button.clicked.connect(lambda: self._on_save("pdf"))
        self.save_csv_button.clicked.connect(lambda: self._on_save("csv"))
        self.open_button.clicked.connect(self._on_open)
        # "Key in a filled sheet…": the window shows that page
        self.key_in_button.clicked.connect(
            lambda: self.show_page_requested.emit("Paper tally entry")
        )
        for table in (self.figures_table, self.stock_table):
            table.clicked.connect(self._on_figure_clicked)
            table.activated.connect(self._on_figure_clicked)
        self._shortcut(_("Generate report"), "Ctrl+G", self._on_generate)
        self._shortcut(_("Save PDF"), "Ctrl+S", lambda: self._on_save("pdf"))
        self._set_outputs_enabled()

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
        everywhere = None if form else (_("All sites"), ALL)
        fill_combo(self.site_combo, everywhere, [(s, s) for s in sites])
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
            self.message.show_error(
                _("The period ends before it starts: choose a later “to” date.")
            )
            return None
        site = self.site_combo.currentData()
        if not site:
            self.message.show_error(_("There is no site to report on yet; add one under Catalog."))
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
        report = _(REPORT_TITLES[request.kind]).lower()
        self.message.show_info(_("Generating the {report}…", report=report))
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
        pages = ngettext("{n} page", "{n} pages", report.page_count)
        self.shown_label.setText(f"{report.title} ({pages})")
        self.trace_model.set_rows([])
        self.trace_label.setText(str(TRACE_HINT))
        if report.request.kind == MONTHLY:
            self.figures_model.set_rows(report.figures)
            everywhere = report.request.site == ALL
            self.figures_table.setColumnHidden(rt.COL_SITE, not everywhere)
            self.figures_stack.setCurrentWidget(self.figures_table)
        elif report.request.kind == INVENTORY:
            self.stock_model.set_rows(report.stock_rows)
            self.figures_stack.setCurrentWidget(self.stock_table)
            if not report.stock_rows:
                self.trace_label.setText(_("No stock movements at these sites yet."))
        else:
            self.figures_empty.setText(str(FORM_FIGURES))
            self.figures_stack.setCurrentWidget(self.figures_empty)
            self.trace_label.setText("")
        self.message.show_info(_("{title}: ready to save or open.", title=report.title))
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
            where = site or _("all sites")
            what = f"{figure_label(row)} — {where}, {when}"
            job = figure_trace_job(period, row.section, row.code, site, previous)
        else:
            stock = self.stock_model.row_at(index.row())
            column = rt.reconciliation_column(index.column())
            if column is None:
                self.trace_label.setText(
                    _(
                        "Click opening, a movement column or expected to list the movements; "
                        "counted and variance come from the stocktake."
                    )
                )
                return
            heading = _(rt.ReconciliationTableModel.HEADERS[index.column()])
            if stock.lot:
                where = _(
                    "{item} lot {lot} at {site}",
                    item=stock.item_code,
                    lot=stock.lot,
                    site=stock.site,
                )
            else:
                where = _("{item} at {site}", item=stock.item_code, site=stock.site)
            what = f"{heading} — {where}, {period.label()}"
            job = movement_trace_job(period, stock.site, stock.item_code, column, stock.lot)

        self.trace_label.setText(_("{what}: looking up the records…", what=what))
        self.context.worker.submit(job, lambda rows: self._on_traced(what, rows), self._on_error)

    def _on_traced(self, what: str, rows: list[TracedRecord]) -> None:
        self.trace_model.set_rows(rows)
        if rows:
            text = ngettext(
                "{what}: {n} record behind this figure.",
                "{what}: {n} records behind this figure.",
                len(rows),
                what=what,
            )
        else:
            text = _("{what}: no records behind this figure.", what=what)
        self.trace_label.setText(text)

    # ---- saving and opening --------------------------------------------------------------
    def _on_save(self, what: str) -> None:
        report = self.report
        if report is None:
            self.message.show_error(_("Generate a report first, then save it."))
            return
        data = report.pdf if what == "pdf" else report.csv
        if data is None:
            return
        pattern = _("PDF (*.pdf)") if what == "pdf" else _("CSV spreadsheet (*.csv)")
        caption = _("Save the PDF") if what == "pdf" else _("Save the CSV")
        suggested = self._folder / f"{report.file_stem}.{what}"
        path = SaveFileDialog.ask(self, caption, suggested, pattern)
        if path is None:
            return
        try:
            write_file(path, data)
        except OSError as exc:
            self.message.show_error(
                _(
                    "Could not save to {path}: {reason}. Choose another folder.",
                    path=path,
                    reason=exc.strerror or exc,
                )
            )
            return
        self._folder = path.parent
        if what == "pdf":
            self.saved_pdf = path
        self.message.show_info(_("Saved {path}.", path=path))

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
                self.message.show_error(
                    _("Could not prepare the PDF: {reason}.", reason=exc.strerror or exc)
                )
                return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.show_info(_("Opened {name} in the PDF viewer.", name=path.name))
        else:
            self.message.show_error(
                _("No PDF viewer opened it. Save the PDF and open it from your files instead.")
            )

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)
