"""The main window's menu bar: File, Go, one menu per page that lends actions (see
`page_registry.MENUS`), and Help. File also holds this person's settings (`settings_menu`).

Every action is also added to the window, so its shortcut works wherever the focus is; the
handlers decide what a shortcut may do while the window is locked. An entry that only a
coordinator may use (`MenuEntry.needs`, the window's own Audit… and Staff…) follows the role of
the person signed in (`follow_role`); the services refuse it anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from outreach_app.domain.roles import Action
from outreach_app.i18n import _

from outreach_app.ui.mnemonics import shortcut_text
from outreach_app.ui.page_registry import MENUS, PAGES, page_index
from outreach_app.ui.settings_menu import SettingsMenu
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.widgets.role_notice import SWITCH_KEYS


def literal(text: str) -> str:
    """`text` shown as it is in a menu: a single & would mark the next letter as a mnemonic."""
    return text.replace("&", "&&")


def shown_text(text: str) -> str:
    """What a menu shows for `text`: && is one &, a single & only underlines the next letter."""
    return re.sub(r"&(.)", r"\1", text)


@dataclass(frozen=True)
class MenuHandlers:
    lock: Callable[[], None]
    idle_setting: Callable[[], None]
    quit: Callable[[], None]
    show_page: Callable[[int], None]
    choose_site: Callable[[], None]
    trigger: Callable[[int, str], None]  # page index, the name of one of its actions
    build_page: Callable[[int], object]
    shortcuts_help: Callable[[], None]
    import_spreadsheet: Callable[[], None] | None = None
    switch_person: Callable[[], None] | None = None
    lock_and_close: Callable[[], None] | None = None
    audit: Callable[[], None] | None = None
    staff: Callable[[], None] | None = None


class MenuBar:
    def __init__(self, window: QMainWindow, handlers: MenuHandlers) -> None:
        self._window = window
        self._page_menus: dict[int, tuple[QMenu, set[str]]] = {}
        self._needs: list[tuple[QAction, Action, bool]] = []  # action, role rule, hide or not
        bar = window.menuBar()
        file_menu = bar.addMenu(_("&File"))
        if handlers.import_spreadsheet is not None:
            self._add(file_menu, _("&Import spreadsheet…"), None, handlers.import_spreadsheet)
            file_menu.addSeparator()
        if handlers.switch_person is not None:
            self.switch_action = self._add(
                file_menu, _("S&witch person…"), SWITCH_KEYS, handlers.switch_person
            )
        self.lock_action = self._add(file_menu, _("&Lock now"), "Ctrl+L", handlers.lock)
        # Locking and switching work from every window (a Ledger or Stocktake window has focus).
        for action in (self.lock_action, getattr(self, "switch_action", None)):
            if action is not None:
                action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        if handlers.lock_and_close is not None:
            self._add(file_menu, _("Lock and &close"), None, handlers.lock_and_close)
        self._add(file_menu, _("Idle lock &after…"), None, handlers.idle_setting)
        self.settings = SettingsMenu(window, file_menu)  # High contrast, Language…
        file_menu.addSeparator()
        self._add(file_menu, _("&Quit"), "Ctrl+Q", handlers.quit)
        go = bar.addMenu(_("&Go"))
        for index, spec in enumerate(PAGES):
            self._add(
                go,
                literal(_(spec.title)),  # "Catalog & sites" is a page's name, not a mnemonic
                f"Ctrl+{index + 1}",
                lambda _=False, i=index: handlers.show_page(i),
            )
        go.addSeparator()
        self._add(go, _("Choose &site"), "Ctrl+Shift+S", handlers.choose_site)
        for page_menu in MENUS:
            index = page_index(page_menu.page)
            menu = bar.addMenu(_(page_menu.title))
            self._page_menus[index] = (menu, {entry.action for entry in page_menu.entries})
            for entry in page_menu.entries:
                action = self._add(
                    menu,
                    _(entry.text),
                    entry.keys,
                    lambda _=False, i=index, name=entry.action: handlers.trigger(i, name),
                )
                if entry.needs is not None:
                    self._needs.append((action, entry.needs, False))
            if page_menu.page == "Encounters":
                self._add_coordinator_entries(menu, handlers)
            if not page_menu.entries:  # filled by the page: opening the menu builds it
                menu.aboutToShow.connect(lambda i=index: handlers.build_page(i))
        help_menu = bar.addMenu(_("&Help"))
        self._add(help_menu, _("&Keyboard shortcuts"), "F1", handlers.shortcuts_help)

    def _add_coordinator_entries(self, menu: QMenu, handlers: MenuHandlers) -> None:
        menu.addSeparator()
        if handlers.audit is not None:
            audit = self._add(menu, _("&Audit…"), None, handlers.audit)
            self._needs.append((audit, Action.AUDIT, True))
        if handlers.staff is not None:
            staff = self._add(menu, _("S&taff…"), None, handlers.staff)
            self._needs.append((staff, Action.STAFF, True))

    def follow_role(self, may: Callable[[Action], bool]) -> None:
        """Entries the person signed in may not use: off (or hidden, the coordinators' own)."""
        for action, needs, hide in self._needs:
            allowed = may(needs)
            action.setEnabled(allowed)
            if hide:
                action.setVisible(allowed)

    def page_built(self, index: int, page: Page) -> None:
        """The page's actions its menu does not declare join the menu, with their own keys."""
        if index not in self._page_menus:
            return
        menu, declared = self._page_menus[index]
        for name, action in page.page_actions().items():
            if name not in declared:
                menu.addAction(action)

    def _add(
        self, menu: QMenu, text: str, keys: str | None, slot: Callable[..., object]
    ) -> QAction:
        action = QAction(text, self._window)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setToolTip(f"{shown_text(text)} ({shortcut_text(keys)})")
        action.triggered.connect(slot)
        menu.addAction(action)
        self._window.addAction(action)
        return action
