"""Participant codes: optional, program-chosen, never a name or anything built from one."""

from __future__ import annotations

import re

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _l

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,23}$")


def clean_participant_code(text: str | None) -> str | None:
    """Blank means anonymous. Spaces are refused so that a typed name never becomes a code."""
    if text is None or not text.strip():
        return None
    code = text.strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(
            _l(
                "A participant code is a short program code of letters, digits and hyphens "
                "(at most 24, no spaces), never a name. Leave it blank for an anonymous contact."
            )
        )
    return code
