"""Every focusable control a walk of the app reaches (`ui_walk`: every page, menu and dialog)
has a name a screen reader can say, in every language: its own accessible name, a label whose
buddy it is, or (buttons) its visible text. A control announced only as "edit" or "table"
cannot be used, nor one announced in English in a French window."""

from __future__ import annotations

import pytest

from tests.ui.test_translated_ui import untranslated_words
from tests.ui.walked import walked


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_focusable_control_has_an_accessible_name(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch, language
):
    shown = walked(language, qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    unnamed = sorted(set(shown.unnamed))
    assert not unnamed, f"{len(unnamed)} controls without a name:\n" + "\n".join(unnamed)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "es"])
def test_accessible_names_are_in_the_language_shown(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch, language
):
    english = walked("en", qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    shown = walked(language, qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    said = {k: v for k, v in english.texts.items() if k.endswith(("::name", "::description"))}
    assert len(said) > 50  # the walk read the names
    same = [
        f"{key}: {text!r}"
        for key, text in sorted(said.items())
        if shown.texts.get(key) == text and untranslated_words(text, shown.data, language)
    ]
    assert not same, f"{len(same)} names still in English:\n" + "\n".join(same[:60])
    lost = sorted(said.keys() - shown.texts.keys())
    assert not lost, f"named in English only: {lost[:10]}"
