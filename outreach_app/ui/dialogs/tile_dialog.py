"""Choose this device's tally tiles: which items show, in which order, under which key.

A table with one row per item (the contact tile first): a check box to show it, its name, and
its key. Move up / Move down change the order; the layout is checked by the same rule the
service keeps (`tile_layout.check_tiles`) before the dialog closes, so a clash is named here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import _
from outreach_app.services.tile_layout import TileSetting, check_tiles, default_tiles

from outreach_app.ui.widgets.modal import run_modal

SHOW, NAME, KEY = range(3)


class TileDialog(QDialog):
    def __init__(
        self,
        names: dict[str, str],
        current: Sequence[TileSetting],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Tally tiles on this device"))
        self._names = names
        intro = QLabel(
            _(
                "Tick the items to show as tiles, put them in order and give each a key "
                "(one letter or digit). This is kept on this device only."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Show"), _("Item"), _("Key")])
        self.table.setAccessibleName(_("Tally tiles"))
        self.table.setAccessibleDescription(
            _("Space shows or hides the item; F2 on the Key column changes its key.")
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SHOW, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(KEY, QHeaderView.ResizeMode.ResizeToContents)
        self.up = QPushButton(_("Move &up"))
        self.down = QPushButton(_("Move &down"))
        self.reset = QPushButton(_("&Every item, default keys"))
        self.up.clicked.connect(lambda: self._on_move(-1))
        self.down.clicked.connect(lambda: self._on_move(1))
        self.reset.clicked.connect(self._on_reset)
        moves = QHBoxLayout()
        moves.addWidget(self.up)
        moves.addWidget(self.down)
        moves.addStretch(1)
        moves.addWidget(self.reset)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(moves)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._fill(current)
        self.resize(520, 520)

    def _fill(self, current: Sequence[TileSetting]) -> None:
        # Shown tiles first in their order, then the hidden ones (so un-ticking keeps a key).
        shown = {t.code for t in current}
        rows = list(current) + [TileSetting(c, "") for c in self._names if c not in shown]
        self.table.setRowCount(0)
        for tile in rows:
            if tile.code in self._names:
                self._add_row(tile, tile.code in shown)

    def _add_row(self, tile: TileSetting, shown: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        check = QTableWidgetItem()
        check.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        check.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
        check.setData(Qt.ItemDataRole.UserRole, tile.code)
        name = QTableWidgetItem(self._names[tile.code])
        name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(row, SHOW, check)
        self.table.setItem(row, NAME, name)
        self.table.setItem(row, KEY, QTableWidgetItem(tile.key))

    def _take_row(self, row: int) -> tuple[TileSetting, bool]:
        check = self.table.item(row, SHOW)
        key = self.table.item(row, KEY)
        code = str(check.data(Qt.ItemDataRole.UserRole))
        shown = check.checkState() == Qt.CheckState.Checked
        return TileSetting(code, key.text().strip() if key else ""), shown

    def _on_move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = [self._take_row(r) for r in range(self.table.rowCount())]
        rows[row], rows[target] = rows[target], rows[row]
        self.table.setRowCount(0)
        for tile, shown in rows:
            self._add_row(tile, shown)
        self.table.setCurrentCell(target, NAME)

    def _on_reset(self) -> None:
        self._fill(default_tiles(list(self._names)))

    def tiles(self) -> list[TileSetting]:
        rows = [self._take_row(r) for r in range(self.table.rowCount())]
        return [tile for tile, shown in rows if shown]

    def _on_ok(self) -> None:
        try:
            check_tiles(self.tiles())
        except OutreachError as error:
            self.message.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, names: dict[str, str], current: Sequence[TileSetting]
    ) -> list[TileSetting] | None:
        """The tiles chosen, or None if the person cancelled."""
        dialog = cls(names, current, parent)
        if run_modal(dialog) == QDialog.DialogCode.Accepted:
            return dialog.tiles()
        return None
