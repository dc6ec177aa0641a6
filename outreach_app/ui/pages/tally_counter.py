"""Tally counter: the paper tally sheet on screen. One tile per item plus a contact tile.

Every click (or the tile's number key) is saved at once as a tally record (contracts §1), so
closing the app loses nothing; Undo voids the last record, one count at a time.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.clock import utc_now
from outreach_app.domain.errors import OutreachError, ShortfallError
from outreach_app.domain.values import EncounterDraft, EncounterSummary
from outreach_app.i18n import _
from outreach_app.services import catalog, encounters

from outreach_app.ui.context import AppContext
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.widgets.shortfall import ShortfallConfirm, below_zero_note, shortfall_lines

CONTACT = "__contact__"
KEYS = "1234567890"  # contact is 1, then items in catalog order
COLUMNS = 5
TILE_STYLE = "QPushButton { font-size: 17px; padding: 8px; text-align: center; }"


def _items(store: Any) -> list[Any]:
    with store.reading() as uow:
        return [i for i in catalog.list_items(uow) if i.active]


def _count(store: Any, site: str, code: str, override: bool) -> EncounterSummary:
    draft = EncounterDraft(
        site=site,
        occurred_at=utc_now(),
        is_tally=True,
        contacts=1 if code == CONTACT else 0,
        items={} if code == CONTACT else {code: 1},
    )
    with store.unit_of_work() as uow:
        return encounters.log_encounter(uow, draft, override=override)


def _void(store: Any, record_id: uuid.UUID) -> None:
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, record_id, "tally counter: undo")


class TallyCounterPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.tiles: dict[str, QPushButton] = {}
        self.counts: dict[str, int] = {}
        self._names: dict[str, str] = {CONTACT: _("Contact")}
        self._saved: list[tuple[uuid.UUID, str]] = []  # this session's records, newest last
        # (site, code) confirmed below zero once: later clicks save without asking again.
        self._short_ok: set[tuple[str, str]] = set()
        intro = QLabel(
            _(
                "Each click — or the number key on the tile — counts one and is saved at once. "
                "Counts here go to the monthly tally as tally contacts and supplies."
            )
        )
        intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.undo = QPushButton(_("&Undo last count"))
        self.undo.setToolTip(_("Take back the last count (Ctrl+Z)"))
        self.undo.setEnabled(False)
        self.undo.clicked.connect(self._on_undo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.undo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.grid, 1)
        layout.addLayout(bottom)
        self.undo_action = QAction(_("Undo last count"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self._on_undo)
        self.addAction(self.undo_action)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        context.site_changed.connect(self._on_site_changed)
        self.context.worker.submit(_items, self._on_items, self._on_error)

    def _on_items(self, items: list[Any]) -> None:
        for tile in self.tiles.values():
            tile.setParent(None)
            tile.deleteLater()
        self.tiles.clear()
        codes = [CONTACT] + [i.code for i in items]
        self._names.update({i.code: i.name for i in items})
        for index, code in enumerate(codes):
            key = KEYS[index] if index < len(KEYS) else ""
            tile = QPushButton()
            tile.setStyleSheet(TILE_STYLE)
            tile.setMinimumSize(150, 72)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            name = self._names[code]
            tip = _("Count one: {name}", name=name)
            tile.setToolTip(_("{tip} (key {key})", tip=tip, key=key) if key else tip)
            tile.clicked.connect(lambda _=False, c=code: self.count(c))
            self.grid.addWidget(tile, index // COLUMNS, index % COLUMNS)
            self.tiles[code] = tile
            self._paint(code, key)

    def keyPressEvent(self, event: Any) -> None:
        text = event.text()
        if text and text in KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            index = KEYS.index(text)
            codes = list(self.tiles)
            if index < len(codes):
                self.count(codes[index])
                return
        super().keyPressEvent(event)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.setFocus()

    def _paint(self, code: str, key: str | None = None) -> None:
        if key is None:
            index = list(self.tiles).index(code)
            key = KEYS[index] if index < len(KEYS) else ""
        label = f"{self._names[code]}\n{self.counts.get(code, 0)}"
        self.tiles[code].setText(f"[{key}]  {label}" if key else label)

    def count(self, code: str, override: bool = False) -> None:
        site = self.context.current_site
        override = override or (site, code) in self._short_ok
        self.context.submit_write(
            lambda store: _count(store, site, code, override),
            lambda saved: self._on_counted(code, saved),
            lambda error: self._on_count_error(error, site, code, override),
        )

    def _on_counted(self, code: str, saved: EncounterSummary) -> None:
        self._saved.append((saved.id, code))
        self.counts[code] = self.counts.get(code, 0) + 1
        self._paint(code)
        self.undo.setEnabled(True)
        self.message.setStyleSheet("")
        self.message.setText(
            _("Counted one: {name}, at {site}.", name=self._names[code], site=saved.site)
            + below_zero_note(saved.negative_recorded)
        )
        self.context.data_changed.emit()

    def _on_count_error(self, error: OutreachError, site: str, code: str, override: bool) -> None:
        # One confirmation per site and item, no PIN (contracts §1): a counter is clicked fast.
        if isinstance(error, ShortfallError) and not override:
            if ShortfallConfirm.ask(self, error.shortfalls, _("this count")):
                self._short_ok.add((site, code))
                self.count(code, override=True)
                return
            lines = shortfall_lines(error.shortfalls)
            self._on_error(OutreachError(_("Not counted: {shortfalls}.", shortfalls=lines)))
            return
        self._on_error(error)

    def _on_undo(self) -> None:
        if not self._saved:
            return
        record_id, code = self._saved.pop()
        self.undo.setEnabled(bool(self._saved))
        self.context.submit_write(
            lambda store: _void(store, record_id),
            lambda _r: self._on_undone(code),
            self._on_error,
        )

    def _on_undone(self, code: str) -> None:
        self.counts[code] = max(self.counts.get(code, 0) - 1, 0)
        self._paint(code)
        self.message.setText(_("Took back one: {name}.", name=self._names[code]))
        self.context.data_changed.emit()

    def _on_site_changed(self, _site: str) -> None:
        self.counts.clear()
        self._short_ok.clear()
        self._saved.clear()
        self.undo.setEnabled(False)
        for code in self.tiles:
            self._paint(code)
        self.message.setText(_("Counting for a new site; the counts start again from zero."))

    def _on_error(self, error: OutreachError) -> None:
        self.message.setStyleSheet("color: #8a1c1c;")
        self.message.setText(error.message)
