"""Paper tally entry: keying a filled paper tally sheet back in as one tally record.

Date, site, contacts, then a number box per active item and kit in sheet order. Tab or Enter
moves down, Ctrl+Enter saves. The record counts in tally contacts and supply totals and moves
stock at the site like an encounter (contracts §1); a shortfall asks once, then saves.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.clock import date_at_noon
from outreach_app.domain.errors import OutreachError, ShortfallError
from outreach_app.domain.values import EncounterDraft, EncounterSummary
from outreach_app.i18n import _, ngettext
from outreach_app.services import catalog, encounters

from outreach_app.ui.context import AppContext
from outreach_app.ui.widgets.common import (
    BusyBar,
    MessageLine,
    RefreshWhenShown,
    date_edit,
    fill_combo,
    submit_write,
)
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.widgets.quantities import QuantitySpin
from outreach_app.ui.widgets.shortfall import ShortfallConfirm, below_zero_note, shortfall_lines

COLUMNS = 3
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _sheet_lines(store: Any) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """Site names, and (code, name, is_kit) for every active item then every active kit."""
    with store.reading() as uow:
        sites = [s.name for s in catalog.list_sites(uow)]
        lines = [(i.code, i.name, False) for i in catalog.list_items(uow) if i.active]
        lines += [(k.code, k.name, True) for k in catalog.list_kits(uow) if k.active]
    return sites, lines


def _save(
    store: Any,
    site: str,
    day: date,
    contacts: int,
    items: dict[str, int],
    kits: dict[str, int],
    override: bool,
) -> EncounterSummary:
    with store.unit_of_work() as uow:
        draft = EncounterDraft(
            site=site,
            occurred_at=date_at_noon(day, uow.zone),
            items=items,
            kits=kits,
            is_tally=True,
            contacts=contacts,
        )
        return encounters.log_encounter(uow, draft, override=override)


class TallyEntryPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.spins: dict[str, QuantitySpin] = {}
        self.kit_codes: set[str] = set()
        self._lines: list[tuple[str, str, bool]] = []
        self._build()
        self.refresher = RefreshWhenShown(self, context, self._load)
        context.site_changed.connect(self._on_site_changed)
        self._load()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        intro = QLabel(
            _(
                "Type in a filled paper tally sheet. Tab or Enter moves down, Ctrl+Enter saves. "
                "The sheet counts as tally contacts and supplies, and takes the supplies from "
                "the site's stock."
            )
        )
        intro.setWordWrap(True)
        self.date_edit = date_edit()
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setToolTip(_("The day on the sheet (counted at noon that day)"))
        self.site_combo = QComboBox()
        self.site_combo.setMinimumContentsLength(18)
        self.contacts = QuantitySpin()
        self.contacts.setAccessibleName(_("Contacts"))
        self.contacts.setToolTip(_("Contacts ticked on the sheet"))
        head = QFormLayout()
        head.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        head.addRow(_("&Date"), self.date_edit)
        head.addRow(_("S&ite"), self.site_combo)
        head.addRow(_("&Contacts"), self.contacts)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addLayout(self.grid)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.save_button = QPushButton(_("S&ave tally record"))
        self.save_button.setToolTip(_("Save the sheet as one tally record (Ctrl+Enter)"))
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(_("C&lear"))
        self.clear_button.setToolTip(_("Set every number back to 0"))
        self.clear_button.clicked.connect(self.clear)
        self.message = MessageLine()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(head)
        supplies = QLabel(_("<b>Supplies given</b> (kits count their contents in the supplies)"))
        layout.addWidget(supplies)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(BusyBar(self.context))
        layout.addLayout(buttons)
        self.save_action = QAction(_("Save tally record"), self)
        self.save_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        for widget in (self.date_edit, self.contacts):
            widget.installEventFilter(self)

    def _load(self) -> None:
        self.context.worker.submit(_sheet_lines, self._on_lines, self._on_error)

    def _on_lines(self, loaded: tuple[list[str], list[tuple[str, str, bool]]]) -> None:
        sites, lines = loaded
        current = self.site_combo.currentData() or self.context.current_site
        fill_combo(self.site_combo, None, [(s, s) for s in sites])
        self.site_combo.setCurrentIndex(max(self.site_combo.findData(current), 0))
        if lines == self._lines:
            return  # same sheet: keep what is typed
        self._lines = lines
        for spin in self.spins.values():
            spin.removeEventFilter(self)
        while self.grid.count():
            taken = self.grid.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()
        self.spins.clear()
        self.kit_codes = {code for code, _name, is_kit in lines if is_kit}
        per_column = max(math.ceil(len(lines) / COLUMNS), 1)
        previous: QWidget = self.contacts
        for index, (code, name, is_kit) in enumerate(lines):
            column, row = divmod(index, per_column)
            label = QLabel(_("{name} (kits)", name=name) if is_kit else name)
            label.setToolTip(code)
            if column:
                label.setIndent(32)  # a gap between the columns of the sheet
            label.setMinimumWidth(label.sizeHint().width() + 12)
            spin = QuantitySpin()
            spin.setAccessibleName(name)
            spin.installEventFilter(self)
            label.setBuddy(spin)
            self.grid.addWidget(label, row, column * 2)
            self.grid.addWidget(spin, row, column * 2 + 1)
            QWidget.setTabOrder(previous, spin)
            previous = spin
            self.spins[code] = spin
        QWidget.setTabOrder(previous, self.save_button)
        self.grid.setColumnStretch(COLUMNS * 2, 1)  # pack the columns to the left

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter moves down like Tab; Ctrl+Enter is the save shortcut and passes through.
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in ENTER_KEYS  # type: ignore[attr-defined]
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier  # type: ignore[attr-defined]
        ):
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.contacts.setFocus()

    # ---- saving --------------------------------------------------------------------------
    def quantities(self) -> tuple[dict[str, int], dict[str, int]]:
        items, kits = {}, {}
        for code, spin in self.spins.items():
            if spin.value():
                (kits if code in self.kit_codes else items)[code] = spin.value()
        return items, kits

    def save(self, override: bool = False) -> None:
        site = self.site_combo.currentData()
        day = self.date_edit.date().toPython()
        contacts = self.contacts.value()
        items, kits = self.quantities()
        if not site:
            self.message.show_error(_("Choose the site the sheet was filled at."))
            return
        if not contacts and not items and not kits:
            self.message.show_error(_("Nothing to save yet: type the contacts or a quantity."))
            self.contacts.setFocus()
            return
        self.save_button.setEnabled(False)
        submit_write(
            self.context,
            lambda store: _save(store, site, day, contacts, items, kits, override),
            lambda saved: self._on_saved(saved, day),
            lambda error: self._on_save_error(error, override),
        )

    def _on_saved(self, saved: EncounterSummary, day: date) -> None:
        self.save_button.setEnabled(True)
        kits = [f"{qty} × {code}" for code, qty in saved.kits]
        given = ", ".join(f"{code} {qty}" for code, qty in saved.items) or _("no supplies")
        if kits:
            given += " " + _("(with {kits})", kits=", ".join(kits))
        people = ngettext("{n} contact", "{n} contacts", saved.contacts)
        self.message.show_info(
            _(
                "Saved a tally record for {day} at {site}: {people}; {given}.",
                day=day.isoformat(),
                site=saved.site,
                people=people,
                given=given,
            )
            + below_zero_note(saved.negative_recorded)
        )
        self.clear(keep_message=True)
        self.context.data_changed.emit()

    def _on_save_error(self, error: OutreachError, override: bool) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ShortfallError) and not override:
            # One confirmation, no PIN (contracts §1): the sheet's supplies are handed out.
            if ShortfallConfirm.ask(self, error.shortfalls, _("this tally sheet")):
                self.save(override=True)
                return
            self.message.show_error(
                _(
                    "Not saved yet — not enough on hand: {shortfalls}. Save again to record it "
                    "anyway.",
                    shortfalls=shortfall_lines(error.shortfalls),
                )
            )
            return
        self._on_error(error)

    def clear(self, keep_message: bool = False) -> None:
        self.contacts.setValue(0)
        for spin in self.spins.values():
            spin.setValue(0)
        if not keep_message:
            self.message.clear_message()
        self.contacts.setFocus()

    def _on_site_changed(self, name: str) -> None:
        if not any(spin.value() for spin in self.spins.values()) and not self.contacts.value():
            index = self.site_combo.findData(name)
            if index >= 0:
                self.site_combo.setCurrentIndex(index)

    def _on_error(self, error: OutreachError) -> None:
        self.message.show_error(error.message)
