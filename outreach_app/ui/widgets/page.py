"""What a page offers the main window, and all the window knows of a page: the actions it lends
to the menus (by name), a hook when it is shown, and a request to show another page.

The window never reaches for a page's buttons or fields; a page that wants its buttons in a
menu wraps them with `button_action`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QWidget

from outreach_app.domain.roles import Action


class Page(QWidget):
    show_page_requested = Signal(str)  # the title of another page the window should show
    # (page title, action name): the window shows that page and triggers its action, as the
    # menu entry of that action does (e.g. the Log page's "Receive stock…" when none is on hand)
    action_requested = Signal(str, str)
    # The work on the page's own threads has ended, after `stop_work` said some was running.
    work_ended = Signal()

    def page_actions(self) -> dict[str, QAction]:
        """The page's actions the window may put in a menu or trigger, by name."""
        return {}

    def page_shown(self) -> None:
        """Called when the window shows this page (e.g. to put the focus where typing starts)."""

    def stop_work(self) -> bool:
        """The store is about to close (closing, quitting, Lock and close): work on the page's
        own threads is asked to stop at its next safe point. True when some is still running;
        `work_ended` is then emitted once it has ended, whatever its outcome. (Jobs on the
        window's database worker need nothing: the window lets them finish.)"""
        return False


def button_action(button: QAbstractButton) -> QAction:
    """An action that presses `button`; nothing happens while the button is disabled, as when
    it is clicked."""
    action = QAction(button.text(), button)
    action.triggered.connect(button.click)
    return action


def follow_role(context: Any, rules: Iterable[tuple[QWidget, Action]]) -> None:
    """Each widget is enabled while the person signed in may do its action (domain/roles.py),
    now and after every sign-in; the services refuse it anyway."""
    rules = tuple(rules)

    def apply(_person: Any = None) -> None:
        for widget, action in rules:
            widget.setEnabled(context.may(action))

    context.person_changed.connect(apply)
    apply()


def small_counts_follow_role(context: Any, hide: QAbstractButton, show: QAbstractButton) -> None:
    """ "Show small counts (internal)" only for a role that may; anyone else's reports are
    suppressed (it goes back to hiding them when such a person signs in)."""

    def apply(_person: Any = None) -> None:
        allowed = context.may(Action.UNSUPPRESSED)
        show.setEnabled(allowed)
        if not allowed and show.isChecked():
            hide.setChecked(True)

    context.person_changed.connect(apply)
    apply()
