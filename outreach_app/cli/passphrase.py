"""The passphrase rule of contracts §3: the environment, else a terminal prompt, else exit 3."""

from __future__ import annotations

import getpass
import os
import sys

from outreach_app.domain.errors import InvalidInput, PassphraseRequired

ENV_VAR = "OUTREACH_PASSPHRASE"
MIN_LENGTH = 8


def existing_passphrase() -> str:
    value = os.environ.get(ENV_VAR)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Passphrase for the data folder: ")
    raise PassphraseRequired(
        f"This data folder is encrypted. Set {ENV_VAR} or run the command in a terminal to "
        "type the passphrase."
    )


def new_passphrase() -> str:
    value = os.environ.get(ENV_VAR)
    if not value:
        if sys.stdin is None or not sys.stdin.isatty():
            raise PassphraseRequired(
                f"A new data folder is encrypted: set {ENV_VAR} or run `init` in a terminal to "
                "choose a passphrase (or pass --no-encryption, which leaves the data readable "
                "by anyone who has the laptop)."
            )
        value = getpass.getpass("Choose a passphrase (at least 8 characters): ")
        if getpass.getpass("Type it again: ") != value:
            raise InvalidInput("The two passphrases differ. Nothing was created; try again.")
    if len(value) < MIN_LENGTH:
        raise InvalidInput(f"Choose a passphrase of at least {MIN_LENGTH} characters.")
    return value
