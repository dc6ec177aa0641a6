"""Choosing the language, switching it at run time, and texts translated when shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from outreach_app import i18n
from outreach_app.domain.clock import Period
from outreach_app.domain.errors import NotFound
from outreach_app.i18n import _, _l, ngettext


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_an_error_is_translated_when_shown_and_logged_in_english() -> None:
    error = NotFound(_l("No kit has the code {code!r}.", code="ZZ-KIT"))
    assert error.message == "No kit has the code 'ZZ-KIT'."
    i18n.set_language("fr")
    assert error.message == "Aucune trousse n'a le code 'ZZ-KIT'."
    assert str(error) == error.message
    assert error.english() == "No kit has the code 'ZZ-KIT'."
    i18n.set_language("es")
    assert error.message == "Ningún kit tiene el código 'ZZ-KIT'."


def test_plural_forms_follow_the_language() -> None:
    i18n.set_language("fr")
    one, two = (ngettext("{n} problem found.", "{n} problems found.", n) for n in (1, 2))
    assert (one, two) == ("1 problème trouvé.", "2 problèmes trouvés.")
    # French says "0 problème" (singular); English "0 problems".
    assert ngettext("{n} problem found.", "{n} problems found.", 0) == "0 problème trouvé."


def test_a_text_not_yet_translated_shows_in_english() -> None:
    i18n.set_language("es")
    assert _("ZZ a sentence no catalogue has, {x}", x=1) == "ZZ a sentence no catalogue has, 1"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        i18n.set_language("de")


@pytest.mark.parametrize(
    ("explicit", "setting", "system", "chosen"),
    [
        ("fr", "es", "en_CA.UTF-8", "fr"),  # --lang first
        (None, "es", "fr_CA.UTF-8", "es"),  # then the device's setting
        (None, None, "fr_CA.UTF-8", "fr"),  # then the system's
        (None, None, "es_MX.UTF-8", "es"),
        (None, None, "de_DE.UTF-8", "en"),  # a language we do not have: English
        (None, "xx", "C", "en"),
    ],
)
def test_choose_language(
    monkeypatch: pytest.MonkeyPatch,
    explicit: str | None,
    setting: str | None,
    system: str,
    chosen: str,
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", system)
    monkeypatch.setattr(i18n._locale, "getlocale", lambda *a: (None, None))
    assert i18n.choose_language(explicit, setting) == chosen


def test_windows_and_posix_locale_names() -> None:
    assert i18n.language_of_locale("French_Canada") == "fr"
    assert i18n.language_of_locale("es-419") == "es"
    assert i18n.language_of_locale("pt_BR.UTF-8") is None


def test_dates_months_and_numbers_in_the_locale() -> None:
    day = date(2026, 3, 5)
    assert i18n.format_date(day, language="en") == "March 5, 2026"
    assert i18n.format_date(day, language="fr") == "5 mars 2026"
    assert i18n.format_date(day, language="es") == "5 de marzo de 2026"
    i18n.set_language("fr")
    assert Period.month(2026, 3).label() == "mars 2026"
    assert i18n.format_figure("12345") == "12\u00a0345"
    assert i18n.format_figure("0.85") == "0,85"
    assert i18n.format_figure("<5") == "<5"
    assert i18n.format_decimal(Decimal("2.5"), 1, "es") == "2,5"
