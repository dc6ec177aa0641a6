"""The stocktake count sheet: type what is on the shelf, see the variance, commit with reasons.

The sheet's moment is when it was opened: expected comes from the ledger as of then, and the
commit is dated then, so supplies handed out while people count are neither counted as missing
nor lost (the count-at-a-moment rule, enforced by `services.stocktake`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _, ngettext
from outreach_app.services import stocktake

from outreach_app.ui.context import AppContext
from outreach_app.ui.models import stocktake_table as st
from outreach_app.ui.widgets.common import (
    TYPE_TO_EDIT,
    BusyBar,
    MessageLine,
    compact_table,
    org_zone,
    submit_write,
)
from outreach_app.ui.widgets.text_warning import TextWarning


class ReasonDelegate(QStyledItemDelegate):
    """A drop-down of the adjustment reason codes for the Reason column."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem("", "")
        for reason in st.REASONS:
            combo.addItem(reason, reason)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class StocktakeDialog(QDialog):
    committed = Signal(object)  # the stocktake id

    def __init__(self, context: AppContext, site: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.site = site
        self.at = datetime.now(UTC)  # the count's moment
        self.setWindowTitle(_("Stocktake — {site}", site=site))
        self.resize(900, 600)
        self.model = st.StocktakeTableModel(self)
        self._build()
        self.model.dataChanged.connect(self._on_counts_changed)
        self.model.modelReset.connect(self._on_counts_changed)
        self.commit_button.clicked.connect(self._on_commit)
        self.cancel_button.clicked.connect(self.reject)
        self._load()

    def _build(self) -> None:
        zone = org_zone(self._context)
        moment = self.at.astimezone(zone) if zone else self.at
        intro = QLabel(
            _(
                "Count what is on the shelf at <b>{site}</b> and type it in the Counted column. "
                "Expected is the stock as of {moment}, when this sheet was opened; supplies "
                "handed out since then are not part of this count. Every difference needs a "
                "reason. Lines left blank are not counted.",
                site=self.site,
                moment=moment.strftime("%Y-%m-%d %H:%M"),
            )
        )
        intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setAccessibleName(_("Counts"))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(st.COL_REASON, ReasonDelegate(self.table))
        self.table.setEditTriggers(TYPE_TO_EDIT)
        compact_table(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(st.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((st.COL_CODE, 130), (st.COL_LOT, 90), (st.COL_EXPIRES, 95)):
            self.table.setColumnWidth(column, width)
        for column in (st.COL_EXPECTED, st.COL_COUNTED, st.COL_VARIANCE):
            self.table.setColumnWidth(column, 80)
        self.table.setColumnWidth(st.COL_REASON, 110)
        self.note_edit = QLineEdit(placeholderText=_("Note for this count (optional)"))
        self.note_edit.setAccessibleName(_("Note for this count (optional)"))
        self.summary = QLabel()
        self.message = MessageLine()
        self.busy = BusyBar(self._context)
        self.commit_button = QPushButton(_("&Commit count"))
        self.commit_button.setToolTip(_("Record the count; on hand follows from it"))
        self.cancel_button = QPushButton(_("Cancel"))
        for button in (self.commit_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter in a cell must never commit the count
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.commit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_edit)
        layout.addWidget(TextWarning(self.note_edit))
        layout.addLayout(buttons)

    def _load(self) -> None:
        site, at = self.site, self.at

        def job(store: Any) -> Any:
            with store.reading() as uow:
                return stocktake.count_sheet(uow, site, at)

        self.commit_button.setEnabled(False)
        self._context.worker.submit(job, self._on_sheet, self._on_error)

    def _on_sheet(self, lines: Any) -> None:
        self.model.set_rows(st.count_lines(list(lines)))
        self.commit_button.setEnabled(True)

    def _on_counts_changed(self, *args: Any) -> None:
        counted = len(self.model.counted_lines())
        missing = len(self.model.missing_reasons())
        text = ngettext(
            "{counted} of {n} line counted",
            "{counted} of {n} lines counted",
            self.model.rowCount(),
            counted=counted,
        )
        variance = f"{self.model.total_variance():+d}"
        text += " · " + _("total variance {variance}", variance=variance)
        if missing:
            text += " · " + ngettext(
                "{n} difference needs a reason", "{n} differences need a reason", missing
            )
        self.summary.setText(text)

    def _on_commit(self) -> None:
        drafts = self.model.drafts()
        if not drafts:
            self.message.show_error(_("Type at least one counted quantity before committing."))
            return
        missing = self.model.missing_reasons()
        if missing:
            names = ", ".join(f"{m.item_code}{' ' + m.lot if m.lot else ''}" for m in missing[:5])
            self.message.show_error(_("Give a reason for each difference: {names}.", names=names))
            return
        # Counts are workers' work too (contracts §10): no coordinator PIN.
        site, at, note = self.site, self.at, self.note_edit.text()

        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                return stocktake.commit_stocktake(uow, site, at, drafts, note)

        self.commit_button.setEnabled(False)
        self.message.show_info(_("Saving the count…"))
        submit_write(self._context, job, self._on_committed, self._on_error)

    def _on_committed(self, stocktake_id: uuid.UUID) -> None:
        self.committed.emit(stocktake_id)
        self._context.data_changed.emit()
        self.accept()

    def _on_error(self, error: OutreachError) -> None:
        self.commit_button.setEnabled(self.model.rowCount() > 0)
        self.message.show_error(error.message)
