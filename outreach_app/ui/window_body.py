"""The main window's body once its data is open: the page list beside the pages, the site bar
and the menus. `MainWindow.attach_store` imports this module then, so none of it (nor the
menus' and pages' modules) stands before the window shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QListWidget, QSplitter

from outreach_app.i18n import _

from outreach_app.ui.menus import MenuBar, MenuHandlers
from outreach_app.ui.page_registry import PAGES, LazyPages
from outreach_app.ui.page_work import PagesWork
from outreach_app.ui.tool_windows import open_tool, show_shortcuts
from outreach_app.ui.widgets.site_bar import SiteBar


def build_body(window: Any, sites: list[str]) -> None:
    """Puts the body in `window` (a MainWindow whose context and sign-in exist), under the
    names the rest of the window uses: nav, pages, page_work, site_toolbar, menus."""
    window.nav = QListWidget()
    window.nav.setAccessibleName(_("Pages"))
    window.nav.setMaximumWidth(170)
    window.pages = LazyPages(window._build_page, len(PAGES))
    window.page_work = PagesWork(window.pages.built, window)  # a sync ends before the store closes
    for index, spec in enumerate(PAGES):
        window.nav.addItem(_(spec.title))
        window.nav.item(index).setToolTip(f"{_(spec.title)} (Ctrl+{index + 1})")
    window.nav.currentRowChanged.connect(window._on_page_changed)
    splitter = QSplitter()
    splitter.addWidget(window.nav)
    splitter.addWidget(window.pages)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)
    # Without sizes the splitter gives the list more room than its maximum width, which
    # showed as an empty band between the page list and the page.
    splitter.setSizes([window.nav.maximumWidth(), 10_000])
    window._body = splitter
    window.central.addWidget(splitter)
    window.central.addWidget(window.lock_screen)
    window.central.addWidget(window.sign_in.screen)
    window.central.setCurrentWidget(splitter)
    window.central.removeWidget(window.opening_label)
    window.opening_label.deleteLater()
    window.site_toolbar = SiteBar(window.context.org_name)
    window.site_toolbar.fill(sites, window.context.current_site)
    window.site_toolbar.site_chosen.connect(window.context.set_current_site)
    window.addToolBar(window.site_toolbar)
    window.menus = MenuBar(
        window,
        MenuHandlers(
            lock=window.lock,
            idle_setting=lambda: window.window_lock.ask_minutes(window),
            quit=window.close,
            show_page=window.show_page,
            choose_site=window.site_toolbar.choose,
            trigger=window._trigger,
            build_page=window.pages.widget,
            shortcuts_help=lambda: show_shortcuts(window),
            import_spreadsheet=lambda: open_tool(window, "import"),
            switch_person=lambda: window.session.switch_person(),
            lock_and_close=lambda: window.session.lock_and_close(),
            audit=lambda: open_tool(window, "audit"),
            staff=lambda: open_tool(window, "staff"),
        ),
    )
