"""One message catalogue for every layer: GNU gettext through Babel, no Qt.

The source texts are English; `fr` (French as written in Canada) and `es` come from
`resources/locale/<lang>/LC_MESSAGES/outreach.mo` beside this module (`make translations`
rebuilds them). A text not yet translated shows in English.

- `_(text, **args)` translates now and fills `{name}` placeholders; `ngettext` picks the plural
  form of the language (`{n}` is the count).
- `_l(text, **args)` / `_nl(...)` keep the message id and its arguments in a `Text`, translated
  each time it is shown: what an error carries from a service to the CLI or the app, so it reads
  in the language of the moment, and the log keeps the English (`Text.english()`).
- `N_(text)` only marks a text for extraction (tables of labels); translate it where shown.
- `set_language` switches at run time; `choose_language` applies contracts §3: `--lang`, else
  the device's setting, else the system's language, else English.
- `format_date`, `format_month`, `format_number`, ... write dates and numbers in the language's
  locale (Babel's CLDR data). CSV never uses them: plain digits and ISO dates there.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import locale as _locale
import logging
import string
import sys
import threading
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as _dates
from babel import numbers as _numbers
from babel.core import default_locale
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

DOMAIN = "outreach"
LANGUAGES = ("en", "fr", "es")
SOURCE_LANGUAGE = "en"
#: The Babel locale each language formats dates and numbers with.
LOCALES = {"en": "en", "fr": "fr_CA", "es": "es"}
LOCALE_DIR = Path(__file__).resolve().parent / "resources" / "locale"

_lock = threading.Lock()
_language = SOURCE_LANGUAGE
_catalogue: _gettext.NullTranslations = NullTranslations()
_loaded: dict[str, _gettext.NullTranslations] = {}


# ---- choosing and switching ----------------------------------------------------------------


def catalogue(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `language` (English: none, the source texts are English)."""
    with _lock:
        found = _loaded.get(language)
        if found is None:
            found = NullTranslations()
            if language != SOURCE_LANGUAGE:
                loaded = Translations.load(str(LOCALE_DIR), [language], DOMAIN)
                if isinstance(loaded, Translations):
                    found = loaded
                else:
                    log.warning(
                        "no %s catalogue in %s; texts show in English", language, LOCALE_DIR
                    )
            _loaded[language] = found
        return found


def set_language(language: str) -> str:
    """Show every text from now on in `language` (one of LANGUAGES); returns it."""
    global _language, _catalogue
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}")
    chosen = catalogue(language)
    with _lock:
        _language, _catalogue = language, chosen
    return language


def current_language() -> str:
    return _language


def babel_locale(language: str | None = None) -> Locale:
    return Locale.parse(LOCALES[language or _language])


def language_of_locale(name: str | None) -> str | None:
    """`fr_CA.UTF-8`, `es-MX`, `French_Canada` -> `fr`, `es`; None for any other language."""
    if not name:
        return None
    cleaned = name.split(".")[0].split("@")[0].replace("-", "_")
    try:
        language = Locale.parse(cleaned).language
    except (ValueError, UnknownLocaleError):
        language = cleaned.split("_")[0].lower()
        # Windows names locales in English words (`French_Canada`).
        language = {"english": "en", "french": "fr", "spanish": "es"}.get(language, language)
    return language if language in LANGUAGES else None


def system_language() -> str | None:
    """The language this computer is set to, when it is one we have; None otherwise."""
    candidates: list[str | None] = []
    with contextlib.suppress(ValueError, UnknownLocaleError):
        candidates.append(default_locale(("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")))
    with contextlib.suppress(ValueError):
        candidates.append(_locale.getlocale()[0])
    candidates.append(_windows_ui_locale())
    for name in candidates:
        # LANGUAGE may list several (`fr_CA:en`); the first we have wins.
        for part in (name or "").split(":"):
            found = language_of_locale(part)
            if found:
                return found
    return None


def _windows_ui_locale() -> str | None:
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        windll = getattr(ctypes, "windll", None)
        if windll is None:
            return None
        return _locale.windows_locale.get(windll.kernel32.GetUserDefaultUILanguage())
    except (OSError, AttributeError):
        return None


def choose_language(explicit: str | None = None, setting: str | None = None) -> str:
    """Contracts §3: `--lang`, else the device's setting, else the system's, else English."""
    for candidate in (explicit, setting):
        if candidate in LANGUAGES:
            return str(candidate)
    return system_language() or SOURCE_LANGUAGE


# ---- translating ---------------------------------------------------------------------------


def _fill(template: str, source: str, args: Mapping[str, Any]) -> str:
    """`template` with its `{name}` placeholders filled; the English source if a translation
    names a placeholder the code does not give (a translator's slip must not hide the message)."""
    if not args:
        return template
    try:
        return template.format_map(args)
    except (KeyError, IndexError, ValueError):
        log.warning("translation of %r does not fit its arguments; shown in English", source)
        return source.format_map(args)


