"""Alt-key mnemonics in every window, in every language: no two widgets of one window (the
main window's menu bar with the page shown, or a dialog) nor two entries of one menu claim
the same letter, every mnemonic of the English text is kept in the translation, and each is
a plain letter or digit a keyboard can type with Alt."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.ui.walked import walked


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_no_two_mnemonics_collide_in_a_window(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch, language
):
    shown = walked(language, qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    assert len(shown.mnemonics) > 30  # every page, menu and dialog was walked
    clashes = {}
    for scope, marks in shown.mnemonics.items():
        taken = Counter(letter for letter, _text in marks)
        twice = [text for letter, text in marks if taken[letter] > 1]
        if twice:
            clashes[scope] = twice
    assert not clashes, f"mnemonics claimed twice in {language}: {clashes}"
    odd = [text for marks in shown.mnemonics.values() for letter, text in marks
           if not (letter.isascii() and letter.isalnum())]  # fmt: skip
    assert not odd, f"mnemonics no keyboard types with Alt: {odd}"


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "es"])
def test_translations_keep_every_mnemonic(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch, language
):
    english = walked("en", qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    shown = walked(language, qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    lost = {
        scope: [text for _letter, text in marks]
        for scope, marks in english.mnemonics.items()
        if len(shown.mnemonics.get(scope, [])) != len(marks)
    }
    assert not lost, f"{language} drops or adds mnemonics in: {lost}"
