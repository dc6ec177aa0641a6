"""A line under a free-text field that says, as it is typed, when the text looks identifying.

The same rule as the services (`domain/text_warnings.py`): names, phone numbers, e-mails, dates
and addresses. It warns before saving and never blocks it (issue 10 point 5).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from outreach_app.domain.text_warnings import hints_in_words, text_hints
from outreach_app.i18n import _

from outreach_app.ui.theme import set_tone


def warning_text(hints: Sequence[str]) -> str:
    return _(
        "This seems to hold {what}. Participants trust us not to write down who they are: "
        "please leave it out. (You can still save.)",
        what=hints_in_words(hints),
    )


class TextWarning(QLabel):
    """Hidden until `edit` holds text that looks identifying."""

    def __init__(self, edit: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        set_tone(self, "warning")  # as the Log page's note warning
        self.hide()
        edit.textChanged.connect(self._on_text_changed)

    def _on_text_changed(self, text: str) -> None:
        hints = text_hints(text)
        self.setVisible(bool(hints))
        self.setText(warning_text(hints) if hints else "")
