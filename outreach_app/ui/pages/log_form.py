"""The layout of the Log encounter form: widgets only, no logic (that is in log_encounter.py).

Tab order follows a returning participant's visit: code, then supplies, then the naloxone
reason, used syringes returned, reversals, training, referrals, note; the profile fields
(age band, gender, people served) come after, since they are remembered per code.
"""

from __future__ import annotations

import html
import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.codes import AgeBand, Gender, NaloxoneReason
from outreach_app.domain.values import EncounterSummary, KitInfo
from outreach_app.i18n import N_, _

from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.quantities import QuantityRow, QuantitySpin

NALOXONE_REASON_LABELS = {
    NaloxoneReason.FIRST: N_("First kit"),
    NaloxoneReason.USED: N_("Used on someone"),
    NaloxoneReason.LOST: N_("Lost"),
    NaloxoneReason.STOLEN: N_("Stolen"),
    NaloxoneReason.CONFISCATED: N_("Confiscated"),
    NaloxoneReason.EXPIRED: N_("Expired"),
}
GENDER_LABELS = {
    Gender.WOMAN: N_("Woman"),
    Gender.MAN: N_("Man"),
    Gender.TRANS_WOMAN: N_("Trans woman"),
    Gender.TRANS_MAN: N_("Trans man"),
    Gender.NON_BINARY: N_("Non-binary"),
    Gender.TWO_SPIRIT: N_("Two-spirit"),
    Gender.OTHER: N_("Other"),
    Gender.NOT_STATED: N_("Prefers not to say"),
}


