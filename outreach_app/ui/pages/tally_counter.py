"""Tally counter: the paper tally sheet on screen. One tile per item plus a contact tile.

Every click (or the tile's key) is saved at once as a tally record (contracts §1), so
closing the app loses nothing; Undo voids the last record, one count at a time. Which items show,
their order and keys are this device's choice (`services.tile_layout`, "Choose tiles…").
"""

from __future__ import annotations

import textwrap
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
from outreach_app.services import catalog, encounters, tile_layout
from outreach_app.services.tile_layout import TileSetting

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.tile_dialog import TileDialog
from outreach_app.ui.theme import TALLY_FOCUS_NAME, set_tone
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.widgets.shortfall import ShortfallConfirm, below_zero_note, shortfall_lines

CONTACT = "__contact__"
COLUMNS = 5
NAME_WIDTH = 20  # characters a tile's line holds at its minimum width; longer names wrap
TILE_STYLE = "QPushButton { font-size: 17px; padding: 8px; text-align: center; }"


def _items(store: Any) -> tuple[list[Any], tuple[TileSetting, ...] | None]:
    with store.reading() as uow:
        items = [i for i in catalog.list_items(uow) if i.active]
        return items, tile_layout.tally_tiles(uow)


def _save_tiles(store: Any, tiles: list[TileSetting] | None) -> None:
    with store.unit_of_work() as uow:
        tile_layout.set_tally_tiles(uow, tiles)


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
        self.keys: dict[str, str] = {}  # code -> its key ("" for none), in tile order
        self.counts: dict[str, int] = {}
        self._names: dict[str, str] = {CONTACT: _("Contact")}
        self._saved: list[tuple[uuid.UUID, str]] = []  # this session's records, newest last
        # (site, code) confirmed below zero once: later clicks save without asking again.
        self._short_ok: set[tuple[str, str]] = set()
        intro = QLabel(
            _(
                "Each click — or the key shown on the tile — counts one and is saved at once. "
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
        self.choose = QPushButton(_("&Choose tiles…"))
        self.choose.setToolTip(_("Which items show on this device, their order and keys"))
        self.choose.clicked.connect(self._on_choose)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.choose)
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
        # The tiles count by key while the page has the focus: high contrast frames it.
        self.setObjectName(TALLY_FOCUS_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        context.site_changed.connect(self._on_site_changed)
        self.context.worker.submit(_items, self._on_items, self._on_error)

    def _on_items(self, loaded: tuple[list[Any], tuple[TileSetting, ...] | None]) -> None:
        items, chosen = loaded
        self._names.update({i.code: i.name for i in items})
        every = [CONTACT] + [i.code for i in items]
        # A chosen item retired since, or a key clash in a hand-edited value: shown as default.
        layout = chosen if chosen is not None else tile_layout.default_tiles(every)
        self._layout(tuple(t for t in layout if t.code in self._names))

    def _layout(self, layout: tuple[TileSetting, ...]) -> None:
        for tile in self.tiles.values():
            tile.setParent(None)
            tile.deleteLater()
        self.tiles.clear()
        self.keys = {t.code: t.key for t in layout}
        for index, setting in enumerate(layout):
            code, key = setting.code, setting.key
            tile = QPushButton()
            tile.setStyleSheet(TILE_STYLE)
            tile.setMinimumSize(150, 72)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            # Tiles are reached by their key, not Tab: forty tab stops would bury Undo.
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            name = self._names[code]
            tip = _("Count one: {name}", name=name)
            tile.setToolTip(_("{tip} (key {key})", tip=tip, key=key) if key else tip)
            tile.setAccessibleDescription(_("Key {key}", key=key) if key else "")
            tile.clicked.connect(lambda _=False, c=code: self.count(c))
            self.grid.addWidget(tile, index // COLUMNS, index % COLUMNS)
            self.tiles[code] = tile
            self._paint(code)

    def keyPressEvent(self, event: Any) -> None:
        text = event.text().lower()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if text and plain:
            for code, key in self.keys.items():
                if key and key.lower() == text:
                    self.count(code)
                    return
        super().keyPressEvent(event)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.setFocus()

    def _paint(self, code: str) -> None:
        key = self.keys.get(code, "")
        # Wrapped by hand: a QPushButton never wraps, and a long name was cut at both ends.
        name = textwrap.fill(self._names[code], NAME_WIDTH)
        count = self.counts.get(code, 0)
        label = f"{name}\n{count}"
        self.tiles[code].setText(f"[{key}]  {label}" if key else label)
        self.tiles[code].setAccessibleName(f"{self._names[code]}: {count}")

    def _on_choose(self) -> None:
        every = [CONTACT] + [c for c in self._names if c != CONTACT]
        names = {c: self._names[c] for c in every}
        current = tuple(TileSetting(c, k) for c, k in self.keys.items())
        chosen = TileDialog.ask(self, names, current)
        if chosen is None:
            return
        self.context.submit_write(
            lambda store: _save_tiles(store, chosen),
            lambda _r: self._layout(tuple(chosen)),
            self._on_error,
        )

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
        set_tone(self.message, None)
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
        set_tone(self.message, "error")
        self.message.setText(error.message)
