"""A rendered report page shown scaled to the width available, on a grey desk."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from outreach_app.i18n import _l

from outreach_app.ui.theme import set_tone

EMPTY_TEXT = _l(
    "The first page of the report shows here.\nChoose a report above and press Generate."
)


def page_image(width: int, height: int, stride: int, pixels: bytes) -> QImage:
    """RGBA8888 pixels as a QImage that owns its memory (the bytes may go away)."""
    return QImage(pixels, width, height, stride, QImage.Format.Format_RGBA8888).copy()


class PagePreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = QPixmap()
        self.label = QLabel(str(EMPTY_TEXT))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        set_tone(self.label, "dim", "padding: 12px;")
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        set_tone(self, "backdrop-area")
        self.setMinimumWidth(260)

    @property
    def pixmap(self) -> QPixmap:
        """The full-size rendered page (null before any report)."""
        return self._full

    def show_page(self, image: QImage) -> None:
        self._full = QPixmap.fromImage(image)
        set_tone(self.label, "backdrop", "padding: 8px;")
        self._fit()

    def clear_page(self, text: str | None = None) -> None:
        self._full = QPixmap()
        self.label.setPixmap(QPixmap())
        set_tone(self.label, "dim", "padding: 12px;")
        self.label.setText(str(EMPTY_TEXT) if text is None else text)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._full.isNull():
            return
        width = max(self.viewport().width() - 24, 100)
        self.label.setPixmap(
            self._full.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )
