"""The passphrase rule of contracts §3: the environment, else a terminal prompt, else exit 3."""

from __future__ import annotations

import getpass
import os
import sys

from outreach_app.domain.errors import InvalidInput, PassphraseRequired
from outreach_app.i18n import _, _l

ENV_VAR = "OUTREACH_PASSPHRASE"
MIN_LENGTH = 8


def existing_passphrase() -> str:
    value = os.environ.get(ENV_VAR)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(_("Passphrase for the data folder: "))
    raise PassphraseRequired(
        _l(
            "This data folder is encrypted. Set {variable} or run the command in a terminal to "
            "type the passphrase.",
            variable=ENV_VAR,
        )
    )


def new_passphrase() -> str:
    value = os.environ.get(ENV_VAR)
    if not value:
        if sys.stdin is None or not sys.stdin.isatty():
            raise PassphraseRequired(
                _l(
                    "A new data folder is encrypted: set {variable} or run `init` in a terminal "
                    "to choose a passphrase (or pass --no-encryption, which leaves the data "
                    "readable by anyone who has the laptop).",
                    variable=ENV_VAR,
                )
            )
        value = getpass.getpass(_("Choose a passphrase (at least {n} characters): ", n=MIN_LENGTH))
        if getpass.getpass(_("Type it again: ")) != value:
            raise InvalidInput(_l("The two passphrases differ. Nothing was created; try again."))
    if len(value) < MIN_LENGTH:
        raise InvalidInput(_l("Choose a passphrase of at least {n} characters.", n=MIN_LENGTH))
    return value