def _(message: str, /, **args: Any) -> str:
    """`message` in the current language, `{name}` placeholders filled from `args`."""
    if not message:
        return message  # gettext("") would be the catalogue's header
    return _fill(_catalogue.gettext(message), message, args)


def ngettext(singular: str, plural: str, n: int, /, **args: Any) -> str:
    """The form of `n` in the current language; `{n}` is the count."""
    source = singular if n == 1 else plural
    return _fill(_catalogue.ngettext(singular, plural, n), source, {"n": n, **args})


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it (translate where it is shown)."""
    return message


class Text:
    """A message id with its named arguments, translated each time it is shown.

    Arguments that are themselves `Text` are translated with it. `str(text)` is the current
    language; `english()` the source text (for the log file)."""

    __slots__ = ("args", "msgid", "n", "plural")

    def __init__(
        self, msgid: str, args: Mapping[str, Any], plural: str | None = None, n: int = 1
    ) -> None:
        self.msgid = msgid
        self.args = dict(args)
        self.plural = plural
        self.n = n

    def _args(self, english: bool) -> dict[str, Any]:
        out = {"n": self.n} if self.plural is not None else {}
        for key, value in self.args.items():
            if isinstance(value, Text):
                value = value.english() if english else str(value)
            out[key] = value
        return out

    def __str__(self) -> str:
        args = self._args(english=False)
        if self.plural is None:
            return _(self.msgid, **args)
        return ngettext(self.msgid, self.plural, self.n, **args)

    def english(self) -> str:
        source = self.msgid if self.plural is None or self.n == 1 else self.plural
        return _fill(source, source, self._args(english=True))

    def __repr__(self) -> str:
        return f"Text({self.english()!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return (self.msgid, self.args, self.plural, self.n) == (
                other.msgid,
                other.args,
                other.plural,
                other.n,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural, self.n))


def _l(message: str, /, **args: Any) -> Text:
    """`message` and its arguments, translated when shown (see `Text`)."""
    return Text(message, args)


def _nl(singular: str, plural: str, n: int, /, **args: Any) -> Text:
    """A plural message, translated when shown; `{n}` is the count."""
    return Text(singular, args, plural, n)


def join(parts: list[Any], separator: str = ", ") -> Text:
    """Texts (or plain strings) joined, each translated when the whole is shown."""
    names = {f"p{i}": part for i, part in enumerate(parts)}
    template = (
        separator.replace("{", "{{").replace("}", "}}").join("{" + name + "}" for name in names)
    )
    return Text(template, names)


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a text (the catalogue test checks each translation's)."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


# ---- dates and numbers in the locale -------------------------------------------------------


def format_date(day: date, style: str = "long", language: str | None = None) -> str:
    """`March 5, 2026`, `5 mars 2026`, `5 de marzo de 2026` (style: short, medium, long)."""
    return _dates.format_date(day, style, locale=babel_locale(language))


def format_time(moment: time | datetime, language: str | None = None) -> str:
    """A wall-clock time, short: `2:05 PM`, `14 h 05`, `14:05`."""
    return _dates.format_time(moment, "short", locale=babel_locale(language))


def format_month(year: int, month: int, language: str | None = None) -> str:
    """`March 2026`, `mars 2026`, `marzo de 2026`."""
    return _dates.format_skeleton("yMMMM", date(year, month, 1), locale=babel_locale(language))


def format_day(day: date, language: str | None = None) -> str:
    """A short day and month for chart labels and columns: `Mar 5`, `5 mars`, `5 mar`."""
    return _dates.format_skeleton("MMMd", day, locale=babel_locale(language))


def format_number(value: int | Decimal | float, language: str | None = None) -> str:
    """Thousands grouped the locale's way: `1,234`, `1 234`, `1234` (es groups from 10 000)."""
    return _numbers.format_decimal(value, locale=babel_locale(language))


def format_decimal(value: Decimal | float, places: int, language: str | None = None) -> str:
    """A fixed number of decimals with the locale's decimal sign: `0.85`, `0,85`."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return _numbers.format_decimal(
        value, format=pattern, locale=babel_locale(language), decimal_quantization=True
    )


def format_figure(text: str, language: str | None = None) -> str:
    """A figure as printed on a report: whole numbers and decimals in the locale; anything
    else (`<5`, `*`, blank, a lot number) as it is."""
    plain = text.strip()
    if plain.isascii() and plain.lstrip("-").isdigit():
        return format_number(int(plain), language)
    whole, dot, decimals = plain.lstrip("-").partition(".")
    if dot and whole.isascii() and whole.isdigit() and decimals.isascii() and decimals.isdigit():
        return format_decimal(Decimal(plain), len(decimals), language)
    return text
