"""File › Language…: the language of the app for the person using this computer.

Kept outside the data store (`outreach_app.user_choices`), so the next start shows the first-run
setup and the unlock screen in it too. Every language is named in the language shown and in
its own ("French (Français)"), so someone who cannot read the one shown still finds theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from outreach_app import i18n
from outreach_app.i18n import N_, _

from outreach_app.ui.widgets.modal import run_modal

#: Each language in its own words (the same whatever language the app shows).
NATIVE = {"en": "English", "fr": "Français", "es": "Español"}
NAMES = {"en": N_("English"), "fr": N_("French"), "es": N_("Spanish")}


def language_label(language: str) -> str:
    """The language's name for the list: in the language shown, and in its own."""
    if language == i18n.current_language():
        return NATIVE[language]
    return f"{_(NAMES[language])} ({NATIVE[language]})"


@dataclass(frozen=True)
class LanguageChoice:
    language: str | None  # None: follow the computer's language


class LanguageDialog(QDialog):
    def __init__(self, chosen: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Language"))
        self.setMinimumWidth(420)
        self.languages = QComboBox()
        self.languages.addItem(_("The computer's language"), None)
        for language in i18n.LANGUAGES:
            self.languages.addItem(language_label(language), language)
        self.languages.setCurrentIndex(max(0, self.languages.findData(chosen)))
        label = QLabel(_("&Language of the app:"))
        label.setBuddy(self.languages)
        form = QFormLayout()
        form.addRow(label, self.languages)
        note = QLabel(
            _(
                "The app shows in the language chosen from its next start, the first-run "
                "setup and the unlock screen too. A language given on the command line "
                "(--lang) still comes first."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choice(self) -> LanguageChoice:
        return LanguageChoice(self.languages.currentData())

    @classmethod
    def ask(cls, parent: QWidget | None, chosen: str | None) -> LanguageChoice | None:
        dialog = cls(chosen, parent)
        return dialog.choice() if run_modal(dialog) else None
