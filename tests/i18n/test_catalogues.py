"""The committed catalogues: complete, consistent with the code, compiled, and drafts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from outreach_app import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("fr", "es")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "_l": None, "_nl": (1, 2)}
DRAFT_NOTE = "Draft translation, to be reviewed by a native speaker."
# Words harm-reduction programs do not use about people or supplies.
JUDGMENTAL = ("addict", "abuser", "dirty", "junkie", "toxicomane", "drogadicto", "sucia", "sale")


def po(language: str) -> Catalog:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def ids_in_code() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "outreach_app"), keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(language: str) -> None:
    """`make translations` was run after the last edit of the .po (a plain install has it)."""
    compiled = io.BytesIO()
    write_mo(compiled, po(language), use_fuzzy=False)
    committed = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    assert committed.read_bytes() == compiled.getvalue(), "run `make translations` and commit"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_marked_in_the_code_is_translated(language: str) -> None:
    catalogue = po(language)
    missing = []
    for message_id in ids_in_code():
        message = catalogue.get(message_id if isinstance(message_id, str) else message_id[0])
        strings = () if message is None else message.string
        strings = (strings,) if isinstance(strings, str) else strings
        if message is None or not all(strings) or message.fuzzy:
            missing.append(message_id)
    assert not missing, f"untranslated in {language} (run `make translations`): {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    for message in po(language):
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        wanted = set().union(*(i18n.placeholders(text) for text in ids))
        for text in strings:
            # A plural form may leave out the count ("this cell" for one).
            optional = {"n"} if len(ids) > 1 else set()
            assert wanted - optional <= i18n.placeholders(text) <= wanted, (message.id, text)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogues_are_marked_as_drafts_and_nothing_is_fuzzy(language: str) -> None:
    catalogue = po(language)
    assert DRAFT_NOTE in catalogue.header_comment
    assert not catalogue.fuzzy
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


@pytest.mark.parametrize("language", ("en", *TRANSLATED))
def test_no_judgmental_words(language: str) -> None:
    texts: list[str] = []
    for message in po("fr" if language == "en" else language):
        pick = message.id if language == "en" else message.string
        texts += [pick] if isinstance(pick, str) else list(pick)
    words = " ".join(texts).lower().replace("'", " ").split()
    assert not [w for w in words if w.strip(".,;:()«»") in JUDGMENTAL]
