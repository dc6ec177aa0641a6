"""Receive, transfer and adjust: small forms that return a request; the page does the work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from outreach_app.domain.codes import AdjustReason
from outreach_app.domain.values import ItemInfo
from outreach_app.i18n import N_, _

from outreach_app.ui.dialogs.request_form import RequestForm
from outreach_app.ui.widgets.common import date_edit
from outreach_app.ui.widgets.text_warning import TextWarning

REASON_LABELS = {
    "DAMAGED": N_("Damaged"),
    "EXPIRED": N_("Expired"),
    "LOST": N_("Lost"),
    "FOUND": N_("Found"),
    "RECOUNT": N_("Recount"),
    "OTHER": N_("Other"),
}


@dataclass(frozen=True, slots=True)
class StockChoices:
    """What the forms offer: active sites, active items, and lots with stock per site/item."""

    sites: tuple[str, ...]
    items: tuple[ItemInfo, ...]
    lots: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    site: str = ""


@dataclass(frozen=True, slots=True)
class ReceiveRequest:
    site: str
    item_code: str
    qty: int
    lot: str | None
    expires: date | None
    source: str


@dataclass(frozen=True, slots=True)
class TransferRequest:
    from_site: str
    to_site: str
    item_code: str
    qty: int
    lot: str | None
    note: str


@dataclass(frozen=True, slots=True)
class AdjustRequest:
    site: str
    item_code: str
    lot: str | None
    qty: int
    reason: str
    note: str


class _StockForm(RequestForm):
    TITLE = ""  # message ids (N_), translated when the form is built
    INTRO = ""

    def __init__(self, choices: StockChoices, parent: QWidget | None = None) -> None:
        super().__init__(_(self.TITLE), _(self.INTRO), parent)
        self.choices = choices

    def _site_combo(self, default: str = "") -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(self.choices.sites))
        if default in self.choices.sites:
            combo.setCurrentText(default)
        return combo

    def _item_combo(self) -> QComboBox:
        combo = QComboBox()
        for item in self.choices.items:
            combo.addItem(f"{item.code} — {item.name}", item.code)
        return combo

    def _item(self, combo: QComboBox) -> ItemInfo | None:
        code = combo.currentData()
        return next((i for i in self.choices.items if i.code == code), None)

    def _lot_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.lineEdit().setPlaceholderText(_("first to expire"))
        return combo

    def _fill_lots(self, combo: QComboBox, site: str, item: ItemInfo | None) -> None:
        combo.clear()
        tracks = bool(item and item.tracks_lots)
        combo.setEnabled(tracks)
        if tracks and item:
            combo.addItems(list(self.choices.lots.get((site, item.code), ())))


class ReceiveDialog(_StockForm):
    TITLE = N_("Receive supplies")
    INTRO = N_("Record a shipment or donation arriving at a site.")

    def __init__(self, choices: StockChoices, parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self.site_combo = self._site_combo(choices.site)
        self.item_combo = self._item_combo()
        self.qty_spin = QSpinBox(minimum=0, maximum=1_000_000)
        self.lot_edit = QLineEdit(placeholderText=_("as printed on the box"))
        self.expires_edit = date_edit()
        self.expires_edit.setDate(QDate.currentDate().addYears(1))
        self.source_edit = QLineEdit(placeholderText=_("e.g. health unit order 42 (optional)"))
        self.form.addRow(_("&Site"), self.site_combo)
        self.form.addRow(_("&Item"), self.item_combo)
        self.form.addRow(_("&Quantity"), self.qty_spin)
        self.form.addRow(_("&Lot"), self.lot_edit)
        self.form.addRow(_("&Expires"), self.expires_edit)
        self.form.addRow(_("S&ource"), self.source_edit)
        self.form.addRow("", TextWarning(self.source_edit))
        self.item_combo.currentIndexChanged.connect(self._on_item_changed)
        self._on_item_changed()

    def _on_item_changed(self) -> None:
        item = self._item(self.item_combo)
        tracks = bool(item and item.tracks_lots)
        self.lot_edit.setEnabled(tracks)
        self.expires_edit.setEnabled(tracks)

    def problem(self) -> str:
        if self.qty_spin.value() <= 0:
            return _("Type how many arrived.")
        item = self._item(self.item_combo)
        if item and item.tracks_lots and not self.lot_edit.text().strip():
            return _(
                "{code} tracks lots and expiry: type the lot number printed on the box.",
                code=item.code,
            )
        return ""

    def request(self) -> ReceiveRequest:
        item = self._item(self.item_combo)
        tracks = bool(item and item.tracks_lots)
        return ReceiveRequest(
            self.site_combo.currentText(),
            self.item_combo.currentData(),
            self.qty_spin.value(),
            self.lot_edit.text().strip() if tracks else None,
            self.expires_edit.date().toPython() if tracks else None,
            self.source_edit.text().strip(),
        )


class TransferDialog(_StockForm):
    TITLE = N_("Transfer between sites")
    INTRO = N_("Move supplies from one site to another (e.g. from the drop-in to the van).")

    def __init__(self, choices: StockChoices, parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self.from_combo = self._site_combo(choices.site)
        self.to_combo = self._site_combo()
        if (
            self.to_combo.currentText() == self.from_combo.currentText()
            and self.to_combo.count() > 1
        ):
            self.to_combo.setCurrentIndex(1)
        self.item_combo = self._item_combo()
        self.qty_spin = QSpinBox(minimum=0, maximum=1_000_000)
        self.lot_combo = self._lot_combo()
        self.note_edit = QLineEdit(placeholderText=_("optional"))
        self.form.addRow(_("&From"), self.from_combo)
        self.form.addRow(_("&To"), self.to_combo)
        self.form.addRow(_("&Item"), self.item_combo)
        self.form.addRow(_("&Quantity"), self.qty_spin)
        self.form.addRow(_("&Lot"), self.lot_combo)
        self.form.addRow(_("&Note"), self.note_edit)
        self.form.addRow("", TextWarning(self.note_edit))
        self.item_combo.currentIndexChanged.connect(self._on_item_changed)
        self.from_combo.currentIndexChanged.connect(self._on_item_changed)
        self._on_item_changed()

    def _on_item_changed(self) -> None:
        self._fill_lots(self.lot_combo, self.from_combo.currentText(), self._item(self.item_combo))

    def problem(self) -> str:
        if self.from_combo.currentText() == self.to_combo.currentText():
            return _("Choose two different sites.")
        if self.qty_spin.value() <= 0:
            return _("Type how many to move.")
        return ""

    def request(self) -> TransferRequest:
        lot = self.lot_combo.currentText().strip() if self.lot_combo.isEnabled() else ""
        return TransferRequest(
            self.from_combo.currentText(),
            self.to_combo.currentText(),
            self.item_combo.currentData(),
            self.qty_spin.value(),
            lot or None,
            self.note_edit.text().strip(),
        )


class AdjustDialog(_StockForm):
    TITLE = N_("Adjust stock")
    INTRO = N_(
        "Correct the stock of one item with a reason: positive adds, negative removes. "
        "Adjustments need the coordinator PIN."
    )

    def __init__(self, choices: StockChoices, parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self.site_combo = self._site_combo(choices.site)
        self.item_combo = self._item_combo()
        self.lot_combo = self._lot_combo()
        self.lot_combo.lineEdit().setPlaceholderText(_("lot number"))
        self.qty_spin = QSpinBox(minimum=-1_000_000, maximum=1_000_000)
        self.reason_combo = QComboBox()
        for reason in AdjustReason:
            self.reason_combo.addItem(_(REASON_LABELS[reason.value]), reason.value)
        self.note_edit = QLineEdit(placeholderText=_("what happened (optional)"))
        self.form.addRow(_("&Site"), self.site_combo)
        self.form.addRow(_("&Item"), self.item_combo)
        self.form.addRow(_("&Lot"), self.lot_combo)
        self.form.addRow(_("&Change"), self.qty_spin)
        self.form.addRow(_("&Reason"), self.reason_combo)
        self.form.addRow(_("&Note"), self.note_edit)
        self.form.addRow("", TextWarning(self.note_edit))
        self.item_combo.currentIndexChanged.connect(self._on_item_changed)
        self.site_combo.currentIndexChanged.connect(self._on_item_changed)
        self._on_item_changed()

    def _on_item_changed(self) -> None:
        self._fill_lots(self.lot_combo, self.site_combo.currentText(), self._item(self.item_combo))

    def problem(self) -> str:
        if self.qty_spin.value() == 0:
            return _("Type the change: a positive number adds, a negative one removes.")
        if self.lot_combo.isEnabled() and not self.lot_combo.currentText().strip():
            return _("This item tracks lots: name the lot being adjusted.")
        return ""

    def request(self) -> AdjustRequest:
        lot = self.lot_combo.currentText().strip() if self.lot_combo.isEnabled() else ""
        return AdjustRequest(
            self.site_combo.currentText(),
            self.item_combo.currentData(),
            lot or None,
            self.qty_spin.value(),
            self.reason_combo.currentData(),
            self.note_edit.text().strip(),
        )
