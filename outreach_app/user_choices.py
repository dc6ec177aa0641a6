"""What one person chose for the app on this computer, kept outside the data store.

The app's language and its high-contrast palette must be known before the first window (the
first-run setup, the unlock screen), while the device's settings live inside the encrypted
store. So they are kept in a small plain JSON file in the user's config folder
(`~/.config/OutreachTally/choices.json` on Linux, `%LOCALAPPDATA%\\OutreachTally` on Windows):
no participant data, nothing secret. `OUTREACH_CONFIG_DIR` names another folder (the tests give
each test its own).

The language order (contracts §3): `--lang`, then the choice kept here, then the device's
setting in the store (when a command opens one), then the system's language.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from outreach_app.i18n import LANGUAGES

log = logging.getLogger(__name__)

FILE_NAME = "choices.json"
CONFIG_DIR_VARIABLE = "OUTREACH_CONFIG_DIR"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("OutreachTally", appauthor=False)


def choices_path() -> Path:
    return config_dir() / FILE_NAME


def _load() -> dict[str, Any]:
    try:
        loaded = json.loads(choices_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:  # unreadable or damaged: the defaults, and say so
        log.warning("could not read %s (%s); using the defaults", choices_path(), error)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _save(key: str, value: Any) -> None:
    """One choice written, the others kept; written whole then renamed, so a crash midway
    leaves the old file."""
    choices = _load()
    if value is None:
        choices.pop(key, None)
    else:
        choices[key] = value
    path = choices_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(choices, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


def chosen_language() -> str | None:
    """The language chosen in the app (en, fr or es), or None to follow the system's."""
    value = _load().get("language")
    return value if value in LANGUAGES else None


def save_language(language: str | None) -> None:
    """Keep `language` for the next start (None: follow the system's language again)."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}")
    _save("language", language)


def high_contrast() -> bool | None:
    """True or False when the person chose; None to follow the system's hint."""
    value = _load().get("high_contrast")
    return value if isinstance(value, bool) else None


def save_high_contrast(on: bool | None) -> None:
    with contextlib.suppress(OSError):  # a read-only home: the choice lasts this run only
        _save("high_contrast", on)
