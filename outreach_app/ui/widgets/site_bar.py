"""The toolbar with the current site (where supplies are given out from) and the organisation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar

from outreach_app.i18n import _

from outreach_app.ui.mnemonics import shortcut_text

CHOOSE_SITE_KEYS = "Ctrl+Shift+S"


class SiteBar(QToolBar):
    site_chosen = Signal(str)

    def __init__(self, org_name: str) -> None:
        super().__init__(_("Site"))
        self.setMovable(False)
        # No Alt key: the page below needs the letters; Ctrl+Shift+S (Go › Choose site) opens it.
        site_label = QLabel(_("Site:"))
        site_label.setContentsMargins(8, 0, 4, 0)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(200)
        self.combo.setToolTip(
            _("The site supplies are given out from ({keys})", keys=shortcut_text(CHOOSE_SITE_KEYS))
        )
        site_label.setBuddy(self.combo)
        self.combo.currentTextChanged.connect(self._on_chosen)
        self.addWidget(site_label)
        self.addWidget(self.combo)
        self.org_label = QLabel(f"   {org_name}")
        self.addWidget(self.org_label)

    def names(self) -> list[str]:
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def fill(self, sites: list[str], current: str) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(sites)
        self.combo.setCurrentText(current)
        self.combo.blockSignals(False)

    def show_current(self, name: str) -> None:
        if self.combo.currentText() != name:
            self.fill(self.names(), name)

    def choose(self) -> None:
        self.combo.setFocus()
        self.combo.showPopup()

    def _on_chosen(self, name: str) -> None:
        if name:
            self.site_chosen.emit(name)
