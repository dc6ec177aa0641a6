"""Catalog & sites: add, edit and deactivate sites, items, kits and referral types.

Deactivated entries leave the forms but stay in history and in every past figure; nothing is
deleted. Every change asks for the coordinator PIN.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.domain.roles import Action
from outreach_app.i18n import N_, _
from outreach_app.services import catalog

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.catalog_dialogs import (
    ItemDialog,
    KitDialog,
    ReferralDialog,
    SiteDialog,
)
from outreach_app.ui.models import catalog_tables as ct
from outreach_app.ui.models.rows import RowRole, SortRole
from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.common import (
    BusyBar,
    MessageLine,
    RefreshWhenShown,
    compact_table,
    submit_write,
)
from outreach_app.ui.widgets.page import Page

SITES, ITEMS, KITS, REFERRALS = range(4)
TAB_NAMES = (N_("Sites"), N_("Items"), N_("Kits"), N_("Referral types"))


class CatalogPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.models = (
            ct.SiteTableModel(self),
            ct.ItemTableModel(self),
            ct.KitTableModel(self),
            ct.ReferralTableModel(self),
        )
        self.tables: list[QTableView] = []
        self._items: list[Any] = []
        self._build()
        self._connect()
        self._on_refresh()

    def _build(self) -> None:
        self.tabs = QTabWidget()
        for number, model in enumerate(self.models):
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setSortRole(SortRole)
            table = QTableView()
            table.setModel(proxy)
            table.setSortingEnabled(True)
            table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            compact_table(table)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.tables.append(table)
            table.setAccessibleName(_(TAB_NAMES[number]))  # a reader names the table as its tab
            self.tabs.addTab(table, _(TAB_NAMES[number]))
        item_header = self.tables[ITEMS].horizontalHeader()
        item_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        item_header.setSectionResizeMode(ct.ITEM_NAME, QHeaderView.ResizeMode.Stretch)
        kit_header = self.tables[KITS].horizontalHeader()
        kit_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        kit_header.setSectionResizeMode(ct.KIT_CONTENTS, QHeaderView.ResizeMode.Stretch)

        self.add_button = QPushButton(_("&Add…"))
        self.edit_button = QPushButton(_("Ed&it…"))
        self.toggle_button = QPushButton(_("&Deactivate"))
        self.inactive_check = QCheckBox(_("Show deacti&vated"))
        for button, tip in (
            (self.add_button, _("Add to the catalog (coordinator)")),
            (self.edit_button, _("Change the selected entry (coordinator)")),
            (self.toggle_button, _("Deactivate or reactivate; history is kept (coordinator)")),
        ):
            button.setToolTip(tip)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.toggle_button)
        actions.addStretch(1)
        actions.addWidget(self.inactive_check)
        note = QLabel(
            _(
                "Deactivated entries leave the forms but stay in history and in past reports. "
                "Changes need the coordinator PIN."
            )
        )
        note.setWordWrap(True)
        set_tone(note, "dim")
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(BusyBar(self._context))
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        self.add_button.clicked.connect(self._on_add)
        self.edit_button.clicked.connect(self._on_edit)
        self.toggle_button.clicked.connect(self._on_toggle)
        self.inactive_check.toggled.connect(self._on_refresh)
        self.tabs.currentChanged.connect(self._on_selection_changed)
        self._context.person_changed.connect(self._on_selection_changed)
        for table in self.tables:
            table.selectionModel().selectionChanged.connect(self._on_selection_changed)
            table.doubleClicked.connect(self._on_edit)
        self._refresher = RefreshWhenShown(self, self._context, self._on_refresh)

    # ---- loading -------------------------------------------------------------------------
    def _on_refresh(self) -> None:
        everything = self.inactive_check.isChecked()

        def job(store: Any) -> Any:
            with store.reading() as uow:
                items = catalog.list_items(uow, include_inactive=everything)
                return (
                    catalog.list_sites(uow, include_inactive=everything),
                    items,
                    catalog.list_kits(uow, include_inactive=everything),
                    catalog.list_referral_types(uow, include_inactive=everything),
                    [i for i in items if i.active],  # what a new kit may contain
                )

        self._context.worker.submit(job, self._on_loaded, self._on_error)

    def _on_loaded(self, result: Any) -> None:
        *lists, self._items = result
        for model, rows in zip(self.models, lists, strict=True):
            model.set_rows(rows)
        self._on_selection_changed()

    # ---- selection -----------------------------------------------------------------------
    def selected(self) -> Any:
        table = self.tables[self.tabs.currentIndex()]
        rows = table.selectionModel().selectedRows()
        return table.model().data(rows[0], RowRole) if rows else None

    def _on_selection_changed(self, *args: Any) -> None:
        entry = self.selected()
        tab = self.tabs.currentIndex()
        allowed = self._context.may(Action.CATALOG)  # a worker sees the catalog, changes nothing
        self.add_button.setEnabled(allowed)
        self.edit_button.setEnabled(allowed and entry is not None and tab in (SITES, ITEMS))
        self.toggle_button.setEnabled(allowed and entry is not None)
        self.toggle_button.setText(
            _("Reac&tivate") if entry and not entry.active else _("&Deactivate")
        )

    # ---- changes -------------------------------------------------------------------------
    def _change(self, action: str, job: Any, done_text: str) -> None:
        if not self._context.require_coordinator(self, _("edit the catalog")):
            return

        def on_done(_result: Any) -> None:
            self.message.show_info(done_text)
            self._context.data_changed.emit()

        submit_write(self._context, job, on_done, self._on_error)

    def _on_add(self) -> None:
        tab = self.tabs.currentIndex()
        if tab == SITES:
            site = SiteDialog.ask(self)
            if site:
                self._change(
                    "add site",
                    _job(catalog.add_site, site.name, site.kind),
                    _("Added the site {name}.", name=site.name),
                )
        elif tab == ITEMS:
            item = ItemDialog.ask(self)
            if item:
                job = _job(
                    catalog.add_item,
                    item.code,
                    item.name,
                    item.category,
                    item.unit,
                    doses_per_unit=item.doses_per_unit,
                    reorder_level=item.reorder_level,
                    tracks_lots=item.tracks_lots,
                )
                self._change("add item", job, _("Added the item {code}.", code=item.code.upper()))
        elif tab == KITS:
            kit = KitDialog.ask(self, self._items)
            if kit:
                job = _job(catalog.add_kit, kit.code, kit.name, kit.lines)
                self._change("add kit", job, _("Added the kit {code}.", code=kit.code.upper()))
        else:
            ref = ReferralDialog.ask(self)
            if ref:
                job = _job(catalog.add_referral_type, ref.code, ref.label)
                self._change(
                    "add referral", job, _("Added the referral type {code}.", code=ref.code.upper())
                )

    def _on_edit(self, *args: Any) -> None:
        entry, tab = self.selected(), self.tabs.currentIndex()
        if entry is None:
            return
        if tab == SITES:
            site = SiteDialog.ask(self, entry)
            if site is None:
                return
            entry_id = entry.id

            def job(store: Any) -> Any:
                with store.unit_of_work() as uow:
                    if site.name != entry.name:
                        catalog.rename_site(uow, entry_id, site.name)
                    if site.kind != entry.kind:
                        catalog.set_site_kind(uow, entry_id, site.kind)

            self._change("edit site", job, _("Saved the site {name}.", name=site.name))
        elif tab == ITEMS:
            item = ItemDialog.ask(self, entry)
            if item is None:
                return
            job = _job(
                catalog.update_item,
                entry.id,
                name=item.name,
                category=item.category,
                unit=item.unit,
                reorder_level=item.reorder_level,
            )
            self._change("edit item", job, _("Saved {code}.", code=entry.code))

    def _on_toggle(self) -> None:
        entry, tab = self.selected(), self.tabs.currentIndex()
        if entry is None:
            return
        setter = (
            catalog.set_site_active,
            catalog.set_item_active,
            catalog.set_kit_active,
            catalog.set_referral_type_active,
        )[tab]
        name = getattr(entry, "code", None) or entry.name
        done = (
            _("Reactivated {name}.", name=name)
            if not entry.active
            else _("Deactivated {name}.", name=name)
        )
        self._change("toggle", _job(setter, entry.id, not entry.active), done)

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)


def _job(function: Any, *args: Any, **kwargs: Any) -> Any:
    """A worker job calling one catalog service in its own unit of work."""

    def job(store: Any) -> Any:
        with store.unit_of_work() as uow:
            return function(uow, *args, **kwargs)

    return job
