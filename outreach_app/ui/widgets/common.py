"""Small pieces every page and dialog uses: the message line, the busy indicator, refresh
when shown, combo filling and table density. Under widgets/ so dialogs need not import pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDateEdit, QLabel, QProgressBar, QWidget

from outreach_app.ui.context import AppContext
from outreach_app.ui.theme import set_tone

# Typing on a cell starts editing it (count sheets are typed, not clicked).
TYPE_TO_EDIT = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)


class MessageLine(QLabel):
    """One line under the toolbar saying what just happened or what went wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        set_tone(self, "error-box")
        self.setText(text)
        self.show()

    def show_info(self, text: str) -> None:
        set_tone(self, "info-box")
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


class BusyBar(QProgressBar):
    """An indeterminate bar shown while the database worker has jobs."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.setMaximumHeight(6)
        self.setTextVisible(False)
        self.setVisible(context.worker.is_busy)
        context.worker.busy_changed.connect(self.setVisible)


class RefreshWhenShown(QObject):
    """Refreshes `page` after a write only while it is visible; a hidden page is marked stale
    and refreshes when it is next shown.

    Every saved encounter emits `data_changed`; without this, each page nobody is looking at
    would queue its reload on the single database worker ahead of the next save.
    """

    def __init__(self, page: QWidget, context: AppContext, refresh: Callable[[], None]) -> None:
        super().__init__(page)
        self._page, self._refresh = page, refresh
        self._stale = False
        self._muted = False
        context.data_changed.connect(self._on_data_changed)
        page.installEventFilter(self)

    @contextmanager
    def muted(self) -> Iterator[None]:
        """Writes announced inside this block do not refresh the page (it showed them itself)."""
        self._muted = True
        try:
            yield
        finally:
            self._muted = False

    def _on_data_changed(self) -> None:
        if self._muted:
            return
        if self._page.isVisible():
            self._refresh()
        else:
            self._stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            self._refresh()
        return False


def fill_combo(combo: QComboBox, first: tuple[str, Any] | None, values: list[tuple[str, Any]]):
    """Refill a combo keeping the current choice when it still exists."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if first is not None:
        combo.addItem(first[0], first[1])
    for label, value in values:
        combo.addItem(label, value)
    position = combo.findData(current)
    combo.setCurrentIndex(max(position, 0))
    combo.blockSignals(False)


def compact_table(table: Any) -> None:
    """One line per row: no word wrap, rows as tall as the font needs."""
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def date_edit() -> QDateEdit:
    # Setters, not constructor keywords: PySide6 keyword properties given a Python bool
    # under-count its references on Python 3.11 and crash the interpreter at exit.
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def org_zone(context: AppContext) -> Any:
    return getattr(context.worker.store, "zone", None)


def submit_write(context: AppContext, job: Any, on_done: Any = None, on_error: Any = None) -> None:
    """Writes go through the context, which holds them while the file is being checked."""
    context.submit_write(job, on_done, on_error)
