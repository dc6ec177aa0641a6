"""Qt's own words in the app's language: standard buttons (OK, Cancel, Yes), the file and input
dialogs, and the month names of date fields.

Our texts go through gettext (`outreach_app.i18n`), as MusicBrainz Picard does for its Qt
interface; Qt's built-in widgets carry their own catalogue (`qtbase_fr.qm`, `qtbase_es.qm`,
shipped with PySide6), loaded here with a QTranslator for the language i18n chose. Without it a
French window would still say "Cancel".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from outreach_app import i18n

_installed: list[QTranslator] = []  # kept alive while installed (Qt holds no reference)


def apply_language(app: QCoreApplication, language: str | None = None) -> bool:
    """Qt's catalogue and locale for `language` (default: i18n's current one); True when Qt has
    a catalogue for it (English needs none)."""
    language = language or i18n.current_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(i18n.LOCALES.get(language, "en")))
    if language == i18n.SOURCE_LANGUAGE:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
