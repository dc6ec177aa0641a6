"""Forms for the catalog: a site, an item, a kit, a referral type. Each returns a request."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QWidget,
)

from outreach_app.domain.codes import SiteKind
from outreach_app.domain.values import ItemInfo, SiteInfo
from outreach_app.i18n import _

from outreach_app.ui.dialogs.request_form import RequestForm
from outreach_app.ui.models import quantity_table as qt
from outreach_app.ui.widgets.common import TYPE_TO_EDIT


@dataclass(frozen=True, slots=True)
class SiteRequest:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class ItemRequest:
    code: str
    name: str
    category: str
    unit: str
    reorder_level: int
    doses_per_unit: int
    tracks_lots: bool


@dataclass(frozen=True, slots=True)
class KitRequest:
    code: str
    name: str
    lines: dict[str, int]


@dataclass(frozen=True, slots=True)
class ReferralRequest:
    code: str
    label: str


class SiteDialog(RequestForm):
    def __init__(self, site: SiteInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Edit site") if site else _("Add site"), parent=parent)
        self.name_edit = QLineEdit(site.name if site else "")
        self.name_edit.setPlaceholderText(_("e.g. Van 1, Downtown drop-in"))
        self.kind_combo = QComboBox()
        for kind in SiteKind:
            self.kind_combo.addItem(kind.value, kind.value)
        if site:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(site.kind))
        self.form.addRow(_("&Name"), self.name_edit)
        self.form.addRow(_("&Kind"), self.kind_combo)
        hint = QLabel(_("A “bag” or “van” site can be loaded for a shift from the Inventory page."))
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def problem(self) -> str:
        return "" if self.name_edit.text().strip() else _("Give the site a name.")

    def request(self) -> SiteRequest:
        return SiteRequest(self.name_edit.text().strip(), self.kind_combo.currentData())


class ItemDialog(RequestForm):
    def __init__(self, item: ItemInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Edit {code}", code=item.code) if item else _("Add item"), parent=parent)
        self.code_edit = QLineEdit(item.code if item else "")
        self.code_edit.setPlaceholderText(_("e.g. GLOVES"))
        self.name_edit = QLineEdit(item.name if item else "")
        self.category_edit = QLineEdit(item.category if item else "")
        self.category_edit.setPlaceholderText(_("e.g. injection, smoking, naloxone, testing"))
        self.unit_edit = QLineEdit(item.unit if item else _("each"))
        self.reorder_spin = QSpinBox(minimum=0, maximum=1_000_000)
        self.reorder_spin.setValue(item.reorder_level if item else 0)
        self.doses_spin = QSpinBox(minimum=0, maximum=20)
        self.doses_spin.setValue(item.doses_per_unit if item else 0)
        self.doses_spin.setToolTip(
            _("Naloxone only: doses in one unit (nasal kit 2, injectable 3)")
        )
        self.lots_check = QCheckBox(_("&Track lots and expiry dates"))
        self.lots_check.setChecked(bool(item and item.tracks_lots))
        if item:
            # Past records and reports depend on these; the service refuses to change them.
            for widget in (self.code_edit, self.doses_spin, self.lots_check):
                widget.setEnabled(False)
        self.form.addRow(_("&Code"), self.code_edit)
        self.form.addRow(_("&Name"), self.name_edit)
        self.form.addRow(_("C&ategory"), self.category_edit)
        self.form.addRow(_("&Unit"), self.unit_edit)
        self.form.addRow(_("&Reorder level"), self.reorder_spin)
        self.form.addRow(_("&Doses per unit"), self.doses_spin)
        self.form.addRow("", self.lots_check)

    def problem(self) -> str:
        if not self.code_edit.text().strip():
            return _("Give the item a short code (letters, digits and hyphens).")
        if not self.name_edit.text().strip():
            return _("Give the item a name.")
        return ""

    def request(self) -> ItemRequest:
        return ItemRequest(
            self.code_edit.text().strip(),
            self.name_edit.text().strip(),
            self.category_edit.text().strip(),
            self.unit_edit.text().strip() or _("each"),
            self.reorder_spin.value(),
            self.doses_spin.value(),
            self.lots_check.isChecked(),
        )


class KitDialog(RequestForm):
    def __init__(self, items: list[ItemInfo], parent: QWidget | None = None) -> None:
        super().__init__(_("Add kit"), parent=parent)
        self.resize(520, 560)
        self.code_edit = QLineEdit(placeholderText=_("e.g. KIT-SMOKE"))
        self.name_edit = QLineEdit(placeholderText=_("e.g. Safer smoking kit"))
        self.model = qt.QuantityTableModel("", self)
        self.model.set_rows([qt.QuantityLine(i.code, i.name, None) for i in items])
        self.table = QTableView()
        self.table.setAccessibleName(_("Kit contents"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(TYPE_TO_EDIT)
        self.table.verticalHeader().hide()
        self.table.hideColumn(qt.COL_AVAILABLE)
        self.table.horizontalHeader().setSectionResizeMode(
            qt.COL_NAME, QHeaderView.ResizeMode.Stretch
        )
        self.form.addRow(_("&Code"), self.code_edit)
        self.form.addRow(_("&Name"), self.name_edit)
        self.add_below_form(QLabel(_("Quantity of each item in one kit:")))
        self.add_below_form(self.table, 1)

    def problem(self) -> str:
        if not self.code_edit.text().strip() or not self.name_edit.text().strip():
            return _("Give the kit a code and a name.")
        if not self.model.quantities():
            return _("Type the quantity of at least one item in the kit.")
        return ""

    def request(self) -> KitRequest:
        return KitRequest(
            self.code_edit.text().strip(), self.name_edit.text().strip(), self.model.quantities()
        )


class ReferralDialog(RequestForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Add referral type"), parent=parent)
        self.code_edit = QLineEdit(placeholderText=_("e.g. HARM-REDUCTION-HOUSING"))
        self.label_edit = QLineEdit(placeholderText=_("what workers see on the form"))
        self.form.addRow(_("&Code"), self.code_edit)
        self.form.addRow(_("&Label"), self.label_edit)

    def problem(self) -> str:
        if not self.code_edit.text().strip() or not self.label_edit.text().strip():
            return _("Give the referral type a code and a label.")
        return ""

    def request(self) -> ReferralRequest:
        return ReferralRequest(self.code_edit.text().strip(), self.label_edit.text().strip())
