"""A quantity row: a label, a number box, +1/+5/+10 buttons and what is on hand.

The buttons never take keyboard focus, so Tab walks number box to number box; typing a letter
in a number box jumps to the next row whose label starts with it (type-ahead), handled by the
page that owns the rows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from outreach_app.i18n import _

from outreach_app.ui.theme import set_tone

MAX_QTY = 9999


class QuantitySpin(QSpinBox):
    """A number box that starts empty-looking at 0 and selects its text on any focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, MAX_QTY)
        self.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(56)
        self.setMaximumWidth(72)
        self.setAccelerated(True)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.selectAll()


class QuantityRow(QWidget):
    value_changed = Signal(str, int)  # code, new value

    def __init__(self, code: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.label_text = label
        self.label = QLabel(label.replace("&", "&&"))  # a catalog name, never a mnemonic
        self.label.setMinimumWidth(150)
        self.label.setWordWrap(True)  # a long name (most are longer in French) on two lines
        self.spin = QuantitySpin()
        self.spin.setAccessibleName(label)
        self.label.setBuddy(self.spin)
        self.on_hand = QLabel("")
        # Room for the usual "9999 on hand"; a shortfall's longer text wraps rather than taking
        # the width from the item's name.
        usual = _("{on_hand} on hand", on_hand=9999)
        self.on_hand.setMinimumWidth(self.on_hand.fontMetrics().horizontalAdvance(usual) + 8)
        self.on_hand.setWordWrap(True)
        set_tone(self.on_hand, "faint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.spin)
        for step in (1, 5, 10):
            button = QPushButton(f"+{step}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFixedWidth(40)
            button.setToolTip(_("Add {n}: {name}", n=step, name=label))
            button.clicked.connect(
                lambda _=False, s=step: self.spin.setValue(self.spin.value() + s)
            )
            layout.addWidget(button)
        layout.addWidget(self.on_hand)
        self.spin.valueChanged.connect(lambda v: self.value_changed.emit(self.code, v))

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: int) -> None:
        self.spin.setValue(value)

    def show_on_hand(self, on_hand: int | None, wanted: int) -> None:
        """On hand at this site; red with the shortfall when the form asks for more."""
        if on_hand is None:
            self.on_hand.setText("")
            return
        if wanted > on_hand:
            self.on_hand.setText(
                _("{on_hand} on hand — short {short}", on_hand=on_hand, short=wanted - on_hand)
            )
            set_tone(self.on_hand, "short")
        else:
            self.on_hand.setText(_("{on_hand} on hand", on_hand=on_hand))
            set_tone(self.on_hand, "faint")
