"""PINs on the command line (contracts §10): the environment, else a terminal prompt.

`OUTREACH_PIN` is the PIN of the person named by `--staff`; `OUTREACH_NEW_PIN` the PIN of a
person being added (or of the first coordinator at `init`). A PIN is never echoed or printed.
"""

from __future__ import annotations

import getpass
import os
import sys

from outreach_app.domain.errors import InvalidInput, PinRefused

PIN_VAR = "OUTREACH_PIN"
NEW_PIN_VAR = "OUTREACH_NEW_PIN"


def _terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def acting_pin(name: str) -> str:
    value = os.environ.get(PIN_VAR)
    if value:
        return value
    if _terminal():
        return getpass.getpass(f"PIN of {name}: ")
    raise PinRefused(
        f"Acting as {name} needs their PIN: set {PIN_VAR} or run the command in a terminal to "
        "type it. Nothing was written."
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
            f"Choose a PIN for {who}: set {NEW_PIN_VAR} or run the command in a terminal. "
            "Nothing was written."
        )
    value = getpass.getpass(f"Choose a PIN for {who} (4 to 12 digits): ")
    if getpass.getpass("Type it again: ") != value:
        raise InvalidInput("The two PINs differ. Nothing was written; try again.")
    return value