class LogForm(QWidget):
    """Widgets of the form. Item and kit rows are (re)built by `set_catalog`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_rows: list[QuantityRow] = []
        self.kit_rows: list[QuantityRow] = []
        self.referral_boxes: dict[str, QCheckBox] = {}

        self.code = QLineEdit()
        self.code.setPlaceholderText(_("optional — never a name"))
        self.code.setToolTip(_("Participant code (optional). Enter moves to the supplies."))
        self.code.setMaxLength(24)
        self.code.setClearButtonEnabled(True)
        self.status = QLabel("")
        self.status.setMinimumWidth(200)
        self.repeat = QPushButton(_("Repeat last visit"))
        self.repeat.setToolTip(_("Fill the form with what this code received last time (Ctrl+R)"))
        self.repeat.setEnabled(False)
        self.age = QComboBox()
        self.age.addItem("—", None)
        for band in AgeBand:
            self.age.addItem(band.value, band.value)
        self.gender = QComboBox()
        self.gender.addItem("—", None)
        for gender, label in GENDER_LABELS.items():
            self.gender.addItem(_(label), gender.value)
        self.people = QSpinBox()
        self.people.setRange(1, 99)
        self.people.setToolTip(_("The participant plus anyone they collect supplies for"))

        self.code.setMaximumWidth(260)
        # Wide enough for its placeholder ("never a name" is the point of it), which the status
        # beside it, stretching, cut short.
        placeholder = self.code.fontMetrics().horizontalAdvance(self.code.placeholderText())
        self.code.setMinimumWidth(min(placeholder + 40, 260))  # + the margins, the clear button
        code_label = QLabel(_("Participant &code"))
        code_label.setBuddy(self.code)
        first = QHBoxLayout()
        first.addWidget(code_label)
        first.addWidget(self.code)
        first.addWidget(self.status, 1)
        first.addWidget(self.repeat)
        second = QHBoxLayout()
        for text, widget in (
            (_("Age &band"), self.age),
            (_("Gen&der"), self.gender),
            (_("&People served"), self.people),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            second.addWidget(label)
            second.addWidget(widget)
            second.addSpacing(16)
        second.addStretch(1)
        top = QVBoxLayout()
        top.addLayout(first)
        top.addLayout(second)

        # Supplies: a scrolling grid of item rows, kits under them.
        self.items_box = QWidget()
        self.items_grid = QGridLayout(self.items_box)
        self.items_grid.setHorizontalSpacing(24)
        self.kits_box = QWidget()
        self.kits_layout = QVBoxLayout(self.kits_box)
        self.kits_layout.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.items_box)
        kits_title = QLabel(_("<b>Kits</b> (a kit adds its contents to the totals)"))
        inner_layout.addWidget(kits_title)
        inner_layout.addWidget(self.kits_box)
        inner_layout.addStretch(1)
        scroll = self.supplies_scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Up and down only: a row's buttons and what is on hand are never scrolled out of
        # sight (`set_catalog` makes the area as wide as its rows).
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The keys in a line of their own under the title, which wraps: in the title (which
        # never wraps) they made the window wider than a 1024-pixel screen in French.
        supplies = QGroupBox(_("Supplies"))
        supplies_layout = QVBoxLayout(supplies)
        keys_hint = QLabel(_("Type a letter to jump to an item, Enter when done."))
        keys_hint.setWordWrap(True)
        set_tone(keys_hint, "dim")
        supplies_layout.addWidget(keys_hint)
        # Shown while nothing is on hand at the site (a new folder): where to start.
        self.empty_hint = QLabel("")
        self.empty_hint.setWordWrap(True)
        set_tone(self.empty_hint, "hint-box")
        self.empty_hint.hide()
        supplies_layout.addWidget(self.empty_hint)
        supplies_layout.addWidget(scroll)

        # The rest of the visit.
        self.reason = QComboBox()
        self.reason.addItem(_("— not asked —"), None)
        for reason, label in NALOXONE_REASON_LABELS.items():
            self.reason.addItem(_(label), reason.value)
        self.reason.setToolTip(_("Why naloxone was given; type the first letter to choose"))
        self.reason_label = QLabel(_("Naloxone reas&on"))
        self.reason_label.setBuddy(self.reason)
        self.returned = QuantitySpin()
        self.returned.setMaximumWidth(90)
        self.reversals = QuantitySpin()
        self.reversals.setMaximumWidth(90)
        self.training = QCheckBox(_("Naloxone tra&ining given"))
        self.referrals_box = QWidget()
        self.referrals_layout = QVBoxLayout(self.referrals_box)
        self.referrals_layout.setContentsMargins(0, 0, 0, 0)
        self.referrals_layout.setSpacing(2)
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(_("short, no names or details that identify anyone"))
        self.note.setMinimumWidth(200)  # under its label rather than squeezed beside it
        self.note_warning = QLabel("")
        self.note_warning.setWordWrap(True)
        set_tone(self.note_warning, "warning")
        self.note_warning.hide()

        details = QGroupBox(_("Visit"))
        form = QFormLayout(details)
        # A field under its label when both do not fit side by side (French, a narrow window).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.reason_label, self.reason)
        returned_label = QLabel(_("Used syringes re&turned"))
        returned_label.setBuddy(self.returned)
        form.addRow(returned_label, self.returned)
        reversals_label = QLabel(_("O&verdose reversals reported"))
        reversals_label.setBuddy(self.reversals)
        form.addRow(reversals_label, self.reversals)
        form.addRow("", self.training)
        form.addRow(_("Referrals"), self.referrals_box)
        note_label = QLabel(_("&Note"))
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        form.addRow("", self.note_warning)

        middle = QHBoxLayout()
        middle.addWidget(supplies, 3)
        middle.addWidget(details, 2)

        self.save = QPushButton(_("S&ave  (Ctrl+Enter)"))
        self.save.setDefault(False)
        self.save.setToolTip(_("Save this encounter (Ctrl+Enter)"))
        self.clear = QPushButton(_("Clear form"))
        self.clear.setToolTip(_("Empty the form without saving (Ctrl+Shift+Backspace)"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo = QPushButton(_("&Undo"))
        self.undo.setToolTip(_("Void the encounter just saved (Ctrl+Z, for 10 seconds)"))
        self.undo.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.undo)
        bottom.addWidget(self.clear)
        bottom.addWidget(self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)

    def set_catalog(self, items, kits, referrals) -> None:
        """Rebuild item, kit and referral rows, keeping values already typed."""
        kept = {r.code: r.value() for r in self.item_rows + self.kit_rows}
        checked = {c for c, box in self.referral_boxes.items() if box.isChecked()}
        for row in self.item_rows + self.kit_rows:
            row.setParent(None)
            row.deleteLater()
        for box in self.referral_boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.item_rows, self.kit_rows, self.referral_boxes = [], [], {}
        for index, item in enumerate(items):
            row = QuantityRow(item.code, item.name)
            row.set_value(kept.get(item.code, 0))
            self.items_grid.addWidget(row, index, 0)
            self.item_rows.append(row)
        for kit in kits:
            row = QuantityRow(kit.code, kit.name)
            contents = ", ".join(f"{qty} {code}" for code, qty in kit.lines)
            row.setToolTip(_("Contains {contents}", contents=contents))
            row.set_value(kept.get(kit.code, 0))
            self.kits_layout.addWidget(row)
            self.kit_rows.append(row)
        for ref in referrals:
            box = QCheckBox(ref.label)
            box.setChecked(ref.code in checked)
            self.referrals_layout.addWidget(box)
            self.referral_boxes[ref.code] = box
        inner = self.supplies_scroll.widget()
        bar = self.supplies_scroll.verticalScrollBar().sizeHint().width()
        self.supplies_scroll.setMinimumWidth(inner.minimumSizeHint().width() + bar)
        self.set_tab_order()

    def set_tab_order(self) -> None:
        chain = [self.code]
        chain += [r.spin for r in self.item_rows + self.kit_rows]
        chain += [self.reason, self.returned, self.reversals, self.training]
        chain += list(self.referral_boxes.values())
        chain += [self.note, self.age, self.gender, self.people, self.repeat, self.save]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def clear_values(self) -> None:
        """Every field back to its empty value (the catalog rows stay)."""
        self.code.clear()
        self.status.setText("")
        self.age.setCurrentIndex(0)
        self.gender.setCurrentIndex(0)
        self.people.setValue(1)
        for row in self.item_rows + self.kit_rows:
            row.set_value(0)
        self.reason.setCurrentIndex(0)
        self.returned.setValue(0)
        self.reversals.setValue(0)
        self.training.setChecked(False)
        for box in self.referral_boxes.values():
            box.setChecked(False)
        self.note.clear()

    def fill_from_visit(self, last: EncounterSummary, kits: dict[str, KitInfo]) -> None:
        """The supplies, kits, people served and referrals of an earlier visit; items given
        inside a kit count in the kit, not again on their own row."""
        direct = dict(last.items)
        for kit_code, count in last.kits:
            for code, qty in kits[kit_code].lines if kit_code in kits else ():
                direct[code] = direct.get(code, 0) - qty * count
        given_kits = dict(last.kits)
        for row in self.item_rows:
            row.set_value(max(direct.get(row.code, 0), 0))
        for row in self.kit_rows:
            row.set_value(given_kits.get(row.code, 0))
        self.people.setValue(max(last.people_served, 1))
        for code, box in self.referral_boxes.items():
            box.setChecked(code in last.referrals)

    def show_empty_hint(self, site: str, nothing_on_hand: bool) -> None:
        """Where to start while nothing is on hand at the site, as in a new folder; never a
        barrier: visits can be logged anyway."""
        self.empty_hint.setText(
            _(
                "Nothing is on hand at {site} yet. Record the supplies you have first: <a "
                'href="receive">Receive stock…</a> (Ctrl+Shift+R). Visits can be logged anyway.',
                site=html.escape(site),
            )
        )
        self.empty_hint.setVisible(nothing_on_hand)
