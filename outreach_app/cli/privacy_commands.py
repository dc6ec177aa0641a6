"""`purge` and `passphrase` (contracts §10): retention and a new passphrase, coordinators only.

Both rewrite the folder's files (a vacuum and the backups; a rekey), so on a data folder they
hold it the way `restore` does: refused while the app has it open.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from outreach_app.cli.opening import open_from_args, write
from outreach_app.i18n import _, _l, ngettext

NEW_PASSPHRASE_VAR = "OUTREACH_NEW_PASSPHRASE"
MAX_MONTHS = 1200
README_NOTE = _l(
    "Copies kept outside the data folder (a USB stick, a cloud drive, a backup made with "
    "`backup --out`) still hold the text: replace or delete them (README, Retention)."
)


def months(text: str) -> int:
    """MONTHS of `purge`: a whole number from 1 (contracts §10: anything else is exit 2)."""
    value = text.strip()
    if not re.fullmatch(r"[0-9]+", value) or not 1 <= int(value) <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a number of months from 1 to {limit}", value=text, limit=MAX_MONTHS)
        )
    return int(value)


def add_privacy_parsers(sub: Any) -> None:
    p = sub.add_parser("purge", help=_("empty notes and reasons older than MONTHS (coordinators)"))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--older-than", type=months, metavar="MONTHS", help=_("purge now"))
    what.add_argument(
        "--schedule",
        type=months,
        metavar="MONTHS",
        help=_("keep free text MONTHS months: the app purges when it closes (about weekly)"),
    )
    what.add_argument("--no-schedule", action="store_true", help=_("stop the scheduled purge"))
    what.add_argument("--scheduled", action="store_true", help=_("run the scheduled purge if due"))
    sub.add_parser(
        "passphrase",
        help=_(
            "change the passphrase after a verified backup (new one from {variable})",
            variable=NEW_PASSPHRASE_VAR,
        ),
    )


def _folder_held(args: argparse.Namespace) -> AbstractContextManager[None]:
    from outreach_app.services import app_lock

    return nullcontext() if args.db_url else app_lock.folder_closed(args.data_dir)


def _say(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def cmd_purge(args: argparse.Namespace) -> int:
    from outreach_app.services import retention

    if args.schedule or args.no_schedule:
        wanted = None if args.no_schedule else args.schedule
        write(args, lambda uow: retention.set_schedule(uow, wanted))
        if wanted is None:
            print(_("No scheduled purge any more."))
        else:
            print(
                ngettext(
                    "Free text older than {n} month will be purged when the app closes "
                    "(checked each time, run about once a week).",
                    "Free text older than {n} months will be purged when the app closes "
                    "(checked each time, run about once a week).",
                    wanted,
                )
            )
        return 0
    with _folder_held(args):
        store = open_from_args(args)
        try:
            if args.scheduled:
                result = retention.run_schedule(store)
                if result is None:
                    with store.reading() as uow:
                        planned = retention.schedule(uow)
                    print(_("No purge is due.") if planned else _("No purge is scheduled."))
                    return 0
            else:
                result = retention.purge(store, args.older_than)
        finally:
            store.close()
    day = result.cut_off.astimezone(store.zone).date().isoformat()
    print(
        ngettext(
            "Purged the free text of {n} record that occurred before {day} ({months} months).",
            "Purged the free text of {n} records that occurred before {day} ({months} months).",
            result.total,
            day=day,
            months=result.older_than_months,
        )
    )
    if result.backups_rewritten or result.backups_removed:
        print(
            _(
                "Backups in the data folder: {purged} purged, {removed} removed (another "
                "passphrase or an older schema).",
                purged=len(result.backups_rewritten),
                removed=len(result.backups_removed),
            )
        )
    if result.server_note:
        _say(result.server_note)
    if result.wal_left:
        _say(_("Another program kept the database busy: close it and run `purge` again."))
    _say(str(README_NOTE))
    return 0


def new_passphrase() -> str:
    value = os.environ.get(NEW_PASSPHRASE_VAR)
    if value:
        return value
    from outreach_app.domain.errors import InvalidInput

    if sys.stdin is None or not sys.stdin.isatty():
        raise InvalidInput(
            _l(
                "Set {variable} or run `passphrase` in a terminal to type the new passphrase. "
                "Nothing was changed.",
                variable=NEW_PASSPHRASE_VAR,
            )
        )
    value = getpass.getpass(_("New passphrase (at least 8 characters): "))
    if getpass.getpass(_("Type it again: ")) != value:
        raise InvalidInput(_l("The two passphrases differ. Nothing was changed; try again."))
    return value


def cmd_passphrase(args: argparse.Namespace) -> int:
    from outreach_app.services import rekey

    with _folder_held(args):
        store = open_from_args(args)
        try:
            rekey.refuse_unless_possible(store)  # before asking for a new one
            new = new_passphrase()
        except BaseException:
            store.close()
            raise
        done = rekey.change_passphrase(store, new)  # closes `store` whatever happens
        done.store.close()
    print(
        _(
            "The passphrase is changed: the data folder opens only with the new one. Backups "
            "made before keep the old passphrase (the one just made: {name}).",
            name=done.backup.name,
        )
    )
    return 0


PRIVACY_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "purge": cmd_purge,
    "passphrase": cmd_passphrase,
}
