"""Inventory: on hand per site, item and lot with flags; receive, transfer, adjust, stocktake,
shift bags and the ledger of one item."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError, ShortfallError
from outreach_app.domain.roles import Action
from outreach_app.i18n import _
from outreach_app.services import catalog, inventory

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.ledger_dialog import LedgerDialog
from outreach_app.ui.dialogs.shift_bag_dialog import (
    CHECK_IN,
    CHECK_OUT,
    ShiftBagDialog,
    check_in_summary,
)
from outreach_app.ui.dialogs.stock_dialogs import (
    REASON_LABELS,
    AdjustDialog,
    ReceiveDialog,
    StockChoices,
    TransferDialog,
)
from outreach_app.ui.dialogs.stocktake_dialog import StocktakeDialog
from outreach_app.ui.models import stock_table as sm
from outreach_app.ui.models.rows import RowRole
from outreach_app.ui.pages.inventory_summary import summary_text
from outreach_app.ui.widgets.common import (
    BusyBar,
    MessageLine,
    RefreshWhenShown,
    compact_table,
    fill_combo,
    submit_write,
)
from outreach_app.ui.widgets.page import Page, button_action, follow_role
from outreach_app.ui.widgets.shortfall import ShortfallConfirm


class InventoryPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.model = sm.StockTableModel(self)
        self.proxy = sm.StockFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.choices = StockChoices((), ())
        self.open_dialog: QWidget | None = None  # the stocktake, shift bag or ledger window
        self._loaded = False  # the sites, items and lots the dialogs offer have arrived
        self._waiting: Any = None  # a dialog asked for before they had
        self._build()
        self._connect()
        self._on_refresh()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.receive_button = QPushButton(_("Re&ceive…"))
        self.transfer_button = QPushButton(_("&Transfer…"))
        self.adjust_button = QPushButton(_("A&djust…"))
        self.stocktake_button = QPushButton(_("Stoc&ktake…"))
        self.bag_out_button = QPushButton(_("Bag &out…"))
        self.bag_in_button = QPushButton(_("Bag &in…"))
        self.ledger_button = QPushButton(_("&Ledger…"))
        tips = (
            (self.receive_button, _("Record supplies arriving at a site")),
            (self.transfer_button, _("Move supplies between sites (coordinator)")),
            (self.adjust_button, _("Correct stock with a reason (coordinator)")),
            (self.stocktake_button, _("Count a site's shelf and reconcile")),
            (self.bag_out_button, _("Load a bag or van for a shift")),
            (self.bag_in_button, _("Count back what returns at the end of a shift")),
            (self.ledger_button, _("Every movement of the selected item, with running balance")),
        )
        actions = QHBoxLayout()
        for button, tip in tips:
            button.setToolTip(tip)
            actions.addWidget(button)
        actions.addStretch(1)

        self.site_combo = QComboBox()
        self.site_combo.setMinimumContentsLength(14)
        self.search_edit = QLineEdit(placeholderText=_("Find item or lot"))
        self.search_edit.setAccessibleName(_("Find item or lot"))
        self.search_edit.setClearButtonEnabled(True)
        self.flagged_check = QCheckBox(_("Needs attention only"))
        self.empty_check = QCheckBox(_("Hide zero"))
        filters = QHBoxLayout()
        site_label = QLabel(_("Site"))
        site_label.setBuddy(self.site_combo)
        filters.addWidget(site_label)
        filters.addWidget(self.site_combo)
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.flagged_check)
        filters.addWidget(self.empty_check)

        self.table = QTableView()
        self.table.setAccessibleName(_("Stock"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        compact_table(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(sm.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (sm.COL_SITE, 120),
            (sm.COL_CODE, 130),
            (sm.COL_LOT, 90),
            (sm.COL_EXPIRES, 95),
            (sm.COL_ON_HAND, 75),
            (sm.COL_FLAGS, 260),
        ):
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        # The usual flag whole, in the language shown ("Sous le seuil de réapprovisionnement").
        usual = _("Under reorder level ({level})", level=1000)
        flags = self.table.fontMetrics().horizontalAdvance(usual) + 16
        self.table.setColumnWidth(sm.COL_FLAGS, max(260, flags))

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.message = MessageLine()
        self.busy = BusyBar(self._context)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        # These dialogs offer the page's lists of sites, items and lots: they wait for them.
        self.receive_button.clicked.connect(lambda: self._when_loaded(self._on_receive))
        self.transfer_button.clicked.connect(lambda: self._when_loaded(self._on_transfer))
        self.adjust_button.clicked.connect(lambda: self._when_loaded(self._on_adjust))
        self.stocktake_button.clicked.connect(self._on_stocktake)
        self.bag_out_button.clicked.connect(self._on_bag_out)
        self.bag_in_button.clicked.connect(self._on_bag_in)
        self.ledger_button.clicked.connect(lambda: self._when_loaded(self._on_ledger))
        self._actions = {
            name: button_action(button)
            for name, button in (
                ("receive", self.receive_button),
                ("transfer", self.transfer_button),
                ("adjust", self.adjust_button),
                ("stocktake", self.stocktake_button),
                ("bag_out", self.bag_out_button),
                ("bag_in", self.bag_in_button),
                ("ledger", self.ledger_button),
            )
        }
        self.table.doubleClicked.connect(self._on_ledger)
        self.site_combo.currentIndexChanged.connect(self._on_refresh)
        self.search_edit.textChanged.connect(self.proxy.set_text)
        self.flagged_check.toggled.connect(self.proxy.set_only_flagged)
        self.empty_check.toggled.connect(self.proxy.set_hide_empty)
        self._refresher = RefreshWhenShown(self, self._context, self._on_refresh)
        follow_role(
            self._context,
            ((self.transfer_button, Action.TRANSFER), (self.adjust_button, Action.ADJUST)),
        )

    def page_actions(self) -> dict[str, QAction]:
        return self._actions

    # ---- loading -------------------------------------------------------------------------
    def _on_refresh(self) -> None:
        site = self.site_combo.currentData()

        def job(store: Any) -> Any:
            with store.reading() as uow:
                # All sites once: the transfer and adjust forms offer every site's lots.
                all_rows = inventory.on_hand(uow)
                rows = [r for r in all_rows if site is None or r.site == site]
                sites = catalog.list_sites(uow)
                # A bag or van is loaded per shift; reorder levels are for the shelves.
                shelves = {s.name for s in sites if s.kind not in ("bag", "van")}
                under = {
                    (s, code): level
                    for s, code, _qty, level in inventory.under_reorder_level(uow, site)
                    if s in shelves
                }
                return (
                    sm.stock_rows(rows, uow.today(), under),
                    sites,
                    catalog.list_items(uow),
                    all_rows,
                )

        self._context.worker.submit(job, self._on_loaded, self._on_error)

    def _on_loaded(self, result: Any) -> None:
        rows, sites, items, all_rows = result
        fill_combo(self.site_combo, (_("All sites"), None), [(s.name, s.name) for s in sites])
        lots: dict[tuple[str, str], list[str]] = {}
        for r in all_rows:
            if r.lot and r.on_hand > 0:
                lots.setdefault((r.site, r.item_code), []).append(r.lot)
        self.choices = StockChoices(
            tuple(s.name for s in sites),
            tuple(items),
            {k: tuple(v) for k, v in lots.items()},
            self.site_combo.currentData() or self._context.current_site,
        )
        self.model.set_rows(rows)
        self._show_summary(rows, bool(items), any(r.on_hand for r in all_rows))
        self._loaded = True
        waiting, self._waiting = self._waiting, None
        if waiting is not None:  # e.g. Stock › Receive chosen from another page
            self.message.clear_message()
            waiting()

    def _when_loaded(self, open_dialog: Any) -> None:
        if self._loaded:
            open_dialog()
            return
        self._waiting = open_dialog
        self.message.show_info(_("Loading the sites and items…"))

    def _show_summary(self, rows: list[sm.StockRow], has_items: bool, any_stock: bool) -> None:
        self.summary.setText(summary_text(rows, has_items, any_stock))

    # ---- actions -------------------------------------------------------------------------
    def _run(self, job: Any, done_text: str, on_error: Any = None) -> None:
        def on_done(_result: Any) -> None:
            self.message.show_info(done_text)
            self._context.data_changed.emit()

        submit_write(self._context, job, on_done, on_error or self._on_error)

    def _on_receive(self) -> None:
        request = ReceiveDialog.ask(self, self.choices)
        if request is None:
            return

        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                return inventory.receive(
                    uow,
                    request.site,
                    request.item_code,
                    request.qty,
                    lot=request.lot,
                    expires=request.expires,
                    source=request.source,
                )

        self._run(
            job,
            _(
                "Received {qty} {item} at {site}.",
                qty=request.qty,
                item=request.item_code,
                site=request.site,
            ),
        )

    def _on_transfer(self, _checked: bool = False, request: Any = None, override: bool = False):
        request = request or TransferDialog.ask(self, self.choices)
        if request is None:
            return

        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                return inventory.transfer(
                    uow,
                    request.from_site,
                    request.to_site,
                    request.item_code,
                    request.qty,
                    lot=request.lot,
                    override=override,
                    note=request.note,
                )

        def on_error(error: OutreachError) -> None:
            if (
                isinstance(error, ShortfallError)
                and not override
                and ShortfallConfirm.ask(self, error.shortfalls, _("this transfer"))
            ):
                self._on_transfer(request=request, override=True)
            else:
                self._on_error(error)

        self._run(
            job,
            _(
                "Moved {qty} {item} from {source} to {target}.",
                qty=request.qty,
                item=request.item_code,
                source=request.from_site,
                target=request.to_site,
            ),
            on_error,
        )

    def _on_adjust(self) -> None:
        request = AdjustDialog.ask(self, self.choices)
        if request is None:
            return

        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                return inventory.adjust(
                    uow,
                    request.site,
                    request.item_code,
                    request.qty,
                    request.reason,
                    lot=request.lot,
                    override=True,  # a coordinator's correction (the services check the role)
                    note=request.note,
                )

        change = f"{request.qty:+d}"
        reason = _(REASON_LABELS.get(request.reason, request.reason)).lower()
        self._run(
            job,
            _(
                "Adjusted {item} at {site} by {change} ({reason}).",
                item=request.item_code,
                site=request.site,
                change=change,
                reason=reason,
            ),
        )

    def _selected_site(self) -> str:
        return self.site_combo.currentData() or self._context.current_site

    def _on_stocktake(self) -> None:
        dialog = StocktakeDialog(self._context, self._selected_site(), self)
        dialog.committed.connect(
            lambda _id: self.message.show_info(
                _("Stocktake of {site} committed.", site=dialog.site)
            )
        )
        self._show_window(dialog)

    def _on_bag_out(self) -> None:
        dialog = ShiftBagDialog(self._context, CHECK_OUT, self._selected_site(), self)
        dialog.done.connect(lambda _r: self.message.show_info(_("Bag checked out for the shift.")))
        self._show_window(dialog)

    def _on_bag_in(self) -> None:
        dialog = ShiftBagDialog(self._context, CHECK_IN, self._selected_site(), self)
        dialog.done.connect(lambda result: self.message.show_info(check_in_summary(result)))
        self._show_window(dialog)

    def _on_ledger(self, index: QModelIndex | None = None) -> None:
        selected = self.table.selectionModel().selectedRows()
        row = self.proxy.data(selected[0], RowRole) if selected else None
        site = row.row.site if row else self._selected_site()
        code = (
            row.row.item_code if row else (self.choices.items[0].code if self.choices.items else "")
        )
        items = [(i.code, i.name) for i in self.choices.items]
        self._show_window(
            LedgerDialog(self._context, list(self.choices.sites), items, site, code, self)
        )

    def _show_window(self, dialog: QWidget) -> None:
        self.open_dialog = dialog
        dialog.show()

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)
