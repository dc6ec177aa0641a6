"""The main window's menu bar: File, Go, one menu per page that lends actions (see
`page_registry.MENUS`), and Help.

Every action is also added to the window, so its shortcut works wherever the focus is; the
handlers decide what a shortcut may do while the window is locked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from outreach_app.ui.page_registry import MENUS, PAGES, page_index
from outreach_app.ui.widgets.page import Page


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


class MenuBar:
    def __init__(self, window: QMainWindow, handlers: MenuHandlers) -> None:
        self._window = window
        self._page_menus: dict[int, tuple[QMenu, set[str]]] = {}
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        if handlers.import_spreadsheet is not None:
            self._add(file_menu, "&Import spreadsheet…", None, handlers.import_spreadsheet)
            file_menu.addSeparator()
        self.lock_action = self._add(file_menu, "&Lock now", "Ctrl+L", handlers.lock)
        self._add(file_menu, "Idle lock &after…", None, handlers.idle_setting)
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", "Ctrl+Q", handlers.quit)
        go = bar.addMenu("&Go")
        for index, spec in enumerate(PAGES):
            self._add(
                go,
                literal(spec.title),  # "Catalog & sites" is a page's name, not a mnemonic
                f"Ctrl+{index + 1}",
                lambda _=False, i=index: handlers.show_page(i),
            )
        go.addSeparator()
        self._add(go, "Choose &site", "Ctrl+Shift+S", handlers.choose_site)
        for page_menu in MENUS:
            index = page_index(page_menu.page)
            menu = bar.addMenu(page_menu.title)
            self._page_menus[index] = (menu, {entry.action for entry in page_menu.entries})
            for entry in page_menu.entries:
                self._add(
                    menu,
                    entry.text,
                    entry.keys,
                    lambda _=False, i=index, name=entry.action: handlers.trigger(i, name),
                )
            if not page_menu.entries:  # filled by the page: opening the menu builds it
                menu.aboutToShow.connect(lambda i=index: handlers.build_page(i))
        help_menu = bar.addMenu("&Help")
        self._add(help_menu, "&Keyboard shortcuts", "F1", handlers.shortcuts_help)

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
            action.setToolTip(f"{shown_text(text)} ({keys})")
        action.triggered.connect(slot)
        menu.addAction(action)
        self._window.addAction(action)
        return action
