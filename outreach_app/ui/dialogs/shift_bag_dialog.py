"""Shift bag: load a bag or van at the start of a shift, count back what returns at the end.

What went out and neither came back nor was logged from the bag during the shift is recorded
by `services.shift_bag.check_in` as one tally record of the shift, labelled as such.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError, ShortfallError
from outreach_app.domain.values import ItemInfo, OnHandRow, SiteInfo
from outreach_app.i18n import N_, _
from outreach_app.services import catalog, inventory, shift_bag

from outreach_app.ui.context import AppContext
from outreach_app.ui.models import quantity_table as qt
from outreach_app.ui.widgets.common import (
    TYPE_TO_EDIT,
    BusyBar,
    MessageLine,
    compact_table,
    fill_combo,
    submit_write,
)
from outreach_app.ui.widgets.shortfall import ShortfallConfirm, shortfall_lines

CHECK_OUT = "out"
CHECK_IN = "in"


class ShiftBagDialog(QDialog):
    done = Signal(object)  # the service's result

    def __init__(
        self, context: AppContext, mode: str, site: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.mode = mode
        self._items: list[ItemInfo] = []
        self._stock: list[OnHandRow] = []
        out = mode == CHECK_OUT
        self.setWindowTitle(_("Shift bag — check out") if out else _("Shift bag — check in"))
        self.resize(620, 560)
        self.model = qt.QuantityTableModel(N_("At site") if out else N_("In the bag"), self)
        self.site_combo = QComboBox()
        self.bag_combo = QComboBox()
        self.contacts_spin = QSpinBox(minimum=0, maximum=10_000)
        self._default_site = site
        self.table = QTableView()
        self.table.setAccessibleName(_("Items"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(TYPE_TO_EDIT)
        compact_table(self.table)
        self.table.horizontalHeader().setSectionResizeMode(
            qt.COL_NAME, QHeaderView.ResizeMode.Stretch
        )
        self.table.setColumnWidth(qt.COL_CODE, 130)
        intro = QLabel(
            _("Type what goes into the bag or van for this shift. It is moved from the site.")
            if out
            else _(
                "Type what came back. The rest of what went out, less what was already logged "
                "from the bag, is recorded as this shift's tally record."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&From site") if out else _("Back to &site"), self.site_combo)
        form.addRow(_("&Bag or van"), self.bag_combo)
        if not out:
            form.addRow(_("Contacts &not yet logged"), self.contacts_spin)
        self.message = MessageLine()
        self.busy = BusyBar(context)
        self.save_button = QPushButton(_("&Check out") if out else _("&Check in"))
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)  # Enter in a cell must not save the bag
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self._on_save)
        self.site_combo.currentIndexChanged.connect(self._on_place_changed)
        self.bag_combo.currentIndexChanged.connect(self._on_place_changed)
        self._load()

    def _load(self) -> None:
        def job(store: Any) -> Any:
            with store.reading() as uow:
                return catalog.list_sites(uow), catalog.list_items(uow), inventory.on_hand(uow)

        self._context.worker.submit(job, self._on_loaded, self._on_error)

    def _on_loaded(self, result: tuple[list[SiteInfo], list[ItemInfo], list[OnHandRow]]) -> None:
        sites, self._items, self._stock = result
        bags = [s.name for s in sites if s.kind in ("bag", "van")]
        fill_combo(self.site_combo, None, [(s.name, s.name) for s in sites if s.name not in bags])
        fill_combo(self.bag_combo, None, [(b, b) for b in bags])
        self.site_combo.setCurrentIndex(max(self.site_combo.findData(self._default_site), 0))
        if not bags:
            self.message.show_error(
                _(
                    "No site is a bag or van yet. Add one under Catalog & sites (kind “bag” or "
                    "“van”)."
                )
            )
            self.save_button.setEnabled(False)
        self._on_place_changed()

    def _on_place_changed(self) -> None:
        where = (
            self.site_combo.currentData()
            if self.mode == CHECK_OUT
            else self.bag_combo.currentData()
        )
        held: dict[str, int] = {}
        for row in self._stock:
            if row.site == where:
                held[row.item_code] = held.get(row.item_code, 0) + row.on_hand
        lines = [qt.QuantityLine(i.code, i.name, held.get(i.code, 0)) for i in self._items]
        if self.mode == CHECK_IN:
            lines = [line for line in lines if line.available]
            if not lines and self.bag_combo.count():
                self.message.show_info(_("This bag holds nothing; check one out first."))
        self.model.set_rows(lines)

    def _on_save(self, override: bool = False) -> None:
        quantities = self.model.quantities()
        site, bag = self.site_combo.currentData(), self.bag_combo.currentData()
        contacts = self.contacts_spin.value()
        if self.mode == CHECK_OUT and not quantities:
            self.message.show_error(_("Type at least one quantity to put in the bag."))
            return

        def job(store: Any) -> Any:
            with store.unit_of_work() as uow:
                if self.mode == CHECK_OUT:
                    return shift_bag.check_out(uow, site, bag, quantities, override=override)
                return shift_bag.check_in(uow, bag, site, quantities, contacts)

        self.save_button.setEnabled(False)
        submit_write(self._context, job, self._on_saved, self._on_error)

    def _on_saved(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.done.emit(result)
        self._context.data_changed.emit()
        self.accept()

    def _on_error(self, error: OutreachError) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ShortfallError) and self.mode == CHECK_OUT:
            # The bag leaves with what is in it: one confirmation, no PIN (contracts §1).
            if ShortfallConfirm.ask(self, error.shortfalls, _("this bag")):
                self._on_save(override=True)
                return
            self.message.show_error(
                _(
                    "Not checked out yet — not enough on hand: {shortfalls}.",
                    shortfalls=shortfall_lines(error.shortfalls),
                )
            )
            return
        self.message.show_error(error.message)


def check_in_summary(result: Any) -> str:
    back = ", ".join(f"{q} {c}" for c, q in result.returned.items()) or _("nothing")
    if result.unlogged:
        rest = ", ".join(f"{q} {c}" for c, q in result.unlogged.items())
        return _(
            "Checked in: {back} came back; {rest} recorded as the shift's tally record.",
            back=back,
            rest=rest,
        )
    return _("Checked in: {back} came back; everything else was already logged.", back=back)
