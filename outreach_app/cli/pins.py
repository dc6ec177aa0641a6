"""PINs on the command line (contracts §10): the environment, else a terminal prompt.

`OUTREACH_PIN` is the PIN of the person named by `--staff`; `OUTREACH_NEW_PIN` the PIN of a
person being added (or of the first coordinator at `init`). A PIN is never echoed or printed.
"""

from __future__ import annotations

import getpass
import os
import sys

from outreach_app.domain.errors import InvalidInput, PinRefused
from outreach_app.i18n import _, _l

PIN_VAR = "OUTREACH_PIN"
NEW_PIN_VAR = "OUTREACH_NEW_PIN"


def _terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def acting_pin(name: str) -> str:
    value = os.environ.get(PIN_VAR)
    if value:
        return value
    if _terminal():
        return getpass.getpass(_("PIN of {name}: ", name=name))
    raise PinRefused(
        _l(
            "Acting as {name} needs their PIN: set {variable} or run the command in a terminal "
            "to type it. Nothing was written.",
            name=name,
            variable=PIN_VAR,
        )
    )


def new_pin(who: str, *, optional: bool = False) -> str | None:
    """`optional`: None when neither is available (init: the PIN is then set in the app)."""
    value = os.environ.get(NEW_PIN_VAR)
    if value:
        return value
    if not _terminal():
        if optional:
            return None
        raise InvalidInput(
            _l(
                "Choose a PIN for {name}: set {variable} or run the command in a terminal. "
                "Nothing was written.",
                name=who,
                variable=NEW_PIN_VAR,
            )
        )
    value = getpass.getpass(_("Choose a PIN for {name} (4 to 12 digits): ", name=who))
    # Not the passphrase's "Type it again": a PIN and a passphrase differ in gender in fr, es.
    if getpass.getpass(_("Type the PIN again: ")) != value:
        raise InvalidInput(_l("The two PINs differ. Nothing was written; try again."))
    return value
