"""The main window's pages, built the first time each is shown, and the menus that reach them.

Only the first page shown is built at start (`LazyPages`), so the page modules (and the services
they import) load when needed. The menus are declared here rather than read from the pages so
their shortcuts work before a page is built: an entry names one of the page's `page_actions()`;
choosing it shows the page and triggers that action. A menu with no declared entries is filled
with the page's own actions (and their page-local shortcuts) when the page is built, and opening
the menu builds it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from outreach_app.domain.roles import Action
from outreach_app.i18n import N_, _

if TYPE_CHECKING:  # the context's modules load after the window shows
    from outreach_app.ui.context import AppContext


# Titles and menu texts are English message ids (N_): a page is found by its title, whatever the
# language; the window and the menus show them translated.
class PageSpec(NamedTuple):
    title: str
    module: str
    cls: str


class MenuEntry(NamedTuple):
    action: str  # the name of the page's action (`Page.page_actions()`)
    text: str
    keys: str  # a window-wide shortcut, usable before the page is built
    needs: Action | None = None  # only for a role that may (domain/roles.py); else disabled


class PageMenu(NamedTuple):
    title: str
    page: str  # the title of the page whose actions it offers
    entries: tuple[MenuEntry, ...] = ()


PAGES = (
    PageSpec(N_("Log encounter"), "outreach_app.ui.pages.log_encounter", "LogEncounterPage"),
    PageSpec(N_("Tally counter"), "outreach_app.ui.pages.tally_counter", "TallyCounterPage"),
    PageSpec(N_("Encounters"), "outreach_app.ui.pages.encounters", "EncountersPage"),
    PageSpec(N_("Inventory"), "outreach_app.ui.pages.inventory", "InventoryPage"),
    PageSpec(N_("Catalog & sites"), "outreach_app.ui.pages.catalog", "CatalogPage"),
    PageSpec(N_("Reports"), "outreach_app.ui.pages.reports", "ReportsPage"),
    PageSpec(N_("Paper tally entry"), "outreach_app.ui.pages.tally_entry", "TallyEntryPage"),
    PageSpec(N_("Dashboard"), "outreach_app.ui.pages.dashboard", "DashboardPage"),
    PageSpec(N_("Sync"), "outreach_app.ui.pages.sync", "SyncPage"),
)

MENUS = (
    PageMenu(N_("&Encounter"), "Log encounter"),  # save, repeat, undo, clear: the page's keys
    PageMenu(
        N_("&Records"),
        "Encounters",
        (MenuEntry("void", N_("&Void the selected record…"), "Ctrl+Shift+V"),),
    ),
    PageMenu(
        N_("&Stock"),
        "Inventory",
        (
            MenuEntry("receive", N_("&Receive…"), "Ctrl+Shift+R"),
            MenuEntry("transfer", N_("&Transfer…"), "Ctrl+Shift+T", Action.TRANSFER),
            MenuEntry("adjust", N_("A&djust…"), "Ctrl+Shift+D", Action.ADJUST),
            MenuEntry("stocktake", N_("&Stocktake…"), "Ctrl+Shift+K"),
            MenuEntry("bag_out", N_("Bag &out…"), "Ctrl+Shift+O"),
            MenuEntry("bag_in", N_("Bag &in…"), "Ctrl+Shift+I"),
            MenuEntry("ledger", N_("&Ledger…"), "Ctrl+Shift+L"),
        ),
    ),
)


def page_index(title: str) -> int:
    return [spec.title for spec in PAGES].index(title)


PLACEHOLDER = "page_placeholder"  # the object name a page not yet built shows under


def _placeholder(title: str) -> QWidget:
    coming = _("This page is coming in a later version.")
    label = QLabel(f"<h3>{_(title)}</h3><p>{coming}</p>")
    label.setObjectName(PLACEHOLDER)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def build_page(title: str, module: str, cls: str, context: AppContext) -> QWidget:
    """The page, or a placeholder while a page other people build has no module yet."""
    if module.endswith(("log_encounter", "tally_counter")):  # always there: errors surface
        return getattr(importlib.import_module(module), cls)(context)
    try:
        page_class = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError):
        return _placeholder(title)
    return page_class(context)


class LazyPages(QStackedWidget):
    """The pages, each built the first time it is asked for: `widget(i)` (and so showing page
    i) replaces the empty placeholder at i by the real page."""

    def __init__(self, build: Callable[[int], QWidget], count: int) -> None:
        super().__init__()
        self._build = build
        self._built: dict[int, QWidget] = {}
        for _index in range(count):
            super().addWidget(QWidget())

    def is_built(self, index: int) -> bool:
        return index in self._built

    def built(self) -> list[QWidget]:
        """The pages built so far (a page never shown has nothing running)."""
        return list(self._built.values())

    def widget(self, index: int) -> QWidget:  # type: ignore[override]
        if 0 <= index < self.count() and index not in self._built:
            page = self._build(index)
            self._built[index] = page
            placeholder = super().widget(index)
            current = self.currentIndex()
            self.removeWidget(placeholder)
            self.insertWidget(index, page)
            placeholder.deleteLater()
            if current >= 0:
                super().setCurrentIndex(current)
        return super().widget(index)

    def setCurrentIndex(self, index: int) -> None:
        self.widget(index)  # built before it shows
        super().setCurrentIndex(index)

    def currentWidget(self) -> QWidget:  # type: ignore[override]
        return self.widget(self.currentIndex())
