"""File › High contrast (at once, and at every start after) and File › Language… (from the
next start), beside Idle lock after…. Both are this person's on this computer
(`outreach_app.user_choices`), read before the first window, so nothing here touches the data
store. (Not a menu of their own: every letter of "Settings" is an Alt key of some page.)"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from outreach_app import user_choices
from outreach_app.i18n import _

from outreach_app.ui import theme


class SettingsMenu:
    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        self._window = window
        self.contrast_action = QAction(_("&High contrast"), window)
        self.contrast_action.setCheckable(True)
        self.contrast_action.setChecked(theme.is_high_contrast())
        self.contrast_action.setToolTip(
            _("White on black, a yellow frame on the control that has the focus")
        )
        self.contrast_action.toggled.connect(self._on_contrast)
        self.language_action = QAction(_("La&nguage…"), window)
        self.language_action.triggered.connect(self.choose_language)
        for action in (self.contrast_action, self.language_action):
            menu.addAction(action)
            window.addAction(action)
        menu.aboutToShow.connect(self._show_contrast)

    def _show_contrast(self) -> None:
        """The tick follows what is shown (the system's preference may have changed it)."""
        blocked = self.contrast_action.blockSignals(True)  # showing is not choosing
        self.contrast_action.setChecked(theme.is_high_contrast())
        self.contrast_action.blockSignals(blocked)

    def _on_contrast(self, on: bool) -> None:
        theme.switch_contrast(on)

    def choose_language(self) -> None:
        from outreach_app.ui.dialogs.language_dialog import NATIVE, LanguageDialog  # when asked

        chosen = LanguageDialog.ask(self._window, user_choices.chosen_language())
        if chosen is None:
            return
        try:
            user_choices.save_language(chosen.language)
        except OSError as error:
            self._window.statusBar().showMessage(
                _("The language could not be kept: {error}", error=error.strerror or error)
            )
            return
        if chosen.language is None:
            said = _("From the next start, the app follows the computer's language.")
        else:
            said = _(
                "From the next start, the app shows in {language}.",
                language=NATIVE[chosen.language],
            )
        self._window.statusBar().showMessage(said)
