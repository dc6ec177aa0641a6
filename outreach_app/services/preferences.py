"""Settings of this device only (contracts §9: they never travel with a bundle or a sync).

Kept in the `settings` table under a key that names the device, so a hub shared by several
devices keeps each one's own. For now: the language the app and the command line use
(contracts §3: `--lang`, else this setting, else the system's language, else English).
"""

from __future__ import annotations

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import LANGUAGES, _l
from outreach_app.services import audit
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Setting

LANGUAGE_KEY = "device_language:"


def _language_key(uow: UnitOfWork) -> str:
    return f"{LANGUAGE_KEY}{uow.device_id}"


def device_language(uow: UnitOfWork) -> str | None:
    """The language chosen on this device (en, fr or es), or None to follow the system."""
    setting = uow.session.get(Setting, _language_key(uow))
    if setting is None or setting.value not in LANGUAGES:
        return None  # never chosen, or a value this version does not know: the system's
    return setting.value


def set_device_language(uow: UnitOfWork, language: str | None) -> str | None:
    """Choose this device's language (None: follow the system's again)."""
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(
            _l(
                "Unknown language {language!r}; use one of {options}.",
                language=language,
                options=", ".join(LANGUAGES),
            )
        )
    key = _language_key(uow)
    setting = uow.session.get(Setting, key)
    if language is None:
        if setting is not None:
            uow.session.delete(setting)
    elif setting is None:
        uow.session.add(Setting(key=key, value=language))
    else:
        setting.value = language
    uow.session.flush()
    audit.record(uow, "language", language or "system")
    return language
