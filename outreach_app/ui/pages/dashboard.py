"""Dashboard: the coordinator's view as of a day — this week against the four before (with
charts), days of stock left per site and item with count needed flagged, lots expiring, and the
reorder list saved as an order form.

The worker reads the figures and writes the PDF, CSV and order form in one job (see
`dashboard_jobs`); the tables show the CSV's own texts. The charts come from pyqtgraph, which
is imported only after the page has first been shown, so neither start-up nor building the page
waits for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from outreach_app.domain.errors import OutreachError
from outreach_app.domain.roles import Action
from outreach_app.i18n import N_, _, ngettext

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.save_file import SaveFileDialog, write_file
from outreach_app.ui.models import dashboard_tables as dt
from outreach_app.ui.pages.dashboard_jobs import (
    CHARTED,
    DashboardRequest,
    GeneratedDashboard,
    generate,
    save_target,
    site_targets,
)
from outreach_app.ui.pages.dashboard_view import DashboardLayout
from outreach_app.ui.widgets.common import RefreshWhenShown, fill_combo
from outreach_app.ui.widgets.page import follow_role, small_counts_follow_role

ALL = "all"
CHART_TITLES = {
    "contacts": N_("Contacts per week"),
    "syringes_distributed": N_("Syringes given per week"),
}


class DashboardPage(DashboardLayout):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)  # the layout; the logic below
        self.generated: GeneratedDashboard | None = None
        self.charts: list[Any] = []  # WeekChart widgets, made after the first show
        self._token = 0  # only the latest generation is shown
        self._targets: dict[str, int] = {}
        self._folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self._connect()
        self.refresher = RefreshWhenShown(self, context, self._load_sites)
        self._load_sites()

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self._on_generate)
        self.site_combo.currentIndexChanged.connect(self._on_site_changed)
        self.date_edit.dateChanged.connect(self._on_generate)
        self.target_spin.valueChanged.connect(self._on_generate)
        self.threshold_spin.valueChanged.connect(self._on_generate)
        self.privacy.buttonToggled.connect(lambda _button, on: on and self._on_generate())
        self.save_pdf_button.clicked.connect(lambda: self._on_save("pdf"))
        self.save_csv_button.clicked.connect(lambda: self._on_save("csv"))
        self.save_order_button.clicked.connect(self._on_save_order)
        self.save_target_button.clicked.connect(self._on_save_target)
        small_counts_follow_role(self.context, self.hide_radio, self.show_radio)
        follow_role(self.context, ((self.save_target_button, Action.SETTINGS),))
        refresh = QAction(_("Refresh dashboard"), self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.triggered.connect(self._on_generate)
        self.addAction(refresh)
        self._set_outputs_enabled()

    # ---- charts, made once the page has been shown -----------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.charts:
            QTimer.singleShot(0, self.make_charts)

    def make_charts(self) -> None:
        """Import pyqtgraph and put the charts in place (the first time only)."""
        if self.charts:
            return
        from outreach_app.ui.widgets.week_chart import WeekChart

        self.charts_layout.removeWidget(self.charts_placeholder)
        self.charts_placeholder.deleteLater()
        for code in CHARTED:
            chart = WeekChart(_(CHART_TITLES[code]))
            self.charts_layout.addWidget(chart)
            self.charts.append(chart)
        self._show_charts()

    def _show_charts(self) -> None:
        generated = self.generated
        if generated is None or not self.charts:
            return
        for chart, bars in zip(self.charts, generated.bars, strict=True):
            title = _(CHART_TITLES[bars.code])
            if generated.board.multi_site:  # a line of its own: two charts share the width
                title += "<br>" + _("all sites")
            chart.set_title(title)
            chart.show_bars(generated.week_names, bars)

    # ---- choices -------------------------------------------------------------------------
    def _load_sites(self) -> None:
        self.context.worker.submit(site_targets, self._on_sites, self._on_error)

    def _on_sites(self, targets: list[tuple[str, int]]) -> None:
        self._targets = dict(targets)
        everywhere = (_("All sites"), ALL)
        fill_combo(self.site_combo, everywhere, [(name, name) for name, _days in targets])
        self._sync_target_editor()
        self._on_generate()

    def _on_site_changed(self) -> None:
        self._sync_target_editor()
        self._on_generate()

    def _sync_target_editor(self) -> None:
        site = self.site_combo.currentData()
        one = site not in (None, ALL)
        for widget in (self.site_target_label, self.site_target_spin, self.save_target_button):
            widget.setVisible(one)
        if one:
            self.site_target_label.setText(_("{site}'s target", site=site))
            self.site_target_spin.setValue(self._targets.get(str(site), 30))

    def request(self) -> DashboardRequest | None:
        site = self.site_combo.currentData()
        if not site:
            return None
        as_of = self.date_edit.date().toPython()
        return DashboardRequest(
            site=str(site),
            as_of=as_of,  # type: ignore[arg-type]
            target_days=self.target_spin.value() or None,
            threshold=self.threshold_spin.value() if self.hide_radio.isChecked() else None,
        )

    # ---- generating ----------------------------------------------------------------------
    def _on_generate(self) -> None:
        request = self.request()
        if request is None:
            return
        self._token += 1
        token = self._token
        self.refresh_button.setEnabled(False)
        self.context.worker.submit(
            lambda store: generate(store, request),
            lambda generated: self._on_generated(token, generated),
            lambda error: self._on_failed(token, error),
        )

    def _on_generated(self, token: int, generated: GeneratedDashboard) -> None:
        if token != self._token:
            return
        self.refresh_button.setEnabled(True)
        self.generated = generated
        board = generated.board
        self.week_model.set_rows(dt.week_rows(generated.rows))
        self.stock_model.set_rows(dt.stock_rows(board, generated.rows))
        self.expiring_model.set_rows(board.expiring)
        self.week_table.setColumnHidden(dt.WK_SITE, not board.multi_site)
        self.stock_table.setColumnHidden(dt.ST_SITE, not board.multi_site)
        self.expiring_table.setColumnHidden(dt.EX_SITE, not board.multi_site)
        needed = board.count_needed
        if needed:
            names = "; ".join(
                _(
                    "{item} at {site} (on hand {on_hand})",
                    item=line.item_name,
                    site=line.site,
                    on_hand=line.on_hand,
                )
                for line in needed
            )
            self.banner.setText(
                _(
                    "Count needed — {names}. More was handed out than the records show: count "
                    "these items and enter the count.",
                    names=names,
                )
            )
        self.banner.setVisible(bool(needed))
        for table, empty in ((self.stock_table, _("nothing on hand or given out")),
                             (self.expiring_table, _("none"))):  # fmt: skip
            label, title = self.titles[table]
            shown = _(title)
            none = _("{title}: {empty}", title=shown, empty=empty)  # French puts a space before ":"
            label.setText(shown if table.model().rowCount() else none)
        orders = len(board.reorder_lines)
        notes = [_("INTERNAL: small counts shown.")] if generated.request.threshold is None else []
        if any(any(bars.hidden) for bars in generated.bars):
            notes.append(_("Grey bars: weeks with a small count of people, hidden."))
        summary = ngettext(
            "As of {day}: this week is {start} to {day}; {n} item to reorder.",
            "As of {day}: this week is {start} to {day}; {n} items to reorder.",
            orders,
            day=board.as_of.isoformat(),
            start=board.week_start.isoformat(),
        )
        self.summary.setText("  ".join([summary, *notes]))
        self.message.clear_message()
        self._show_charts()
        self._set_outputs_enabled()

    def _on_failed(self, token: int, error: OutreachError) -> None:
        if token == self._token:
            self.refresh_button.setEnabled(True)
            self._on_error(error)

    def _set_outputs_enabled(self) -> None:
        ready = self.generated is not None
        for button in (self.save_pdf_button, self.save_csv_button, self.save_order_button):
            button.setEnabled(ready)

    # ---- saving --------------------------------------------------------------------------
    def _save(self, caption: str, stem: str, data: bytes, pattern: str, suffix: str) -> Path | None:
        path = SaveFileDialog.ask(self, caption, self._folder / f"{stem}.{suffix}", pattern)
        if path is None:
            return None
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
            return None
        self._folder = path.parent
        return path

    def _on_save(self, what: str) -> None:
        generated = self.generated
        if generated is None:
            return
        data = generated.pdf if what == "pdf" else generated.csv
        pattern = _("PDF (*.pdf)") if what == "pdf" else _("CSV spreadsheet (*.csv)")
        caption = _("Save the dashboard PDF") if what == "pdf" else _("Save the dashboard CSV")
        path = self._save(caption, generated.file_stem, data, pattern, what)
        if path is not None:
            self.message.show_info(_("Saved {path}.", path=path))

    def _on_save_order(self) -> None:
        """The order form as a PDF, and the same lines as a CSV beside it."""
        generated = self.generated
        if generated is None:
            return
        path = self._save(_("Save the order form"), generated.order_stem, generated.order_pdf,
                          _("PDF (*.pdf)"), "pdf")  # fmt: skip
        if path is None:
            return
        sheet = path.with_suffix(".csv")
        try:
            write_file(sheet, generated.order_csv)
        except OSError as exc:
            self.message.show_error(
                _("Saved {path}, but not the CSV: {reason}.", path=path, reason=exc.strerror or exc)
            )
            return
        lines = len(generated.board.reorder_lines)
        self.message.show_info(
            ngettext(
                "Saved the order form ({n} line) to {path} and {sheet}.",
                "Saved the order form ({n} lines) to {path} and {sheet}.",
                lines,
                path=path,
                sheet=sheet.name,
            )
        )

    def _on_save_target(self) -> None:
        site = self.site_combo.currentData()
        if site in (None, ALL):
            return
        if not self.context.require_coordinator(self, _("change a site's reorder target")):
            return
        days = self.site_target_spin.value()
        self.context.submit_write(
            save_target(str(site), days),
            lambda saved: self._on_target_saved(str(site), saved),
            self._on_error,
        )

    def _on_target_saved(self, site: str, days: int) -> None:
        self._targets[site] = days
        self.message.show_info(
            ngettext(
                "{site} now reorders up to {n} day of stock.",
                "{site} now reorders up to {n} days of stock.",
                days,
                site=site,
            )
        )
        self._on_generate()

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)
