"""File › Language…: the person's language, kept on this computer outside the data store,
shown from the next start (menus, the unlock screen); `--lang` still comes first."""

from __future__ import annotations

import pytest

from PySide6.QtWidgets import QApplication, QComboBox

from outreach_app import i18n, user_choices
from outreach_app.cli import start_language
from tests.ui.conftest import close_window, signed_in_window

from outreach_app.ui.dialogs.language_dialog import LanguageChoice, LanguageDialog
from outreach_app.ui.dialogs.opening import UnlockDialog
from outreach_app.ui.qt_language import apply_language


@pytest.fixture
def english_after():
    yield
    i18n.set_language("en")
    apply_language(QApplication.instance(), "en")


def _window(qtbot, store, folder, tmp_path):
    return signed_in_window(qtbot, store, folder, tmp_path)


def _menu_titles(window):
    return [a.text() for a in window.menuBar().actions()]


def test_french_chosen_shows_french_menus_after_a_restart(
    qtbot, ui_store, plain_folder, tmp_path, monkeypatch, english_after
):
    window = _window(qtbot, ui_store, plain_folder, tmp_path)
    assert _menu_titles(window)[0] == "&File"
    monkeypatch.setattr(LanguageDialog, "ask", classmethod(lambda c, p, now: LanguageChoice("fr")))
    window.menus.settings.language_action.trigger()  # File › Language…, French
    assert window.statusBar().currentMessage() == (
        "From the next start, the app shows in Français."
    )
    assert _menu_titles(window)[0] == "&File"  # this run stays in English
    close_window(qtbot, window)

    # The next start: the language is settled before the first window.
    i18n.set_language(start_language([]))
    apply_language(QApplication.instance())
    unlock = UnlockDialog(plain_folder, None, i18n._("Open Outreach Tally"))
    qtbot.addWidget(unlock)
    assert unlock.windowTitle() == "Ouvrir Outreach Tally"
    again = _window(qtbot, ui_store, plain_folder, tmp_path)
    assert _menu_titles(again)[:2] == ["&Fichier", "&Aller"]
    close_window(qtbot, again)


def test_lang_on_the_command_line_comes_before_the_choice(english_after):
    user_choices.save_language("fr")
    assert start_language(["--lang", "es"]) == "es"
    assert start_language(["--lang=en", "stock"]) == "en"
    assert start_language([]) == "fr"
    user_choices.save_language(None)  # the computer's language again
    assert user_choices.chosen_language() is None
    assert start_language([]) == "en"  # the tests' LANGUAGE=en


def test_the_dialog_names_each_language_in_its_own_words_too(qtbot, english_after):
    dialog = LanguageDialog("es")
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox)
    shown = [combo.itemText(i) for i in range(combo.count())]
    assert shown == ["The computer's language", "English", "French (Français)",
                     "Spanish (Español)"]  # fmt: skip
    assert dialog.choice() == LanguageChoice("es")  # what was chosen before
    i18n.set_language("fr")
    french = LanguageDialog(None)
    qtbot.addWidget(french)
    combo = french.findChild(QComboBox)
    assert [combo.itemText(i) for i in range(1, 4)] == ["Anglais (English)", "Français",
                                                      "Espagnol (Español)"]  # fmt: skip
    assert french.choice() == LanguageChoice(None)


def test_a_damaged_choices_file_is_the_defaults(own_choices):
    (own_choices / "choices.json").write_text("{not json", encoding="utf-8")
    assert user_choices.chosen_language() is None
    assert user_choices.high_contrast() is None
    user_choices.save_language("es")  # and a choice mends it
    assert user_choices.chosen_language() == "es"
