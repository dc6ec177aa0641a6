"""Every text the app shows is in the language chosen: the French and Spanish walks of every
page, menu and dialog (`ui_walk`) are compared place by place with the English one, and a text
still equal to its English source fails, unless it is the organisation's data (catalog names,
codes, sites, people), a number, or a word the same in both languages (the allow-lists below,
each word checked by a person)."""

from __future__ import annotations

import re

import pytest

from tests.ui.walked import walked

# Words written the same in English and in the language (checked one by one; keep it short):
# "A4" paper, Qt's own "OK", and the words a translator kept because they are the right ones.
COMMON = {"a", "ok", "csv", "pdf", "ctrl"}
SAME_WORDS = {
    "fr": COMMON | {"action", "code", "contact", "contacts", "lot", "note", "options", "pages",
                    "section", "site", "sites", "stock"},
    "es": COMMON | {"kits", "pin"},
}  # fmt: skip


def untranslated_words(text: str, data: set[str], language: str) -> list[str]:
    """The words of `text` that are neither data nor the same in both languages."""
    plain = re.sub(r"<[^>]+>", " ", text).replace("&&", "\0").replace("&", "")
    plain = re.sub(r"^\[\w\]  ", " ", plain)  # a tally tile's key ("[b]  Condom"), not a word
    plain = re.sub(r"\s+", " ", plain)  # a name wrapped on a tile is still the name
    for name in sorted((d for d in data if d), key=len, reverse=True):
        plain = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", plain)
    words = re.findall(r"[^\W\d_]+", plain)
    return [w for w in words if w.casefold() not in SAME_WORDS[language]]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_text_shown_is_translated(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch, language
):
    english = walked("en", qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    shown = walked(language, qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    assert len(english.texts) > 1000  # the walk reached every page and dialog
    missing = sorted(english.texts.keys() - shown.texts.keys())
    assert not missing, f"shown in English only: {missing[:10]}"
    same = [
        f"{key}: {text!r}"
        for key, text in sorted(shown.texts.items())
        if english.texts.get(key) == text and untranslated_words(text, shown.data, language)
    ]
    assert not same, f"{len(same)} texts still in English:\n" + "\n".join(same[:60])
