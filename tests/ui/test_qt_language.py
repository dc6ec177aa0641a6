"""Qt's own words (the standard buttons of every dialog) follow the app's language: the
QTranslator of `ui/qt_language.py` loads PySide6's qtbase_fr.qm and qtbase_es.qm, the files
`packaging/outreach.spec` checks are in the built app."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import QLibraryInfo
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from outreach_app.ui.qt_language import apply_language

BUTTONS = QDialogButtonBox.StandardButton


@pytest.fixture
def english_after():
    yield
    apply_language(QApplication.instance(), "en")


def _cancel(qtbot) -> str:
    box = QDialogButtonBox(BUTTONS.Ok | BUTTONS.Cancel)
    qtbot.addWidget(box)
    return box.button(BUTTONS.Cancel).text().replace("&", "")


@pytest.mark.parametrize(("language", "cancel"), [("fr", "Annuler"), ("es", "Cancelar")])
def test_standard_buttons_in_the_language(qtbot, english_after, language, cancel):
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert (Path(folder) / f"qtbase_{language}.qm").is_file()  # shipped with PySide6
    assert apply_language(QApplication.instance(), language)  # the translator loaded
    assert _cancel(qtbot) == cancel
    assert apply_language(QApplication.instance(), "en")
    assert _cancel(qtbot) == "Cancel"
