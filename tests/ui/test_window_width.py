"""The window fits a 1024-pixel screen (the small laptops in the outreach vans): its smallest
width, with every page built and shown, in every language the app speaks, on a new folder (its
hints and empty tables) and on one with stock and a visit."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtWidgets import QApplication

from outreach_app import i18n
from tests.ui.conftest import close_window, signed_in_window

from outreach_app.ui.page_registry import PAGES
from outreach_app.ui.qt_language import apply_language

SCREEN = 1024


@pytest.mark.parametrize("folder", ["ui_store", "app_store"])
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_window_fits_a_1024_pixel_screen_with_every_page_shown(
    qtbot: Any, plain_folder: Any, tmp_path: Any, request: Any, language: str, folder: str
) -> None:
    store = request.getfixturevalue(folder)
    i18n.set_language(language)
    apply_language(QApplication.instance(), language)  # Qt's own texts (the date edits)
    try:
        window = signed_in_window(qtbot, store, plain_folder, tmp_path)
        widest = []
        for index, spec in enumerate(PAGES):
            window.show_page(index)
            qtbot.wait(20)  # what a page fills in once shown (the dashboard's charts)
            widest.append((window.pages.widget(index).minimumSizeHint().width(), spec.title))
        assert window.minimumSizeHint().width() <= SCREEN, sorted(widest)[-3:]
        close_window(qtbot, window)
    finally:
        i18n.set_language("en")
        apply_language(QApplication.instance(), "en")
